"""JSON from files anyone may have written (packs), read with limits.

``json.loads`` trusts its input: 200,000 nested brackets end in a RecursionError, a 5,000-digit
number in a ValueError (Python refuses to convert more than 4,300 digits), ``1e999`` becomes
``inf`` and ``NaN`` is accepted; all of them crash later, far from the file. ``loads`` refuses
them up front with a :class:`JsonRefused` whose ``reason`` is a zh-TW phrase (it continues a
sentence that names the file, e.g. 「成員「records/contacts.jsonl」第 3 筆」 + reason) and whose
``line`` is the line of ``text`` it was found on, when known.

How, without recursion and in linear time: a pre-scan finds the nesting depth and the length of
each string with one regular expression (strings matched whole, so brackets inside them do not
count); text with few brackets and no room for a long string skips it. Then ``json.loads`` runs
with hooks that check every number as it is read (``parse_int``, ``parse_float``,
``parse_constant``) and refuse duplicate keys (``object_pairs_hook``: two values for one field
would be read differently by different readers). Nothing here imports the rest of SchoolHR.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 32
"""Arrays and objects inside each other: the deepest record a pack carries (a checklist run with
its copy of the template) nests 7 deep."""
MAX_INT_DIGITS = 20
"""Digits of a whole number (sign aside): 20 holds every 64-bit integer; records then check
their own ranges."""
MAX_FLOAT_CHARS = 40
"""Characters of a number with a fraction or exponent, as written."""
MAX_STRING_CHARS = 1_000_000
"""Characters of one string, as written (escapes counted as written). The longest text a schema
allows is 20,000 characters (an announcement's body)."""
MAX_TEXT_CHARS = 8 * 1024 * 1024
"""Characters of one JSON text (one record line of a pack)."""

# A string, matched whole (an unterminated one runs to the end of the text, so that the scan
# stays linear), or a bracket.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


class JsonRefused(ValueError):
    """JSON that is not read: ``reason`` (zh-TW), ``line`` (1-based, or None when unknown) and
    ``syntax`` (True: not JSON at all; False: JSON beyond a limit)."""

    def __init__(self, reason: str, line: int | None = None, *, syntax: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.syntax = syntax


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, max(position, 0)) + 1


def _scan(text: str, max_depth: int, max_string_chars: int) -> None:
    """Refuse nesting deeper than ``max_depth`` and strings longer than ``max_string_chars``."""
    if len(text) <= max_string_chars and text.count("[") + text.count("{") <= max_depth:
        return  # cannot nest deeper, nor hold a longer string
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] == '"':
            if len(token) - 2 > max_string_chars:
                raise JsonRefused(
                    f"的文字長達 {len(token) - 2:,} 個字元，超過上限 {max_string_chars:,}",
                    _line(text, match.start()),
                )
        elif token in "[{":
            depth += 1
            if depth > max_depth:
                raise JsonRefused(
                    f"的 JSON 巢狀超過 {max_depth} 層（可能是惡意檔案）", _line(text, match.start())
                )
        else:
            depth = max(depth - 1, 0)  # unbalanced: json.loads says so


def loads(
    text: str,
    *,
    max_text_chars: int = MAX_TEXT_CHARS,
    max_depth: int = MAX_DEPTH,
    max_int_digits: int = MAX_INT_DIGITS,
    max_float_chars: int = MAX_FLOAT_CHARS,
    max_string_chars: int = MAX_STRING_CHARS,
) -> Any:
    """``text`` as JSON, within the limits; :class:`JsonRefused` otherwise (never
    RecursionError, OverflowError or a bare ValueError)."""
    if len(text) > max_text_chars:
        raise JsonRefused(f"長達 {len(text):,} 個字元，超過上限 {max_text_chars:,}")
    _scan(text, max_depth, max_string_chars)

    def number_at(literal: str) -> int | None:
        found = text.find(literal)
        return _line(text, found) if found >= 0 else None

    def parse_int(literal: str) -> int:
        digits = len(literal) - literal.startswith("-")
        if digits > max_int_digits:
            raise JsonRefused(
                f"的整數有 {digits:,} 位數，超過上限 {max_int_digits} 位", number_at(literal)
            )
        return int(literal)

    def parse_float(literal: str) -> float:
        if len(literal) > max_float_chars:
            raise JsonRefused(
                f"的數字有 {len(literal):,} 個字元，超過上限 {max_float_chars}", number_at(literal)
            )
        value = float(literal)
        if not math.isfinite(value):
            raise JsonRefused(f"的數字「{literal}」超出可表示的範圍", number_at(literal))
        return value

    def parse_constant(literal: str) -> Any:
        raise JsonRefused(f"含有 JSON 不允許的數值「{literal}」", number_at(literal))

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen: set[str] = set()
            for key, _value in items:
                if key in seen:
                    raise JsonRefused(f"的欄位「{key[:50]}」重複出現")
                seen.add(key)
        return out

    try:
        return json.loads(
            text,
            parse_int=parse_int,
            parse_float=parse_float,
            parse_constant=parse_constant,
            object_pairs_hook=pairs,
        )
    except JsonRefused:
        raise
    except json.JSONDecodeError as exc:
        raise JsonRefused("不是有效的 JSON", exc.lineno, syntax=True) from exc
    except RecursionError as exc:  # the pre-scan prevents it; kept as a last line of defence
        raise JsonRefused(f"的 JSON 巢狀超過 {max_depth} 層（可能是惡意檔案）") from exc
    except (ValueError, OverflowError) as exc:
        raise JsonRefused("不是有效的 JSON", syntax=True) from exc
