"""Crash during writes: a child importing contacts, importing data packs, recording points or
taking backups is killed with SIGKILL at a random moment, again and again on the same profile,
as a power cut or a killed process would leave it; the next start must find every committed
record and no half of anything.

Each round forks a child that opens the profile (as the next start of the app would), says
"ready", then repeats its operation and reports each one after it returned (committed). The
test process kills it after a random delay (seeded; the figures name the seed) drawn from about
two operations' time, so the kill falls anywhere: in the "pre-import" backup, inside the
transaction, during the commit. Then, in the test process: the profile opens (quick_check,
write-ahead log recovered), ``integrity_check`` passes, every reported write is there, every
import is all there or not at all (its history line too), every file named as a backup is a
sound database, and the ledger's invariant holds: a balance is the sum of approved entries.

Figure (per operation): SIGKILLs, corrupt databases (0), lost or partial writes (0).
SCHOOLHR_RELIABILITY_ROUNDS sets the kills per operation (20 in the normal run).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from schoolhr.contacts import service as contacts
from schoolhr.contacts.models import Contact
from schoolhr.contacts.records import ContactRecord
from schoolhr.contacts.service import save_contact
from schoolhr.paths import DataPaths
from schoolhr.rewards import service as rewards
from schoolhr.rewards.models import APPROVED, CLAIMED, RewardEntry
from schoolhr.store import backup as backups
from schoolhr.store.database import Store, open_store
from schoolhr.store.models import OperationLog
from schoolhr.sync import service as sync
from schoolhr.sync import signing
from schoolhr.sync.models import Exchange, KnownSigner
from tests.data.hostile.make_hostile import (
    SENDER_KEY,
    STAMP,
    contact_record,
    entry_record,
    new_uuid,
    write_pack,
)
from tests.reliability.support import (
    ROUNDS,
    SEED,
    Figures,
    Send,
    integrity_problems,
    make_county,
    readonly,
    run_child,
)
from tests.rewards.conftest import bundled_rules

BATCH = 10  # contacts per import
STEPS_PER_CHILD = 40  # a child that is never killed stops after this many operations


@dataclass
class Crashes:
    """What the rounds of one operation found, for its figure."""

    kills: int = 0
    finished: int = 0  # children that ended before their kill (all operations done)
    reported: int = 0
    in_flight_committed: int = 0  # committed by the killed operation before it could report
    corrupt: int = 0
    lost_or_partial: int = 0
    partial_backup_files: int = 0
    problems: list[str] = field(default_factory=list)


class Operation:
    """One kind of write, repeated by a child until it is killed."""

    name = ""

    def prepare(self, store: Store, tmp: Path) -> None:
        """Before the first round, in the test process."""

    def next_round(self, tmp: Path) -> None:
        """Before each round, in the test process (e.g. more packs to import)."""

    def step(self, store: Store, number: int) -> Any:
        """One operation in the child; what it returns is reported once it has returned."""
        raise NotImplementedError

    def verify(self, store: Store, reported: list[Any], result: Crashes) -> list[str]:
        """After each round, in the test process: the problems found (none expected)."""
        raise NotImplementedError


class ContactsImport(Operation):
    """A contacts file's plan applied: the "pre-import" backup, then one transaction."""

    name = "contacts import"

    def __init__(self) -> None:
        self.batch = 0

    def next_round(self, tmp: Path) -> None:
        self.batch += STEPS_PER_CHILD  # each round's batches have their own numbers

    def step(self, store: Store, number: int) -> Any:
        batch = self.batch + number
        rows = [
            contacts.ImportRow(
                j + 2,
                ContactRecord(
                    name=f"批{batch}人{j}", school=f"批次{batch}", email=f"b{batch}p{j}@school.tw"
                ),
            )
            for j in range(BATCH)
        ]
        with store.read() as session:
            plan = contacts.plan_import(session, rows, [])
        summary = contacts.apply_import(store, plan, merge_duplicates=False)
        return {"batch": batch, "added": summary.added}

    def verify(self, store: Store, reported: list[Any], result: Crashes) -> list[str]:
        with store.read() as session:
            counts = dict(
                session.execute(select(Contact.school, func.count()).group_by(Contact.school)).all()
            )
            logs = session.scalar(
                select(func.count()).where(OperationLog.kind == "contacts-import")
            )
        problems = [
            f"{school}: {n} of {BATCH} contacts" for school, n in counts.items() if n != BATCH
        ]
        problems += [
            f"batch {r['batch']} reported, not found"
            for r in reported
            if counts.get(f"批次{r['batch']}") != BATCH
        ]
        if logs != len(counts):
            problems.append(f"{len(counts)} batches imported but {logs} import history lines")
        result.in_flight_committed = len(counts) - result.reported
        return problems


