"""Masking personal data in text a help desk receives (log lines, the support report, settings).

Patterns catch what has a shape: Taiwanese ID and resident-certificate numbers, mobile and
landline phone numbers (with or without dashes, brackets, country code or extension) and e-mail
addresses. A name has no shape, so names are masked by value: the caller passes the names this
profile knows (``known_names`` reads them from the database: contacts, their LINE IDs, the
people named on checklist runs). The Windows or Unix home folder is replaced by a placeholder
because its last part is usually the person's login name.

Masking errs towards hiding: a number that merely looks like a phone number is masked too.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from schoolhr.errors import UserError
from schoolhr.paths import DataPaths
from schoolhr.store.sqlite_files import open_readonly

NAME_MASK = "〔姓名〕"
PHONE_MASK = "〔電話〕"
EMAIL_MASK = "〔電子郵件〕"
ID_MASK = "〔身分證號〕"
HOME_MASK = "〔使用者資料夾〕"

MIN_NAME_CHARS = 2  # a one-character "name" would mask ordinary words everywhere

# A letter, then 1/2 (citizens) or 8/9 (new resident certificates) or A–D (old ones), 8 digits.
_ID = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][1289A-Da-d]\d{8}(?![0-9])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_EXTENSION = r"(?:[ \t]*(?:#|轉|分機|ext\.?|x)[ \t]*\d{1,6})?"
# Separators are spaces, tabs and dashes, never a line break: a pattern never spans two lines,
# so masking a whole file equals masking it line by line.
# 0912-345-678, 0912 345 678, 0912345678, 0912-345678, +886 912 345 678, +886-912-345678
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z])(?:\+?886[- \t]?|0)9\d{2}[- \t]?\d{3}[- \t]?\d{3}(?![0-9A-Za-z])"
)
# 02-2397-9108, (02)2397-9108, (089)301058#70, 049-2345678 轉 12, +886-2-2397-9108, 0223979108
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z-])"
    r"(?:\(0\d{1,3}\)[ \t]?|0\d{1,3}[- \t]|\+?886[- \t]?\(?\d{1,3}\)?[- \t]?)"
    r"\d{3,4}[- \t]?\d{3,4}" + _EXTENSION + r"(?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z-])0\d{8,9}" + _EXTENSION + r"(?![0-9A-Za-z])",
    re.IGNORECASE,
)
MIN_LATIN_NAME_CHARS = 3  # a LINE ID such as "ab" would hide parts of ordinary words
_Trie = dict[str, "_Trie"]


class Masker:
    """Masks one profile's personal data; build it once and use it for many texts (a county's
    thousands of names become one pattern, so a long log is masked in about a second)."""

    def __init__(self, names: Iterable[str] = (), home: Path | str | None = None) -> None:
        self.home = str(home if home is not None else _home())
        cleaned = {" ".join(n.split()) for n in names}
        latin = {n for n in cleaned if n.isascii() and len(n) >= MIN_LATIN_NAME_CHARS}
        other = {n for n in cleaned if not n.isascii() and len(n) >= MIN_NAME_CHARS}
        parts = []
        if other:  # Chinese names have no word boundaries: matched anywhere, longest first
            parts.append(_trie_pattern(other))
        if latin:  # a Latin LINE ID only as a whole word
            parts.append(r"(?<![A-Za-z0-9_.])" + _trie_pattern(latin) + r"(?![A-Za-z0-9_])")
        self._names = re.compile("|".join(parts)) if parts else None

    def mask(self, text: str) -> str:
        text = mask_home(text, self.home)
        text = _EMAIL.sub(EMAIL_MASK, text)  # before names: a LINE ID may be part of an address
        if self._names is not None:
            text = self._names.sub(NAME_MASK, text)
        text = _ID.sub(ID_MASK, text)
        text = _MOBILE.sub(PHONE_MASK, text)
        return _LANDLINE.sub(PHONE_MASK, text)


def mask_personal_data(
    text: str, names: Iterable[str] = (), *, home: Path | str | None = None
) -> str:
    """``text`` with ID numbers, phone numbers, e-mail addresses, the given ``names`` and the
    home folder (``home``, by default the current user's) replaced by placeholders."""
    return Masker(names, home).mask(text)


def _trie_pattern(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words``, longest first, built as a trie so
    that each position of the text is tried against a few branches, not every word."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: the longer words are optional (and tried first)
            return f"(?:{body})?" if len(branches) == 1 else body + "?"
        return body

    return build(trie)


def mask_home(text: str, home: Path | str | None = None) -> str:
    """Replace the home folder (``C:\\Users\\王小明``, ``/home/wang``) with a placeholder, in
    both slash styles; a home folder that is the file-system root is left alone."""
    folder = str(home if home is not None else _home())
    if len(folder.rstrip("/\\")) <= 3:  # "/", "C:\" or nothing: nothing personal to hide
        return text
    for variant in {folder, folder.replace("\\", "/"), folder.replace("/", "\\")}:
        text = text.replace(variant, HOME_MASK)
    return text


def _home() -> str:
    try:
        return str(Path.home())
    except RuntimeError:  # no home folder can be determined (a service account)
        return ""


def known_names(paths: DataPaths) -> set[str] | None:
    """The people's names (and LINE IDs) in the profile's database, read without the ORM;
    None when the database cannot be read, so the caller can say names may be unmasked."""
    if not paths.database.is_file():
        return set()
    queries = (
        ("contact", "SELECT name FROM contact UNION SELECT line_id FROM contact"),
        ("checklist_run", "SELECT person FROM checklist_run"),
    )
    names: set[str] = set()
    try:
        with open_readonly(paths.database) as connection:
            for table, query in queries:
                if _has_table(connection, table):
                    names.update(str(row[0]).strip() for row in connection.execute(query) if row[0])
    except (sqlite3.DatabaseError, UserError):
        return None
    return {name for name in names if len(name) >= MIN_NAME_CHARS}


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return found is not None
