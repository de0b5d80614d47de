"""Dates and times as files carry them (packs): ISO 8601 as SchoolHR writes them, in years
1900-2999.

``date.isoformat`` writes ``2026-03-01``; ``datetime.isoformat`` of an aware time writes
``2026-03-01T08:00:00.123456+00:00`` (pydantic writes ``Z`` for UTC). Anything else, a phrase
(「昨天下午」), a count of seconds, a time without its zone, is refused with a zh-TW reason
(``ValueError``). The years are bounded because no record of a school's HR means an earlier
or a later day, and because a time in year 1 or 9999 overflows when the store converts it to
UTC (``schoolhr.store.base.UTCDateTime``): the import would fail after its backup.

``Day`` and ``Stamp`` are the pydantic types of such fields: text is parsed and checked; a
``date`` or aware ``datetime`` the program built itself (a model made for an export) is taken
as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, TypeVar

from pydantic import AwareDatetime, BeforeValidator

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_STAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$"
)
STAMP_EXAMPLE = "2026-03-01T08:00:00+00:00"
_When = TypeVar("_When", date, datetime)


def parse_day(value: object) -> date:
    """A date as files carry it (``YYYY-MM-DD``, years 1900-2999); ValueError (zh-TW)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # built by the program (an export), not read from a file
    return _parse(value, ISO_DAY, date.fromisoformat, " YYYY-MM-DD 格式的日期，例如 2026-03-01")


def parse_stamp(value: object) -> datetime:
    """A time as files carry it (ISO 8601 with its zone, years 1900-2999); ValueError
    (zh-TW)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value  # built by the program (an export), not read from a file
    return _parse(
        value, ISO_STAMP, datetime.fromisoformat, f"含時區的 ISO 8601 時間，例如 {STAMP_EXAMPLE}"
    )


def _parse(
    value: object, pattern: re.Pattern[str], parse: Callable[[str], _When], expected: str
) -> _When:
    """``value`` read by ``parse`` when it is text matching ``pattern`` and falls in the years
    1900-2999; otherwise ValueError saying it is not ``expected`` or not in those years."""
    text = value if isinstance(value, str) else ""
    try:
        if not pattern.match(text):
            raise ValueError
        parsed = parse(text)
    except ValueError:
        raise ValueError(f"「{str(value)[:40]}」不是{expected}") from None
    day = parsed.date() if isinstance(parsed, datetime) else parsed
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        noun = "時間" if isinstance(parsed, datetime) else "日期"
        raise ValueError(f"{noun} {text} 不合理（須在 1900 到 2999 年之間）")
    return parsed


Day = Annotated[date, BeforeValidator(parse_day)]
"""A date field of a record in a file."""
Stamp = Annotated[AwareDatetime, BeforeValidator(parse_stamp)]
"""A time field (with its zone) of a record in a file."""