class PointsRecording(Operation):
    """Claims recorded, approved, and every third approved one reversed, each in its own
    transaction (as the rewards page does)."""

    name = "points recording"

    def __init__(self) -> None:
        self.people: list[int] = []
        self.reported: dict[str, dict[str, Any]] = {}  # reason -> what the child reported
        self.unreported: set[str] = set()
        self.round = 0

    def prepare(self, store: Store, tmp: Path) -> None:
        with store.write() as session:
            rewards.install_rules(session, bundled_rules())
            self.people = [
                save_contact(session, ContactRecord(name=f"積點{n}", school="桃源國小"))
                for n in range(3)
            ]

    def next_round(self, tmp: Path) -> None:
        self.round += 1

    def step(self, store: Store, number: int) -> Any:
        person = self.people[number % len(self.people)]
        reason = f"第{self.round}輪第{number}筆"
        points = 1 + number % 3
        with store.write() as session:
            entry = rewards.add_entry(
                session, person, "peer-help", date(2026, 2, 1), reason, points=points
            )
        with store.write() as session:
            rewards.approve(session, [entry.id], "查核屬實")
        reversal = None
        if number % 3 == 2:
            with store.write() as session:
                reversal = rewards.reverse(session, entry.id, reason + "沖銷", approve_now=True).id
        return {"reason": reason, "id": entry.id, "points": points, "reversal": reversal}

    def verify(self, store: Store, reported: list[Any], result: Crashes) -> list[str]:
        for item in reported:
            self.reported[item["reason"]] = item
        with store.read() as session:
            rows = session.execute(select(RewardEntry.reason, RewardEntry.id, RewardEntry.status))
            found = {reason: (entry_id, status) for reason, entry_id, status in rows}
            balances = {p: rewards.balance(session, p) for p in self.people}
        problems = []
        for reason, item in self.reported.items():
            if found.get(reason) != (item["id"], APPROVED):
                problems.append(f"{reason}: reported approved, found {found.get(reason)}")
            if item["reversal"] is not None and found.get(reason + "沖銷") != (
                item["reversal"],
                APPROVED,
            ):
                problems.append(f"{reason}: reported reversal not found")
        # What the killed step committed before it could say so: a claim, its approval or
        # its reversal. Counted once; its later state is whatever the database says.
        unreported = {r for r in found if r.removesuffix("沖銷") not in self.reported}
        result.in_flight_committed += len(unreported - self.unreported)
        self.unreported |= unreported
        return problems + _ledger_invariant(store, balances)


def _ledger_invariant(store: Store, balances: dict[int, int]) -> list[str]:
    """The service's balance equals the sum of approved points counted straight from the file."""
    connection = readonly(store.paths.database)
    try:
        sums = dict(
            connection.execute(
                "SELECT contact_id, SUM(points) FROM reward_entry WHERE status = 'approved' "
                "GROUP BY contact_id"
            ).fetchall()
        )
    finally:
        connection.close()
    return [
        f"person {person}: balance {value}, approved entries sum to {sums.get(person, 0)}"
        for person, value in balances.items()
        if value != sums.get(person, 0) or value < 0
    ]


