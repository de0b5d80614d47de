"""Who may do what at this site: the county's actions are refused at a school, whoever calls.

The services call ``require_county`` themselves, so the window, the command line and any
other caller get the same zh-TW sentence (``NotAllowedError``, exit code 9). ``actor`` is the
one name written into the operation log and the personal-data audit for an action.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolhr.errors import NotAllowedError
from schoolhr.site import SiteRole
from schoolhr.store.models import Site


def this_site(session: Session) -> Site:
    return session.execute(select(Site).where(Site.id == 1)).scalar_one()


def is_county(session: Session) -> bool:
    return this_site(session).role == SiteRole.COUNTY.value


def require_county(session: Session, action: str) -> Site:
    """This site, when it is the county HR office; else ``NotAllowedError`` naming ``action``."""
    site = this_site(session)
    if site.role != SiteRole.COUNTY.value:
        raise NotAllowedError(
            f"只有縣市人事處可以{action}；本機設定為學校，沒有任何資料被變更。"
            "縣市人事處請先在「單位資料」把角色設為縣市人事處（schoolhr site --role county）。"
        )
    return site


def actor(session: Session) -> str:
    """Who does an action here, as the log and the audit name it: the site and its role."""
    site = this_site(session)
    name = site.name or (
        "（未設定名稱的縣市人事處）" if site.role == "county" else "（未設定校名）"
    )
    return f"{name}（{SiteRole(site.role).label}）"
