"""Reading one content file defensively: its size is checked before it is read, its bytes must
be UTF-8, and YAML is parsed only after a scan of its events shows it is small and shallow.

Every content file (categories, synonyms, stop words, FAQ entries, checklists, guides, rules)
goes through here, in ``schoolhr content check`` and when the app installs its bundled content,
so a broken or hostile file is a ``file:line: message`` problem (zh-TW), never a traceback.

Limits (the largest real file in resources/content is about 12 KB, the largest YAML 7 KB):

- ``MAX_FILE_BYTES``: 1 MiB a file, checked with ``stat`` before reading;
- ``MAX_DEPTH``: 20 levels of nested mappings and lists (real files use 4);
- ``MAX_NODES``: 100,000 values a file;
- no YAML aliases (``*name``): with anchors they let a few lines expand to billions of values.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 20
MAX_NODES = 100_000
BOM = b"\xef\xbb\xbf"

_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class _ContentLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader; a value it cannot build (a date like 2026-02-30, ``!!int abc``) is a
    YAML error with the value's place rather than a bare ValueError."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"無法解讀的值（{exc}）", node.start_mark
            ) from exc


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """The text of ``path`` (a UTF-8 file, with or without a BOM); None with the problem
    recorded when it is not a plain file, is too large, cannot be read or is not UTF-8."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            problems.append(Problem(path, 1, "不是一般檔案，無法讀取"))
            return None
        if info.st_size > MAX_FILE_BYTES:
            problems.append(Problem(path, 1, _too_large(info.st_size)))
            return None
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problems.append(Problem(path, 1, f"無法讀取檔案（{exc.strerror or exc}）"))
        return None
    if len(data) > MAX_FILE_BYTES:  # it grew after the check
        problems.append(Problem(path, 1, _too_large(len(data))))
        return None
    return decode(data, path, problems)


def decode(data: bytes, path: Path, problems: list[Problem]) -> str | None:
    """``data`` as UTF-8 text; None with a ``file:line`` problem naming the first bad byte."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(path, data.count(b"\n", 0, exc.start) + 1, _not_utf8(data, exc)))
        return None


def _too_large(size: int) -> str:
    return (
        f"檔案太大（{size / 1024 / 1024:.1f} MB），內容檔案每個最多 "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB；未讀取此檔"
    )


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> str:
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    bad = data[exc.start : exc.end].hex(" ").upper()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        kind = "此檔是 UTF-16 編碼"
    else:
        kind = f"第 {line} 行第 {column} 個位元組（{bad}）不是 UTF-8 編碼（可能是 Big5）"
    return f"{kind}；請用文字編輯器（如記事本）將此檔另存為 UTF-8 編碼"


def load_yaml(
    text: str, path: Path, problems: list[Problem], first_line: int = 1, what: str = "YAML"
) -> tuple[bool, Any]:
    """(True, the data) or (False, None) with a problem recorded: a syntax error, nesting deeper
    than ``MAX_DEPTH``, more than ``MAX_NODES`` values, an alias, or a value that cannot be
    built. ``first_line`` is the file's line of the text's first line (front matter starts on
    line 2); ``what`` names the text in messages."""
    found = _scan(text)
    if found is not None:
        line, message = found
        problems.append(Problem(path, line + first_line - 1, f"{what} {message}"))
        return False, None
    try:
        return True, yaml.load(text, Loader=_ContentLoader)  # a safe loader
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(exc, path, first_line, what))
        return False, None


def _scan(text: str) -> tuple[int, str] | None:
    """The first structural problem of ``text`` as (line in the text, message), from its parse
    events alone: iterative, and stopped as soon as a limit is passed."""
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_BASE_LOADER):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent):
                return line, f"不可使用別名（*{event.anchor}）；請把內容直接寫出來"
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return line, f"巢狀層數超過上限 {MAX_DEPTH} 層"
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    return line, f"的項目超過上限 {MAX_NODES:,} 個"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        if "nesting depth" in _reason(exc):  # libyaml's own cap (1,000), met while scanning
            return line, f"巢狀層數超過上限 {MAX_DEPTH} 層"
        return line, f"格式錯誤：{_reason(exc)}"
    return None


def _yaml_problem(exc: yaml.YAMLError, path: Path, first_line: int, what: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + first_line if mark is not None else first_line
    return Problem(path, line, f"{what} 格式錯誤：{_reason(exc)}")


def _reason(exc: yaml.YAMLError) -> str:
    reason = str(getattr(exc, "problem", None) or exc)
    tag = re.search(r"constructor for the tag '(?:tag:yaml\.org,2002:)?([^']*)'", reason)
    if tag:  # !!python/object and the like: nothing but plain values is built
        return f"不可使用 YAML 標記「!!{tag.group(1)}」"
    return reason
