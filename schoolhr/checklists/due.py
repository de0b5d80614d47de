"""The due-date rule of checklists: when a new run is due, and which open runs are listed as due.

A template's ``due`` (``DueRule``) gives a run its deadline: a number of days after the run
starts, or the next of some dates of the year (MM-DD; 29 February counts as the 28th). An open
run is listed as due when it is overdue or due within ``DUE_SOON_DAYS``, the most urgent first.

Standard library only: the home page's status snapshot (``schoolhr.status``) uses it before
SQLAlchemy and pydantic are loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schoolhr.checklists.schema import DueRule

DUE_SOON_DAYS = 30  # checklist runs due within this many days are listed as due


@dataclass(frozen=True)
class DueChecklist:
    """An open checklist run with a deadline, as the database holds it."""

    run_id: int
    title: str
    period: str
    due_date: date


@dataclass(frozen=True)
class DueItem:
    run_id: int
    title: str
    period: str
    due_date: date
    days_left: int  # negative when overdue


def next_due(rule: DueRule, start: date) -> date:
    """The deadline of a run started on ``start``."""
    if rule.days_after_start is not None:
        return start + timedelta(days=rule.days_after_start)
    candidates = []
    for year in (start.year, start.year + 1):
        for value in rule.dates or ():
            month, day = map(int, value.split("-"))
            candidates.append(date(year, month, min(day, 28 if month == 2 else day)))
    return min(d for d in candidates if d >= start)


def due_items(
    runs: Iterable[DueChecklist], today: date, within_days: int = DUE_SOON_DAYS
) -> list[DueItem]:
    """The open runs overdue or due within ``within_days`` of ``today``, the most urgent first
    (by deadline, then in the order given)."""
    items = []
    for run in runs:
        days = (run.due_date - today).days
        if days <= within_days:
            items.append(DueItem(run.run_id, run.title, run.period, run.due_date, days))
    return sorted(items, key=lambda item: item.due_date)
