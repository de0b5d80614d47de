"""The contacts importers read consent dates through the one date parser (schoolhr.rocdates):
every form a clerk types, in csv, xlsx and vCard, and the same refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from schoolhr.contacts.formats import csv_format, vcard, xlsx_format
from schoolhr.reports.xlsx import Sheet, write_xlsx

FORMS = [
    "115/3/1",
    "115.3.1",
    "1150301",
    "民國115年3月1日",
    "115年3月1日",
    "2026-03-01",
    "2026/3/1",
    "１１５/３/１",
    "２０２６－０３－０１",
]
MARCH_1 = date(2026, 3, 1)


def names(count: int) -> list[str]:
    return [f"測試{chr(0x4E00 + i)}" for i in range(count)]


def test_csv_reads_every_form(tmp_path: Path) -> None:
    target = tmp_path / "同意.csv"
    rows = "".join(f"{n},{d}\r\n" for n, d in zip(names(len(FORMS)), FORMS, strict=True))
    target.write_text(f"姓名,同意日期\r\n{rows}王小明,115/2/29\r\n", encoding="utf-8")
    result = csv_format.read(target)
    assert [r.record.consent_date for r in result.rows] == [MARCH_1] * len(FORMS)
    [bad] = result.rejected
    assert bad.row == len(FORMS) + 2 and "「115/2/29」" in bad.reason
    assert "2 月沒有 29 日" in bad.reason


def test_xlsx_reads_every_form_and_real_date_cells(tmp_path: Path) -> None:
    target = tmp_path / "同意.xlsx"
    rows: list[list[str | date | None]] = [
        [n, d] for n, d in zip(names(len(FORMS)), FORMS, strict=True)
    ]
    rows.append(["林怡君", MARCH_1])  # a date cell, not text
    rows.append(["許功蓋", "115/13/1"])
    write_xlsx(target, [Sheet("名單", ["姓名", "同意日期"], rows)])
    result = xlsx_format.read(target)
    assert [r.record.consent_date for r in result.rows] == [MARCH_1] * (len(FORMS) + 1)
    [bad] = result.rejected
    assert "「115/13/1」" in bad.reason and "沒有 13 月" in bad.reason


def test_vcard_reads_roc_consent_dates(tmp_path: Path) -> None:
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{n}\r\nX-SCHOOLHR-CONSENT-DATE:{d}\r\nEND:VCARD\r\n"
        for n, d in zip(names(len(FORMS)), FORMS, strict=True)
    )
    target = tmp_path / "同意.vcf"
    target.write_text(cards, encoding="utf-8")
    result = vcard.read(target)
    assert not result.rejected
    assert [r.record.consent_date for r in result.rows] == [MARCH_1] * len(FORMS)
