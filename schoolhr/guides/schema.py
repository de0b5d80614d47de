"""The guide format (YAML, one file a guide in resources/content/guides/):

    id: webitr-apply-comp-leave            # lowercase letters, digits, hyphens; = file name
    title: 在 WebITR 申請加班補休            # a task
    system: webitr                         # a code from guides/systems.yaml
    audience: [職員]
    prerequisites: [已有 WebITR 帳號]        # certificate card, permissions …
    keywords: [補休, 差勤]                   # optional, for search
    sources:                               # as in FAQ entries
      - name: 各縣市 WebITR 線上操作說明
    checked: 2026-11-21                    # last checked against the real system (or reviewed)
    needs_screen_check: true               # the exact screens are not confirmed
    steps:
      - title: 登入差勤系統                   # a short instruction
        detail: 由本縣 WebITR 網址進入 …       # optional
        picture: pictures/webitr-menu.png    # optional: PNG in the guides folder
        warning: 不要在備註欄輸入身分證字號      # optional
    mistakes:                              # optional: common mistakes, error messages
      - problem: 出現「剩餘時數不足」
        meaning: 可用的補休時數少於申請時數 …

``systems.yaml`` lists each system once: code, name, its public address (``url``) and whether
the address differs by county (``per_site: true``: then it is a setting of this site).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StringConstraints, field_validator

from schoolhr.content.schema import Slug, Source, StrictModel, Text, not_after_today

if TYPE_CHECKING:
    from schoolhr.guides.service import SystemView

Url = Annotated[str, StringConstraints(pattern=r"^https://[^\s/]+\.[^\s/]+(/\S*)?$")]


class GuideSystem(StrictModel):
    code: Slug
    name: Text
    url: Url | None = None
    per_site: bool = False
    note: str | None = None


class SystemList(StrictModel):
    systems: Annotated[list[GuideSystem], Field(min_length=1)]


class GuideStep(StrictModel):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    detail: str | None = None
    picture: str | None = None
    warning: str | None = None

    @field_validator("picture")
    @classmethod
    def _png_in_folder(cls, value: str | None) -> str | None:
        if value is not None and (
            not value.lower().endswith(".png") or ".." in value or value.startswith("/")
        ):
            raise ValueError("圖片須為內容資料夾中的 PNG 檔（例如 pictures/x.png）")
        return value


class GuideMistake(StrictModel):
    problem: Text
    meaning: Text


class Guide(StrictModel):
    id: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=120)]
    system: Slug
    audience: Annotated[list[Text], Field(min_length=1)]
    prerequisites: list[Text] = Field(default_factory=list)
    keywords: list[Text] = Field(default_factory=list)
    sources: Annotated[list[Source], Field(min_length=1, max_length=10)]
    checked: Annotated[date, not_after_today("檢查日期")]
    needs_screen_check: bool = False
    steps: Annotated[list[GuideStep], Field(min_length=1, max_length=60)]
    mistakes: list[GuideMistake] = Field(default_factory=list)

    def as_dict(self, system: SystemView | None) -> dict[str, object]:
        """The guide as ``schoolhr guides list --json`` lists it, with its ``system`` (None
        when the system is not listed: its code stands for its name)."""
        return {
            "id": self.id,
            "title": self.title,
            "system": self.system,
            "system_name": system.name if system else self.system,
            "url": system.url if system else None,
            "steps": len(self.steps),
            "needs_screen_check": self.needs_screen_check,
            "checked": self.checked.isoformat(),
        }
