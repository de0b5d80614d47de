"""The contacts service: list and edit, import with a preview, export with consent and audit."""

from __future__ import annotations

import copy
import hashlib
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from schoolhr.contacts.formats import csv_format, vcard, xlsx_format
from schoolhr.contacts.models import Contact, ExportAudit
from schoolhr.contacts.records import DEFAULT_EXPORT_FIELDS, FIELD_LABELS, ContactRecord, validate
from schoolhr.contacts.service import (
    ImportRow,
    Rejected,
    apply_import,
    delete_contact,
    export_contacts,
    get_contact,
    list_contacts,
    plan_import,
    read_import_file,
    save_contact,
)
from schoolhr.errors import UserError
from schoolhr.store.backup import list_backups
from schoolhr.store.database import Store
from tests.contacts.conftest import sample_records

ALL_FIELDS = list(FIELD_LABELS)


def database_bytes(store: Store) -> str:
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = Path(str(store.paths.database) + suffix)
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def count(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Contact)) or 0


def rows(*records: ContactRecord, start: int = 2) -> list[ImportRow]:
    return [ImportRow(start + i, validate(copy.deepcopy(r))) for i, r in enumerate(records)]


# ------------------------------------------------------------------------------------ list, edit


def test_list_is_sorted_by_school_then_name_and_skips_deleted(
    store: Store, people: dict[str, int]
) -> None:
    with store.write() as session:
        delete_contact(session, people["黃堃"])
    with store.read() as session:
        views = list_contacts(session)
    assert [(v.record.school, v.record.name) for v in views] == sorted(
        (r.school, r.name) for r in sample_records() if r.name != "黃堃"
    )
    with store.read() as session:
        with pytest.raises(UserError, match="找不到"):
            get_contact(session, people["黃堃"])
        assert session.get(Contact, people["黃堃"]) is not None  # soft delete


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("信義", ["林𡒊"]),
        ("0912345678", ["=cmd|' /C calc'!A0"]),  # phone typed without dashes
        ("ＫＵＮ", ["黃堃"]),  # full-width, upper case
        ("台北", ["林𡒊"]),  # 台 finds 臺
        ("资讯系统", ["林𡒊"]),  # Simplified finds Traditional (duties)
        ("", ["=cmd|' /C calc'!A0", "陳喆", "黃堃", "林𡒊"]),
    ],
)
def test_list_filters_on_any_field(
    store: Store, people: dict[str, int], query: str, expected: list[str]
) -> None:
    with store.read() as session:
        assert sorted(v.record.name for v in list_contacts(session, query)) == sorted(expected)


def test_save_validates_and_names_the_field(store: Store) -> None:
    with store.write() as session:
        with pytest.raises(UserError, match="「手機」：手機號碼「0812」格式不對"):
            save_contact(session, ContactRecord(name="王小明", mobile="0812"))
        new_id = save_contact(session, ContactRecord(name=" 王  小明 ", mobile="+886912345678"))
    with store.write() as session:
        view = get_contact(session, new_id)
        assert (view.record.name, view.record.mobile) == ("王 小明", "0912-345678")
        view.record.school = "桃源國小"
        assert save_contact(session, view.record, new_id, origin="site-1") == new_id
    with store.read() as session:
        assert get_contact(session, new_id).record.school == "桃源國小"
        assert session.get(Contact, new_id).origin == "site-1"  # type: ignore[union-attr]


# ------------------------------------------------------------------------------------ import


def test_plan_writes_nothing_and_apply_adds_after_a_backup(
    store: Store, people: dict[str, int]
) -> None:
    before = database_bytes(store)
    incoming = rows(ContactRecord(name="王小明", school="桃源國小", email="ming@school.tw"))
    with store.read() as session:
        plan = plan_import(session, incoming, [Rejected(3, "手機", "格式不對")])
    assert database_bytes(store) == before
    assert [a.record.name for a in plan.adds] == ["王小明"] and plan.duplicates == []
    assert count(store) == 4
    summary = apply_import(store, plan, merge_duplicates=False)
    assert (summary.added, summary.merged, summary.skipped, summary.rejected) == (1, 0, 0, 1)
    assert summary.backup is not None and summary.backup.exists()
    assert [b.reason for b in list_backups(store.paths)].count("pre-import") == 1
    assert count(store) == 5
    with store.read() as session:
        added = session.scalars(select(Contact).where(Contact.name == "王小明")).one()
        assert added.origin == store.site().site_uuid


