"""Guards the PySide6 version pin in pyproject.toml.

PySide6-Essentials 6.12.0 on CPython 3.11 loses a reference to True on every ``Signal.emit()``
and one to None on every call of a C++ method returning void; the process then aborts with
"Fatal Python error: bool_dealloc" after a few thousand signals (6.11.3 does not; from Python
3.12 True and None are immortal). A clerk's ordinary session would crash.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def test_signals_and_void_calls_keep_references_to_true_and_none() -> None:
    probe = _Probe()
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        probe.ping.emit()
        probe.setObjectName("probe")
    after = sys.getrefcount(True), sys.getrefcount(None)
    assert after[0] > before[0] - 100, "PySide6 drops references to True: see pyproject.toml"
    assert after[1] > before[1] - 100, "PySide6 drops references to None: see pyproject.toml"
