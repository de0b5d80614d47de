"""Guides: install from content, look up, the addresses of systems, progress per guide."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolhr.content.rows import install_entries, shown_entries, shown_entry
from schoolhr.errors import UserError
from schoolhr.guides.models import GuideProgress, GuideRow, GuideSystemRow, SystemAddress
from schoolhr.guides.schema import Guide, GuideSystem
from schoolhr.search.index import register_document

KIND = "guide"
URL_PATTERN = r"^https?://[^\s/]+\.[^\s/]+(/\S*)?$"


def install_guides(
    session: Session, systems: Sequence[GuideSystem], guides: Sequence[Guide], origin: str
) -> tuple[int, int, int]:
    """Add or update the guides and systems of ``origin``; hide its guides no longer given.
    Progress and per-site addresses (this site's own data) are kept."""
    for system in systems:
        system_row = session.get(GuideSystemRow, system.code)
        system_data = system.model_dump(mode="json")
        if system_row is None:
            session.add(GuideSystemRow(code=system.code, data=system_data, origin=origin))
        else:
            system_row.data, system_row.origin = system_data, origin
    names = {s.code: s.name for s in systems}
    return install_entries(
        session,
        GuideRow,
        guides,
        origin,
        KIND,
        index=lambda guide: _index(session, guide, names.get(guide.system, guide.system)),
        columns=lambda guide: {"system": guide.system},
        keep_origin=True,
    )


def _index(session: Session, guide: Guide, system_name: str) -> None:
    body = [step.title + "\n" + (step.detail or "") for step in guide.steps]
    body += [f"{m.problem}\n{m.meaning}" for m in guide.mistakes]
    register_document(
        session,
        kind=KIND,
        ref=guide.id,
        title=guide.title,
        subtitle=f"操作指引｜{system_name}",
        keywords=[system_name, guide.system, *guide.keywords],
        body="\n".join(body),
    )


@dataclass(frozen=True)
class SystemView:
    code: str
    name: str
    url: str | None  # the address to open: this site's setting, else the public one
    per_site: bool
    note: str | None
    site_url: str | None  # what this site has set, if anything


def systems(session: Session) -> list[SystemView]:
    rows = session.execute(select(GuideSystemRow).order_by(GuideSystemRow.code)).scalars()
    return [_system_view(session, GuideSystem.model_validate(row.data)) for row in rows]


def system(session: Session, code: str) -> SystemView:
    row = session.get(GuideSystemRow, code)
    if row is None:
        return SystemView(code, code, None, False, None, None)
    return _system_view(session, GuideSystem.model_validate(row.data))


def _system_view(session: Session, system: GuideSystem) -> SystemView:
    setting = session.get(SystemAddress, system.code)
    site_url = setting.url if setting else None
    return SystemView(
        system.code, system.name, site_url or system.url, system.per_site, system.note, site_url
    )


def set_system_url(session: Session, code: str, url: str) -> None:
    """Set (or, with an empty ``url``, clear) this site's address of a system."""
    import re

    url = url.strip()
    setting = session.get(SystemAddress, code)
    if not url:
        if setting is not None:
            session.delete(setting)
        return
    if not re.match(URL_PATTERN, url):
        raise UserError("網址須以 https:// 或 http:// 開頭，例如 https://webitr.example.gov.tw/")
    if setting is None:
        session.add(SystemAddress(code=code, url=url))
    else:
        setting.url = url


def guides(session: Session) -> list[Guide]:
    return shown_entries(session, GuideRow, Guide, GuideRow.system, GuideRow.title)


def guide(session: Session, guide_id: str) -> Guide:
    missing = f"找不到操作指引「{guide_id}」；可用 schoolhr guides list 查詢。"
    return shown_entry(session, GuideRow, Guide, guide_id, missing)


@dataclass(frozen=True)
class Progress:
    done: frozenset[int]
    current: int


def progress(session: Session, guide_id: str) -> Progress:
    row = session.get(GuideProgress, guide_id)
    return Progress(frozenset(row.done), row.current) if row else Progress(frozenset(), 0)


def save_progress(
    session: Session, guide_id: str, done: set[int] | frozenset[int], current: int
) -> None:
    row = session.get(GuideProgress, guide_id)
    if row is None:
        row = GuideProgress(guide_id=guide_id)
        session.add(row)
    row.done = sorted(done)
    row.current = max(0, current)


def reset_progress(session: Session, guide_id: str) -> None:
    row = session.get(GuideProgress, guide_id)
    if row is not None:
        session.delete(row)


PACK_CONTENT = "content"  # below the data folder: content brought by county packs


def picture_path(content_dir: Path, picture: str, data_dir: Path) -> Path:
    """Where a step's picture is: one brought by a county pack into the profile ``data_dir``
    (``<data_dir>/content/guides/``) first, then the one in ``content_dir``'s guides folder;
    never outside either folder."""
    found: Path | None = None
    for root in (data_dir / PACK_CONTENT, content_dir):
        folder = (root / "guides").resolve()
        path = (folder / picture).resolve()
        if folder not in path.parents:
            raise UserError(f"圖片路徑「{picture}」不在內容資料夾中。")
        if found is None and (path.is_file() or root == content_dir):
            found = path
    assert found is not None
    return found
