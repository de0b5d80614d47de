"""schoolhr contacts import / export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schoolhr.cli import main
from schoolhr.errors import ExitCode


@pytest.fixture(autouse=True)
def test_content(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers import TEST_CONTENT

    monkeypatch.setattr("schoolhr.content.install.bundled_content_dir", lambda: TEST_CONTENT)


def test_import_dry_run_json_then_apply_then_merge(
    contact_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = contact_data / "google.vcf"
    assert main(["contacts", "import", str(source), "--dry-run", "--json"]) == ExitCode.OK
    plan = json.loads(capsys.readouterr().out)
    assert [a["name"] for a in plan["adds"]] == ["王小明", "Ann Lee"]
    assert plan["rejected"] == [
        {
            "row": 3,
            "field": "公務電話",
            "reason": "公務電話「123」無法撥打：應有區碼與 6 到 8 位號碼，例如 02-23979108",
        }
    ]
    assert plan["applied"] is None

    assert main(["contacts", "import", str(source)]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "新增 2 人" in out and "第 3 列\t公務電話" in out and "匯入前的備份" in out

    changed = tmp_path / "changed.csv"
    changed.write_text("姓名,學校,手機,備註\n王小明,光復國小,0912555666,新備註\n", encoding="utf-8")
    assert main(["contacts", "import", str(changed), "--json"]) == ExitCode.OK
    result = json.loads(capsys.readouterr().out)
    (duplicate,) = result["duplicates"]
    assert duplicate["matched_on"] == "mobile"
    assert duplicate["differences"] == [
        {
            "field": "notes",
            "label": "備註",
            "existing": "Google 匯出的備註\n第二行, 含逗號",
            "incoming": "新備註",
        }
    ]
    assert result["applied"]["skipped"] == 1
    assert main(["contacts", "import", str(changed), "--merge"]) == ExitCode.OK
    assert "合併 1" in capsys.readouterr().out

    target = tmp_path / "out.csv"
    args = ["contacts", "export", "--format", "csv", "-o", str(target), "--purpose", "研習"]
    assert main([*args, "--fields", "notes"]) == ExitCode.OK
    assert "已匯出 0 人" in capsys.readouterr().out  # nobody has consent yet
    assert main([*args, "--fields", "notes", "--include-without-consent"]) == ExitCode.OK
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "姓名,備註" and "王小明,新備註" in text


def test_export_needs_a_purpose_and_a_known_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "x.vcf")
    assert (
        main(["contacts", "export", "--format", "vcf", "-o", target, "--purpose", " "])
        == ExitCode.REFUSED
    )
    assert "用途" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["contacts", "export", "--format", "pdf", "-o", target, "--purpose", "x"])


def test_import_of_an_unknown_extension_is_a_file_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "list.docx"
    source.write_bytes(b"x")
    assert main(["contacts", "import", str(source)]) == ExitCode.FILE
    assert "無法辨識" in capsys.readouterr().err
