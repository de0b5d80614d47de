"""Reading one FAQ entry file: the front matter between ``---`` lines, validated against
``faq.schema``, and its text against the Markdown allow-list; every problem as
``file:line: message`` (zh-TW) at the line it is about.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from schoolhr.content.markup import field_label, markup_problems, record_problems
from schoolhr.content.reading import Problem, load_yaml, read_text
from schoolhr.content.validation import MAX_ERRORS_PER_FILE, describe_error, line_of, more_errors
from schoolhr.faq.schema import FaqEntryData


def read_faq_file(path: Path, problems: list[Problem]) -> FaqEntryData | None:
    text = read_text(path, problems)
    if text is None:
        return None
    front, body, error = split_front_matter(text)
    if error:
        problems.append(Problem(path, 1, error))
        return None
    entry = parse_faq(front, body, path, problems)
    if entry is None:
        return None
    markup = faq_markup_problems(entry, front, body, path)
    if markup:
        problems.extend(markup)
        return None
    return entry


def faq_markup_problems(entry: FaqEntryData, front: str, body: str, path: Path) -> list[Problem]:
    """An entry's answer (``body`` as in the file) and its fields against the Markdown
    allow-list, each at its line of the file."""
    front_lines = front.splitlines()
    body_line = len(front_lines) + 3  # the line after the closing ---
    found = [
        Problem(path, body_line + line - 1, f"「答案」{message}")
        for line, message in markup_problems(body)
    ]
    for loc, line_in_value, message in record_problems(
        entry.model_dump(mode="json", exclude={"body"})
    ):
        line = line_of(front_lines, loc) + line_in_value - 1
        found.append(Problem(path, line, f"「{field_label(loc)}」{message}"))
    return found


def split_front_matter(text: str) -> tuple[str, str, str | None]:
    """(front matter, body, error): the file must open with a ``---`` line and close it."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return "", "", "檔案開頭須為「---」，接著是問答的欄位（YAML），再以「---」結束"
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), None
    return "", "", "找不到結束欄位區的「---」"


def parse_faq(front: str, body: str, path: Path, problems: list[Problem]) -> FaqEntryData | None:
    """Validate one entry; problems carry the line of the front matter they are about."""
    ok, data = load_yaml(front, path, problems, first_line=2, what="欄位區的 YAML")
    if not ok:
        return None
    data = data or {}
    if not isinstance(data, dict):
        problems.append(Problem(path, 2, "欄位區須為「欄位: 值」的形式"))
        return None
    data["body"] = body
    try:
        return FaqEntryData.model_validate(data)
    except ValidationError as exc:
        front_lines = front.splitlines()
        body_line = len(front_lines) + 3
        errors = exc.errors()
        for error in errors[:MAX_ERRORS_PER_FILE]:
            loc = tuple(error["loc"])
            line = body_line if loc[:1] == ("body",) else line_of(front_lines, loc)
            problems.append(Problem(path, line, describe_error(error)))
        if len(errors) > MAX_ERRORS_PER_FILE:
            problems.append(more_errors(path, len(errors)))
        return None


def field_line(path: Path, loc: tuple[str, ...]) -> int:
    """The file line of a field of an entry read a moment ago without a problem."""
    text = read_text(path, [])  # read a moment ago without a problem
    front, _body, _error = split_front_matter(text or "")
    return line_of(front.splitlines(), loc)
