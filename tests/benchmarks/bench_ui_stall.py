"""The longest stall of the UI thread while a 10,000-record import runs as a job.

A fresh process (offscreen Qt) opens a profile, starts a timer that fires every 5 ms on the UI
thread, and runs the import through ``schoolhr.ui.jobs.run_job`` as the pages do (progress
dialog and all). The longest gap between two ticks, less the 5 ms, is how long the UI thread
could not answer. Two imports: a data pack of 10,000 ledger entries and 2,000 contacts (the
sync page), and 10,000 contacts from an xlsx file (the contacts page).

    python tests/benchmarks/bench_ui_stall.py

Budget (ARCHITECTURE.md): the UI thread is never blocked for more than 100 ms.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.benchmarks.rows import ARCHITECTURE, Row  # noqa: E402

TICK_MS = 5
BUDGET_MS = 100

CHILD = """
import json, os, sys, time
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from schoolhr.paths import DataPaths
from schoolhr.store.database import open_store
from schoolhr.ui.app import application
from schoolhr.ui.jobs import run_job

kind, source, folder = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
app = application()
store = open_store(DataPaths(folder), daily_backup=False)


def work(progress):
    if kind == "pack":
        from schoolhr.sync import service
        return service.apply_import(store, service.plan_import(store, source))
    from schoolhr.contacts import service
    read = service.read_import_file(source)
    with store.read() as session:
        plan = service.plan_import(session, read.rows, read.rejected)
    return service.apply_import(store, plan, merge_duplicates=False)


gaps = []
last = [time.perf_counter()]


def tick():
    now = time.perf_counter()
    gaps.append(now - last[0])
    last[0] = now


timer = QTimer()
timer.setInterval(%(tick)d)
timer.timeout.connect(tick)
started = time.perf_counter()
job = run_job(None, "匯入", work)
job.succeeded.connect(lambda _result: app.quit())
job.failed.connect(lambda message: (print(message, file=sys.stderr), app.exit(1)))
timer.start()
code = app.exec()
store.close()
print(json.dumps({"max_gap": max(gaps), "ticks": len(gaps), "job": time.perf_counter() - started}))
sys.exit(code)
"""


def prepare(folder: Path) -> dict[str, Path]:
    """The two files to import: a data pack (10,000 entries, 2,000 contacts) and an xlsx
    of 10,000 contacts."""
    from schoolhr.contacts import xlsx_format
    from schoolhr.contacts.records import FIELD_LABELS, validate
    from schoolhr.paths import prepare_data_dir
    from schoolhr.store.database import open_store
    from schoolhr.sync import service
    from tests.benchmarks.bench_contacts_import import people
    from tests.benchmarks.bench_sync import populate_data

    source = open_store(prepare_data_dir(folder / "source"), daily_backup=False)
    try:
        populate_data(source, 2000, 10_000, 20261122)
        service.export_pack(source, "data", folder / "data.zip")
    finally:
        source.close()
    contacts = folder / "contacts.xlsx"
    xlsx_format.write(contacts, [validate(p) for p in people(10_000, 7)], list(FIELD_LABELS))
    return {"pack": folder / "data.zip", "xlsx": contacts}


def measure(kind: str, source: Path, folder: Path) -> dict[str, float]:
    """Run one import in a fresh process; the longest gap between ticks and more."""
    from schoolhr.paths import prepare_data_dir
    from schoolhr.store.database import open_store

    data = prepare_data_dir(folder / f"target-{kind}")
    if kind == "pack":  # a school's pack goes to the county
        from tests.benchmarks.bench_sync import county_profile

        county_profile(data.root).close()
    else:
        open_store(data, daily_backup=False).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", CHILD % {"tick": TICK_MS}, kind, str(source), str(data.root)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(result.stdout.splitlines()[-1]))


def rows(quick: bool = False) -> list[Row]:
    out = []
    with tempfile.TemporaryDirectory(prefix="schoolhr-stall-") as folder:
        files = prepare(Path(folder))
        for kind, label in (
            ("pack", "data pack import (10,000 entries + 2,000 contacts)"),
            ("xlsx", "contacts import (10,000 from xlsx)"),
        ):
            found = measure(kind, files[kind], Path(folder))
            stall = found["max_gap"] * 1000 - TICK_MS
            out.append(
                Row(
                    f"longest UI-thread stall during a {label}, job {found['job']:.1f} s",
                    stall,
                    "ms",
                    BUDGET_MS,
                    ARCHITECTURE,
                )
            )
    return out


def main() -> int:
    for row in rows():
        print(f"{row.name}: {row.value:.0f} ms ({row.budget_text})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
