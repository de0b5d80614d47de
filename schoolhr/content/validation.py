"""Turning a pydantic validation error of a content file into a zh-TW message, at the line
of the field it is about.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from schoolhr.content.markup import FIELD_LABELS
from schoolhr.content.reading import Problem

MAX_ERRORS_PER_FILE = 20  # schema errors listed for one file; a file of 50,000 is one mistake


def more_errors(path: Path, count: int) -> Problem:
    return Problem(
        path, 1, f"還有 {count - MAX_ERRORS_PER_FILE:,} 個問題未列出，請先修正上面的問題"
    )


def describe_error(error: Any) -> str:
    loc = tuple(error["loc"])
    names = [FIELD_LABELS.get(str(part), str(part)) for part in loc if isinstance(part, str)]
    label = "．".join(names) or "欄位"
    kind = error["type"]
    if kind == "missing":
        return f"缺少必填欄位「{label}」"
    if kind == "extra_forbidden":
        return f"不認得的欄位「{loc[-1]}」"
    if kind == "string_pattern_mismatch" and loc[-1] == "id":
        return "編號只能用小寫英文字母、數字與連字號（例如 leave-staff-annual）"
    if kind in {"string_too_short", "too_short"}:
        return f"「{label}」不可空白" + ("，至少要有一項" if kind == "too_short" else "或太短")
    if kind in {"string_too_long", "too_long"}:
        return f"「{label}」太長"
    if kind.startswith("date"):
        return f"「{label}」須為 YYYY-MM-DD 格式的日期"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        if "教師" in expected:
            return f"「{label}」只能是「教師」或「職員」"
        return f"「{label}」只能是 {expected}"
    if kind == "list_type":
        return f"「{label}」須為清單，例如 [甲, 乙]"
    if kind == "bool_parsing":
        return f"「{label}」須為 true 或 false"
    if kind == "value_error":
        return f"「{label}」{str(error['msg']).removeprefix('Value error, ')}"
    return f"「{label}」格式不正確（{error['msg']}）"


def line_of(front_lines: list[str], loc: tuple[Any, ...]) -> int:
    """The file line of a field in the front matter (the file's line 1 is the opening ---)."""
    index = -1
    indent = -1
    for part in loc:
        if isinstance(part, int):
            count = -1
            for i in range(index + 1, len(front_lines)):
                if re.match(r"^\s*-\s", front_lines[i]):
                    count += 1
                    if count == part:
                        index = i
                        break
            continue
        pattern = re.compile(rf"^(\s*)(-\s+)?{re.escape(part)}\s*:")
        for i in range(max(index, 0), len(front_lines)):
            match = pattern.match(front_lines[i])
            if match and len(match.group(1)) >= indent:
                index = i
                indent = len(match.group(1))
                break
        else:
            return max(index, 0) + 2 if index >= 0 else 1
    return index + 2 if index >= 0 else 1
