"""Reward points at county scale: 200 schools, 1,000 people, 20,000 ledger entries in the year.

The ledger is generated deterministically (bulk-inserted, then read through the service): two
years, ``YEAR - 1`` and the reported ``YEAR``, each with exactly ``--entries`` entries (the
year's own entries and the approved reversals dated in it), so the year's report writes
``--entries`` entries out of a ledger twice that size. Every kind of the bundled rules, about
80 % approved, 10 % rejected, 10 % still claimed, and 150 approved reversals in each year. The
benchmark reports the best of ``--repeat`` runs, in seconds, of the year summary, the proposals
(caps, multiplier, thresholds and the entries each rests on), the xlsx report and the WebHR
keying CSV.

    python tests/benchmarks/bench_rewards.py [--schools 200] [--people 1000] [--entries 20000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from openpyxl import load_workbook  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from schoolhr.contacts.models import Contact  # noqa: E402
from schoolhr.content.files import Problem, read_reward_rules  # noqa: E402
from schoolhr.content.install import bundled_content_dir  # noqa: E402
from schoolhr.paths import prepare_data_dir  # noqa: E402
from schoolhr.rewards import exports, service  # noqa: E402
from schoolhr.rewards.models import APPROVED, CLAIMED, REJECTED, RewardEntry  # noqa: E402
from schoolhr.store.database import Store, open_store  # noqa: E402
from tests.benchmarks.rows import ARCHITECTURE, Row, stated  # noqa: E402

YEAR = 2025
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高"
GIVEN = "怡君淑芬雅婷建宏志明家豪冠廷宗翰佳穎詩涵俊傑美玲秀英承恩宥蓁品妍"
PLACES = "桃源復興三民中正光復忠孝仁愛信義和平大同新興文化育英東勢南興"


REVERSALS_PER_YEAR = 150


def populate(store: Store, schools: int, people: int, entries: int, seed: int) -> int:
    """A ledger of ``YEAR - 1`` and ``YEAR``, ``entries`` in each (reversals included); returns
    the ledger's size."""
    rng = random.Random(seed)
    problems: list[Problem] = []
    rules = read_reward_rules(bundled_content_dir() / "rewards" / "rules.yaml", problems)
    assert rules is not None, problems
    names = [
        f"{PLACES[i % len(PLACES)]}{PLACES[(i // len(PLACES)) % len(PLACES)]}國民小學{i}"
        for i in range(schools)
    ]
    now = datetime.now(UTC)
    reversals = min(REVERSALS_PER_YEAR, entries // 10)
    with store.write() as session:
        service.install_rules(session, rules)
        session.execute(
            insert(Contact),
            [
                {
                    "uuid": str(uuid.uuid4()),
                    "name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
                    "school": names[n % schools],
                    "role": "兼任人事",
                    "duties": [],
                    "years": min(int(rng.expovariate(1 / 4)), 30),
                    "updated_at": now,
                }
                for n in range(people)
            ],
        )
        kinds = [(kind.id, kind.points) for kind in rules.kinds]
        rows = []
        years: list[int] = []  # of each row
        for year in (YEAR - 1, YEAR):
            for _ in range(entries - reversals):
                kind, points = rng.choice(kinds)
                roll = rng.random()
                status = APPROVED if roll < 0.8 else REJECTED if roll < 0.9 else CLAIMED
                years.append(year)
                rows.append(
                    {
                        "uuid": str(uuid.uuid4()),
                        "contact_id": rng.randrange(1, people + 1),
                        "date": date(year, 1, 1) + timedelta(days=rng.randrange(365)),
                        "kind": kind,
                        "points": points,
                        "rule_version": rules.version,
                        "reason": "協助完成年度人事資料考核報送",
                        "evidence": "",
                        "recorded_by": "學校",
                        "status": status,
                        "decision_reason": "查核屬實" if status != CLAIMED else "",
                        "decided_by": "",
                        "origin": "",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        session.execute(insert(RewardEntry), rows)
        for year in (YEAR - 1, YEAR):
            # a reversal is dated as the entry it reverses: in the same year
            approved = [
                n + 1
                for n, row in enumerate(rows)
                if row["status"] == APPROVED and years[n] == year
            ]
            for entry_id in rng.sample(approved, min(reversals, len(approved))):
                service.reverse(session, entry_id, "更正", approve_now=True)
        return session.scalar(select(func.count()).select_from(RewardEntry)) or 0


def written_entries(path: Path) -> int:
    """The rows below the header of the report's entries sheet, counted in the file."""
    workbook = load_workbook(path, read_only=True)
    try:
        return sum(1 for _ in workbook["積點紀錄"].iter_rows(min_row=2, values_only=True))
    finally:
        workbook.close()


def best(repeat: int, work: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def rows(quick: bool = False) -> list[Row]:
    """The year summary and the xlsx report of a year of 20,000 entries (1,000 people, 200
    schools), in a ledger of two such years."""
    entries = 20_000
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(prepare_data_dir(Path(folder) / "data"))
        target = Path(folder) / "r.xlsx"
        try:
            ledger = populate(store, 200, 1000, entries, 20261122)

            def summary() -> object:
                with store.read() as session:
                    return service.year_summary(session, YEAR)

            def report() -> object:
                with store.read() as session:
                    return exports.write_report_xlsx(session, YEAR, target)

            summary_s, result = best(repeat, summary)
            summarised = result.entries  # type: ignore[attr-defined]
            report_s, reported = best(repeat, report)
        finally:
            store.close()
        # outside the timing: the rows the file holds, not what the function says it wrote
        written = written_entries(target)
    if written != reported:
        raise RuntimeError(f"the report says {reported} entries but its sheet has {written}")
    print(
        f"rewards: ledger {ledger:,} entries; year summary over {summarised:,}, "
        f"report wrote {written:,} entries of {YEAR}",
        file=sys.stderr,
    )
    return [
        Row(
            f"rewards year summary, {summarised:,} entries of the year (ledger {ledger:,})",
            summary_s,
            "s",
            1,
            stated("the rewards page opens on it"),
        ),
        Row(
            f"rewards report (xlsx), {written:,} entries of the year written (ledger {ledger:,})",
            report_s,
            "s",
            1.5,
            ARCHITECTURE,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(prepare_data_dir(Path(folder) / "data"))
        try:
            start = time.perf_counter()
            ledger = populate(store, args.schools, args.people, args.entries, args.seed)
            print(
                f"{args.schools} schools, {args.people} people, {args.entries:,} entries in "
                f"{YEAR} (ledger {ledger:,}, reversals included) generated in "
                f"{time.perf_counter() - start:.2f} s"
            )

            def summary() -> object:
                with store.read() as session:
                    return service.year_summary(session, YEAR)

            def proposals() -> object:
                with store.read() as session:
                    return service.proposals(session, YEAR)

            def report() -> object:
                with store.read() as session:
                    return exports.write_report_xlsx(session, YEAR, Path(folder) / "r.xlsx")

            def keying_csv() -> object:
                with store.read() as session:
                    return exports.write_webhr_csv(session, YEAR, Path(folder) / "r.csv")

            for label, work in (
                ("year summary", summary),
                ("proposals", proposals),
                ("xlsx report", report),
                ("WebHR keying CSV", keying_csv),
            ):
                seconds, result = best(args.repeat, work)
                detail = ""
                if label == "year summary":
                    detail = f"{len(result.people)} people, {result.entries:,} entries"  # type: ignore[attr-defined]
                elif label == "proposals":
                    with_award = sum(1 for p in result if p.final)  # type: ignore[attr-defined, misc]
                    detail = f"{len(result)} people, {with_award} with a proposal"  # type: ignore[arg-type]
                elif label == "xlsx report":
                    size = (Path(folder) / "r.xlsx").stat().st_size
                    detail = f"{result:,} entries, {size / 1024:.0f} KB"
                else:
                    detail = f"{result} rows"
                print(f"{label:18s} {seconds:6.3f} s   ({detail})")
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
