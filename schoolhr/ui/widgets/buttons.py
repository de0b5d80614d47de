"""Buttons: one that does something when it is clicked, and the button boxes under dialogs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

Standard = QDialogButtonBox.StandardButton


def push_button(text: str, on_click: Callable[[], object], tip: str = "") -> QPushButton:
    """A push button reading ``text`` (and ``tip`` as its tool tip) that calls ``on_click``
    when it is clicked."""
    push = QPushButton(text)
    if tip:
        push.setToolTip(tip)
    push.clicked.connect(on_click)
    return push


def close_box(dialog: QDialog, *actions: QPushButton) -> QDialogButtonBox:
    """A Close button that closes ``dialog``, after the dialog's own ``actions``."""
    box = QDialogButtonBox(Standard.Close)
    for action in actions:
        box.addButton(action, QDialogButtonBox.ButtonRole.ActionRole)
    box.rejected.connect(dialog.reject)
    return box


def confirm_box(
    dialog: QDialog,
    on_confirm: Callable[[], object],
    text: str | None = None,
    confirm: Standard = Standard.Ok,
) -> QDialogButtonBox:
    """``confirm`` (OK, or Save …; reading ``text`` if given) that calls ``on_confirm``, and a
    Cancel button that closes ``dialog``."""
    box = QDialogButtonBox(confirm | Standard.Cancel)
    if text is not None:
        box.button(confirm).setText(text)
    box.accepted.connect(on_confirm)
    box.rejected.connect(dialog.reject)
    return box
