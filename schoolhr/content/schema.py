"""The schema of what every kind of content shares, with pydantic: the release's manifest
(``content.yaml``), the strict base model, the id pattern (``Slug``), non-empty text, the
"not after today" rule of review dates and the sources (regulations) an entry, checklist or
guide rests on. Each kind's own schema is in its package (``faq.schema``,
``checklists.schema``, ``guides.schema``, ``rewards.schema``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, field_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=100)]
_ARTICLE = re.compile(r"^第[0-9０-９一二三四五六七八九十百之]+條")


class StrictModel(BaseModel):
    """A content model that refuses keys it does not know: a misspelt key is a problem."""

    model_config = ConfigDict(extra="forbid")


def not_after_today(what: str) -> AfterValidator:
    """The check that a date (``what``: 檢閱日期, 檢查日期 …) is not later than today."""

    def check(value: date) -> date:
        if value > date.today():
            raise ValueError(f"{what}不可晚於今天")
        return value

    return AfterValidator(check)


class Source(StrictModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    article: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    url: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None

    @field_validator("article")
    @classmethod
    def _article_shape(cls, value: str | None) -> str | None:
        if value is not None and not _ARTICLE.match(value):
            raise ValueError("條號須寫成「第N條」的形式（確定時才填）")
        return value

    @field_validator("url")
    @classmethod
    def _public_https(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https://[^\s/]+\.[^\s/]+(/\S*)?$", value):
            raise ValueError("網址須以 https:// 開頭且為公開網址")
        return value


class ContentManifest(StrictModel):
    version: Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{1,2}\.\d{1,2}(\.\d+)?$")]
    title: Text
    publisher: Text
