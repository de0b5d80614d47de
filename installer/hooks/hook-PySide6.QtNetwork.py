"""Replaces PyInstaller's hook for PySide6.QtNetwork: SchoolHR uses QtNetwork only for the
local socket that keeps one window per data folder, so the TLS backends, OpenSSL and the
network-information plugins stay out of the bundle."""

import os

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

DROPPED_PLUGIN_FOLDERS = {"tls", "networkinformation", "networkaccess", "bearer"}

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (source, folder)
    for source, folder in binaries
    if os.path.basename(os.path.normpath(folder)) not in DROPPED_PLUGIN_FOLDERS
]
