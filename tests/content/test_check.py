import shutil
from pathlib import Path

import pytest

from schoolhr.cli import main
from schoolhr.content.files import read_content
from schoolhr.content.install import bundled_content_dir
from schoolhr.errors import ExitCode
from tests.helpers import TEST_CONTENT


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, target)
    return target


def write_entry(content_dir: Path, name: str, text: str) -> Path:
    path = content_dir / "faq" / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """---
id: {id}
title: 補休可以分次使用嗎？
category: 加班與補休
audience: [職員]
keywords: [補休]
sources:
  - name: 公務人員保障法
reviewed: 2026-11-01
---
可以，依機關規定分次申請。
"""


def problems_of(content_dir: Path) -> list[str]:
    content, problems = read_content(content_dir)
    assert content is None
    return [str(p) for p in problems]


def test_the_bundled_content_passes_the_check() -> None:
    content, problems = read_content(bundled_content_dir())
    assert problems == [], "\n".join(map(str, problems))
    assert content is not None and len(content.faq) >= 40
    assert len(content.synonyms) >= 60
    assert len(content.checklists) >= 12 and len(content.guides) >= 10


def test_the_test_content_passes(content_dir: Path) -> None:
    content, problems = read_content(content_dir)
    assert problems == [] and content is not None and len(content.faq) == 5


def test_a_missing_field_is_reported_with_file_and_line(content_dir: Path) -> None:
    path = write_entry(
        content_dir,
        "no-title",
        GOOD.format(id="no-title").replace("title: 補休可以分次使用嗎？\n", ""),
    )
    assert f"{path}:1: 缺少必填欄位「標題」" in problems_of(content_dir)


def test_a_bad_url_points_at_its_line(content_dir: Path) -> None:
    text = GOOD.format(id="bad-url").replace(
        "  - name: 公務人員保障法\n", "  - name: 公務人員保障法\n    url: http://example.com\n"
    )
    path = write_entry(content_dir, "bad-url", text)
    found = problems_of(content_dir)
    assert any(p.startswith(f"{path}:9: 「依據．網址」") for p in found), found


def test_broken_yaml_is_reported_with_its_line(content_dir: Path) -> None:
    text = GOOD.format(id="broken").replace("keywords: [補休]", "keywords: [補休")
    path = write_entry(content_dir, "broken", text)
    found = problems_of(content_dir)
    assert any(p.startswith(f"{path}:") and "YAML" in p for p in found), found


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("id: wrong-name", None), "須與檔名"),
        (("category: 不存在的分類", None), "不在 categories.txt"),
        (("audience: [校長]", None), "只能是「教師」或「職員」"),
        (("reviewed: 2099-01-01", None), "不可晚於今天"),
        (("reviewed: 去年", None), "YYYY-MM-DD"),
        (("color: red", None), "不認得的欄位"),
    ],
)
def test_each_kind_of_mistake_has_a_zh_tw_message(
    content_dir: Path, change: tuple[str, None], message: str
) -> None:
    new_line = change[0]
    key = new_line.split(":")[0]
    text = GOOD.format(id="entry")
    lines = text.splitlines()
    replaced = [new_line if line.startswith(key + ":") else line for line in lines]
    if replaced == lines:
        replaced.insert(2, new_line)
    write_entry(content_dir, "entry", "\n".join(replaced) + "\n")
    found = problems_of(content_dir)
    assert any(message in p for p in found), found


def test_a_file_without_front_matter_is_rejected(content_dir: Path) -> None:
    path = write_entry(content_dir, "plain", "只有答案沒有欄位\n")
    assert any(p.startswith(f"{path}:1: 檔案開頭須為") for p in problems_of(content_dir))


def test_a_synonym_in_two_groups_is_rejected(content_dir: Path) -> None:
    with (content_dir / "synonyms.tsv").open("a", encoding="utf-8") as handle:
        handle.write("特休\t特別休假\n")
    found = problems_of(content_dir)
    assert any("synonyms.tsv:7:" in p and "已出現在第 3 行" in p for p in found), found


def test_content_check_command_exits_non_zero_on_problems(
    content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["content", "check", str(content_dir)]) == ExitCode.OK
    write_entry(content_dir, "plain", "沒有欄位\n")
    assert main(["content", "check", str(content_dir)]) == ExitCode.UNHEALTHY
    assert "plain.md:1:" in capsys.readouterr().out


TEMPLATE = """id: {id}
title: 測試檢核表
purpose: 測試用。
audience: [兼任人事]
sources:
  - name: 測試依據
reviewed: 2026-11-01
sections:
  - id: main
    title: 主要項目
    items:
      - {{id: one, label: 第一項}}
      - {{id: two, label: 第二項, type: colour}}
"""


def test_a_malformed_checklist_template_is_reported_with_file_and_line(
    content_dir: Path,
) -> None:
    folder = content_dir / "checklists"
    folder.mkdir()
    (folder / "bad-type.yaml").write_text(TEMPLATE.format(id="bad-type"), encoding="utf-8")
    broken = TEMPLATE.format(id="broken").replace("audience: [兼任人事]", "audience: [兼任人事")
    (folder / "broken.yaml").write_text(broken, encoding="utf-8")
    found = problems_of(content_dir)
    assert any("bad-type.yaml:13:" in p for p in found), found
    assert any("broken.yaml:" in p and "YAML" in p for p in found), found


def test_a_valid_checklist_template_passes(content_dir: Path) -> None:
    folder = content_dir / "checklists"
    folder.mkdir()
    good = TEMPLATE.format(id="good").replace(", type: colour", ", type: date")
    (folder / "good.yaml").write_text(good, encoding="utf-8")
    content, problems = read_content(content_dir)
    assert problems == [] and content is not None
    assert [t.id for t in content.checklists] == ["good"]


def test_a_folder_without_a_content_manifest_is_reported_not_crashed_on(tmp_path: Path) -> None:
    from schoolhr.content.files import read_content

    (tmp_path / "categories.txt").write_text("請假\n", encoding="utf-8")
    content, problems = read_content(tmp_path)
    assert content is None
    assert any("content.yaml" in str(p) for p in problems)
