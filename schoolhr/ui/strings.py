"""Phrases used on more than one screen, through Qt's translation system (source: zh-TW)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from schoolhr.site import SiteRole


def tr(text: str) -> str:
    return QCoreApplication.translate("SchoolHR", text)


def role_label(role: str) -> str:
    return {SiteRole.SCHOOL.value: tr("學校"), SiteRole.COUNTY.value: tr("縣市人事處")}.get(
        role, role
    )


def unnamed_site() -> str:
    return tr("（尚未設定校名）")