@pytest.mark.parametrize(
    ("incoming", "matched_on"),
    [
        (ContactRecord(name="另一人", email="KUN@school.tw"), "email"),
        (ContactRecord(name="另一人", mobile="0912 345 678"), "mobile"),
        (ContactRecord(name="另一人", office_phone="(02)2397-9108 轉 123"), "office_phone"),
        (ContactRecord(name="陳 喆", school="大同國小", notes="新備註"), "name_school"),
    ],
)
def test_duplicates_are_found_by_email_phone_or_name_and_school(
    store: Store, people: dict[str, int], incoming: ContactRecord, matched_on: str
) -> None:
    with store.read() as session:
        plan = plan_import(session, rows(incoming), [])
    (duplicate,) = plan.duplicates
    assert plan.adds == [] and duplicate.matched_on == matched_on
    assert duplicate.existing_id is not None and duplicate.existing_row is None


def test_duplicates_are_merged_only_with_merge(store: Store, people: dict[str, int]) -> None:
    incoming = ContactRecord(name="黃堃", school="和平國小", mobile="0955123456", notes="")
    with store.read() as session:
        plan = plan_import(session, rows(incoming), [])
    (duplicate,) = plan.duplicates
    assert [(d.field, d.existing, d.incoming) for d in duplicate.differences] == [
        ("mobile", "", "0955-123456")
    ]
    summary = apply_import(store, plan, merge_duplicates=False)
    assert (summary.added, summary.merged, summary.skipped) == (0, 0, 1)
    assert summary.backup is None  # nothing to write, nothing written
    with store.read() as session:
        assert get_contact(session, people["黃堃"]).record.mobile == ""
    summary = apply_import(store, plan, merge_duplicates=True)
    assert (summary.added, summary.merged, summary.skipped) == (0, 1, 0)
    with store.read() as session:
        merged = get_contact(session, people["黃堃"]).record
    assert merged.mobile == "0955-123456"
    assert merged.email == "kun@school.tw"  # empty incoming fields do not erase
    assert count(store) == 4


def test_duplicates_within_the_file(store: Store) -> None:
    incoming = rows(
        ContactRecord(name="王小明", school="桃源國小", email="ming@school.tw"),
        ContactRecord(name="王 小明", school="桃源國小", mobile="0912-000-111"),
        ContactRecord(name="王大明", mobile="0912000111", years=3),  # same mobile as row 3
    )
    with store.read() as session:
        plan = plan_import(session, incoming, [])
    assert [a.row for a in plan.adds] == [2]
    assert [(d.row.row, d.existing_row, d.matched_on) for d in plan.duplicates] == [
        (3, 2, "name_school"),
        (4, 2, "mobile"),
    ]
    apply_import(store, plan, merge_duplicates=True)
    with store.read() as session:
        (view,) = list_contacts(session)
    assert (view.record.name, view.record.email, view.record.mobile, view.record.years) == (
        "王大明",
        "ming@school.tw",
        "0912-000111",
        3,
    )


def test_a_file_with_problems_writes_only_the_valid_rows_when_applied(
    store: Store, tmp_path: Path
) -> None:
    target = tmp_path / "list.csv"
    target.write_text("姓名,電話\n王小明,02-23979108\n林怡君,123\n,02-22223333\n", encoding="utf-8")
    result = read_import_file(target)
    before = database_bytes(store)
    with store.read() as session:
        plan = plan_import(session, result.rows, result.rejected)
    assert database_bytes(store) == before
    assert [(r.row, r.field) for r in plan.rejected] == [(3, "公務電話"), (4, "姓名")]
    summary = apply_import(store, plan, merge_duplicates=False)
    assert (summary.added, summary.rejected) == (1, 2)
    with store.read() as session:
        assert [v.record.name for v in list_contacts(session)] == ["王小明"]


