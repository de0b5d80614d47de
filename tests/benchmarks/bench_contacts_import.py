"""Contacts import at county scale: 2,000 people from xlsx and from vCard, read + plan + apply.

Each run uses a fresh data folder (so every person is an add, and apply takes its "pre-import"
backup as it would for a clerk). The files are generated deterministically with every field
filled and written with the app's own exporters. Reported: read, plan, apply and total seconds
(the best of ``--repeat`` runs).

    python tests/benchmarks/bench_contacts_import.py [--count 2000] [--repeat 3] [--seed 20261122]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from schoolhr.contacts import service  # noqa: E402
from schoolhr.contacts.formats import csv_format, vcard, xlsx_format  # noqa: E402
from schoolhr.contacts.records import FIELD_LABELS, KNOWN_DUTIES, ROLES, ContactRecord  # noqa: E402
from schoolhr.paths import prepare_data_dir  # noqa: E402
from schoolhr.store.database import open_store  # noqa: E402
from tests.benchmarks.rows import Row, stated  # noqa: E402

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高游"
GIVEN = "怡君淑芬雅婷建宏志明家豪冠廷宗翰佳穎詩涵俊傑美玲秀英承恩宥蓁品妍堃喆"
PLACES = [
    "桃源",
    "復興",
    "三民",
    "中正",
    "光復",
    "忠孝",
    "仁愛",
    "信義",
    "和平",
    "大同",
    "新興",
    "文化",
    "育英",
    "東勢",
    "南興",
]
LEVELS = ["國小", "國中"]
REGIONS = ["桃園市", "新竹縣", "苗栗縣", "臺中市", "南投縣"]
AREAS = ["02", "03", "037", "04", "049", "05", "06", "07", "08", "089"]


def people(count: int, seed: int) -> list[ContactRecord]:
    rng = random.Random(seed)
    result = []
    for n in range(count):
        area = rng.choice(AREAS)
        digits = 8 if area == "02" else 7 if len(area) == 2 else 6
        number = str(rng.randrange(2 * 10 ** (digits - 1), 10**digits))
        result.append(
            ContactRecord(
                name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)) + f"{n}",
                school=f"{rng.choice(PLACES)}{rng.choice(LEVELS)}{n % 300}",
                region=rng.choice(REGIONS),
                role=rng.choice(ROLES),
                duties=rng.sample(KNOWN_DUTIES, rng.randrange(0, 4)),
                years=rng.randrange(0, 30),
                office_phone=f"({area}){number}轉{rng.randrange(10, 999)}",
                mobile=f"+886 9{n:08d}",
                email=f"user{n:05d}@school{rng.randrange(1, 300):03d}.example.edu.tw",
                line_id=f"line{n}",
                notes=rng.choice(["", "週三下午在校", "=請勿更動", "安心培力小群組召集人"]),
                consent_date=date(2024, 1, 1) + timedelta(days=rng.randrange(0, 600)),
                consent_scope="姓名、電話",
            )
        )
    return result


def import_once(path: Path) -> tuple[float, float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(prepare_data_dir(Path(folder)), daily_backup=False)
        try:
            started = time.perf_counter()
            result = service.read_import_file(path)
            read_s = time.perf_counter() - started
            started = time.perf_counter()
            with store.read() as session:
                plan = service.plan_import(session, result.rows, result.rejected)
            plan_s = time.perf_counter() - started
            started = time.perf_counter()
            summary = service.apply_import(store, plan, merge_duplicates=False)
            apply_s = time.perf_counter() - started
        finally:
            store.close()
    return read_s, plan_s, apply_s, summary.added


def rows(quick: bool = False) -> list[Row]:
    """Read, plan and apply 2,000 contacts from each format (a fresh data folder each time)."""
    from schoolhr.contacts.records import validate

    count = 2000
    records = [validate(r) for r in people(count, 20261122)]
    repeat = 1 if quick else 3
    why = stated("the county's whole peer-group list, read + plan + backup + apply")
    out = []
    with tempfile.TemporaryDirectory() as folder:
        for fmt, write in (
            ("xlsx", xlsx_format.write),
            ("vcf", vcard.write),
            ("csv", csv_format.write),
        ):
            path = Path(folder) / f"contacts.{fmt}"
            write(path, records, list(FIELD_LABELS))
            runs = [import_once(path) for _ in range(repeat)]
            assert all(run[3] == count for run in runs), "every contact should be added"
            best = min(sum(run[:3]) for run in runs)
            out.append(Row(f"contacts import, {count:,} people from {fmt}", best, "s", 5, why))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args(argv)

    from schoolhr.contacts.records import validate

    records = [validate(r) for r in people(args.count, args.seed)]
    fields = list(FIELD_LABELS)
    print(f"{args.count:,} contacts, every field, best of {args.repeat}", file=sys.stderr)
    print("| format | file size | read | plan | apply (incl. backup) | total |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for fmt, write in (
            ("xlsx", xlsx_format.write),
            ("vcf", vcard.write),
            ("csv", csv_format.write),
        ):
            path = Path(folder) / f"contacts.{fmt}"
            write(path, records, fields)
            runs = [import_once(path) for _ in range(args.repeat)]
            assert all(run[3] == args.count for run in runs), "every contact should be added"
            read_s, plan_s, apply_s, _ = min(runs, key=lambda run: sum(run[:3]))
            total = read_s + plan_s + apply_s
            size_kb = path.stat().st_size / 1024
            print(
                f"| {fmt} | {size_kb:,.0f} KB | {read_s:.2f} s | {plan_s:.2f} s | "
                f"{apply_s:.2f} s | {total:.2f} s |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
