"""The county's reward-points rules (``resources/content/rewards/rules.yaml``), with pydantic.

Every number in a rule file is the county 人事處's choice, not a regulation: the bundled file
is an example a county edits and re-publishes. The shape::

    version: 1                         # a whole number; raise it for every change
    note: 本檔數字為縣市人事處自訂……      # shown with every summary and report
    kinds:                             # what points can be given for (known kinds only)
      - {id: outstanding-case, label: 績優案件, points: 5, cap_per_year: 20}
    seniority:                         # multiplier by completed years of part-time service
      - {from_years: 1, to_years: 2, multiplier: 1.0}
      - {from_years: 6, multiplier: 1.5}          # no to_years: and above
    thresholds:                        # a year's weighted points -> the proposal (highest met)
      - {min_points: 10, proposal: 嘉獎一次}
    seed_teacher:                      # 種籽教師 by office size (seed 004, 陸 三)
      staff_limit: 15
      small_office: {proposal: 嘉獎一次, persons: 1}
      large_office_choice: one-person-twice    # or each-once: the county chooses

Points on an entry are whole numbers; multipliers and thresholds are decimals compared exactly
(``Decimal``), so 10 points x 1.2 = 12.0 meets a threshold of 12 with no rounding surprise.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

MAX_POINTS = 100
"""The most points one entry may carry: anything larger is a typing mistake."""
MAX_RULE_VERSION = 1_000_000
"""The largest rule-set version (a county raises it by one for every change)."""


def points_problem(points: object) -> str | None:
    """Why ``points`` cannot be on a ledger entry (zh-TW), or None. Every entry holds a whole
    number from 1 to ``MAX_POINTS`` (a claim) or its opposite (a reversal); never 0."""
    if isinstance(points, bool) or not isinstance(points, int):
        return f"積點「{str(points)[:40]}」不是整數"
    if points == 0 or abs(points) > MAX_POINTS:
        return f"積點 {points} 不合理（一筆 1 至 {MAX_POINTS} 點，沖銷紀錄為其負數；不可為 0）"
    return None


KNOWN_KINDS: dict[str, str] = {
    "no-faults-year": "兼任人事業務全年無違失",
    "outstanding-case": "績優案件",
    "seed-teacher-tutoring": "種籽教師輔導",
    "training-given": "擔任研習講座",
    "training-attended": "參加人事資訊訓練",
    "peer-help": "協助小群組同仁",
}
"""The kinds of entry the app knows (a rule file may use any of them, with its own label)."""

AWARDS = ("嘉獎一次", "嘉獎二次", "記功一次", "記功二次", "記大功一次", "獎狀", "獎牌")
"""Proposals a threshold or a county adjustment may name."""
NO_AWARD = "不予敘獎"

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Award = Literal["嘉獎一次", "嘉獎二次", "記功一次", "記功二次", "記大功一次", "獎狀", "獎牌"]


class RewardKind(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: Label
    points: Annotated[int, Field(ge=1, le=MAX_POINTS)]
    cap_per_year: Annotated[int, Field(ge=1, le=10 * MAX_POINTS)] | None = None

    @model_validator(mode="after")
    def _known(self) -> RewardKind:
        if self.id not in KNOWN_KINDS:
            known = "、".join(KNOWN_KINDS)
            raise ValueError(f"不認得的積點類別「{self.id}」；可用的類別：{known}")
        if self.cap_per_year is not None and self.cap_per_year < self.points:
            raise ValueError(f"「{self.label}」的每年上限（{self.cap_per_year}）小於一筆的積點")
        return self


class SeniorityBand(BaseModel):
    model_config = ConfigDict(extra="forbid")

    from_years: Annotated[int, Field(ge=0, le=60)]
    to_years: Annotated[int, Field(ge=0, le=60)] | None = None  # None: and above
    multiplier: Annotated[Decimal, Field(gt=0, le=5, max_digits=4, decimal_places=2)]

    @model_validator(mode="after")
    def _ordered(self) -> SeniorityBand:
        if self.to_years is not None and self.to_years < self.from_years:
            raise ValueError("to_years 不可小於 from_years")
        return self

    def covers(self, years: int) -> bool:
        return self.from_years <= years and (self.to_years is None or years <= self.to_years)

    def describe(self) -> str:
        upper = "以上" if self.to_years is None else f"–{self.to_years} 年"
        return f"{self.from_years}{' 年' if self.to_years is None else ''}{upper}"


class Threshold(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_points: Annotated[Decimal, Field(gt=0, le=10_000, decimal_places=2)]
    proposal: Award


class SizeAward(BaseModel):
    model_config = ConfigDict(extra="forbid")

    proposal: Award
    persons: Annotated[int, Field(ge=1, le=20)] = 1


class SeedTeacherRule(BaseModel):
    """種籽教師 rewards by the size of the HR office (seed 004, 陸 三 (二)): offices with
    ``staff_limit`` or fewer HR staff propose ``small_office``; larger offices either
    嘉獎二次 for one person (``one-person-twice``) or 嘉獎一次 each (``each-once``)."""

    model_config = ConfigDict(extra="forbid")

    staff_limit: Annotated[int, Field(ge=1, le=1000)] = 15
    small_office: SizeAward = SizeAward(proposal="嘉獎一次", persons=1)
    large_office_choice: Literal["one-person-twice", "each-once"] = "one-person-twice"


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Annotated[int, Field(ge=1, le=MAX_RULE_VERSION)]
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=2000)]
    effective: date | None = None
    kinds: Annotated[list[RewardKind], Field(min_length=1, max_length=50)]
    seniority: list[SeniorityBand] = []
    thresholds: Annotated[list[Threshold], Field(min_length=1, max_length=20)]
    seed_teacher: SeedTeacherRule | None = None

    @field_validator("kinds")
    @classmethod
    def _unique_kinds(cls, kinds: list[RewardKind]) -> list[RewardKind]:
        ids = [kind.id for kind in kinds]
        for kind_id in ids:
            if ids.count(kind_id) > 1:
                raise ValueError(f"積點類別「{kind_id}」重複")
        return kinds

    @field_validator("seniority")
    @classmethod
    def _bands_apart(cls, bands: list[SeniorityBand]) -> list[SeniorityBand]:
        check_bands(bands)
        return bands

    @field_validator("thresholds")
    @classmethod
    def _distinct_thresholds(cls, thresholds: list[Threshold]) -> list[Threshold]:
        ordered = sorted(thresholds, key=lambda t: t.min_points)
        for lower, upper in itertools.pairwise(ordered):
            if lower.min_points == upper.min_points:
                raise ValueError(f"門檻 {lower.min_points} 點重複")
        return thresholds

    def kind(self, kind_id: str) -> RewardKind | None:
        return next((kind for kind in self.kinds if kind.id == kind_id), None)

    def label_of(self, kind_id: str) -> str:
        kind = self.kind(kind_id)
        return kind.label if kind else KNOWN_KINDS.get(kind_id, kind_id)

    def multiplier_for(self, years: int | None) -> tuple[Decimal, SeniorityBand | None]:
        """The seniority multiplier for ``years`` of part-time service; 1 (and no band) when
        the years are unknown or fall in no band."""
        if years is not None:
            for band in self.seniority:
                if band.covers(years):
                    return band.multiplier, band
        return Decimal(1), None

    def proposal_for(self, points: Decimal) -> str | None:
        """The proposal of the highest threshold ``points`` meets (None below the lowest)."""
        met = [t for t in self.thresholds if points >= t.min_points]
        return max(met, key=lambda t: t.min_points).proposal if met else None


def check_bands(bands: list[SeniorityBand]) -> None:
    """ValueError (zh-TW) when two seniority bands overlap."""
    ordered = sorted(bands, key=lambda band: band.from_years)
    for lower, upper in itertools.pairwise(ordered):
        if lower.to_years is None or upper.from_years <= lower.to_years:
            raise ValueError(
                f"年資級距「{lower.describe()}」與「{upper.describe()}」重疊；"
                "每個年資只能落在一個級距"
            )


@dataclass(frozen=True)
class SeedTeacherAward:
    proposal: str
    persons: int | None  # None: each seed teacher
    text: str


def seed_teacher_award(rule: SeedTeacherRule, office_staff: int) -> SeedTeacherAward:
    """The seed-teacher proposal for an HR office with ``office_staff`` HR staff in all."""
    if office_staff < 1:
        raise ValueError("人事人員總員額數須至少 1 人")
    if office_staff <= rule.staff_limit:
        award = rule.small_office
        text = (
            f"人事人員總員額 {office_staff} 人（{rule.staff_limit} 人以下）："
            f"{award.proposal} {award.persons} 人"
        )
        return SeedTeacherAward(award.proposal, award.persons, text)
    head = f"人事人員總員額 {office_staff} 人（逾 {rule.staff_limit} 人）："
    if rule.large_office_choice == "one-person-twice":
        return SeedTeacherAward("嘉獎二次", 1, head + "嘉獎二次 1 人")
    return SeedTeacherAward("嘉獎一次", None, head + "每人嘉獎一次")
