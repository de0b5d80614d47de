"""Two writers at once: the window and the command line, or two staff at the county, doing the
same thing at the same moment. Two real processes (``schoolhr …``) are started together on
one profile, many times, for each import and action that writes:

- the same contacts workbook imported twice: each person once;
- the same school pack imported twice at the county: its claims once, one exchange;
- two regroupings: every person in at most one group, the groups whole;
- two restores of one backup: the backup's data, a sound database.

The loser either finds nothing left to do or stops with its zh-TW sentence; nothing is half
written, nothing is doubled, no stray file is left. Figures: runs, duplicates (0), partial
states (0), stray files (0).

A property test then interleaves the preview and the import of several contacts imports in
every order Hypothesis finds: an import whose preview no longer holds writes nothing.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schoolhr.contacts import service as contacts
from schoolhr.contacts.formats import xlsx_format
from schoolhr.contacts.peer_groups import service as groups
from schoolhr.contacts.records import FIELD_LABELS, validate
from schoolhr.paths import DataPaths, prepare_data_dir
from schoolhr.rewards import service as rewards
from schoolhr.startup import open_profile
from schoolhr.store.database import Store, open_store, update_site
from schoolhr.sync import service as sync
from tests.benchmarks.bench_contacts_import import people
from tests.reliability.support import EXAMPLES, Figures, integrity_problems

ROOT = Path(__file__).resolve().parents[2]
RUNS = max(3, int(os.environ.get("SCHOOLHR_RELIABILITY_ROUNDS", "20")) // 5)
PEOPLE = 300


def count(database: Path, sql: str) -> int:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return int(connection.execute(sql).fetchone()[0])
    finally:
        connection.close()


def stray(paths: DataPaths) -> list[str]:
    """Files no finished action should leave: partial backups, journals, staging, previews."""
    found = [p.name for p in paths.backups.iterdir() if ".partial" in p.name]
    found += [str(p) for p in (paths.root / "sync" / "staging").glob("*")]
    found += [str(p) for p in paths.temporary.glob("*")] if paths.temporary.exists() else []
    found += [p.name for p in paths.root.glob("*-journal")]
    return found


def at_once(paths: DataPaths, *commands: list[str]) -> list[tuple[int, str]]:
    """Start the commands together on one profile; (exit code, stderr) of each."""
    env = {k: v for k, v in os.environ.items() if k != "SCHOOLHR_DATA_DIR"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "schoolhr", "--data-dir", str(paths.root), *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    return [(run.wait(timeout=300), run.communicate()[1]) for run in runs]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("two-writers") / "contacts.xlsx"
    xlsx_format.write(target, [validate(p) for p in people(PEOPLE, 5)], list(FIELD_LABELS))
    return target


def _runs(
    figures: Figures,
    tmp_path: Path,
    name: str,
    prepare: Callable[[DataPaths], list[str]],
    check: Callable[[DataPaths, list[tuple[int, str]]], int],
) -> None:
    """``RUNS`` times: a fresh profile, ``prepare`` it (returns the command), run the command
    twice at once, ``check`` (returns the duplicates found); stray files and soundness too."""
    duplicates = partial = strays = 0
    for number in range(RUNS):
        paths = prepare_data_dir(tmp_path / f"{name}-{number}")
        command = prepare(paths)
        results = at_once(paths, command, command)
        for code, err in results:
            assert code in (0, 4, 7), f"{name}: exit {code}\n{err}"
            assert "未預期" not in err, err
        duplicates += check(paths, results)
        partial += bool(integrity_problems(paths.database))
        strays += len(stray(paths))
    assert (duplicates, partial, strays) == (0, 0, 0)
    figures.add(
        f"two writers, {name}: {RUNS} runs of two processes at once, {duplicates} duplicates, "
        f"{partial} partial states, {strays} stray files"
    )


def test_the_same_workbook_imported_twice_at_once(
    tmp_path: Path, workbook: Path, figures: Figures
) -> None:
    def prepare(paths: DataPaths) -> list[str]:
        open_store(paths).close()
        return ["contacts", "import", str(workbook)]

    def check(paths: DataPaths, results: list[tuple[int, str]]) -> int:
        assert sorted(code for code, _err in results) in ([0, 0], [0, 7]), results
        return count(paths.database, "SELECT count(*) FROM contact") - PEOPLE

    _runs(figures, tmp_path, "contacts import", prepare, check)


def _school_pack(folder: Path) -> Path:
    school = open_profile(prepare_data_dir(folder / "school"))
    try:
        update_site(school, name="松風國小")
        with school.write() as session:
            ids = [contacts.save_contact(session, validate(p)) for p in people(20, 9)]
        with school.read() as session:
            kind = rewards.current_rules(session).kinds[0].id
        for person in ids[:10]:
            rewards.claim(school, person, kind, date.today() - timedelta(days=3), "協助鄰校")
        pack = folder / "school.zip"
        sync.export_pack(school, "data", pack)
        return pack
    finally:
        school.close()


def test_the_same_pack_imported_twice_at_once_at_the_county(
    tmp_path: Path, figures: Figures
) -> None:
    pack = _school_pack(tmp_path)

    def prepare(paths: DataPaths) -> list[str]:
        county = open_profile(paths)
        update_site(county, name="範例縣人事處", role="county")
        county.close()
        return ["pack", "import", str(pack)]

    def check(paths: DataPaths, results: list[tuple[int, str]]) -> int:
        assert sorted(code for code, _err in results) == [0, 4], results
        refused = next(err for code, err in results if code == 4)
        assert "匯入過" in refused
        entries = count(paths.database, "SELECT count(*) FROM reward_entry")
        exchanges = count(paths.database, "SELECT count(*) FROM sync_exchange")
        people_in = count(paths.database, "SELECT count(*) FROM contact")
        return (entries - 10) + (exchanges - 1) + (people_in - 20)

    _runs(figures, tmp_path, "pack import at the county", prepare, check)


def test_two_regroupings_at_once(tmp_path: Path, figures: Figures) -> None:
    def prepare(paths: DataPaths) -> list[str]:
        store = open_profile(paths)
        with store.write() as session:
            for person in people(40, 3):
                contacts.save_contact(session, validate(person))
        store.close()
        return ["contacts", "groups", "build"]

    def check(paths: DataPaths, results: list[tuple[int, str]]) -> int:
        assert [code for code, _err in results] == [0, 0], results
        members = count(paths.database, "SELECT count(*) FROM peer_group_member")
        distinct = count(paths.database, "SELECT count(DISTINCT contact_id) FROM peer_group_member")
        store = open_store(paths, daily_backup=False)
        try:
            with store.read() as session:
                views = groups.list_groups(session)
        finally:
            store.close()
        assert all(7 <= len(v.members) <= 9 for v in views)
        return members - distinct

    _runs(figures, tmp_path, "regrouping", prepare, check)


def test_two_restores_of_one_backup_at_once(
    tmp_path: Path, workbook: Path, figures: Figures
) -> None:
    def prepare(paths: DataPaths) -> list[str]:
        store = open_store(paths)
        backup = store.backup("manual").path
        plan = _plan(store, workbook)
        contacts.apply_import(store, plan, merge_duplicates=False)
        store.close()
        return ["restore", str(backup)]

    def check(paths: DataPaths, results: list[tuple[int, str]]) -> int:
        assert [code for code, _err in results] == [0, 0], results
        return count(paths.database, "SELECT count(*) FROM contact")  # the backup had none

    _runs(figures, tmp_path, "restore", prepare, check)


def _plan(store: Store, workbook: Path) -> contacts.ImportPlan:
    read = contacts.read_import_file(workbook)
    with store.read() as session:
        return contacts.plan_import(session, read.rows, read.rejected)


# -- interleavings ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("interleavings") / "contacts.xlsx"
    xlsx_format.write(target, [validate(p) for p in people(40, 8)], list(FIELD_LABELS))
    return target


@settings(
    max_examples=EXAMPLES or 25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.permutations(["plan-0", "plan-1", "plan-2", "apply-0", "apply-1", "apply-2"]),
    merge=st.booleans(),
)
def test_any_interleaving_of_previews_and_imports_adds_each_person_once(
    tmp_path_factory: pytest.TempPathFactory,
    small_workbook: Path,
    steps: list[str],
    merge: bool,
) -> None:
    store = open_store(prepare_data_dir(tmp_path_factory.mktemp("interleaving") / "data"))
    try:
        plans: dict[str, contacts.ImportPlan] = {}
        went_in = 0
        for step in steps:
            action, who = step.split("-")
            if action == "plan":
                plans[who] = _plan(store, small_workbook)
                continue
            if who not in plans:  # an import is always previewed first
                plans[who] = _plan(store, small_workbook)
            try:
                summary = contacts.apply_import(store, plans[who], merge_duplicates=merge)
                went_in += summary.added > 0
            except contacts.PlanChangedError:
                pass
        assert count(store.paths.database, "SELECT count(*) FROM contact") == 40
        assert went_in == 1
    finally:
        store.close()
