"""Spreadsheet export and import at contact-list scale: xlsx and CSV, 10,000 rows x 8 columns.

The rows look like the peer-group contact lists the county exports: a name, a school, a title,
an office phone, a mobile in +886 form (text that would be a formula without protection), an
e-mail address, a start date (a real date) and a note. They are generated deterministically.
For each format the benchmark reports the time to write the file, its size, and the time to read
it back (the best of ``--repeat`` runs, after checking the row count). ``rows`` also reads a
school-sized list of 5,000 rows and times, apart, the XML scan ``reports.xlsx_guard`` does before
openpyxl parses anything (the guard against XML bombs).

    python tests/benchmarks/bench_xlsx.py [--rows 10000] [--repeat 3] [--seed 20261122]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from schoolhr.budget import Deadline  # noqa: E402
from schoolhr.reports.csvio import read_csv, write_csv  # noqa: E402
from schoolhr.reports.xlsx import Sheet, Value, read_xlsx, write_xlsx  # noqa: E402
from schoolhr.reports.xlsx_guard import open_workbook  # noqa: E402
from tests.benchmarks.bench_contacts_import import GIVEN, PLACES, SURNAMES  # noqa: E402
from tests.benchmarks.rows import Row, stated  # noqa: E402

LEVELS = ["國小", "國中", "國民小學附設幼兒園"]
TITLES = ["幹事", "兼任人事", "組長", "主任", "教師兼組長", "護理師"]
AREAS = ["02", "03", "037", "04", "049", "05", "06", "07", "08", "089"]
NOTES = ["", "", "", "安心培力小群組召集人", "週三下午在校", "=請勿更動", "-", "電話請轉 123"]
HEADERS = ["姓名", "學校", "職稱", "公務電話", "手機", "電子郵件", "到職日", "備註"]


def contacts(count: int, seed: int) -> list[list[Value]]:
    rng = random.Random(seed)
    first_day = date(1995, 8, 1)
    rows: list[list[Value]] = []
    for n in range(count):
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
        school = f"{rng.choice(PLACES)}{rng.choice(LEVELS)}"
        phone = (
            f"{rng.choice(AREAS)}-{rng.randrange(2_000_000, 9_999_999)}#{rng.randrange(100, 999)}"
        )
        rows.append(
            [
                name,
                school,
                rng.choice(TITLES),
                phone,
                f"+8869{rng.randrange(10_000_000, 99_999_999)}",
                f"user{n:05d}@school{rng.randrange(1, 300):03d}.example.edu.tw",
                first_day + timedelta(days=rng.randrange(0, 11_000)),
                rng.choice(NOTES),
            ]
        )
    return rows


def best_of(repeat: int, action: Callable[[], object]) -> tuple[float, object]:
    best = float("inf")
    result: object = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    return best, result


def open_and_scan(path: Path) -> None:
    """What ``read_xlsx`` does before the first row: open the package, scan every part."""
    workbook, _sheets = open_workbook(path.name, path.read_bytes(), Deadline(path.name))
    workbook.close()


def rows(quick: bool = False) -> list[Row]:
    """Export (write) and read back 10,000 rows of xlsx and CSV; read 5,000 rows of xlsx."""
    count = 10_000
    data = contacts(count, 20261122)
    repeat = 1 if quick else 3
    why = stated("a county-wide list; the clerk waits with a progress bar")
    out = []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "通訊錄.xlsx"
        write_s, _ = best_of(repeat, lambda: write_xlsx(target, [Sheet("通訊錄", HEADERS, data)]))
        read_s, tables = best_of(repeat, lambda: read_xlsx(target))
        assert isinstance(tables, list) and len(tables[0].rows) == count
        out.append(Row(f"xlsx export, {count:,} rows x 8 columns", write_s, "s", 3, why))
        out.append(Row(f"xlsx read back, {count:,} rows", read_s, "s", 3, why))
        school = Path(folder) / "名冊.xlsx"
        write_xlsx(school, [Sheet("通訊錄", HEADERS, data[:5_000])])
        read_s, tables = best_of(repeat, lambda: read_xlsx(school))
        assert isinstance(tables, list) and len(tables[0].rows) == 5_000
        scan_s, _ = best_of(repeat, lambda: open_and_scan(school))
        deadline = stated("a school's list; far inside the 8 s read deadline (schoolhr.budget)")
        out.append(
            Row("xlsx read, 5,000 rows x 8 columns, XML scan included", read_s, "s", 1.5, deadline)
        )
        out.append(Row("  of which opening and the XML scan (xlsx_guard)", scan_s, "s"))
        csv_target = Path(folder) / "通訊錄.csv"
        write_s, _ = best_of(repeat, lambda: write_csv(csv_target, HEADERS, data))
        out.append(Row(f"CSV export, {count:,} rows x 8 columns", write_s, "s", 3, why))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args(argv)

    rows = contacts(args.rows, args.seed)
    print(f"{args.rows:,} rows x {len(HEADERS)} columns, best of {args.repeat}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        xlsx_path = Path(folder) / "通訊錄.xlsx"
        csv_path = Path(folder) / "通訊錄.csv"
        figures = []

        write_s, _ = best_of(
            args.repeat, lambda: write_xlsx(xlsx_path, [Sheet("通訊錄", HEADERS, rows)])
        )
        read_s, tables = best_of(args.repeat, lambda: read_xlsx(xlsx_path))
        assert isinstance(tables, list) and len(tables[0].rows) == args.rows
        assert tables[0].rows[0][4] == rows[0][4]
        figures.append(("xlsx", write_s, xlsx_path.stat().st_size, read_s))

        write_s, _ = best_of(args.repeat, lambda: write_csv(csv_path, HEADERS, rows))
        read_s, table = best_of(args.repeat, lambda: read_csv(csv_path))
        assert len(getattr(table, "rows", [])) == args.rows
        figures.append(("csv", write_s, csv_path.stat().st_size, read_s))

    print("| format | write | file size | read back |")
    print("|---|---:|---:|---:|")
    for name, write_s, size, read_s in figures:
        write_ms, size_kb, read_ms = write_s * 1000, size / 1024, read_s * 1000
        print(f"| {name} | {write_ms:,.0f} ms | {size_kb:,.0f} KB | {read_ms:,.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
