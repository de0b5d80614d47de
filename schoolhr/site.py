"""What kind of site an installation is. Kept free of SQLAlchemy so start-up can read it fast."""

from __future__ import annotations

from enum import StrEnum


class SiteRole(StrEnum):
    SCHOOL = "school"
    COUNTY = "county"

    @property
    def label(self) -> str:
        return {"school": "學校", "county": "縣市人事處"}[self.value]
