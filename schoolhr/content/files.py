"""Reading a content folder, reporting every problem as ``file:line: message`` (zh-TW).

Layout::

    content.yaml        the release: version, title, publisher
    categories.txt      FAQ categories, one a line, in browsing order
    synonyms.tsv        one group of words that mean the same a line, separated by tabs
    stopwords.txt       question filler words the search ignores, one a line
    faq/<id>.md         one FAQ entry a file (see schoolhr.faq.schema, schoolhr.faq.parsing)
    checklists/<id>.yaml  one checklist template a file (see schoolhr.checklists.schema)
    guides/systems.yaml   the systems the guides are for
    guides/<id>.yaml      one step guide a file (see schoolhr.guides.schema), pictures beside
    rewards/rules.yaml    the county's reward-points rules (see schoolhr.rewards.schema), optional

Every file is read through ``schoolhr.content.reading`` (size limit, UTF-8, a YAML scan before
parsing) and the text people will see is checked against the Markdown allow-list of
``schoolhr.content.markup``: a hostile or broken file is a list of problems, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from schoolhr.checklists.schema import ChecklistTemplate
from schoolhr.content.fingerprint import fingerprint
from schoolhr.content.markup import (
    field_label,
    record_problems,
)
from schoolhr.content.reading import Problem, load_yaml, read_text
from schoolhr.content.schema import ContentManifest
from schoolhr.content.validation import MAX_ERRORS_PER_FILE, describe_error, line_of, more_errors
from schoolhr.faq.parsing import field_line, read_faq_file
from schoolhr.faq.schema import FaqEntryData
from schoolhr.guides.schema import Guide, GuideSystem, SystemList
from schoolhr.rewards.schema import RuleSet

Model = TypeVar("Model", bound=BaseModel)


@dataclass
class ContentSet:
    manifest: ContentManifest
    categories: list[str] = field(default_factory=list)
    faq: list[FaqEntryData] = field(default_factory=list)
    synonyms: list[list[str]] = field(default_factory=list)
    stopwords: list[str] = field(default_factory=list)
    checklists: list[ChecklistTemplate] = field(default_factory=list)
    systems: list[GuideSystem] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)
    rewards: RuleSet | None = None  # rewards/rules.yaml, when the folder has one
    fingerprint: str = ""


def read_content(directory: Path) -> tuple[ContentSet | None, list[Problem]]:
    """Everything in ``directory``, validated; None and the problems when anything is wrong."""
    problems: list[Problem] = []
    if not directory.is_dir():
        return None, [Problem(directory, 0, "找不到內容資料夾")]
    manifest = _read_manifest(directory / "content.yaml", problems)
    categories = _read_lines(directory / "categories.txt", problems)
    content = ContentSet(
        # a stand-in while the other files are checked; the problem is already recorded
        manifest=manifest or ContentManifest.model_construct(version="0", title="—", publisher="—"),
        categories=categories,
        synonyms=_read_synonyms(directory / "synonyms.tsv", problems),
        stopwords=_read_lines(directory / "stopwords.txt", problems, required=False),
    )
    seen: dict[str, Path] = {}
    faq_dir = directory / "faq"
    if not faq_dir.is_dir():
        problems.append(Problem(faq_dir, 0, "找不到常見問答資料夾 faq/"))
    for path in sorted(faq_dir.glob("*.md")) if faq_dir.is_dir() else []:
        entry = read_faq_file(path, problems)
        if entry is None:
            continue
        if entry.id != path.stem:
            problems.append(Problem(path, 2, f"編號「{entry.id}」須與檔名「{path.stem}」相同"))
        if entry.id in seen:
            problems.append(Problem(path, 2, f"編號「{entry.id}」與 {seen[entry.id].name} 重複"))
        seen[entry.id] = path
        if categories and entry.category not in categories:
            line = field_line(path, ("category",))
            problems.append(
                Problem(path, line, f"分類「{entry.category}」不在 categories.txt 的清單中")
            )
        content.faq.append(entry)
    content.checklists = _read_checklists(directory / "checklists", problems)
    content.systems, content.guides = _read_guides(directory / "guides", problems)
    rules_file = directory / "rewards" / "rules.yaml"
    if rules_file.is_file():
        content.rewards = read_reward_rules(rules_file, problems)
    if problems:
        return None, problems
    content.fingerprint = fingerprint(directory)
    return content, []


def _load_yaml(path: Path, problems: list[Problem]) -> tuple[dict[str, Any] | None, list[str]]:
    """A YAML mapping and the file's lines, or None with the problem recorded."""
    text = read_text(path, problems)
    if text is None:
        return None, []
    ok, data = load_yaml(text, path, problems)
    if not ok:
        return None, []
    data = data or {}
    if not isinstance(data, dict):
        problems.append(Problem(path, 1, "內容須為「欄位: 值」的形式"))
        return None, []
    return data, text.splitlines()


def _read_model(
    path: Path, model: type[Model], problems: list[Problem]
) -> tuple[Model | None, list[str]]:
    """The YAML file as a ``model`` and the file's lines; None with the problems recorded (at
    their lines) when it is not one."""
    data, lines = _load_yaml(path, problems)
    if data is None:
        return None, lines
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        problems.extend(_validation_problems(path, lines, exc))
        return None, lines