class PackImport(Operation):
    """Data packs from a school imported at the county: verify the signature (binding the
    school's key on the first), check the authority, plan, "pre-import" backup, one
    transaction. Each pack is newer than the one before (an older one is refused as a replay)
    and brings 10 people and 20 claims; the ledger's invariant is checked on what the county
    holds (claims count for nothing until the county approves them)."""

    name = "data pack import"

    def __init__(self) -> None:
        self.rng = random.Random(f"{SEED}-packs")
        self.packs: list[tuple[Path, str, list[str], dict[str, list[int]]]] = []
        self.next = 0  # the first pack the next child imports

    def prepare(self, store: Store, tmp: Path) -> None:
        make_county(store)

    def next_round(self, tmp: Path) -> None:
        while len(self.packs) < self.next + STEPS_PER_CHILD // 4:
            number = len(self.packs)
            people = [new_uuid(self.rng) for _ in range(BATCH)]
            entries = [
                entry_record(new_uuid(self.rng), people[n % BATCH], 1 + n % 4)
                for n in range(2 * BATCH)
            ]
            expected = {
                uid: sorted(e["points"] for e in entries if e["contact_uuid"] == uid)
                for uid in people
            }
            pack_id = new_uuid(self.rng)
            created = datetime.fromisoformat(STAMP) + timedelta(minutes=number)
            path = write_pack(
                tmp / f"pack{number}.zip",
                "data",
                {
                    "contacts": [
                        contact_record(u, f"包{number}人{i}") for i, u in enumerate(people)
                    ],
                    "reward_entries": entries,
                },
                pack_id=pack_id,
                created_at=created.isoformat(),
            )
            self.packs.append((path, pack_id, people, expected))

    def step(self, store: Store, number: int) -> Any:
        index = self.next + number
        if index >= len(self.packs):
            raise StopIteration
        sync.import_pack(store, self.packs[index][0])
        return {"pack": index}

    def verify(self, store: Store, reported: list[Any], result: Crashes) -> list[str]:
        with store.read() as session:
            present = dict(session.execute(select(Contact.uuid, Contact.id)).all())
            imported = set(session.scalars(select(Exchange.pack_id)))
            claims: dict[str, list[tuple[int, str]]] = {}
            for contact_uuid, points, status in session.execute(
                select(Contact.uuid, RewardEntry.points, RewardEntry.status).join(
                    RewardEntry, RewardEntry.contact_id == Contact.id
                )
            ):
                claims.setdefault(contact_uuid, []).append((points, status))
            balances = {p: rewards.balance(session, p) for p in present.values()}
            bound = session.get(KnownSigner, signing.fingerprint(SENDER_KEY.public_key()))
        done = {r["pack"] for r in reported}
        problems = []
        applied = []
        for index, (_path, pack_id, people, expected) in enumerate(self.packs):
            have = sum(1 for u in people if u in present)
            if have not in (0, len(people)):
                problems.append(f"pack {index}: {have} of {len(people)} people (half-applied)")
            if (have == len(people)) != (pack_id in imported):
                problems.append(f"pack {index}: its records and its history line disagree")
            if index in done and have != len(people):
                problems.append(f"pack {index}: reported imported, not found")
            if have == len(people):
                applied.append(index)
                problems += [
                    f"pack {index}: entries {sorted(claims.get(u, []))}, its claims {want}"
                    for u, want in expected.items()
                    if sorted(claims.get(u, [])) != [(points, CLAIMED) for points in want]
                ]
        if applied != list(range(len(applied))):
            problems.append(f"packs applied out of order: {applied}")
        if bool(applied) != (bound is not None):  # bound with the first pack, in its transaction
            problems.append(f"{len(applied)} packs applied, the school's key bound: {bound}")
        problems += _ledger_invariant(store, balances)
        result.in_flight_committed += sum(1 for i in applied if i >= self.next and i not in done)
        self.next = len(applied)
        return problems


