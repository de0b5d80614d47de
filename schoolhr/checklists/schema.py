"""The checklist template format (YAML, one file a template in resources/content/checklists/):

id: chiayi-usage-report              # lowercase letters, digits, hyphens; = file name
title: 人事資訊系統使用情形填報表
purpose: 填報本校使用各項人事資訊系統的情形。
audience: [兼任人事]
sources:                              # as in FAQ entries: name, optional article and url
  - name: 嘉義縣政府人事業務數位化推動計畫
reviewed: 2026-11-21
period: 年度                          # what a run is for: 年度, 學年度, 學期, 人員, 次
due:                                  # optional: fixed dates each year (MM-DD) …
  dates: ["06-15", "09-15"]
# … or: due: {days_after_start: 30}
scores:                               # optional: bands over the ticked items of a section
  - id: systems
    label: 系統使用分數
    section: systems
    bands:
      - {min: 20, max: 25, percent: 100}
signatures: [承辦人, 人事主管, 校長]   # optional: the sign-off block at the end of the printed
                                      # form, a box each (room and a line to sign, a 民國 date
                                      # line); default [承辦人, 單位主管, 校長]; [] for none;
                                      # at most 4 titles of at most 10 characters, no repeats
sections:
  - id: systems
    title: 使用的系統
    items:
      - {id: a2, label: A2 差勤系統}                    # type defaults to check
      - {id: reported-on, label: 填報日期, type: date}
      - {id: count, label: 人數, type: number}
      - {id: remark, label: 說明, type: text}
      - {id: result, label: 結果, type: choice, choices: [通過, 未通過]}
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from schoolhr.content.schema import Slug, Source, StrictModel, Text

ItemType = Literal["check", "date", "number", "text", "choice"]
SIGN_OFF_DEFAULT = ["承辦人", "單位主管", "校長"]
MAX_SIGN_OFF = 4  # boxes side by side on A4: beyond four, the date lines no longer fit
SignOffTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10)]
MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


class ChecklistItem(StrictModel):
    id: Slug
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    type: ItemType = "check"
    help: str | None = None
    choices: list[Text] | None = None
    required: bool = False

    @model_validator(mode="after")
    def _choices_for_choice(self) -> ChecklistItem:
        if self.type == "choice" and not self.choices:
            raise ValueError("選擇題須列出 choices")
        if self.type != "choice" and self.choices:
            raise ValueError("只有 choice 類型的項目可以有 choices")
        return self


class ChecklistSection(StrictModel):
    id: Slug
    title: Text
    note: str | None = None
    items: Annotated[list[ChecklistItem], Field(min_length=1, max_length=200)]


class ScoreBand(StrictModel):
    min: Annotated[int, Field(ge=0)]
    max: Annotated[int, Field(ge=0)]
    percent: Annotated[int, Field(ge=0, le=100)]

    @model_validator(mode="after")
    def _ordered(self) -> ScoreBand:
        if self.min > self.max:
            raise ValueError("min 不可大於 max")
        return self


class ScoreRule(StrictModel):
    """A score from the number of ticked items in one section, by bands."""

    id: Slug
    label: Text
    section: Slug
    bands: Annotated[list[ScoreBand], Field(min_length=1)]

    @model_validator(mode="after")
    def _no_overlap(self) -> ScoreRule:
        ordered = sorted(self.bands, key=lambda band: band.min)
        for lower, upper in itertools.pairwise(ordered):
            if upper.min <= lower.max:
                raise ValueError(f"級距 {lower.min}–{lower.max} 與 {upper.min}–{upper.max} 重疊")
        return self

    def percent_for(self, count: int) -> int:
        """The band's percent for ``count`` ticked items (0 outside every band)."""
        for band in self.bands:
            if band.min <= count <= band.max:
                return band.percent
        return 0


class DueRule(StrictModel):
    dates: list[str] | None = None  # MM-DD, every year
    days_after_start: Annotated[int, Field(ge=1, le=3660)] | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> DueRule:
        if (self.dates is None) == (self.days_after_start is None):
            raise ValueError("期限須設定 dates 或 days_after_start 其中一種")
        for value in self.dates or ():
            if not MONTH_DAY.match(value):
                raise ValueError(f"日期「{value}」須為 MM-DD，例如 06-15")
        return self


class ChecklistTemplate(StrictModel):
    id: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]
    purpose: Text
    audience: Annotated[list[Text], Field(min_length=1)]
    sources: Annotated[list[Source], Field(min_length=1, max_length=10)]
    reviewed: date
    period: Literal["年度", "學年度", "學期", "人員", "次"] = "次"
    due: DueRule | None = None
    scores: list[ScoreRule] = Field(default_factory=list)
    signatures: Annotated[list[SignOffTitle], Field(max_length=MAX_SIGN_OFF)] = SIGN_OFF_DEFAULT
    sections: Annotated[list[ChecklistSection], Field(min_length=1, max_length=50)]

    @model_validator(mode="after")
    def _consistent(self) -> ChecklistTemplate:
        seen: set[str] = set()
        for item in self.items():
            if item.id in seen:
                raise ValueError(f"項目編號「{item.id}」重複")
            seen.add(item.id)
        section_ids = [s.id for s in self.sections]
        if len(set(section_ids)) != len(section_ids):
            raise ValueError("區段編號重複")
        if len(set(self.signatures)) != len(self.signatures):
            raise ValueError("簽章欄的職稱重複")
        for rule in self.scores:
            if rule.section not in section_ids:
                raise ValueError(f"計分「{rule.id}」所指的區段「{rule.section}」不存在")
        if self.reviewed > date.today():
            raise ValueError("檢閱日期不可晚於今天")
        return self

    def items(self) -> list[ChecklistItem]:
        return [item for section in self.sections for item in section.items]

    def section(self, section_id: str) -> ChecklistSection:
        return next(s for s in self.sections if s.id == section_id)

    def as_dict(self) -> dict[str, object]:
        """The template as ``schoolhr checklist list --json`` lists it (the whole template, as
        its file holds it, is ``model_dump``)."""
        return {
            "id": self.id,
            "title": self.title,
            "period": self.period,
            "items": len(self.items()),
        }
