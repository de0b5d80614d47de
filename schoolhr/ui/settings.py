"""UI preferences of one profile, kept in ``settings.ini`` in its data folder (not the registry),
so that they travel with the profile and every test gets its own."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from schoolhr.paths import DataPaths


def open_settings(paths: DataPaths) -> QSettings:
    return QSettings(str(paths.settings_file), QSettings.Format.IniFormat)
