"""Hostile content folders: ``schoolhr content check`` (and the app's loader, the same code)
reports each broken or hostile file as ``file:line: message`` in zh-TW — never a traceback, a
hang or a write.

The corpus is generated here, in the test's own folder: each case is a copy of the small test
content (tests/data/content) with a few files added or replaced. Every case is checked for its
problems (file, line and words of the message), its time (under 10 s) and that nothing was
written anywhere below the test's folder; then all the cases together go through the real
command, ``python -m schoolhr content check DIR``, in a child process.

Figure: every case is reported at its file and line; 0 tracebacks; 0 files written.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from schoolhr.content import reading
from schoolhr.content.files import read_content
from schoolhr.content.markup import markup_problems
from schoolhr.content.reading import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
from schoolhr.store.database import Store
from tests.helpers import TEST_CONTENT

SECONDS_LIMIT = 10.0
NOT_UTF8 = "不是 UTF-8 編碼"
SAVE_AS_UTF8 = "另存為 UTF-8"
HTML = "不可使用 HTML"
NOT_WEB = "不是 http:// 或 https:// 網址"


def faq(
    entry_id: str, body: str, *, title: str = "補休可以分次使用嗎？", keywords: str = "[補休]"
) -> str:
    """An FAQ entry: lines 1–10 are the front matter (``title`` on line 3, ``keywords`` on line
    6), the answer starts on line 11."""
    return (
        f"---\nid: {entry_id}\ntitle: {title}\ncategory: 加班與補休\naudience: [職員]\n"
        f"keywords: {keywords}\nsources:\n  - name: 公務人員請假規則\nreviewed: 2026-11-01\n"
        f"---\n{body}\n"
    )


def checklist(entry_id: str, *, label: str = "第一項", extra: str = "") -> str:
    """A checklist template; ``label`` is on line 11, ``extra`` lines come after line 11."""
    return (
        f"id: {entry_id}\ntitle: 測試檢核表\npurpose: 測試用。\naudience: [兼任人事]\n"
        "sources:\n  - name: 測試依據\nreviewed: 2026-11-01\nsections:\n  - id: main\n"
        f"    title: 主要項目\n    items: [{{id: one, label: '{label}'}}]\n{extra}"
    )


def guide(entry_id: str, detail: str) -> str:
    """A guide whose only step's ``detail`` is a ``|`` block opening on line 10."""
    block = "".join(f"      {line}\n" for line in detail.splitlines())
    return (
        f"id: {entry_id}\ntitle: 測試用的指引\nsystem: webitr\naudience: [職員]\n"
        "sources:\n  - name: 測試用依據\nchecked: 2026-11-01\nsteps:\n  - title: 登入差勤系統\n"
        f"    detail: |\n{block}"
    )