def _file_name_problems(path: Path, lines: list[str], entry_id: str) -> list[Problem]:
    """A guide's or a checklist's ``id`` must be its file's name."""
    if entry_id == path.stem:
        return []
    line = line_of(lines, ("id",)) - 1
    return [Problem(path, line, f"編號「{entry_id}」須與檔名「{path.stem}」相同")]


def _validation_problems(path: Path, lines: list[str], exc: ValidationError) -> list[Problem]:
    errors = exc.errors()
    found = [
        Problem(path, max(line_of(lines, tuple(error["loc"])) - 1, 1), describe_error(error))
        for error in errors[:MAX_ERRORS_PER_FILE]
    ]
    if len(errors) > MAX_ERRORS_PER_FILE:
        found.append(more_errors(path, len(errors)))
    return found


def _markup_problems(path: Path, lines: list[str], record: BaseModel) -> list[Problem]:
    """The text of a YAML record (guide, system, checklist) against the Markdown allow-list;
    each problem at the line of its field (inside a ``|`` block: at the line itself)."""
    found = []
    for loc, line_in_value, message in record_problems(record.model_dump(mode="json")):
        line = max(line_of(lines, loc) - 1, 1)
        if lines[line - 1 : line] and re.search(r":\s*[|>][-+0-9]*\s*$", lines[line - 1]):
            line += line_in_value  # a block scalar: its text starts on the next line
        else:
            line += line_in_value - 1
        found.append(Problem(path, line, f"「{field_label(loc)}」{message}"))
    return found


def _read_guides(folder: Path, problems: list[Problem]) -> tuple[list[GuideSystem], list[Guide]]:
    if not folder.is_dir():
        return [], []
    systems: list[GuideSystem] = []
    systems_file = folder / "systems.yaml"
    if not systems_file.is_file():
        problems.append(Problem(systems_file, 0, "找不到 systems.yaml（操作指引所屬的系統清單）"))
    else:
        system_list, lines = _read_model(systems_file, SystemList, problems)
        if system_list is not None:
            markup = _markup_problems(systems_file, lines, system_list)
            problems.extend(markup)
            systems = [] if markup else system_list.systems
    codes = {system.code for system in systems}
    guides: list[Guide] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "systems.yaml":
            continue
        guide, lines = _read_model(path, Guide, problems)
        if guide is None:
            continue
        found = len(problems)
        problems.extend(_file_name_problems(path, lines, guide.id))
        if codes and guide.system not in codes:
            line = line_of(lines, ("system",)) - 1
            problems.append(Problem(path, line, f"系統「{guide.system}」不在 systems.yaml 中"))
        for index, step in enumerate(guide.steps):
            if step.picture and not (folder / step.picture).is_file():
                line = line_of(lines, ("steps", index, "picture")) - 1
                problems.append(Problem(path, line, f"找不到圖片「{step.picture}」"))
        problems.extend(_markup_problems(path, lines, guide))
        if len(problems) == found:
            guides.append(guide)
    return systems, guides


def read_reward_rules(path: Path, problems: list[Problem]) -> RuleSet | None:
    """The county's reward rules; None with ``file:line`` problems (an unknown kind, bands of
    seniority that overlap, a threshold twice …) when anything is wrong."""
    return _read_model(path, RuleSet, problems)[0]


def _read_checklists(folder: Path, problems: list[Problem]) -> list[ChecklistTemplate]:
    templates: list[ChecklistTemplate] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        template, lines = _read_model(path, ChecklistTemplate, problems)
        if template is None:
            continue
        misnamed = _file_name_problems(path, lines, template.id)
        if misnamed:
            problems.extend(misnamed)
            continue
        markup = _markup_problems(path, lines, template)
        if markup:
            problems.extend(markup)
            continue
        templates.append(template)
    return templates


def _read_manifest(path: Path, problems: list[Problem]) -> ContentManifest | None:
    if not path.is_file():
        problems.append(Problem(path, 0, "找不到 content.yaml（內容版本）"))
        return None
    return _read_model(path, ContentManifest, problems)[0]


def _read_lines(path: Path, problems: list[Problem], required: bool = True) -> list[str]:
    if not path.is_file():
        if required:
            problems.append(Problem(path, 0, f"找不到 {path.name}"))
        return []
    text = read_text(path, problems)
    if text is None:
        return []
    words: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if word in words:
            problems.append(Problem(path, number, f"「{word}」重複"))
            continue
        words.append(word)
    return words


def _read_synonyms(path: Path, problems: list[Problem]) -> list[list[str]]:
    if not path.is_file():
        problems.append(Problem(path, 0, "找不到 synonyms.tsv（同義詞）"))
        return []
    from schoolhr.text import normalize

    text = read_text(path, problems)
    if text is None:
        return []
    groups: list[list[str]] = []
    owner: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        terms = [term.strip() for term in line.split("\t")]
        if any(not term for term in terms):
            problems.append(Problem(path, number, "有空白的詞（兩個 Tab 相連或行尾多了 Tab）"))
            continue
        if len(terms) < 2:
            problems.append(Problem(path, number, "一組同義詞至少要有兩個詞，以 Tab 分隔"))
            continue
        for term in terms:
            key = normalize(term)
            if not key:
                problems.append(Problem(path, number, f"「{term}」只有標點或符號，無法搜尋"))
            elif key in owner and owner[key] != number:
                problems.append(
                    Problem(path, number, f"「{term}」已出現在第 {owner[key]} 行的同義詞組")
                )
            else:
                owner[key] = number
        groups.append(terms)
    return groups
