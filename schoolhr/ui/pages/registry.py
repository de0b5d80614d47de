"""Every page of the main window, in navigation order: its key, title, how it is built, and
which sites see it.

The main window builds its navigation, the Ctrl+1 … Ctrl+9 keys and each page (on first use)
from ``PAGES``; everything finds a page by its key (``show_page("faq")``), never by its
translated title. A page module is imported only when its page is first built, which keeps
start-up short.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from schoolhr.paths import DataPaths
    from schoolhr.ui.pages.base import Page

TITLES_CONTEXT = "Pages"  # the translation context of the page titles


class Role(Enum):
    """Which sites see a page."""

    EVERY_SITE = "every site"
    COUNTY = "county"  # the county HR office only


@dataclass(frozen=True)
class PageEntry:
    key: str
    source_title: str  # zh-TW; shown through ``title()``
    module: str  # in schoolhr.ui.pages, imported when the page is first built
    class_name: str
    role: Role = Role.EVERY_SITE
    takes_paths: bool = False  # built with the profile's DataPaths (it reads files there)

    def build(self, paths: DataPaths) -> Page:
        """The page, new (its module imported now, which keeps start-up short)."""
        from schoolhr.ui.pages.base import Page

        page_class = getattr(import_module(f"schoolhr.ui.pages.{self.module}"), self.class_name)
        page = page_class(paths) if self.takes_paths else page_class()
        assert isinstance(page, Page) and page.key == self.key, self
        return page

    def title(self) -> str:
        """The page's title as the navigation, its Ctrl+N action and its heading show it."""
        return QCoreApplication.translate(TITLES_CONTEXT, self.source_title)

    def seen_by(self, county: bool) -> bool:
        """Whether a site (the county's or a school's) sees this page."""
        return self.role is Role.EVERY_SITE or county


PAGES: tuple[PageEntry, ...] = (
    PageEntry("home", "首頁", "home_page", "HomePage", takes_paths=True),
    PageEntry("faq", "常見問答", "faq_page", "FaqPage"),
    PageEntry("guides", "操作指引", "guides_page", "GuidesPage"),
    PageEntry("checklists", "檢核表", "checklists_page", "ChecklistsPage"),
    PageEntry("contacts", "安心培力小群組", "contacts_page", "ContactsPage"),
    PageEntry("rewards", "積點獎勵", "rewards_page", "RewardsPage"),
    PageEntry("sync", "交換檔", "sync_page", "SyncPage"),
    PageEntry("backups", "備份與還原", "backups_page", "BackupsPage", takes_paths=True),
    PageEntry("unanswered", "未解答問題", "unanswered_page", "UnansweredPage", Role.COUNTY),
)
BY_KEY = {entry.key: entry for entry in PAGES}


def entry(key: str) -> PageEntry:
    """The page ``key`` (KeyError for a key no page has)."""
    return BY_KEY[key]
