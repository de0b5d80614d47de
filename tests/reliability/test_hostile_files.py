"""Hostile files: every file of the corpus is refused with a specific zh-TW message, or imported
safely, by every importer (contacts xlsx/CSV/vCard, data and content packs, backups given to
restore, public keys given to trust).

The corpus is tests/data/hostile/ (small files, committed) plus what make_hostile.py generates
for the run (large and binary files; content packs signed with the run's county key, data packs
with the sending school's own key); README.md there has the table. Each file is imported in a
forked child, the way the app does it (read, plan, back up, apply), where it would be imported:
contacts, backups, keys and content packs at a school that trusts the run's county key, data
packs (a school's) at the county. The child checks, around the import: the database's rows
(unchanged when refused), every file below the test's folder and the corpus folders (nothing
new outside the data folder's backups and installed pictures, no staging left), its peak
memory and its time.

Each refusal's exit code is checked too (4 for a refused file, 5 or 6 where a case says so),
and a sample of each class goes through the real ``python -m schoolhr`` command as well.

Figure: 100 % of the files refused or imported with a specific message; 0 files written outside
staging; 0 database changes on refusal; peak memory under 512 MB and under 10 s per file.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from schoolhr.contacts import service as contacts
from schoolhr.contacts.formats import (  # loaded here, not in each child
    csv_format,
    vcard,
    xlsx_format,
)
from schoolhr.contacts.models import Contact
from schoolhr.errors import ExitCode, UserError
from schoolhr.paths import ENV_DATA_DIR, DataPaths
from schoolhr.store.database import Store, open_store, restore_backup
from schoolhr.sync import service as sync
from tests.data.hostile import make_hostile
from tests.reliability.support import (
    ChildRun,
    Figures,
    content_digest,
    copy_profile,
    integrity_problems,
    start_child,
    tree,
    wait_child,
)

MEMORY_LIMIT_MB = 512
SECONDS_LIMIT = 10.0
PARALLEL = 4
CJK = re.compile(r"[\u4e00-\u9fff]")
# Where an import may write in the data folder: the database, the "pre-import" backup, and the
# guide pictures a content pack installs.
ALLOWED = re.compile(
    r"^data/(schoolhr\.sqlite3(-wal|-shm)?|backups/.+|content/guides/pictures/.+)$"
)
HISTORY = ("sync_exchange", "operation_log")  # a replayed pack is recorded, nothing else
SCHOOL, COUNTY = "school", "county"


Check = Callable[[Store, DataPaths], list[str]]


@dataclass(frozen=True)
class Case:
    """What a file attacks and what must happen. ``expect`` is "refused" (a UserError whose
    message matches ``message``) or "imported": ``added`` contacts (contacts files) or pack
    records changed, and ``rejected`` rows, each with a reason matching ``message``. ``replay``:
    the file is imported once before (and must go in then). ``site``: where it is imported, a
    school (``SCHOOL``) or the county (``COUNTY``: schools' data packs)."""

    importer: str
    expect: str
    message: str = ""
    added: int = 0
    rejected: int = 0
    replay: bool = False
    check: Check | None = None
    site: str = SCHOOL
    exit_code: ExitCode = ExitCode.FILE  # of a refusal: the file's content was refused


def data_pack(expect: str, message: str = "", **options: Any) -> Case:
    """A data pack from a school (or a file that pretends to be one), imported at the county."""
    return Case("pack", expect, message, site=COUNTY, **options)


def names_are(*expected: str) -> Check:
    def check(store: Store, _paths: DataPaths) -> list[str]:
        with store.read() as session:
            stored = set(session.scalars(select(Contact.name)))
        missing = set(expected) - stored
        return [f"stored names {sorted(stored)!r} miss {sorted(missing)!r}"] if missing else []

    return check


def no_control_characters(store: Store, _paths: DataPaths) -> list[str]:
    with store.read() as session:
        rows = session.execute(select(Contact.name, Contact.school, Contact.notes)).all()
    return [f"control character kept in {row!r}" for row in rows if "\x00" in "".join(row)]


def picture_is_a_plain_file(_store: Store, paths: DataPaths) -> list[str]:
    installed = paths.root / "content" / "guides" / "pictures" / "link.png"
    if installed.is_symlink() or not installed.is_file():
        return [f"{installed} is not a plain file"]
    return [] if installed.read_bytes() == b"/etc/passwd" else ["the picture's bytes changed"]


def nothing_at_the_absolute_target(_store: Store, _paths: DataPaths) -> list[str]:
    target = Path(make_hostile.ABSOLUTE_TARGET)
    return [f"{target} was written"] if target.exists() else []


def site_is(expected: str) -> Check:
    """After a restore: the restored database's site, and nothing left in the profile's tmp."""

    def check(store: Store, paths: DataPaths) -> list[str]:
        problems = [] if store.site().name == expected else [f"site {store.site().name!r}"]
        if paths.temporary.exists() and any(paths.temporary.iterdir()):
            problems.append(f"left in tmp: {sorted(p.name for p in paths.temporary.iterdir())}")
        return problems

    return check


FORMULA_NAMES = names_are('=HYPERLINK("http://evil.example/","點我")', "=cmd|' /C calc'!A0")
DAMAGED_XLSX = "內容已損壞或格式無法辨識"
NOT_WHOLE = "不是完整的交換檔"
UNSAFE_PATH = "不安全或不認得的成員路徑"
NOT_BACKUP = "不是學校人事小幫手的備份檔"
NO_NAME = "找不到「姓名」欄"

CASES: dict[str, Case] = {
    # -- CSV ---------------------------------------------------------------------------------
    "csv_bom_utf8.csv": Case("contacts", "imported", added=1, check=names_are("王小明")),
    "csv_cp950.csv": Case("contacts", "imported", added=2, check=names_are("王小明", "林怡君")),
    "csv_cp950_user_defined.csv": Case("contacts", "refused", "自行造字"),
    "csv_nul_bytes.csv": Case("contacts", "imported", added=1, check=no_control_characters),
    "csv_formula_cells.csv": Case("contacts", "imported", added=3, check=FORMULA_NAMES),
    "csv_utf16.csv": Case("contacts", "refused", "UTF-16"),
    "csv_unclosed_quote.csv": Case("contacts", "imported", added=1),
    "csv_too_many_columns.csv": Case("contacts", "refused", "超過 200 欄"),
    "csv_long_name.csv": Case("contacts", "imported", "姓名太長", added=1, rejected=1),
    "csv_no_name_column.csv": Case("contacts", "imported", NO_NAME, rejected=1),
    "csv_empty.csv": Case("contacts", "imported", NO_NAME, rejected=1),
    "csv_only_bom.csv": Case("contacts", "imported", NO_NAME, rejected=1),
    "csv_html_script.csv": Case(
        "contacts", "imported", added=1, check=names_are("<script>alert(1)</script>")
    ),
    "csv_newlines_in_cells.csv": Case("contacts", "imported", added=1),
    "csv_semicolon_separated.csv": Case("contacts", "imported", added=1, check=names_are("王小明")),
    "txt_tab_separated.txt": Case(
        "contacts", "imported", added=2, check=names_are("陳大文", "林怡君")
    ),
    "csv_gbk.csv": Case("contacts", "refused", "簡體中文（GBK）.*第 2、3、4 列.*CSV UTF-8"),
    "csv_impossible_consent_date.csv": Case(
        "contacts", "imported", "^同意日期「", added=1, rejected=3, check=names_are("陳大文")
    ),
    "csv_bidi_override.csv": Case("contacts", "imported", added=1),
    "csv_binary_garbage.csv": Case("contacts", "refused", "既不是 UTF-8 也不是 Big5"),
    "csv_rows_over_limit.csv": Case("contacts", "refused", "超過 50,000 列"),
    "csv_over_20_mb.csv": Case("contacts", "refused", "超過 CSV 匯入上限"),
    "csv_19_million_line_breaks.csv": Case("contacts", "refused", "超過 1,048,576 列"),
    # -- vCard -------------------------------------------------------------------------------
    "vcf_long_name.vcf": Case("contacts", "imported", "姓名太長", added=1, rejected=1),
    "vcf_nul_bytes.vcf": Case("contacts", "imported", added=1, check=no_control_characters),
    "vcf_bom.vcf": Case("contacts", "imported", added=1, check=names_are("王小明")),
    "vcf_cp950.vcf": Case("contacts", "imported", added=1, check=names_are("王小明")),
    "vcf_cp950_user_defined.vcf": Case("contacts", "refused", "自行造字"),
    "vcf_no_cards.vcf": Case("contacts", "refused", "沒有聯絡人名片"),
    "vcf_unterminated.vcf": Case("contacts", "refused", "沒有聯絡人名片"),
    "vcf_broken_card.vcf": Case("contacts", "imported", "格式有誤", added=2, rejected=1),
    "vcf_formula_name.vcf": Case(
        "contacts", "imported", added=1, check=names_are("=cmd|' /C calc'!A0")
    ),
    "vcf_html_note.vcf": Case(
        "contacts", "imported", added=1, check=names_are("<script>alert(1)</script>")
    ),
    "vcf_utf16.vcf": Case("contacts", "refused", "文字編碼無法辨識"),
    "vcf_bad_quoted_printable.vcf": Case("contacts", "imported", "格式有誤", added=1, rejected=1),
    "vcf_base64_names.vcf": Case(
        "contacts", "imported", added=3, check=names_are("陳大文", "許功蓋", "林怡君")
    ),
    "vcf_base64_wrong_charset.vcf": Case(
        "contacts",
        "imported",
        "不是註明的 UTF-8 文字",
        added=1,
        rejected=1,
        check=names_are("林怡君"),
    ),
    "vcf_quoted_printable_big5.vcf": Case(
        "contacts", "imported", added=1, check=names_are("許功蓋")
    ),
    "vcf_gbk.vcf": Case("contacts", "refused", "簡體中文（GBK）.*第 1、2 張名片"),
    "vcf_v21_photo.vcf": Case("contacts", "imported", added=1, check=names_are("王小明")),
    "vcf_photo_1mb.vcf": Case("contacts", "imported", added=1, check=names_are("王小明")),
    "vcf_folded_200000_times.vcf": Case("contacts", "imported", "超過 2,000 行", rejected=1),
    "vcf_500000_parameters.vcf": Case("contacts", "imported", "參數超過", added=1, rejected=1),
    "vcf_1000_cards.vcf": Case("contacts", "imported", added=1000),
    "vcf_over_card_limit.vcf": Case("contacts", "refused", "超過一次匯入的上限 5,000 張"),
    "vcf_over_20_mb.vcf": Case("contacts", "refused", "超過 vCard 匯入上限"),
    # -- xlsx --------------------------------------------------------------------------------
    "xlsx_xxe_file_entity.xlsx": Case("contacts", "refused", DAMAGED_XLSX),
    "xlsx_billion_laughs.xlsx": Case("contacts", "refused", DAMAGED_XLSX),
    "xlsx_dimension_claims_1048576_rows.xlsx": Case("contacts", "imported", added=2),
    "xlsx_row_1048576.xlsx": Case("contacts", "refused", "超過 50,000 列資料"),
    "xlsx_column_xfd.xlsx": Case("contacts", "refused", "超過 200 欄"),
    "xlsx_bad_shared_string_index.xlsx": Case("contacts", "refused", DAMAGED_XLSX),
    "xlsx_zip_bomb.xlsx": Case("contacts", "refused", "解壓縮後太大"),
    "xlsx_zip_bomb_lying_sizes.xlsx": Case("contacts", "refused", "檔案已損壞"),
    "xlsx_zip_version_99.xlsx": Case("contacts", "refused", "無法讀取的壓縮格式"),
    "xlsx_wrong_signature.xlsx": Case("contacts", "refused", "改了副檔名"),
    "xlsx_old_xls.xlsx": Case("contacts", "refused", "舊版 Excel 檔"),
    "xlsx_encrypted.xlsx": Case("contacts", "refused", "密碼保護"),
    "xlsx_truncated.xlsx": Case("contacts", "refused", "檔案已損壞"),
    "xlsx_zip_slip_member.xlsx": Case("contacts", "imported", added=2),
    "xlsx_ods_mimetype.xlsx": Case("contacts", "refused", "ODF 試算表"),
    "xlsx_xlsb.xlsx": Case("contacts", "refused", "二進位活頁簿"),
    "xlsx_formula_cells.xlsx": Case("contacts", "imported", added=3, check=FORMULA_NAMES),
    "xlsx_long_name.xlsx": Case("contacts", "imported", "姓名太長", added=1, rejected=1),
    "xlsx_control_characters.xlsx": Case(
        "contacts", "imported", added=1, check=names_are("王小明")
    ),
    "xlsx_shared_strings_3_million.xlsx": Case("contacts", "refused", "共用字串超過 200,000 筆"),
    "xlsx_shared_string_100_mb.xlsx": Case("contacts", "refused", "共用字串文字超過 20,000,000 字"),
    "xlsx_shared_strings_2_million_runs.xlsx": Case(
        "contacts", "refused", "共用字串含有格式化文字.*超過 50,000 段"
    ),
    "xlsx_styles_300000_records.xlsx": Case(
        "contacts", "refused", "樣式表有超過 20,000 個格式設定"
    ),
    "xlsx_row_of_3_million_cells.xlsx": Case(
        "contacts", "refused", "工作表「聯絡人」第 2 列的儲存格超過 16,384 個"
    ),
    "xlsx_5_million_empty_rows.xlsx": Case(
        "contacts", "refused", "工作表「聯絡人」超過 200,000 列"
    ),
    # -- packs (content packs at a school, everything else as a school's data pack) ----------
    "pack_not_a_zip.zip": data_pack("refused", NOT_WHOLE),
    "pack_empty.zip": data_pack("refused", NOT_WHOLE),
    "pack_truncated.zip": data_pack("refused", NOT_WHOLE),
    "pack_zip_version_99.zip": data_pack("refused", "不支援的壓縮方式"),
    "pack_zip_slip_parent.zip": data_pack("refused", UNSAFE_PATH),
    "pack_zip_slip_absolute.zip": data_pack(
        "refused", UNSAFE_PATH, check=nothing_at_the_absolute_target
    ),
    "pack_zip_slip_backslash.zip": data_pack("refused", UNSAFE_PATH),
    "pack_zip_slip_drive_letter.zip": data_pack("refused", UNSAFE_PATH),
    "pack_zip_bomb.zip": data_pack("refused", "壓縮炸彈"),
    "pack_zip_bomb_ratio.zip": data_pack("refused", "壓縮比異常"),
    "pack_zip_bomb_lying_sizes.zip": data_pack("refused", "已損毀"),
    "pack_content_other_key.zip": Case("pack", "refused", "不在信任清單中"),
    "pack_content_unsigned.zip": Case("pack", "refused", "沒有簽章"),
    "pack_content_version_bumped.zip": Case("pack", "refused", "簽章驗證失敗"),
    "pack_content_replayed.zip": Case("pack", "refused", "不能以相同或較舊的版本覆蓋", replay=True),
    "pack_content_hostile_markup.zip": Case(
        "pack", "refused", "成員「records/faq.jsonl」第 1 筆.*不符合內容格式"
    ),
    "pack_symlink_member.zip": Case("pack", "imported", added=1, check=picture_is_a_plain_file),
    "pack_data_replayed.zip": data_pack("refused", "匯入過", replay=True),
    "pack_data_unsigned.zip": data_pack("refused", "沒有簽章"),
    "pack_data_signature_mismatch.zip": data_pack("refused", "簽章驗證失敗"),
    "pack_data_self_approved.zip": data_pack("refused", "學校只能申報"),
    "pack_no_manifest.zip": data_pack("refused", "沒有清單"),
    "pack_newer_format.zip": data_pack("refused", "較新版本"),
    "pack_manifest_not_json.zip": data_pack("refused", "無法解讀"),
    "pack_huge_manifest.zip": data_pack("refused", "大小與宣告不符"),
    "pack_member_hash_mismatch.zip": data_pack("refused", "檢查碼不符"),
    "pack_duplicate_members.zip": data_pack("refused", "重複出現"),
    "pack_encrypted_member.zip": data_pack("refused", "經過加密"),
    "pack_bad_json_line.zip": data_pack("refused", "不是有效的 JSON"),
    "pack_unknown_record_type.zip": data_pack("refused", "不認得"),
    "pack_data_with_picture.zip": data_pack("refused", "資料包不應含有成員"),
    "pack_too_many_members.zip": data_pack("refused", "超過上限 5000"),
    "pack_long_name.zip": data_pack("refused", "欄位「name」有誤"),
    "pack_formula_text.zip": data_pack("imported", added=1, check=names_are("=cmd|' /C calc'!A0")),
    "pack_nul_in_record.zip": data_pack("imported", added=1),
    "pack_entry_for_unknown_person.zip": data_pack("refused", "申報的人員不是該校的聯絡人"),
    "pack_json_huge_float_manifest.zip": data_pack("refused", "「1e999」超出可表示的範圍"),
    "pack_json_deep_nesting_record.zip": data_pack("refused", "巢狀超過 32 層"),
    "pack_json_5000_digit_number.zip": data_pack("refused", "5,000 位數，超過上限 20 位"),
    "pack_points_out_of_range.zip": data_pack("refused", "欄位「points」有誤"),
    "pack_years_out_of_range.zip": data_pack("refused", "欄位「years」有誤"),
    "pack_id_beyond_int64.zip": data_pack("refused", "欄位「rule_version」有誤"),
    "pack_checklist_bogus_template_data.zip": data_pack("refused", "欄位「template_data」有誤"),
    "pack_content_bad_created_at.zip": Case("pack", "refused", "建立時間（created_at）有誤"),
    "pack_content_version_huge.zip": Case("pack", "refused", "內容版本 .* 超出範圍"),
    # -- files given to restore --------------------------------------------------------------
    "restore_not_sqlite.sqlite3": Case("restore", "refused", NOT_BACKUP),
    "restore_empty.sqlite3": Case("restore", "refused", NOT_BACKUP),
    "restore_flipped_bytes.sqlite3": Case(
        "restore", "refused", "已損毀|未通過完整性檢查", exit_code=ExitCode.DATABASE_DAMAGED
    ),
    "restore_truncated.sqlite3": Case(
        "restore", "refused", "已損毀|未通過完整性檢查", exit_code=ExitCode.DATABASE_DAMAGED
    ),
    "restore_newer_schema.sqlite3": Case(
        "restore", "refused", "較新版本", exit_code=ExitCode.DATABASE_NEWER
    ),
    "restore_foreign_sqlite.sqlite3": Case("restore", "refused", "沒有資料庫結構版本"),
    "restore_foreign_with_our_revision.sqlite3": Case("restore", "refused", NOT_BACKUP),
    "restore_foreign_with_old_revision.sqlite3": Case(
        "restore", "refused", "不是可用的學校人事小幫手備份檔.*0005_guides"
    ),
    "restore_missing_contact_table.sqlite3": Case("restore", "refused", "缺少資料表「contact」"),
    "restore_other_application_id.sqlite3": Case("restore", "refused", NOT_BACKUP + ".*0x12345678"),
    "restore_page_size_65536.sqlite3": Case(
        "restore", "imported", added=1, check=site_is(make_hostile.PAGE_SIZE_SITE_NAME)
    ),
    "restore_schema_0001.sqlite3": Case(
        "restore", "imported", added=1, check=site_is("宜蘭縣立示範國民小學")
    ),
    "restore_live_copy_with_wal.sqlite3": Case(
        "restore", "imported", added=1, check=site_is(make_hostile.WAL_SITE_NAME)
    ),
    # -- files given to trust as the county's public key -------------------------------------
    "key_not_pem.pem": Case("key", "refused", "不是有效的公鑰檔"),
    "key_empty.pem": Case("key", "refused", "不是有效的公鑰檔"),
    "key_rsa.pub.pem": Case("key", "refused", "不是 Ed25519 公鑰"),
    "key_private_given_as_public.pem": Case("key", "refused", "不是有效的公鑰檔"),
}


@functools.cache
def fresh_process_mb() -> float:
    """Peak memory of a fresh process that has loaded every importer: what an import starts
    from in the app or the command. A forked child starts from the test process instead (all
    of pytest and the suite's modules, hundreds of MB late in a full run), so a file's memory
    is this plus the child's growth, not the child's own peak."""
    script = (
        "import schoolhr.contacts.service, schoolhr.sync.service, schoolhr.store.database\n"
        "from schoolhr.contacts.formats import csv_format, vcard, xlsx_format\n"
        "from pathlib import Path\n"  # VmHWM: ru_maxrss would keep the parent's, across exec
        "print(next(l for l in Path('/proc/self/status').read_text().splitlines()"
        " if l.startswith('VmHWM:')).split()[1])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return int(out.split()[-1]) / 1024  # KiB on Linux


KNOWN_BUGS: dict[str, str] = {}  # file -> the bug it shows (xfail), none open now
FORMATS = (csv_format, vcard, xlsx_format)


@pytest.fixture(scope="session")
def corpus(
    tmp_path_factory: pytest.TempPathFactory, county_key: Ed25519PrivateKey, template_db: Path
) -> dict[str, Path]:
    """Every hostile file by name: the committed ones and those generated for this run."""
    generated = make_hostile.generate(tmp_path_factory.mktemp("hostile"), county_key, template_db)
    return {path.name: path for path in [*make_hostile.committed(), *generated]}


def _import(case: Case, store: Store, paths: DataPaths, path: Path) -> dict[str, object]:
    """Run one importer the way the app does; what happened, as JSON."""
    if case.importer == "contacts":
        read = contacts.read_import_file(path)
        with store.read() as session:
            plan = contacts.plan_import(session, read.rows, read.rejected)
        summary = contacts.apply_import(store, plan, merge_duplicates=False)
        reasons = [r.reason for r in plan.rejected]
        return {"outcome": "imported", "added": summary.added, "reasons": reasons}
    if case.importer == "pack":
        pack_plan = sync.plan_import(store, path)
        sync.apply_import(store, pack_plan)
        return {"outcome": "imported", "added": len(pack_plan.items), "reasons": []}
    if case.importer == "key":
        sync.key_info(path)
        sync.trust_key(store, path)
        return {"outcome": "imported", "added": 1, "reasons": []}
    store.close()
    restore_backup(paths, path)
    return {"outcome": "imported", "added": 1, "reasons": []}


def _watched(root: Path, corpus_folders: list[Path]) -> dict[str, tuple[int, int]]:
    found = {f"{path}": value for path, value in tree(root).items()}
    for folder in corpus_folders:
        found.update({f"corpus:{folder.name}/{p}": v for p, v in tree(folder).items()})
    return found


def _work(case: Case, paths: DataPaths, path: Path, root: Path) -> Callable[..., None]:
    corpus_folders = [make_hostile.HERE, path.parent]

    def work(send: Callable[[object], None]) -> None:
        store = open_store(paths, daily_backup=False)
        try:
            if case.replay:
                sync.import_pack(store, path)
            digest_skip = HISTORY if case.replay else ()
            rows_before = content_digest(paths.database, digest_skip)
            files_before = _watched(root, corpus_folders)
            try:
                result = _import(case, store, paths, path)
            except UserError as exc:
                result = {
                    "outcome": "refused",
                    "message": exc.message,
                    "type": type(exc).__name__,
                    "exit_code": int(exc.exit_code),
                }
            files_after = _watched(root, corpus_folders)
            result["rows_unchanged"] = content_digest(paths.database, digest_skip) == rows_before
            result["new_files"] = sorted(
                name
                for name, stat in files_after.items()
                if files_before.get(name) != stat and not ALLOWED.match(name)
            )
            result["staging_left"] = (paths.root / "sync" / "staging").exists() and any(
                (paths.root / "sync" / "staging").iterdir()
            )
            result["integrity"] = integrity_problems(paths.database)
            if case.check is not None and result["outcome"] == "imported":
                check_store = open_store(paths, daily_backup=False)
                try:
                    result["check"] = case.check(check_store, paths)
                finally:
                    check_store.close()
            elif case.check is not None:
                result["check"] = case.check(store, paths)
            send({"kind": "result", "value": result})
        finally:
            store.close()

    return work


@pytest.fixture(scope="module")
def outcomes(
    corpus: dict[str, Path],
    template_db: Path,
    county_template_db: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, ChildRun]:
    """Every file imported in its own forked child, ``PARALLEL`` at a time (an import mostly
    waits for the disk to sync, so the two cores serve more than two), each in a folder of its
    own holding a copy of the template database: the school's, or the county's for the files
    a school sends it (``Case.site``)."""
    templates = {SCHOOL: template_db, COUNTY: county_template_db}
    runs: dict[str, ChildRun] = {}
    running: deque[tuple[str, int, int]] = deque()
    for name in sorted(CASES):
        root = tmp_path_factory.mktemp("hostile-case")
        paths = copy_profile(templates[CASES[name].site], root / "data")
        pid, read_fd = start_child(_work(CASES[name], paths, corpus[name], root))
        running.append((name, pid, read_fd))
        while len(running) >= PARALLEL or (running and name == max(CASES)):
            done, pid, read_fd = running.popleft()
            runs[done] = wait_child(pid, read_fd, timeout_s=3 * SECONDS_LIMIT)
    return runs


Results = dict[str, dict[str, float | str]]
"""Per file: its outcome, seconds, peak memory of an import from a fresh process, growth."""


def describe(results: Results) -> str | None:
    if not results:
        return None
    refused = sum(1 for r in results.values() if r["outcome"] == "refused")
    slowest = max(results.items(), key=lambda item: float(item[1]["seconds"]))
    peak = max(float(r["peak_mb"]) for r in results.values())
    growth = max(float(r["growth_mb"]) for r in results.values())
    return (
        f"hostile files: {len(results)} files, {refused} refused and {len(results) - refused} "
        "imported safely, each with its specific message: 100 %; 0 files written outside "
        f"staging; 0 database changes on refusal; peak memory {peak:.0f} MB (a fresh process "
        f"with the importers loaded, {fresh_process_mb():.0f} MB, and at most {growth:.0f} MB "
        f"for a file); slowest {slowest[0]} {slowest[1]['seconds']:.2f} s"
        + (f"; {len(KNOWN_BUGS)} more fail on known bugs (xfail)" if KNOWN_BUGS else "")
    )


@pytest.fixture(scope="session")
def results(figures: Figures) -> Results:
    """The files that passed, for the corpus's line of the figures."""
    return figures.tally("hostile files", Results, describe)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name]))
        if name in KNOWN_BUGS
        else name
        for name in sorted(CASES)
    ],
)
def test_a_hostile_file_is_refused_or_imported_safely(
    name: str, outcomes: dict[str, ChildRun], results: Results
) -> None:
    case = CASES[name]
    run = outcomes[name]
    assert not run.timed_out, f"{name}: still running after {3 * SECONDS_LIMIT:.0f} s (a hang)"
    assert run.error is None, f"{name}: an exception that is not a UserError:\n{run.error}"
    result = run.value("result")
    measured: dict[str, float | str] = {
        "outcome": result["outcome"],
        "seconds": run.elapsed_s,
        "peak_mb": fresh_process_mb() + run.peak_rss_mb - run.start_rss_mb,
        "growth_mb": run.peak_rss_mb - run.start_rss_mb,
    }
    assert result["outcome"] == case.expect, f"{name}: {result}"
    if case.expect == "refused":
        assert re.search(case.message, result["message"]), result["message"]
        assert CJK.search(result["message"]), "the message is not a zh-TW sentence"
        assert result["exit_code"] == case.exit_code, f"{name}: exit code {result['exit_code']}"
        assert result["rows_unchanged"], f"{name}: refused, yet the database changed"
    else:
        assert result["added"] == case.added, f"{name}: {result}"
        assert len(result["reasons"]) == case.rejected, f"{name}: {result['reasons']}"
        assert all(re.search(case.message, reason) for reason in result["reasons"])
        if case.added == 0:
            assert result["rows_unchanged"], f"{name}: nothing to import, yet rows changed"
    assert result["new_files"] == [], f"{name}: files written outside staging"
    assert not result["staging_left"], f"{name}: the staging folder was left behind"
    assert result["integrity"] == [], f"{name}: {result['integrity']}"
    assert result.get("check", []) == [], f"{name}: {result['check']}"
    memory_mb = float(measured["peak_mb"])
    assert memory_mb < MEMORY_LIMIT_MB, f"{name}: peak memory {memory_mb:.0f} MB"
    assert run.elapsed_s < SECONDS_LIMIT, f"{name}: took {run.elapsed_s:.1f} s"
    results[name] = measured


