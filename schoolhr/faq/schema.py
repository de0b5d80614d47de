"""The schema of a FAQ entry, with pydantic. One FAQ entry is one Markdown file:

    ---
    id: leave-staff-annual-leave-days      # lowercase letters, digits, hyphens; = file name
    title: 職員的休假（特休）一年有幾天？    # the question
    category: 請假                          # a line of categories.txt
    audience: [職員]                        # 教師, 職員 or both
    keywords: [休假, 特休]
    sources:                                # the regulations or sources it rests on
      - name: 公務人員請假規則
        article: 第3條                       # only where certain
        url: https://law.moj.gov.tw/...      # a public https address, optional
    reviewed: 2026-11-21
    needs_review: true                       # optional: a named fact is not yet verified
    review_note: 第N條的日數待對照現行條文     # required with needs_review: which fact, and why
    ---
    The answer, in Markdown.

YAML front matter keeps the metadata reviewable in a diff and the answer readable as Markdown
on any screen; the same schema validates entries edited in the app.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from schoolhr.content.schema import Slug, Source, StrictModel, Text, not_after_today

Audience = Literal["教師", "職員"]


class FaqFrontMatter(StrictModel):
    id: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=120)]
    category: Text
    audience: Annotated[list[Audience], Field(min_length=1, max_length=2)]
    keywords: Annotated[list[Text], Field(min_length=1, max_length=20)]
    sources: Annotated[list[Source], Field(min_length=1, max_length=10)]
    reviewed: Annotated[date, not_after_today("檢閱日期")]
    needs_review: bool = False
    review_note: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=300)]
        | None
    ) = None

    @field_validator("audience")
    @classmethod
    def _unique_audience(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("適用對象重複")
        return value


class FaqEntryData(FaqFrontMatter):
    """A whole entry: the front matter plus the Markdown answer."""

    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=20_000)]


# END
