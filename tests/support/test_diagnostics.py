"""The help-desk report and the diagnostic zip: what a supporter needs, and no personal data."""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from schoolhr.checklists import service as checklists
from schoolhr.checklists.schema import ChecklistTemplate
from schoolhr.cli import main
from schoolhr.contacts import service as contacts
from schoolhr.contacts.records import ContactRecord, validate
from schoolhr.content.install import bundled_content_dir
from schoolhr.demo.marker import write_marker
from schoolhr.errors import ExitCode, UserFileError
from schoolhr.faq.unanswered import record_unanswered
from schoolhr.logs import setup_logging
from schoolhr.paths import DataPaths
from schoolhr.store.database import Store, update_site
from schoolhr.support.diagnostics import write_diagnostics_zip
from schoolhr.support.report import support_report
from schoolhr.sync import service as sync

# (name, mobile as typed, office phone as typed, e-mail, LINE ID)
PEOPLE = [
    ("林淑芬", "0912-345-678", "02-2397-9108#123", "shufen.lin@school.edu.tw", "shufen_lin"),
    ("陳志豪", "+886 933 123 456", "(089)301058#70", "chihhao@example.com", ""),
]
NEWCOMER = "黃雅婷"  # named only on a checklist run, not in the contacts
ID_NUMBER = "A123456789"
SQLITE_HEADER = b"SQLite format 3\x00"


@pytest.fixture
def profile(store: Store, data_paths: DataPaths) -> Iterator[DataPaths]:
    """A school with people in its contacts, a checklist about a newcomer, a backup, a data
    pack in its folder, settings and a log that mention them."""
    update_site(store, name="範例國小")
    with store.write() as session:
        for name, mobile, office, email, line_id in PEOPLE:
            record = ContactRecord(
                name=name, mobile=mobile, office_phone=office, email=email, line_id=line_id
            )
            contacts.save_contact(session, record)
        source = bundled_content_dir() / "checklists" / "onboarding-new-staff.yaml"
        template = ChecklistTemplate.model_validate(yaml.safe_load(source.read_text("utf-8")))
        checklists.install_templates(session, [template], "bundled")
        checklists.start_run(
            session,
            template.id,
            period="到職",
            person=NEWCOMER,
            due_date=date.today() - timedelta(days=2),
        )
    record_unanswered(store, "補休可以分次使用嗎")
    store.backup("manual")
    sync.export_pack(store, "data", data_paths.root / "exports" / "資料包.zip")
    data_paths.settings_file.write_text(
        f"[files]\nlast_import=/srv/share/{PEOPLE[0][0]}/名冊.xlsx\nphone=0933123456\n",
        encoding="utf-8",
    )
    setup_logging(data_paths)
    log = logging.getLogger("schoolhr.contacts")
    name, mobile, _office, email, _line = PEOPLE[0]
    log.warning("匯入第 3 列略過：%s %s %s 身分證 %s", name, mobile, email, ID_NUMBER)
    try:
        raise ValueError(f"UNIQUE constraint failed: contact.name {PEOPLE[1][0]} {PEOPLE[1][3]}")
    except ValueError:
        log.exception("無法儲存聯絡人 %s（電話 %s）", PEOPLE[1][0], PEOPLE[1][2])
    log.info("一般的訊息，沒有問題")
    (data_paths.logs / "schoolhr.log.1").write_text(
        f"2026-01-02 09:00:00,000 ERROR schoolhr.ui [MainThread] {NEWCOMER} 0223979108 "
        f"{PEOPLE[0][4]}\n",
        encoding="utf-8",
    )
    (data_paths.logs / "其他.txt").write_text(f"{PEOPLE[0][0]}\n", encoding="utf-8")
    yield data_paths
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_schoolhr", False):
            root.removeHandler(handler)
            handler.close()


def _forbidden() -> list[bytes]:
    """Every personal value of the profile, in every form it may have been written."""
    values = [ID_NUMBER, NEWCOMER]
    for name, mobile, office, email, line_id in PEOPLE:
        canonical_mobile = validate(ContactRecord(name=name, mobile=mobile)).mobile
        record = validate(ContactRecord(name=name, office_phone=office))
        values += [name, mobile, canonical_mobile, canonical_mobile.replace("-", "")]
        values += [office, record.office_phone, email]
        values += [line_id] if line_id else []
    return [value.encode("utf-8") for value in values]


