"""Replaces PyInstaller's hook for PySide6.QtGui: the same Qt dependencies, but only the plugins
SchoolHR uses, dropped here (before PyInstaller follows their library dependencies) so that
what only they need (QtQuick for the virtual keyboard, GTK for its theme, Wayland, EGL, the
image formats of pictures the app never shows) never enters the bundle."""

import os

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# plugin folder -> name fragments to keep; every other QtGui plugin folder is left out.
KEEP = {
    # qwindows: the Windows desktop; qoffscreen: `self-test` without a screen; qxcb: Linux/X11
    "platforms": ("qwindows", "qoffscreen", "qxcb"),
    # Chinese input on Linux (IBus) and dead keys; on Windows the IME is part of qwindows
    "platforminputcontexts": (
        "ibusplatforminputcontextplugin",
        "composeplatforminputcontextplugin",
    ),
}
# Guide pictures are PNG, which QtGui reads without a plugin; Fusion's icons are built in.


def _wanted(source: str, folder: str) -> bool:
    kind = os.path.basename(os.path.normpath(folder))
    if os.path.basename(os.path.dirname(os.path.normpath(folder))) != "plugins":
        return True  # not a plugin: a Qt library or a translation
    name = os.path.basename(source)
    return any(fragment in name for fragment in KEEP.get(kind, ()))


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, folder) for source, folder in binaries if _wanted(source, folder)]