def test_an_entirely_invalid_file_writes_nothing(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "bad.csv"
    target.write_text("姓名,手機\n王小明,0812\n,0912345678\n", encoding="utf-8")
    result = read_import_file(target)
    assert result.rows == [] and len(result.rejected) == 2
    before = database_bytes(store)
    with store.read() as session:
        plan = plan_import(session, result.rows, result.rejected)
    summary = apply_import(store, plan, merge_duplicates=True)
    assert (summary.added, summary.merged, summary.backup) == (0, 0, None)
    assert database_bytes(store) == before
    assert all(b.reason != "pre-import" for b in list_backups(store.paths))


# ------------------------------------------------------------------------------------ export


def test_export_leaves_out_people_without_consent_and_writes_an_audit_row(
    store: Store, people: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "名單.xlsx"
    result = export_contacts(
        store, None, ["email", "school"], "安心培力小群組聯絡", "xlsx", target, False
    )
    assert (result.count, result.left_out_without_consent) == (3, 1)
    read = xlsx_format.read(target)
    assert read.headers == ["姓名", "電子郵件", "服務學校"]
    assert "黃堃" not in [r.record.name for r in read.rows]
    if os.name != "nt":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with store.read() as session:
        (audit,) = session.scalars(select(ExportAudit)).all()
    assert (audit.who, audit.fields, audit.count, audit.without_consent) == (
        "（未設定校名）（學校）",  # the site, as every action names it (roles.actor)
        ["name", "email", "school"],
        3,
        0,
    )
    assert (audit.purpose, audit.file_format, audit.file_name) == (
        "安心培力小群組聯絡",
        "xlsx",
        "名單.xlsx",
    )


def test_export_includes_people_without_consent_only_when_confirmed(
    store: Store, people: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "all.csv"
    result = export_contacts(store, None, None, "研習通知", "csv", target, True)
    assert (result.count, result.left_out_without_consent) == (4, 0)
    read = csv_format.read(target)
    assert read.headers == [FIELD_LABELS[f] for f in DEFAULT_EXPORT_FIELDS]
    assert "黃堃" in [r.record.name for r in read.rows]
    with store.read() as session:
        audit = session.scalars(select(ExportAudit)).one()
    assert (audit.count, audit.without_consent, audit.file_format) == (4, 1, "csv")


def test_export_of_chosen_ids_in_vcard(
    store: Store, people: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "two.vcf"
    ids = [people["林𡒊"], people["黃堃"]]
    result = export_contacts(store, ids, ["mobile"], "通知", "vcf", target, False)
    assert (result.count, result.left_out_without_consent) == (1, 1)
    text = target.read_text(encoding="utf-8")
    assert "TEL;TYPE=CELL:0966-000111" in text and "EMAIL" not in text and "ORG" not in text


def test_export_needs_a_purpose(store: Store, people: dict[str, int], tmp_path: Path) -> None:
    with pytest.raises(UserError, match="用途"):
        export_contacts(store, None, None, "  ", "csv", tmp_path / "x.csv", False)
    assert not (tmp_path / "x.csv").exists()
    with store.read() as session:
        assert session.scalars(select(ExportAudit)).all() == []


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "vcf"])
def test_file_to_database_to_file_keeps_every_field(store: Store, tmp_path: Path, fmt: str) -> None:
    writer = {"xlsx": xlsx_format.write, "csv": csv_format.write, "vcf": vcard.write}[fmt]
    expected = [validate(copy.deepcopy(r)) for r in sample_records()]
    source = tmp_path / f"in.{fmt}"
    writer(source, expected, ALL_FIELDS)
    result = read_import_file(source)
    with store.read() as session:
        plan = plan_import(session, result.rows, result.rejected)
    assert len(plan.adds) == len(expected)
    apply_import(store, plan, merge_duplicates=False)
    target = tmp_path / f"out.{fmt}"
    export_contacts(store, None, ALL_FIELDS, "備份", fmt, target, True)  # type: ignore[arg-type]
    back = read_import_file(target)
    key = lambda r: (r.school, r.name)  # noqa: E731
    assert sorted((r.record for r in back.rows), key=key) == sorted(expected, key=key)
    assert date(2026, 1, 2) in [r.record.consent_date for r in back.rows]
