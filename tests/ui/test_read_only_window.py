"""The window on a read-only profile says why it cannot open, and closes with exit code 3."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from schoolhr.errors import ExitCode
from schoolhr.paths import DataPaths
from schoolhr.store.database import open_store
from schoolhr.ui.app import application, make_main_window, open_store_in_background


def test_a_read_only_database_is_named_and_the_app_closes_with_code_3(
    qtbot: QtBot, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(data_paths).close()
    real = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, *a, **k: (
            False
            if mode & os.W_OK and Path(str(p)) == data_paths.database
            else real(p, mode, *a, **k)
        ),
    )
    said: list[str] = []
    codes: list[int] = []
    monkeypatch.setattr(
        QMessageBox, "critical", staticmethod(lambda _parent, _title, text, *a: said.append(text))
    )
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: codes.append(code)))
    window = make_main_window(application(), data_paths)
    try:
        job = open_store_in_background(window)
        with qtbot.waitSignal(job.failed, timeout=20_000):
            pass
        qtbot.waitUntil(lambda: bool(codes), timeout=5000)
        assert codes == [int(ExitCode.DATA_DIR)]
        assert len(said) == 1 and "是唯讀的" in said[0] and str(data_paths.database) in said[0]
        assert window.store is None
    finally:
        window.close()
        window.deleteLater()
        window.zoom.deleteLater()