def test_every_hostile_file_has_an_expected_outcome_and_a_readme_row(
    corpus: dict[str, Path],
) -> None:
    readme = (make_hostile.HERE / "README.md").read_text(encoding="utf-8")
    assert set(corpus) == set(CASES)
    listed = set(re.findall(r"^\| `([^`]+)` \|", readme, flags=re.MULTILINE))
    assert listed == set(CASES)
    importers = {case.importer for case in CASES.values()}
    assert importers == {"contacts", "pack", "restore", "key"}
    assert len(CASES) >= 40


# -- the same files through the real command -------------------------------------------------

THROUGH_THE_COMMAND = (
    "csv_19_million_line_breaks.csv",
    "csv_gbk.csv",
    "key_rsa.pub.pem",
    "pack_checklist_bogus_template_data.zip",
    "pack_content_hostile_markup.zip",
    "pack_json_5000_digit_number.zip",
    "pack_json_deep_nesting_record.zip",
    "pack_json_huge_float_manifest.zip",
    "pack_points_out_of_range.zip",
    "restore_foreign_with_our_revision.sqlite3",
    "restore_live_copy_with_wal.sqlite3",
    "restore_newer_schema.sqlite3",
    "restore_page_size_65536.sqlite3",
    "txt_tab_separated.txt",
    "vcf_base64_names.vcf",
    "xlsx_row_of_3_million_cells.xlsx",
    "xlsx_shared_strings_3_million.xlsx",
)
"""One or more files of each class the independent hostile run found (restore candidates, JSON
bombs, out-of-range values, xlsx bombs, content with HTML, base64 vCards, encodings), given to
``python -m schoolhr`` as a clerk or a script gives them: the exit code must be the refusal's
(or 0), never 10, no traceback, and ``doctor`` must find the profile healthy afterwards."""