def test_diagnostic_zip_holds_no_personal_data_and_no_database(
    profile: DataPaths, tmp_path: Path
) -> None:
    target = tmp_path / "診斷.zip"
    result = write_diagnostics_zip(profile, target)

    assert result.path == target and result.size == target.stat().st_size
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        members = {name: archive.read(name) for name in names}
    assert names == [
        "doctor.txt",
        "logs/schoolhr.log",
        "logs/schoolhr.log.1",
        "report.txt",
        "settings.ini",
        "versions.json",
    ]
    for name, data in members.items():
        assert SQLITE_HEADER not in data, name
        for value in _forbidden():
            assert value not in data, (name, value.decode("utf-8"))
    log_text = members["logs/schoolhr.log"].decode("utf-8")
    assert "〔姓名〕" in log_text and "〔電話〕" in log_text and "〔身分證號〕" in log_text
    assert "〔電子郵件〕" in log_text and "一般的訊息，沒有問題" in log_text
    assert "ValueError: UNIQUE constraint failed" in log_text  # the traceback is kept, masked
    assert "〔姓名〕" in members["settings.ini"].decode("utf-8")
    assert not list(tmp_path.glob("*.partial"))


def test_diagnostic_zip_refuses_a_name_that_is_not_a_zip_and_a_missing_folder(
    profile: DataPaths, tmp_path: Path
) -> None:
    with pytest.raises(UserFileError, match=r"\.zip"):
        write_diagnostics_zip(profile, tmp_path / "診斷.txt")
    with pytest.raises(UserFileError, match="不存在"):
        write_diagnostics_zip(profile, tmp_path / "no-such-folder" / "診斷.zip")
    assert list(tmp_path.iterdir()) == [profile.root]


def test_report_shows_what_a_supporter_needs(profile: DataPaths) -> None:
    report = support_report(profile, open_guide=("WebITR 請假", "第 3 步：按「送出」"))
    text = report.as_text()

    for section in ("【版本】", "【資料】", "【交換檔】", "【目前開啟的操作指引】", "【待辦】"):
        assert section in text
    assert "【最近的錯誤與警告】" in text
    assert report.healthy and "健康檢查：正常" in text
    assert report.site_name == "範例國小" and "角色：學校" in text
    assert report.backup_count == 1 and "手動備份" in text
    assert report.last_import is None and "最近匯入：尚無" in text
    assert report.last_export is not None and "匯出資料包「資料包.zip」" in text
    assert "WebITR 請假：第 3 步：按「送出」" in text
    assert report.unanswered == 1 and "未解答問題：1 則" in text
    assert [d.days_left for d in report.due] == [-2]
    assert "新進人員到職檢核（到職〔姓名〕）" in text and "已逾期 2 天" in text
    assert [e.level for e in report.recent_errors] == ["ERROR", "WARNING", "ERROR"]
    assert report.recent_errors[0].detail.startswith("ValueError: UNIQUE constraint failed")
    assert report.names_masked and not report.demo
    for value in _forbidden():
        assert value.decode("utf-8") not in text


def test_report_of_a_demo_profile_says_so(profile: DataPaths) -> None:
    write_marker(profile.root, {"state": "ready", "role": "school"})
    report = support_report(profile)
    assert report.demo and "【示範模式】" in report.as_text().splitlines()[0]


def test_report_of_a_damaged_database_still_comes_out(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "broken")
    paths.logs.mkdir(parents=True)
    paths.database.write_bytes(b"garbage" * 1000)
    report = support_report(paths)
    text = report.as_text()
    assert not report.healthy and "健康檢查：有問題" in text
    assert not report.names_masked and "姓名可能未遮蔽" in text


def test_cli_diagnostics_writes_the_zip(
    profile: DataPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.zip"
    assert main(["diagnostics", "-o", str(target)]) == ExitCode.OK
    assert "不含資料庫與個人資料" in capsys.readouterr().out
    with zipfile.ZipFile(target) as archive:
        assert "report.txt" in archive.namelist()
    assert main(["diagnostics", "-o", str(tmp_path / "out.txt")]) == ExitCode.FILE
    assert ".zip" in capsys.readouterr().err