class Backups(Operation):
    """A write, then a manual backup (copy, integrity check, rename, thinning)."""

    name = "backup"

    def __init__(self) -> None:
        self.round = 0

    def next_round(self, tmp: Path) -> None:
        self.round += 1

    def step(self, store: Store, number: int) -> Any:
        store.log_operation("test", f"第{self.round}輪第{number}筆")
        return {"backup": store.backup("manual").path.name, "note": f"第{self.round}輪第{number}筆"}

    def verify(self, store: Store, reported: list[Any], result: Crashes) -> list[str]:
        problems = []
        for info in backups.list_backups(store.paths):
            problems += [f"{info.path.name}: {p}" for p in integrity_problems(info.path)]
        if reported and not (store.paths.backups / reported[-1]["backup"]).is_file():
            problems.append(f"the last reported backup {reported[-1]['backup']} is gone")
        with store.read() as session:
            notes = set(
                session.scalars(select(OperationLog.summary).where(OperationLog.kind == "test"))
            )
        problems += [f"lost: {r['note']}" for r in reported if r["note"] not in notes]
        result.partial_backup_files = sum(
            1 for p in store.paths.backups.iterdir() if backups.PARTIAL_NAME.match(p.name)
        )
        return problems


def _child(
    store: Store, operation: Operation, steps: int = STEPS_PER_CHILD
) -> Callable[[Send], None]:
    """The child uses the test process's store: its engine has no connection open (disposed
    before the fork) but keeps its compiled statements, so the first operation is as fast as
    the others; its first connection recovers what the previous child left."""

    def work(send: Send) -> None:
        send("ready")
        started = time.perf_counter()
        for number in range(steps):
            try:
                value = operation.step(store, number)
            except StopIteration:
                break
            send({"kind": "done", "value": value, "at": time.perf_counter() - started})
        store.close()

    return work


def _reported(messages: list[Any]) -> list[Any]:
    return [m["value"] for m in messages if isinstance(m, dict) and m.get("kind") == "done"]


def _after_crash(
    paths: DataPaths, operation: Operation, reported: list[Any], result: Crashes
) -> None:
    """The next start: open the profile, check the file and the operation's writes."""
    try:
        store = open_store(paths, daily_backup=False)
    except Exception as exc:  # a start that fails is exactly what this test looks for
        result.corrupt += 1
        result.problems.append(f"the profile did not open: {exc}")
        return
    try:
        problems = operation.verify(store, reported, result)
    finally:
        store.close()
    damage = integrity_problems(paths.database)
    if damage:
        result.corrupt += 1
        result.problems += damage
    result.lost_or_partial += len(problems)
    result.problems += problems


OPERATIONS = [ContactsImport, PointsRecording, PackImport, Backups]


