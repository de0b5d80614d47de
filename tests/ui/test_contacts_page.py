"""The contacts page: list and filter, edit with validation, import with preview, export with
the field picker and consent, and the groups view."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from schoolhr.contacts import service
from schoolhr.contacts.models import ExportAudit
from schoolhr.contacts.records import ContactRecord
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.pages.contacts_page import ContactsPage
from tests.helpers import TEST_DATA


def person(i: int) -> ContactRecord:
    return ContactRecord(
        name=f"測試{i:02d}",
        school=f"第{i}國小",
        region="臺東北區" if i % 2 else "臺東南區",
        role="兼任人事" if i % 3 else "專任人事",
        years=i % 9,
        duties=["差勤"],
        email=f"p{i}@example.edu.tw",
        consent_date=date(2026, 1, 2) if i % 4 else None,  # every fourth has not consented
    )


PEOPLE = [person(i) for i in range(1, 19)]


@pytest.fixture
def page(window: MainWindow) -> ContactsPage:
    assert window.store is not None
    with window.store.write() as session:
        for record in PEOPLE:
            service.save_contact(session, record)
    window.show_page("contacts")
    contacts = window.contacts_page
    contacts.refresh()
    return contacts


def test_the_list_filters_and_sorts_by_raw_values(page: ContactsPage) -> None:
    assert page.proxy.rowCount() == 18
    page.filter.setText("南區")
    assert page.proxy.rowCount() == 9
    page.filter.setText("")
    page.table.sortByColumn(4, page.table.horizontalHeader().sortIndicatorOrder().AscendingOrder)
    years = [page.proxy.index(r, 4).data() for r in range(page.proxy.rowCount())]
    assert years == sorted(years, key=lambda y: int(y) if y else -1)


def test_typing_in_the_filter_neither_reads_again_nor_rebuilds_the_groups(
    qtbot: QtBot, page: ContactsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    rebuilds: list[int] = []
    list_contacts = service.list_contacts
    monkeypatch.setattr(
        service, "list_contacts", lambda *a, **k: reads.append("read") or list_contacts(*a, **k)
    )
    page.groups.tree.model().modelReset.connect(lambda: rebuilds.append(1))
    page.groups.tree.model().rowsInserted.connect(lambda *_a: rebuilds.append(1))
    page.refresh()  # data changed: read once, the groups built once
    assert reads == ["read"] and rebuilds
    reads.clear()
    rebuilds.clear()

    shown: list[int] = []
    for char in "臺東南區":  # typed one character at a time, as the clerk does
        page.filter.insert(char)
        shown.append(page.proxy.rowCount())
    assert shown == [18, 18, 9, 9]
    assert page.status.text() == "共 9 人。"
    qtbot.keyClicks(page.filter, "x")  # nobody: the list is empty, not the empty state
    assert page.proxy.rowCount() == 0 and not page.empty.isVisibleTo(page)
    page.filter.clear()
    assert page.proxy.rowCount() == 18

    assert reads == [] and rebuilds == []


def test_a_bad_phone_is_refused_with_a_clear_message(page: ContactsPage) -> None:
    page.new_contact()
    page.name.setText("王小明")
    page.office_phone.setText("12345")
    page.save()
    assert "無法撥打" in page.status.text()
    page.office_phone.setText("(089)123456 轉 12")
    page.save()
    assert "已儲存" in page.status.text()


def test_the_consent_date_is_typed_in_roc(
    qtbot: QtBot, page: ContactsPage, window: MainWindow
) -> None:
    page.new_contact()
    page.name.setText("王小明")
    assert page.consent_date.text() == "" and page.consent_date.line.placeholderText() == "未同意"
    qtbot.keyClicks(page.consent_date.line, "115/2/29")
    page.save()  # a day that does not exist: nothing is saved
    assert "「115/2/29」" in page.status.text() and "2 月沒有 29 日" in page.status.text()
    page.consent_date.line.selectAll()
    qtbot.keyClicks(page.consent_date.line, "1150102")
    page.save()
    assert "已儲存" in page.status.text()
    assert page.consent_date.text() == "115年1月2日"
    assert window.store is not None
    with window.store.read() as session:
        [saved] = [v for v in service.list_contacts(session) if v.record.name == "王小明"]
    assert saved.record.consent_date == date(2026, 1, 2)


def test_import_previews_then_writes_only_when_confirmed(
    qtbot: QtBot, page: ContactsPage, window: MainWindow
) -> None:
    page.import_path(TEST_DATA / "contacts" / "utf8-bom.csv")
    dialog = page.import_dialog
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    assert "新增" in dialog.summary.text() and dialog.preview_model.rowCount() >= 1
    assert window.store is not None
    with window.store.read() as session:
        assert len(service.list_contacts(session)) == 18  # nothing written by the preview
    job = dialog.apply()
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=10_000):
        pass
    with window.store.read() as session:
        assert len(service.list_contacts(session)) > 18
    assert "已匯入" in page.status.text()


def test_export_honours_fields_and_consent_and_is_audited(
    qtbot: QtBot, page: ContactsPage, window: MainWindow, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    job = page.export_to(target, ["name", "email"], "小群組聚會通知", "csv", False)
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=10_000):
        pass
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].count(",") == 1  # two columns only
    assert "測試04" not in text and "測試01" in text  # 04 has not consented
    assert window.store is not None
    with window.store.read() as session:
        audit = session.query(ExportAudit).one()
    assert audit.fields == ["name", "email"] and audit.purpose == "小群組聚會通知"
    assert audit.count == 14


def test_groups_are_built_locked_and_moved(
    qtbot: QtBot, page: ContactsPage, window: MainWindow
) -> None:
    groups = page.groups
    groups.min_size.setValue(5)
    groups.max_size.setValue(7)
    job = groups.build()
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=10_000):
        pass
    assert len(groups._groups) == 3 and all(5 <= len(g.members) <= 7 for g in groups._groups)
    first, second = groups._groups[0], groups._groups[1]
    member = first.members[0].contact_id
    groups.move_to(member, second.id)
    assert member in [m.contact_id for m in groups._groups[1].members]
    assert "臺東" in groups._groups[0].explanation  # each group says why it looks as it does
