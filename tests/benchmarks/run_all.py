"""Every benchmark, one table: what was measured, its value, its budget, whether it is met.

    python tests/benchmarks/run_all.py [--quick] [--json FILE] [--only NAME,NAME]

``--quick`` uses smaller sizes and fewer repeats (about a minute on the reference machine;
rows whose size changes say so in their name); ``--json FILE`` also writes the rows as a JSON
list of ``{name, value, unit, budget, met}``; ``--only`` runs some benchmarks (their names are
listed by ``--help``). Budgets are ARCHITECTURE.md's "Performance budget" where it has one,
else stated in the row with the reason. Not part of the test run: timings belong here, not in
tests. The exit code is 1 when a budget is not met.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.benchmarks import (  # noqa: E402
    bench_contacts_import,
    bench_faq_recall,
    bench_faq_search,
    bench_grouping,
    bench_pdf,
    bench_rewards,
    bench_startup,
    bench_sync,
    bench_ui_stall,
    bench_xlsx,
)
from tests.benchmarks.rows import Row, table  # noqa: E402

BENCHMARKS: dict[str, Callable[[bool], list[Row]]] = {
    "startup": bench_startup.rows,
    "faq_search": bench_faq_search.rows,
    "faq_recall": bench_faq_recall.rows,
    "pdf": bench_pdf.rows,
    "xlsx": bench_xlsx.rows,
    "contacts_import": bench_contacts_import.rows,
    "sync": bench_sync.rows,
    "grouping": bench_grouping.rows,
    "rewards": bench_rewards.rows,
    "ui_stall": bench_ui_stall.rows,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, about a minute")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON")
    parser.add_argument(
        "--only", help="comma-separated, from: " + ", ".join(BENCHMARKS), default=""
    )
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")

    rows: list[Row] = []
    began = time.perf_counter()
    for name in chosen:
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows += BENCHMARKS[name](args.quick)
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    print(table(rows))
    missed = [row for row in rows if row.met is False]
    mode = "quick" if args.quick else "full"
    print(
        f"\n{len(rows)} rows ({mode} run, {time.perf_counter() - began:.0f} s); "
        f"{sum(1 for r in rows if r.met)} budgets met, {len(missed)} not met, "
        f"{sum(1 for r in rows if r.met is None)} reference rows"
    )
    if args.json:
        args.json.write_text(
            json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
