"""The frozen program's entry point (PyInstaller runs this file as ``__main__``): the same
command as ``schoolhr`` and ``python -m schoolhr``.

On Windows the program is built without a console window (the Start-menu shortcut must not
open a black window behind the app), so Windows gives it no standard output. When it is run
from a command prompt with a command (``SchoolHR.exe self-test``, ``doctor`` ...) and its output
is not redirected, it writes to the console of the prompt that started it.
"""

import sys

from schoolhr.cli import main


def _attach_parent_console() -> None:
    import ctypes

    attach_parent_process = -1
    if not ctypes.windll.kernel32.AttachConsole(attach_parent_process):
        return  # started from Explorer or the Start menu: there is no console to write to
    # "CONOUT$" opens as a Windows console stream, which writes Unicode (zh-TW) correctly;
    # the streams stay open for the life of the process, as the usual ones do.
    if sys.stdout is None:
        sys.stdout = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115


if __name__ == "__main__":
    if sys.platform == "win32" and len(sys.argv) > 1 and (sys.stdout is None or sys.stderr is None):
        _attach_parent_console()
    sys.exit(main())
