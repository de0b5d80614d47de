"""Replaces PyInstaller's hook for PySide6.QtWidgets: the app always uses the built-in Fusion
style (schoolhr.ui.app), so the style plugins (Windows 11 "modern" style) stay out."""

import os

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (source, folder)
    for source, folder in binaries
    if os.path.basename(os.path.normpath(folder)) != "styles"
]
