"""The two questions pages ask the clerk: "are you sure?" and "which one?"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

T = TypeVar("T")


def confirmed(parent: QWidget, title: str, text: str) -> bool:
    """Whether the clerk answers Yes to ``text``."""
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes


def pick(
    parent: QWidget, title: str, prompt: str, options: Sequence[T], label: Callable[[T], str]
) -> T | None:
    """The option the clerk picks from a list of ``options`` shown by their ``label`` (the
    first one offered), or None when they cancel."""
    labels = [label(option) for option in options]
    chosen, ok = QInputDialog.getItem(parent, title, prompt, labels, 0, False)
    return options[labels.index(chosen)] if ok else None
