"""Whether this machine has a desktop the window can open on.

Without one, Qt aborts the whole process with an English message about platform plugins.
The window's command checks first and says, in one zh-TW sentence, what is needed
(``NO_DISPLAY_MESSAGE``, exit code ``ExitCode.NO_DISPLAY``); the commands that need no window
keep working.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Mapping

NO_DISPLAY_MESSAGE = (
    "學校人事小幫手的視窗需要桌面環境，這台電腦目前沒有可用的顯示畫面（DISPLAY）。"
    "請在有桌面的電腦上開啟；只想在伺服器上試用時，可以用虛擬螢幕開啟："
    "xvfb-run -a schoolhr（需先安裝 xvfb）。不需要視窗的功能請用 schoolhr --help 查看指令。"
)

_DESKTOP_PLATFORMS = ("win32", "darwin", "cygwin")


def display_problem(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """``NO_DISPLAY_MESSAGE`` when the window cannot open here, else None.

    Windows and macOS always have a desktop. Elsewhere Qt uses X11 (``DISPLAY``) or Wayland
    (``WAYLAND_DISPLAY``) unless ``QT_QPA_PLATFORM`` names a platform that needs neither
    (``offscreen``, ``vnc`` …). A local X display (``:0``) must also answer on its socket."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if platform.startswith(_DESKTOP_PLATFORMS):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].split(";", 1)[0].strip()
    wayland = bool(env.get("WAYLAND_DISPLAY"))
    x11 = env.get("DISPLAY", "")
    if chosen.startswith("wayland"):
        return None if wayland else NO_DISPLAY_MESSAGE
    if chosen and chosen != "xcb":
        return None  # offscreen, vnc, eglfs, linuxfb …: Qt's own business
    if x11:
        return None if _x11_display_answers(x11) else NO_DISPLAY_MESSAGE
    if wayland and not chosen:
        return None
    return NO_DISPLAY_MESSAGE


def _x11_display_answers(display: str) -> bool:
    """For a local display (``:N`` or ``:N.S``), whether its X server's socket accepts a
    connection; remote displays (``host:N``, forwarded by ssh) are left to Qt."""
    if not display.startswith(":"):
        return True
    number = display[1:].split(".", 1)[0]
    if not number.isdigit():
        return True
    path = f"/tmp/.X11-unix/X{number}"
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(2)
    try:
        probe.connect(path)
    except OSError:
        # Linux also offers the abstract socket of the same name
        try:
            probe.close()
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            probe.settimeout(2)
            probe.connect("\0" + path)
        except OSError:
            return False
    finally:
        probe.close()
    return True
