"""The ``--json`` form of a view's fields, one rule for all: a date or time as ISO text, a path
as text, anything else (numbers, text, None, lists of them) as it is."""

from __future__ import annotations

from datetime import date
from pathlib import Path


def json_fields(view: object, *names: str) -> dict[str, object]:
    """``names`` of ``view``, in that order, as JSON-ready values."""
    return {name: _plain(getattr(view, name)) for name in names}


def _plain(value: object) -> object:
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value