COMMANDS: dict[str, list[str]] = {
    "contacts": ["contacts", "import"],
    "pack": ["pack", "import"],
    "restore": ["restore"],
    "key": ["pack", "trust", "--yes"],
}


def _command(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ENV_DATA_DIR: str(data), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "schoolhr", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("name", THROUGH_THE_COMMAND)
def test_the_real_command_refuses_or_imports_with_its_exit_code(
    name: str,
    corpus: dict[str, Path],
    template_db: Path,
    county_template_db: Path,
    tmp_path: Path,
) -> None:
    case = CASES[name]
    templates = {SCHOOL: template_db, COUNTY: county_template_db}
    paths = copy_profile(templates[case.site], tmp_path / "data")
    # the first command of the day installs the bundled content and takes the daily backup
    assert _command(paths.root, "faq", "search", "請假").returncode == ExitCode.OK
    before = content_digest(paths.database)

    result = _command(paths.root, *COMMANDS[case.importer], str(corpus[name]))

    expected = case.exit_code if case.expect == "refused" else ExitCode.OK
    output = result.stdout + result.stderr
    assert result.returncode == expected, f"{name}: exit {result.returncode}\n{output}"
    assert "Traceback" not in output and "未預期" not in output, output
    if case.expect == "refused":
        assert re.search(case.message, result.stderr), result.stderr
        assert content_digest(paths.database) == before, f"{name}: refused, yet rows changed"
        return  # the same rows as before: the profile is as usable as it was
    doctor = _command(paths.root, "doctor")
    assert doctor.returncode == ExitCode.OK, f"{name} left the profile unhealthy:\n{doctor.stdout}"
