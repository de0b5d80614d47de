"""zh-TW text helpers shared by all features: search normalisation, 民國 (ROC) dates, sizes.

``normalize`` folds text so that what a clerk types and what the content says meet: Unicode
NFKC (full-width to half-width), case folding, Simplified to Traditional characters, variant
folding (台/臺, 羣/群 …), and punctuation, symbols and spaces dropped. The query and the indexed
text go through the same function.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache

from schoolhr.paths import resources_dir

ROC_EPOCH_YEAR = 1911  # 民國元年 = 1912


def roc_year(year: int) -> int:
    """The 民國 year of a Gregorian year (2024 -> 113). Years before 1912 are refused."""
    if year <= ROC_EPOCH_YEAR:
        raise ValueError(f"{year} 年早於民國元年")
    return year - ROC_EPOCH_YEAR


def roc_date(value: date) -> str:
    """``date(2024, 3, 5)`` -> ``'113年3月5日'``, as printed on Taiwanese government forms."""
    return f"{roc_year(value.year)}年{value.month}月{value.day}日"


def roc_datetime(value: datetime) -> str:
    """``datetime(2024, 3, 5, 9, 7)`` -> ``'113年3月5日 09:07'`` (local time as given)."""
    return f"{roc_date(value)} {value:%H:%M}"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK wide and full-width characters take two."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def based_on(sources: Iterable[str], dated: str, day: date) -> str:
    """The footer of a printed form: what it rests on and how current it is, e.g.
    ``'依據：公務人員請假規則；教師請假規則（最後核對 115年3月1日）'``."""
    return f"依據：{'；'.join(sources)}（{dated} {roc_date(day)}）"


def human_size(num_bytes: int) -> str:
    """A file size for people: ``1536`` -> ``'1.5 KB'``."""
    size = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


@cache
def _fold_table() -> dict[int, str]:
    """One table for ``str.translate``: Simplified -> Traditional, then variants -> Taiwan form."""
    folder = resources_dir() / "text"
    s2t = _read_pairs(folder / "s2t.tsv")
    variants = _read_pairs(folder / "variants.tsv")
    table = {ord(k): variants.get(v, v) for k, v in s2t.items()}
    table.update({ord(k): v for k, v in variants.items()})
    return table


def _read_pairs(path: object) -> dict[str, str]:
    from pathlib import Path

    pairs = {}
    for line in Path(str(path)).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("\t")
            pairs[key] = value
    return pairs


def _is_kept(char: str) -> bool:
    """Letters and digits are kept; punctuation, symbols (emoji), spaces and marks are not."""
    return unicodedata.category(char)[0] in "LN"


class _Folding(dict[int, str]):
    """``str.translate``'s table for ``normalize``: each character's search form, worked out
    (as ``normalize_with_map`` does) the first time the character is seen. Folding goes
    character by character, so translating with it gives what ``normalize_with_map`` gives,
    at the speed of ``str.translate`` (indexing a body, a query on every key press)."""

    def __missing__(self, code: int) -> str:
        folded = normalize_with_map(chr(code))[0]
        self[code] = folded
        return folded


_FOLDING = _Folding()


def normalize(text: str) -> str:
    """The search form of ``text`` (see the module docstring)."""
    return text.translate(_FOLDING)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """``normalize(text)`` and, for each of its characters, the index in ``text`` it came from,
    so that a match found in the normalised form can be highlighted in the original."""
    table = _fold_table()
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            if char.isalnum():
                out.append(char.lower())
                origin.append(index)
            continue
        for folded in unicodedata.normalize("NFKC", char).casefold():
            folded = folded.translate(table)
            for piece in folded:
                if _is_kept(piece):
                    out.append(piece)
                    origin.append(index)
    return "".join(out), origin


def is_latin(char: str) -> bool:
    """Characters that form whole words (Latin letters and digits) rather than CJK bigrams."""
    return char < "\u2e80"


_CJK = (
    "\u2e80-\u2fff\u3001-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff"
)
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}])")


def close_cjk_spaces(text: str) -> str:
    """``text`` without the spaces between two CJK characters or marks, which Chinese text
    never has: a YAML folded line (「一份）， 作為」) or words joined with " " print as a gap.
    Spaces beside Latin letters or digits (「WebHR 異動」「積點 12 點」) and line breaks stay."""
    return _SPACE_BETWEEN_CJK.sub("", text)