def nested_flow(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_block(depth: int) -> str:
    return "".join(" " * level + "k:\n" for level in range(depth)) + " " * depth + "v\n"


LAUGHS = (
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
)
MARKER = "pwned-by-yaml"  # a file a YAML tag would create if it ran anything


@dataclass(frozen=True)
class Case:
    """Files written into the copy of the test content (bytes as they are, text as UTF-8) and
    the problems expected: (file, line, words of the message)."""

    files: dict[str, bytes | str | Callable[[Path], bytes | str]]
    expect: list[tuple[str, int, str]]


CASES: dict[str, Case] = {
    # -- encodings ---------------------------------------------------------------------------
    "categories_big5": Case(
        {"categories.txt": "# 分類\n請假\n".encode() + "加班與補休\n".encode("big5")},
        [("categories.txt", 3, "第 3 行第 1 個位元組（A5）" + NOT_UTF8)],
    ),
    "synonyms_big5": Case(
        {"synonyms.tsv": "補休\t加班補休\n".encode() + "休假\t特休\n".encode("big5")},
        [("synonyms.tsv", 2, NOT_UTF8)],
    ),
    "stopwords_utf16": Case(
        {"stopwords.txt": "請問\n怎麼\n".encode("utf-16")}, [("stopwords.txt", 1, "UTF-16")]
    ),
    "manifest_utf16": Case(
        {"content.yaml": 'version: "2026.11.1"\n'.encode("utf-16")},
        [("content.yaml", 1, "UTF-16")],
    ),
    "checklist_big5": Case(
        {"checklists/big5.yaml": checklist("big5", label="第一項").encode("big5")},
        [("checklists/big5.yaml", 2, NOT_UTF8)],
    ),
    "faq_big5_answer": Case(
        {"faq/big5-answer.md": faq("big5-answer", "").encode() + "可以分次請。\n".encode("big5")},
        [("faq/big5-answer.md", 12, NOT_UTF8)],
    ),
    "guide_latin1": Case(
        {
            "guides/latin1.yaml": guide("latin1", "第一行\n在 café 登入").encode(
                "latin-1", "replace"
            )
        },
        [("guides/latin1.yaml", 12, "第 12 行第 12 個位元組（E9）" + NOT_UTF8)],
    ),
    "rules_big5": Case(
        {"rewards/rules.yaml": b"version: 1\nnote: " + "積點規則\n".encode("big5")},
        [("rewards/rules.yaml", 2, NOT_UTF8)],
    ),
    # -- YAML size, depth, aliases, values ---------------------------------------------------
    "yaml_19_mb": Case(
        {"checklists/huge.yaml": "items:\n" + "  - 一個很長的檢核項目內容\n" * 524_288},
        [("checklists/huge.yaml", 1, "檔案太大")],
    ),
    "faq_2_mb": Case(
        {"faq/huge.md": faq("huge", "很長的答案。" * 120_000)},
        [("faq/huge.md", 1, "內容檔案每個最多 1 MB")],
    ),
    "categories_2_mb": Case(
        {"categories.txt": "請假\n" + "很長的分類\n" * 140_000}, [("categories.txt", 1, "檔案太大")]
    ),
    "yaml_50000_deep_flow": Case(
        {"checklists/deep.yaml": "id: deep\nsections: " + nested_flow(50_000) + "\n"},
        [("checklists/deep.yaml", 2, f"巢狀層數超過上限 {MAX_DEPTH} 層")],
    ),
    "yaml_30_deep_block": Case(
        {"guides/deep-block.yaml": nested_block(30)},
        [("guides/deep-block.yaml", MAX_DEPTH + 1, "巢狀層數超過上限")],
    ),
    "front_matter_50000_deep": Case(
        {"faq/deep-front.md": faq("deep-front", "答案內容足夠長。", keywords=nested_flow(50_000))},
        [("faq/deep-front.md", 6, "欄位區的 YAML 巢狀層數超過上限")],
    ),
    "billion_laughs": Case(
        {"checklists/laughs.yaml": LAUGHS}, [("checklists/laughs.yaml", 2, "不可使用別名（*a）")]
    ),
    "too_many_values": Case(
        {"checklists/many.yaml": "id: many\nitems: [" + "1," * (MAX_NODES + 1) + "]\n"},
        [("checklists/many.yaml", 2, f"項目超過上限 {MAX_NODES:,} 個")],
    ),
    "impossible_date": Case(
        {"checklists/date.yaml": checklist("date").replace("2026-11-01", "2026-02-30")},
        [("checklists/date.yaml", 7, "無法解讀的值")],
    ),
    "python_tag": Case(
        {
            "checklists/tag.yaml": lambda root: (
                f"id: tag\ntitle: !!python/object/apply:os.system ['touch {root / MARKER}']\n"
            )
        },
        [("checklists/tag.yaml", 2, "YAML 格式錯誤")],
    ),
    "a_folder_named_md": Case(
        {"faq/folder.md/readme.txt": "不是問答"}, [("faq/folder.md", 1, "不是一般檔案")]
    ),
    # -- Markdown outside the allow-list -----------------------------------------------------
    "faq_script": Case(
        {"faq/html-script.md": faq("html-script", "答案第一行。\n<script>alert(1)</script>")},
        [("faq/html-script.md", 12, HTML + " 標籤或角括號連結「<script…」")],
    ),
    "faq_img_file": Case(
        {"faq/html-img.md": faq("html-img", "看圖：<img src=file:///etc/hostname>")},
        [("faq/html-img.md", 11, "「<img…」")],
    ),
    "faq_javascript_link": Case(
        {"faq/js-link.md": faq("js-link", "答案內容。\n\n[x](javascript:alert(1))")},
        [("faq/js-link.md", 13, "連結「javascript:alert(1))」" + NOT_WEB)],
    ),
    "faq_entity_javascript": Case(
        {"faq/entity.md": faq("entity", "答案內容。[x](&#106;avascript:alert(1))")},
        [("faq/entity.md", 11, "連結「javascript:")],
    ),
    "faq_file_link": Case(
        {"faq/file-link.md": faq("file-link", "答案內容。[密碼](file:///etc/passwd)")},
        [("faq/file-link.md", 11, "連結「file:///etc/passwd)」")],
    ),
    "faq_relative_link": Case(
        {"faq/relative.md": faq("relative", "答案內容。[另一則](leave-staff-annual.md)")},
        [("faq/relative.md", 11, NOT_WEB)],
    ),
    "faq_reference_definition": Case(
        {"faq/reference.md": faq("reference", "答案見[此][a]。\n\n[a]: file:///etc/passwd")},
        [("faq/reference.md", 13, "連結「file:///etc/passwd」")],
    ),
    "faq_autolink_file": Case(
        {"faq/autolink.md": faq("autolink", "答案內容。<file:///etc/passwd>")},
        [("faq/autolink.md", 11, "「<file…」")],
    ),
    "faq_comment": Case(
        {"faq/comment.md": faq("comment", "答案內容。\n<!-- 隱藏的內容 -->")},
        [("faq/comment.md", 12, "HTML 註解")],
    ),
    "faq_iframe": Case(
        {"faq/iframe.md": faq("iframe", "答案內容。<iframe src='https://evil.example/'>")},
        [("faq/iframe.md", 11, "「<iframe…」")],
    ),
    "faq_image": Case(
        {"faq/image.md": faq("image", "答案內容。\n\n![圖](https://example.com/x.png)")},
        [("faq/image.md", 13, "不可嵌入圖片")],
    ),
    "faq_title_link": Case(
        {
            "faq/title-link.md": faq(
                "title-link", "答案內容足夠長，可以分次請。", title="'[點我](javascript:1)休假？'"
            )
        },
        [("faq/title-link.md", 3, "「標題」連結「javascript:1)")],
    ),
    "guide_iframe_in_a_block": Case(
        {"guides/iframe.yaml": guide("iframe", "第一行說明\n<iframe src='https://evil.example/'>")},
        [("guides/iframe.yaml", 12, "「步驟．第 1 項．說明」" + HTML)],
    ),
    "checklist_label_html": Case(
        {"checklists/label.yaml": checklist("label", label="<b>粗體</b>項目")},
        [("checklists/label.yaml", 11, "「區段．第 1 項．項目．第 1 項．名稱」" + HTML)],
    ),
    "systems_note_link": Case(
        {
            "guides/systems.yaml": (
                "systems:\n  - code: webitr\n    name: WebITR 差勤系統\n"
                "    note: '[本機](file:///C:/Windows/win.ini)'\n"
                "  - code: ecpa\n    name: eCPA 人事服務網\n"
            )
        },
        [
            (
                "guides/systems.yaml",
                4,
                "「系統．第 1 項．說明」連結「file:///C:/Windows/win.ini)」",
            )
        ],
    ),
}

ALLOWED_MARKDOWN = """## 標題

可以，**依規定**辦理（年資 <5 年、3<4 也可寫）。

- 法規：[公務人員請假規則](https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=S0020001&a=1)
- 網址：<https://www.dgpa.gov.tw/> 或直接寫 https://pics.dgpa.gov.tw 、www.cpa.gov.tw
- `程式碼`、Q&A、&amp;、1 > 0

| 項目 | 天數 |
|---|---|
| 婚假 | 14 |

[參考][law]

[law]: https://law.moj.gov.tw/
"""


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file below ``root``: (size, modification time in ns)."""
    found = {}
    for path in root.rglob("*"):
        if path.is_file():
            info = path.stat()
            found[path.relative_to(root).as_posix()] = (info.st_size, info.st_mtime_ns)
    return found


def build(root: Path, case: Case) -> Path:
    folder = root / "content"
    if not folder.exists():
        shutil.copytree(TEST_CONTENT, folder)
    for name, data in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        value = data(root) if callable(data) else data
        if isinstance(value, str):
            path.write_text(value, encoding="utf-8")
        else:
            path.write_bytes(value)
    return folder


def expected_prefix(folder: Path, file: str, line: int) -> str:
    return f"{folder / file}:{line}: "


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_content_file_is_reported_at_its_file_and_line(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    folder = build(tmp_path, case)
    before = tree(tmp_path)
    started = time.monotonic()
    content, problems = read_content(folder)
    elapsed = time.monotonic() - started
    assert elapsed < SECONDS_LIMIT, f"{name}: {elapsed:.1f} s"
    assert content is None, f"{name}: accepted"
    found = [str(p) for p in problems]
    for file, line, words in case.expect:
        prefix = expected_prefix(folder, file, line)
        assert any(p.startswith(prefix) and words in p for p in found), (prefix, words, found)
    if any(NOT_UTF8 in words for _file, _line, words in case.expect):
        assert any(SAVE_AS_UTF8 in p for p in found), found
    assert tree(tmp_path) == before, f"{name}: files written"
    assert not (tmp_path / MARKER).exists()


def test_allowed_markdown_passes(tmp_path: Path) -> None:
    assert markup_problems(ALLOWED_MARKDOWN) == []
    folder = build(tmp_path, Case({"faq/allowed.md": faq("allowed", ALLOWED_MARKDOWN)}, []))
    content, problems = read_content(folder)
    assert problems == [] and content is not None
    assert any(entry.id == "allowed" for entry in content.faq)


def test_a_byte_order_mark_is_not_part_of_the_first_line(tmp_path: Path) -> None:
    text = "請假\n加班與補休\n系統操作\n成績考核與考績\n"
    case = Case({"categories.txt": b"\xef\xbb\xbf" + text.encode()}, [])
    content, problems = read_content(build(tmp_path, case))
    assert problems == [] and content is not None
    assert content.categories[0] == "請假"


def test_the_limits_are_far_above_the_real_content() -> None:
    """The bundled content: its largest file and deepest YAML, against the limits."""
    root = Path(__file__).resolve().parents[2] / "resources" / "content"
    files = [p for p in root.rglob("*") if p.suffix in {".md", ".yaml", ".txt", ".tsv"}]
    files = [p for p in files if p.name != "README.md"]  # documentation, not loaded
    assert max(p.stat().st_size for p in files) * 20 < MAX_FILE_BYTES
    deepest = 0
    for path in files:
        if path.suffix == ".yaml":
            depth = 0
            for event in yaml.parse(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader):
                if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    depth += 1
                    deepest = max(deepest, depth)
                elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    depth -= 1
    assert 0 < deepest <= MAX_DEPTH // 2


def test_the_scan_is_iterative_without_libyaml_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pure-Python parser (a PC without libyaml) stops at the cap as well."""
    monkeypatch.setattr(reading, "_BASE_LOADER", yaml.SafeLoader)
    problems: list[reading.Problem] = []
    started = time.monotonic()
    ok, _data = reading.load_yaml("a: " + nested_flow(50_000), tmp_path / "x.yaml", problems)
    assert not ok and time.monotonic() - started < SECONDS_LIMIT
    assert [str(p) for p in problems] == [f"{tmp_path / 'x.yaml'}:1: YAML 巢狀層數超過上限 20 層"]
    ok, _data = reading.load_yaml(LAUGHS, tmp_path / "x.yaml", problems)
    assert not ok and "別名" in str(problems[-1])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_is_not_read(tmp_path: Path) -> None:
    """Opening a FIFO to read would wait forever for a writer."""
    folder = build(tmp_path, Case({}, []))
    os.mkfifo(folder / "faq" / "pipe.md")
    content, problems = read_content(folder)
    assert content is None
    assert [str(p) for p in problems] == [f"{folder / 'faq' / 'pipe.md'}:1: 不是一般檔案，無法讀取"]


def test_many_schema_errors_in_one_file_are_listed_once(tmp_path: Path) -> None:
    """A file with 50,000 empty prerequisites is one mistake, not 50,000 lines of output."""
    text = guide("many-errors", "說明").replace(
        "audience: [職員]", "audience: [職員]\nprerequisites: [" + "'', " * 50_000 + "]"
    )
    folder = build(tmp_path, Case({"guides/many-errors.yaml": text}, []))
    started = time.monotonic()
    _content, problems = read_content(folder)
    assert time.monotonic() - started < SECONDS_LIMIT
    mine = [str(p) for p in problems if "many-errors" in str(p.file)]
    assert len(mine) == 21 and "還有 49,980 個問題未列出" in mine[-1], mine[-3:]


def test_the_app_loading_hostile_content_keeps_what_is_installed(
    tmp_path: Path, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """The app installs its bundled content with the same reader: a broken bundle is logged
    and skipped at start, never a crash."""
    from schoolhr.content.install import install_bundled_content
    from schoolhr.faq.models import FaqEntry

    files: dict[str, bytes | str | Callable[[Path], bytes | str]] = {}
    for name in ("categories_big5", "yaml_50000_deep_flow", "faq_script", "a_folder_named_md"):
        files.update(CASES[name].files)
    folder = build(tmp_path, Case(files, []))
    if hasattr(os, "mkfifo"):  # a named pipe would block a reader that opened it
        os.mkfifo(folder / "faq" / "pipe.md")
    with caplog.at_level("ERROR"):
        assert install_bundled_content(store, folder) is None
    assert "bundled content rejected" in caplog.text and "不是 UTF-8" in caplog.text
    with store.read() as session:
        assert session.query(FaqEntry).count() == 0


# -- content packs ---------------------------------------------------------------------------


def test_a_content_pack_record_with_markup_is_refused_naming_its_member() -> None:
    from schoolhr.content.pack import validate
    from schoolhr.sync.format import PackError
    from tests.data.hostile.make_hostile import faq_record

    good = faq_record("fine", "休假可以分次請嗎？", "可以，見[規則](https://law.moj.gov.tw/)。")
    assert len(validate("faq", "records/faq.jsonl", [(1, good)])) == 1
    bad = faq_record("bad", "休假可以分次請嗎？", "可以。\n<img src='file:///etc/hostname'>")
    with pytest.raises(PackError) as caught:
        validate("faq", "records/faq.jsonl", [(1, good), (2, bad)])
    message = caught.value.message
    assert "成員「records/faq.jsonl」第 2 筆的欄位「body」" in message
    assert "第 2 行" in message and "<img" in message and "已拒絕匯入" in message


def test_a_content_pack_record_with_a_home_page_source_or_a_bare_flag_is_refused() -> None:
    from schoolhr.content.pack import validate
    from schoolhr.sync.format import PackError
    from tests.data.hostile.make_hostile import faq_record

    home = faq_record("home", "休假可以分次請嗎？", "可以，依規定分次申請。")
    home["sources"] = [{"name": "公務人員請假規則", "url": "https://www.dgpa.gov.tw/"}]
    with pytest.raises(PackError) as caught:
        validate("faq", "records/faq.jsonl", [(1, home)])
    assert "成員「records/faq.jsonl」第 1 筆" in caught.value.message
    assert "是網站首頁" in caught.value.message
    flagged = faq_record("flag", "休假可以分次請嗎？", "可以，依規定分次申請。")
    flagged["needs_review"] = True
    with pytest.raises(PackError, match="複查說明"):
        validate("faq", "records/faq.jsonl", [(1, flagged)])
    flagged["review_note"] = "分次的最小單位待對照現行條文"
    assert len(validate("faq", "records/faq.jsonl", [(1, flagged)])) == 1


def test_a_signed_content_pack_with_markup_is_refused_and_nothing_changes(
    tmp_path: Path, store: Store
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from schoolhr.sync import service as sync
    from schoolhr.sync import signing
    from schoolhr.sync.format import PackError
    from tests.data.hostile.make_hostile import faq_record, write_pack

    key = Ed25519PrivateKey.generate()
    with store.write() as session:
        signing.trust(session, key.public_key(), "測試縣")
    guide_record = yaml.safe_load(guide("hostile-guide", "第一行\n[x](javascript:alert(1))"))
    guide_record["checked"] = "2026-11-01"
    system = {"code": "webitr", "name": "WebITR 差勤系統"}
    for members, member in (
        ({"faq": [faq_record("x", "<script>alert(1)</script>休假？", "答案" * 10)]}, "faq"),
        ({"guide_systems": [system], "guides": [guide_record]}, "guides"),
    ):
        pack = write_pack(
            tmp_path / f"{member}.zip", "content", members, key=key, content_version=3
        )
        with pytest.raises(PackError, match=f"成員「records/{member}.jsonl」第 1 筆"):
            sync.plan_import(store, pack)
    from schoolhr.faq.models import FaqEntry

    with store.read() as session:
        assert session.query(FaqEntry).count() == 0


# -- the command -----------------------------------------------------------------------------


def test_the_command_reports_every_hostile_file_without_a_traceback(tmp_path: Path) -> None:
    """All the cases in one folder, through ``python -m schoolhr content check DIR``."""
    files: dict[str, bytes | str | Callable[[Path], bytes | str]] = {}
    expect: list[tuple[str, int, str]] = []
    for name in sorted(CASES):
        if name in {"categories_2_mb"}:  # the same file as categories_big5
            continue
        files.update(CASES[name].files)
        expect.extend(CASES[name].expect)
    folder = build(tmp_path, Case(files, expect))
    data = tmp_path / "cli-data"  # an unused data folder: it must stay unused
    before = tree(tmp_path)
    env = {**os.environ, "SCHOOLHR_DATA_DIR": str(data), "PYTHONIOENCODING": "utf-8"}
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "schoolhr", "content", "check", str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert elapsed < SECONDS_LIMIT, f"{elapsed:.1f} s"
    assert run.returncode == 1, (run.returncode, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    lines = run.stdout.splitlines()
    assert all(re.match(r"^.+:\d+: \S", line) for line in lines), lines
    for file, line, words in expect:
        prefix = expected_prefix(folder, file, line)
        assert any(out.startswith(prefix) and words in out for out in lines), (prefix, words)
    assert "個問題" in run.stderr
    assert tree(tmp_path) == before, "files written"
    assert not data.exists() and not (tmp_path / MARKER).exists()


def test_the_county_cannot_export_a_pack_schools_would_refuse(store: Store) -> None:
    """An answer with HTML already in the county's database (edited before the check) stops
    the export with what to fix, instead of a pack every school refuses."""
    from schoolhr.content.pack import export_records
    from schoolhr.errors import UserFileError
    from schoolhr.faq import service
    from schoolhr.faq.schema import FaqEntryData
    from tests.data.hostile.make_hostile import faq_record

    body = "可以，依規定辦理。\n\n<iframe src='https://evil.example/'></iframe>"
    with store.write() as session:
        service.add_version(
            session,
            FaqEntryData.model_validate(faq_record("old", "舊的答案？", body)),
            publish=True,
        )
    with store.read() as session, pytest.raises(UserFileError) as caught:
        export_records(session, TEST_CONTENT, store.paths.root)
    message = caught.value.message
    assert "常見問答「舊的答案？」的「答案」第 3 行" in message and "內容包未匯出" in message
