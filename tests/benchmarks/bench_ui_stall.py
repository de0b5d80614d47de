"""The longest stall of the UI thread while a 10,000-record import runs as a job, and while
a clerk types queries in the FAQ page of a store with many entries.

A fresh process (offscreen Qt) opens a profile, starts a timer that fires every 5 ms on the UI
thread, and runs the import through ``schoolhr.ui.jobs.run_job`` as the pages do (progress
dialog and all). The longest gap between two ticks, less the 5 ms, is how long the UI thread
could not answer. Two imports: a data pack of 10,000 ledger entries and 2,000 contacts (the
sync page), and 10,000 contacts from an xlsx file (the contacts page).

The FAQ rows: a fresh process opens the app's main window on a data folder of N generated
entries (``bench_faq_search``), opens the FAQ page at once (the vocabulary is not loaded yet:
that is the first query) and, with the same 5 ms ticks, types a query a character every
150 ms (so that each prefix is searched), then, typed over it, a CJK typo (婚價 for 婚假: its
suggestion reads characters with pypinyin, the first typo) and a Latin one (webitl), then waits
for the last answer. (Emptying the box lists every entry instead: not a search, not timed here.)

    python tests/benchmarks/bench_ui_stall.py [--faq-sizes 10000,100000]

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
    from schoolhr.contacts.formats import xlsx_format
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


FAQ_CHILD = """
import json, os, sys, time
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from schoolhr.paths import DataPaths
from schoolhr.ui.app import application, build_main_window
from schoolhr.ui.jobs import wait_for_jobs

app = application()
window = build_main_window(app, DataPaths(Path(sys.argv[1])))
window.show()
app.processEvents()
window.find_in_faq()  # opening the page (listing every entry) is not typing: not measured
page = window.faq_page
app.processEvents()
script = [*"請假規定", None, *"婚價", None, *"webitl"]  # None: the next is typed over it
gaps = []
last = [time.perf_counter()]
answers = []


def tick():
    now = time.perf_counter()
    gaps.append(now - last[0])
    last[0] = now


def idle():
    return not page.searching()


def step():
    if script:
        char = script.pop(0)
        if char is None:
            answers.append(page.status.text())
            page.search_box.selectAll()
        else:
            page.search_box.insert(char)
        QTimer.singleShot(%(key_ms)d, step)
    elif not idle():
        QTimer.singleShot(50, step)
    else:
        answers.append(page.status.text())
        app.quit()


timer = QTimer()
timer.setInterval(%(tick)d)
timer.timeout.connect(tick)
timer.start()
QTimer.singleShot(0, step)
app.exec()
wait_for_jobs()
print(json.dumps({"max_gap": max(gaps), "ticks": len(gaps), "answers": answers}))
window.close()
window.store.close()
"""
KEY_MS = 150


def faq_store(folder: Path, size: int) -> Path:
    """A data folder holding ``size`` generated FAQ entries (as ``bench_faq_search``)."""
    from schoolhr.faq.models import ORIGIN_BUNDLED
    from schoolhr.paths import prepare_data_dir
    from schoolhr.search.index import replace_term_groups
    from schoolhr.store.database import open_store
    from tests.benchmarks import bench_faq_search as faq

    paths = prepare_data_dir(folder)
    store = open_store(paths, daily_backup=False)
    try:
        raw = store.engine.raw_connection()  # no transaction begun: it may be changed
        raw.driver_connection.execute("PRAGMA synchronous=OFF")  # type: ignore[union-attr]
        raw.close()
        content = next(d for d in faq.CONTENT_DIRS if (d / "synonyms.tsv").is_file())
        synonyms, stopwords = faq.read_terms(content)
        with store.write() as session:
            replace_term_groups(
                session, synonyms=synonyms, stopwords=stopwords, origin=ORIGIN_BUNDLED
            )
        for indexes in faq.batches(size, 5000):
            entries = [faq.make_entry(20261121, i) for i in indexes]
            with store.write() as session:
                faq.add_published(session, entries)
    finally:
        store.close()
    return paths.root


def measure_faq(folder: Path) -> dict[str, object]:
    """Type in the FAQ page of the data folder ``folder`` in a fresh process."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    code = FAQ_CHILD % {"tick": TICK_MS, "key_ms": KEY_MS}
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(result.stdout.splitlines()[-1]))


def faq_rows(sizes: list[int]) -> list[Row]:
    out = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="schoolhr-stall-faq-") as folder:
            found = measure_faq(faq_store(Path(folder), size))
        stall = float(found["max_gap"]) * 1000 - TICK_MS  # type: ignore[arg-type]
        out.append(
            Row(
                f"longest UI-thread stall typing in the FAQ page, {size:,} entries "
                "(first query and first typo included)",
                stall,
                "ms",
                BUDGET_MS,
                ARCHITECTURE,
            )
        )
    return out


def rows(quick: bool = False) -> list[Row]:
    out = faq_rows([10_000] if quick else [10_000, 100_000])
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
    if "--faq-sizes" in sys.argv:
        sizes = sys.argv[sys.argv.index("--faq-sizes") + 1]
        for row in faq_rows([int(s) for s in sizes.split(",")]):
            print(f"{row.name}: {row.value:.0f} ms ({row.budget_text})")
        return 0
    for row in rows():
        print(f"{row.name}: {row.value:.0f} ms ({row.budget_text})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
