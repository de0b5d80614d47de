"""Contacts tests: records that look like the real peer-group lists, and a store with some."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from schoolhr.contacts.records import ContactRecord
from schoolhr.contacts.service import save_contact
from schoolhr.store.database import Store
from tests.helpers import TEST_DATA

CONTACT_DATA = TEST_DATA / "contacts"


def sample_records() -> list[ContactRecord]:
    """Every field filled somewhere, rare characters, formula-looking text, one without consent."""
    return [
        ContactRecord(
            name="=cmd|' /C calc'!A0",
            school='=HYPERLINK("http://x","y")',
            region="+886 區",
            role="兼任人事",
            duties=["差勤", "考核"],
            years=5,
            office_phone="02-2397-9108#123",
            mobile="+886 912 345 678",
            email="formula@school.tw",
            line_id="@line_id",
            notes="-3\n第二行, 含逗號; 與分號",
            consent_date=date(2026, 1, 2),
            consent_scope="姓名、電話",
        ),
        ContactRecord(
            name="林𡒊",
            school="信義國中",
            region="臺北市",
            role="種籽教師",
            duties=["資訊系統"],
            years=0,
            office_phone="(049)2345678轉12",
            mobile="0966-000-111",
            email="lin@syjh.tp.edu.tw",
            line_id="lin.line",
            notes="Ext-B 字",
            consent_date=date(2025, 8, 1),
            consent_scope="全部",
        ),
        ContactRecord(name="黃堃", school="和平國小", email="kun@school.tw"),
        ContactRecord(
            name="陳喆",
            school="大同國小",
            office_phone="03-5551234",
            consent_date=date(2026, 11, 1),
        ),
    ]


@pytest.fixture
def contact_data() -> Path:
    return CONTACT_DATA


@pytest.fixture
def people(store: Store) -> dict[str, int]:
    """The sample records saved; name -> id."""
    ids = {}
    with store.write() as session:
        for record in sample_records():
            ids[record.name] = save_contact(session, record)
    return ids
