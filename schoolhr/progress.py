"""How long work reports progress and learns that it was cancelled, without knowing about Qt.

A service that may run for a while takes ``progress: Progress | None``. It calls
``progress(done, total, text)`` now and then; the call raises ``Cancelled`` when the user has
pressed Cancel, so the service stops at a safe point and rolls back.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def __call__(self, done: int, total: int, text: str = "") -> None: ...


def report(progress: Progress | None, done: int, total: int, text: str = "") -> None:
    """Report to ``progress`` if there is one (and so give it the chance to cancel)."""
    if progress is not None:
        progress(done, total, text)
