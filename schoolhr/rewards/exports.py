"""A year's reward points for people: an xlsx workbook for the county's records, and a CSV a
clerk keeps beside WebHR while keying the commendations into its 獎懲 function.

The CSV is **not** WebHR's import format (no public source documents one): it is a worksheet
for typing by hand, one row per person whose proposal is an administrative reward (嘉獎, 記功,
記大功; 獎狀 and 獎牌 are not keyed into 獎懲 and are left out). Its columns, in order:

    姓名        the person's name
    服務學校     the school
    獎懲類別     嘉獎 / 記功 / 記大功
    次數        1 or 2
    獎懲事由     「民國 N 年度兼任人事業務獎勵積點 P 點（類別…）」
    依據        「縣市人事處獎勵積點規則第 V 版；積點紀錄 #1、#2 …」
    年度        the 民國 year
    建議來源     「依規則」 or 「縣市調整：<reason>」

Both are written through ``schoolhr.reports`` (UTF-8 with BOM CSV, formula-looking text
neutralised; streamed xlsx, atomic replace).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from schoolhr.reports.csvio import write_csv
from schoolhr.reports.xlsx import Sheet, Value, write_xlsx
from schoolhr.rewards import service
from schoolhr.rewards.service import Proposal, reason_text
from schoolhr.text import roc_date, roc_year

WEBHR_COLUMNS = ("姓名", "服務學校", "獎懲類別", "次數", "獎懲事由", "依據", "年度", "建議來源")
_AWARD = re.compile(r"^(嘉獎|記功|記大功)(一|二)次$")


def _number(value: Decimal) -> float:
    return float(value)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a report is made: the year's entries are
    tens of thousands of new objects, and each collection would walk them all again (a fifth
    of a county report's time). Memory is still freed by reference counting; a collector
    already paused (by the window's background jobs) is left as it is."""
    pausing = gc.isenabled()
    if pausing:
        gc.disable()
    try:
        yield
    finally:
        if pausing:
            gc.enable()


def write_report_xlsx(
    session: Session, year: int, target: Path, *, school: str | None = None
) -> int:
    """The year's proposals, entries, per-school totals and the rules' note; returns the number
    of entries written."""
    with _collector_paused():
        return _write_report_xlsx(session, year, target, school)


def _write_report_xlsx(session: Session, year: int, target: Path, school: str | None) -> int:
    rules = service.current_rules(session)
    # The year's entries are read once, in one query; the summary, the proposals and the
    # entries sheet all come from this list.
    entries = service.list_entries(session, year=year, school=school)
    summary = service.year_summary(session, year, school, listed=entries)
    found = service.proposals(session, year, school, rules, listed=entries)
    ids = {entry.uuid: entry.id for entry in entries}
    proposal_rows: list[list[Value]] = [
        [
            p.name,
            p.school,
            p.years,
            p.approved_points,
            p.counted_points,
            _number(p.multiplier),
            _number(p.weighted),
            p.computed or "",
            p.adjustment.proposal if p.adjustment else "",
            p.adjustment.reason if p.adjustment else "",
            p.final or "",
            "；".join(p.notes),
            "、".join(str(e.id) for e in p.entries),
        ]
        for p in found
    ]
    entry_rows: Iterable[list[Value]] = (
        [
            e.id,
            e.date,
            e.name,
            e.school,
            e.kind_label,
            e.points,
            e.rule_version,
            e.status_label,
            e.reason,
            e.evidence,
            e.recorded_by,
            e.decision_reason,
            e.decision_date,
            ids.get(e.reverses, e.reverses) if e.reverses else "",
            e.uuid,
        ]
        for e in entries
    )
    people_per_school: dict[str, int] = {}
    claimed_per_school: dict[str, int] = {}
    for person in summary.people:
        people_per_school[person.school] = people_per_school.get(person.school, 0) + 1
        claimed_per_school[person.school] = (
            claimed_per_school.get(person.school, 0) + person.claimed
        )
    school_rows: list[list[Value]] = [
        [name, people_per_school[name], summary.by_school.get(name, 0), claimed_per_school[name]]
        for name in sorted(people_per_school)
    ]
    about: list[list[Value]] = [
        ["年度", f"民國{roc_year(year)}年度"],
        ["規則版本", f"第 {rules.version} 版"],
        ["規則說明", rules.note],
        ["製表日期", roc_date(date.today())],
        ["核定積點合計", summary.approved_total],
        ["待核定積點合計", summary.claimed_total],
    ]
    write_xlsx(
        target,
        [
            Sheet(
                "建議名單",
                [
                    "姓名",
                    "服務學校",
                    "兼任人事年資",
                    "核定積點",
                    "計入積點",
                    "年資加成",
                    "加成後積點",
                    "依規則建議",
                    "縣市調整",
                    "調整理由",
                    "最後建議",
                    "說明",
                    "依據紀錄編號",
                ],
                proposal_rows,
                [10, 22, 8, 8, 8, 8, 10, 12, 12, 30, 12, 40, 30],
            ),
            Sheet(
                "積點紀錄",
                [
                    "編號",
                    "日期",
                    "姓名",
                    "服務學校",
                    "類別",
                    "積點",
                    "規則版本",
                    "狀態",
                    "事由",
                    "佐證",
                    "登錄者",
                    "決定理由",
                    "決定日期",
                    "沖銷紀錄",
                    "UUID",
                ],
                entry_rows,
                [8, 12, 10, 22, 18, 6, 8, 8, 40, 20, 16, 30, 12, 8, 38],
            ),
            Sheet("各校統計", ["服務學校", "人數", "核定積點", "待核定積點"], school_rows, None),
            Sheet("說明", ["項目", "內容"], about, [16, 80]),
        ],
        private=True,
    )
    return len(entries)


def webhr_rows(proposals: list[Proposal], year: int) -> list[list[str | int]]:
    """The keying worksheet's rows (see the module docstring)."""
    rows: list[list[str | int]] = []
    for p in proposals:
        award = _AWARD.match(p.final or "")
        if award is None:
            continue
        basis = f"縣市人事處獎勵積點規則第 {p.rule_version} 版"
        if p.entries:
            basis += "；積點紀錄 " + "、".join(f"#{e.id}" for e in p.entries)
        source = f"縣市調整：{p.adjustment.reason}" if p.adjustment else "依規則"
        rows.append(
            [
                p.name,
                p.school,
                award.group(1),
                1 if award.group(2) == "一" else 2,
                reason_text(p, year),
                basis,
                roc_year(year),
                source,
            ]
        )
    return rows


def write_webhr_csv(session: Session, year: int, target: Path, *, school: str | None = None) -> int:
    """The keying worksheet for WebHR's 獎懲 function; returns the number of rows."""
    rows = webhr_rows(service.proposals(session, year, school), year)
    write_csv(target, WEBHR_COLUMNS, rows, private=True)
    return len(rows)
