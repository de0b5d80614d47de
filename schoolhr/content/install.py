"""Installing the bundled content into the database on first run and after an app update.

The check at each start is cheap (a hash of the content files against the installed release);
only when the bundle changed is it parsed, validated and applied, in one transaction. Entries
edited here (or brought by a county pack) are the user's data and are never overwritten.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from schoolhr.paths import resources_dir
from schoolhr.store.database import Store

log = logging.getLogger(__name__)

BUNDLED = "bundled"


@dataclass(frozen=True)
class InstallResult:
    version: str
    added: int
    updated: int
    removed: int
    checklists: int = 0
    guides: int = 0
    reward_rules: int | None = None  # the version of the bundled reward rules

    def summary(self) -> str:
        rules = f"；積點規則第 {self.reward_rules} 版" if self.reward_rules is not None else ""
        return (
            f"內建內容更新為 {self.version}"
            f"（問答新增 {self.added}、更新 {self.updated}、移除 {self.removed} 則；"
            f"檢核表 {self.checklists} 份；操作指引 {self.guides} 份{rules}）"
        )


def bundled_content_dir() -> Path:
    return resources_dir() / "content"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def install_bundled_content(store: Store, directory: Path | None = None) -> InstallResult | None:
    """Bring the database's copy of the bundled content up to date; None when it already is
    (or when the installed release is newer than this bundle)."""
    from schoolhr.content.fingerprint import fingerprint

    directory = directory or bundled_content_dir()
    from schoolhr.faq.models import ContentRelease

    with store.read() as session:
        release = session.get(ContentRelease, BUNDLED)
        installed = (release.version, release.fingerprint) if release else None
    current = fingerprint(directory)
    if installed is not None and installed[1] == current:
        return None
    result = _apply(store, directory, installed)
    if result is not None:
        store.log_operation("content", result.summary())
        log.info(result.summary())
    return result


def _apply(
    store: Store, directory: Path, installed: tuple[str, str] | None
) -> InstallResult | None:
    from schoolhr.checklists import service as checklists
    from schoolhr.content.files import read_content
    from schoolhr.faq import service
    from schoolhr.faq.models import ORIGIN_BUNDLED, ContentRelease, FaqEntry
    from schoolhr.guides import service as guides
    from schoolhr.rewards import service as rewards
    from schoolhr.search.index import replace_term_groups

    content, problems = read_content(directory)
    if content is None:
        # The bundle is checked in CI; if it is broken anyway, keep what is installed.
        log.error("bundled content rejected:\n%s", "\n".join(map(str, problems[:20])))
        return None
    if installed and _version_key(content.manifest.version) < _version_key(installed[0]):
        log.info("installed content %s is newer than the bundle", installed[0])
        return None
    added = updated = removed = 0
    with store.write() as session:
        bundled_ids = {entry.id for entry in content.faq}
        for data in content.faq:
            entry = session.get(FaqEntry, data.id)
            if entry is None:
                service.add_version(session, data, publish=True, origin=ORIGIN_BUNDLED)
                added += 1
                continue
            if entry.origin != ORIGIN_BUNDLED or entry.draft_version is not None:
                continue  # edited here or from a pack: the user's, not the bundle's
            current = service.version_of(session, data.id, entry.published_version)
            if entry.deleted or current is None or not service.same_content(current, data):
                service.add_version(session, data, publish=True, origin=ORIGIN_BUNDLED)
                updated += 1
        stale = session.execute(
            select(FaqEntry).where(FaqEntry.origin == ORIGIN_BUNDLED, FaqEntry.deleted.is_(False))
        ).scalars()
        for entry in list(stale):
            if entry.id not in bundled_ids and entry.draft_version is None:
                service.remove_entry(session, entry.id)
                removed += 1
        checklists.install_templates(session, content.checklists, BUNDLED)
        guides.install_guides(session, content.systems, content.guides, BUNDLED)
        if content.rewards is not None:
            # A version already installed is kept as it is: entries computed with it keep it.
            rewards.install_rules(session, content.rewards, BUNDLED)
        replace_term_groups(
            session, synonyms=content.synonyms, stopwords=content.stopwords, origin=BUNDLED
        )
        release = session.get(ContentRelease, BUNDLED) or ContentRelease(source=BUNDLED)
        release.version = content.manifest.version
        release.fingerprint = content.fingerprint
        release.title = content.manifest.title
        session.add(release)
    return InstallResult(
        content.manifest.version,
        added,
        updated,
        removed,
        len(content.checklists),
        len(content.guides),
        content.rewards.version if content.rewards is not None else None,
    )


def installed_release(store: Store) -> tuple[str, str] | None:
    """(version, title) of the installed bundled content, if any."""
    from schoolhr.faq.models import ContentRelease

    with store.read() as session:
        release = session.get(ContentRelease, BUNDLED)
        return (release.version, release.title) if release else None
