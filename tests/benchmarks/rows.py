"""One row of the benchmark report: what was measured, its value, and the budget it is held to.

Budgets come from ARCHITECTURE.md ("Performance budget") where it has one; where it has none
the benchmark states one and says why (``source``). A reference row (a bare PySide6 window, a
LIKE scan) has no budget: it is there to compare with.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

ARCHITECTURE = "ARCHITECTURE.md"


@dataclass(frozen=True)
class Row:
    name: str
    value: float
    unit: str
    budget: float | None = None  # the value must stay under it; None for a reference row
    source: str = ""  # ARCHITECTURE, or the reason for a budget stated here
    floor: bool = False  # the budget is a floor: the value must reach it (a recall)

    @property
    def met(self) -> bool | None:
        if self.budget is None:
            return None
        return self.value >= self.budget if self.floor else self.value < self.budget

    @property
    def budget_text(self) -> str:
        if self.budget is None:
            return "reference (no budget)"
        sign = "≥" if self.floor else "<"
        return f"{sign} {_number(self.budget)} {self.unit} ({self.source})"

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": round(self.value, 4),
            "unit": self.unit,
            "budget": None if self.budget is None else self.budget_text,
            "met": self.met,
        }


def stated(reason: str) -> str:
    """The source of a budget ARCHITECTURE.md does not give."""
    return f"stated here: {reason}"


def ms(seconds: float) -> float:
    return seconds * 1000


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:g}"


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = ["| benchmark | value | budget | met |", "|---|---:|---|:---:|"]
    for row in rows:
        met = "—" if row.met is None else ("yes" if row.met else "**NO**")
        value = f"{row.value:,.2f}" if row.value < 100 else f"{row.value:,.0f}"
        lines.append(f"| {row.name} | {value} {row.unit} | {row.budget_text} | {met} |")
    return "\n".join(lines)
