"""The label of every dialog: text that wraps at the width it is given, styled by its role."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def wrapped(text: str = "", role: str | None = None) -> QLabel:
    """A label whose text wraps; ``role`` (``heading``, ``problem`` …) is the style sheet's
    property for it (schoolhr.ui.zoom)."""
    label = QLabel(text)
    label.setWordWrap(True)
    if role:
        label.setProperty("role", role)
    return label