@pytest.mark.parametrize("operation_type", OPERATIONS, ids=lambda o: o.name.replace(" ", "_"))
def test_sigkill_at_random_moments_leaves_0_corrupt_databases_and_0_lost_or_partial_writes(
    operation_type: type[Operation], profile: DataPaths, tmp_path: Path, figures: Figures
) -> None:
    operation = operation_type()
    rng = random.Random(f"{SEED}-{operation.name}")
    result = Crashes()
    store = open_store(profile, daily_backup=False)
    try:
        operation.prepare(store, tmp_path)
        # Unkilled, in this process: the operation works, and how long one takes here.
        operation.next_round(tmp_path)
        reported = [operation.step(store, number) for number in range(2)]
        store.engine.dispose()  # no connection may cross the fork
        result.reported = len(reported)
        _after_crash(profile, operation, reported, result)
        assert result.problems == []
        # ... and in a child, where the first operation is slower (its first connection, and
        # the pages it touches are copied), so the kills are spread over the first two or
        # three operations: up to twice the first one and two more.
        operation.next_round(tmp_path)
        calibration = run_child(_child(store, operation, steps=3), timeout_s=60)
        assert calibration.error is None, calibration.error
        times = [m["at"] for m in calibration.messages if isinstance(m, dict) and "at" in m]
        assert len(times) == 3
        window = 2 * times[0] + (times[2] - times[0])
        reported = _reported(calibration.messages)
        result.reported += len(reported)
        _after_crash(profile, operation, reported, result)

        for _ in range(ROUNDS):
            operation.next_round(tmp_path)
            delay = rng.uniform(0, window)
            run = run_child(_child(store, operation), timeout_s=60, kill_after_ready_s=delay)
            assert run.error is None, run.error
            assert not run.timed_out
            result.kills += run.killed
            result.finished += not run.killed
            reported = _reported(run.messages)
            result.reported += len(reported)
            _after_crash(profile, operation, reported, result)
    finally:
        store.close()
    # the next start removes what the kills left, once it is provably stale (older than any
    # backup takes) and ours (by its name); nothing else in the folder is touched
    left = [p for p in profile.backups.iterdir() if backups.PARTIAL_NAME.match(p.name)]
    kept = sorted(p.name for p in profile.backups.iterdir() if p not in left)
    stale = time.time() - backups.STALE_PARTIAL_SECONDS - 60
    for path in left:
        os.utime(path, (stale, stale))
    open_store(profile, daily_backup=False).close()
    after_start = [p for p in profile.backups.iterdir() if backups.PARTIAL_NAME.match(p.name)]
    assert after_start == []
    assert sorted(p.name for p in profile.backups.iterdir()) == kept  # only the partial ones

    figures.add(
        f"crash during {operation.name}: {result.kills} SIGKILLs ({result.finished} children "
        f"finished first), {result.reported} writes reported and all found, "
        f"{result.in_flight_committed} committed by the killed operation before it could "
        f"report; {result.corrupt} corrupt databases, {result.lost_or_partial} lost or "
        f"partial writes; {result.partial_backup_files} partial backup files left, "
        f"{len(after_start)} after the next start "
        f"(kill delays 0-{window * 1000:.0f} ms, seed {SEED})"
    )
    assert result.problems == []
    assert result.corrupt == 0 and result.lost_or_partial == 0
    assert result.kills >= ROUNDS * 3 // 4, "most children must be killed mid-way"


def test_the_newest_of_many_backups_taken_in_one_second_survives_thinning(
    profile: DataPaths,
) -> None:
    """Found by the backup crash rounds: the 11th backup of a second ("-11-") sorted before
    the 2nd ("-2-") as text, so thinning deleted the newest backup."""
    second = datetime(2026, 3, 1, 8, 0, 0)
    made = [backups.create_backup(profile, "manual", now=second) for _ in range(12)]
    backups.thin_backups(profile, now=second)
    kept = backups.list_backups(profile)
    assert kept[0].path == made[-1].path
    assert [b.sequence for b in kept] == list(range(12, 12 - len(kept), -1))


def test_partial_backups_left_by_killed_backups_are_removed_by_a_later_thinning(
    profile: DataPaths,
) -> None:
    """A backup killed half-way cannot remove its ``.partial`` file (as big as the database):
    the thinning after a later backup removes it once it is an hour old."""
    rng = random.Random(f"{SEED}-partials")
    store = open_store(profile, daily_backup=False)
    store.engine.dispose()
    try:

        def back_up(send: Send) -> None:
            send("ready")
            while True:
                backups.create_backup(profile, "manual")

        for _ in range(40):  # until a kill lands inside a backup
            run_child(back_up, timeout_s=30, kill_after_ready_s=rng.uniform(0, 0.05))
            partials = [p for p in profile.backups.iterdir() if backups.PARTIAL_NAME.match(p.name)]
            if partials:
                break
        assert partials, "no kill landed inside a backup"
        backups.thin_backups(profile)
        assert all(p.exists() for p in partials)  # fresh: maybe another run's work, kept
        for partial in partials:
            os.utime(partial, (time.time() - 2 * 3600,) * 2)
        store.backup("manual")  # the next backup thins
        assert not any(p.exists() for p in partials)
        for info in backups.list_backups(profile):
            assert integrity_problems(info.path) == []
    finally:
        store.close()
