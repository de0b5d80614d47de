"""Sync packs at county scale.

A data pack with 10,000 ledger entries and 2,000 contacts (budget: export and import under
2 s each), and a signed content pack with 1,000 FAQ entries and 50 guides with a picture each.
Import is the whole of it: open and verify the pack, validate every record, plan, back up,
apply in one transaction. Reports the best of ``--repeat`` runs, in seconds.

    python tests/benchmarks/bench_sync.py [--entries 10000] [--people 2000] [--faq 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
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

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from schoolhr.contacts.models import Contact  # noqa: E402
from schoolhr.content.files import read_content  # noqa: E402
from schoolhr.content.install import bundled_content_dir  # noqa: E402
from schoolhr.faq import service as faq  # noqa: E402
from schoolhr.guides import service as guides  # noqa: E402
from schoolhr.paths import ENV_DATA_DIR, prepare_data_dir  # noqa: E402
from schoolhr.rewards import service as rewards  # noqa: E402
from schoolhr.rewards.models import RewardEntry  # noqa: E402
from schoolhr.rewards.schema import RuleSet  # noqa: E402
from schoolhr.store import migrate  # noqa: E402
from schoolhr.store.database import Store, open_store, update_site  # noqa: E402
from schoolhr.sync import service, signing  # noqa: E402
from schoolhr.sync.format import PackWriter, encode_manifest  # noqa: E402
from tests.benchmarks.rows import ARCHITECTURE, Row, stated, table  # noqa: E402

TEST_CONTENT = REPO / "tests" / "data" / "content"
BASE = datetime(2025, 1, 1, tzinfo=UTC)


def county_profile(folder: Path) -> Store:
    """A county that imports school packs: its role set and the bundled reward rules in."""
    store = open_store(prepare_data_dir(folder), daily_backup=False)
    update_site(store, name="縣市人事處", role="county")
    rules = bundled_rules()
    with store.write() as session:
        rewards.install_rules(session, rules)
    return store


def bundled_rules() -> RuleSet:
    content, problems = read_content(bundled_content_dir())
    assert content is not None and content.rewards is not None, problems
    return content.rewards


def populate_data(store: Store, people: int, entries: int, seed: int) -> None:
    """A school's own people and claims (undecided, of a kind the bundled rules allow), written
    in bulk and stamped with the school's site, as if made there."""
    rng = random.Random(seed)
    origin = store.site().site_uuid
    rules = bundled_rules()
    kind = rules.kinds[0]
    top = min(4, kind.cap_per_year or 4, kind.points)
    with store.write() as session:
        session.execute(
            insert(Contact),
            [
                {
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "name": f"人員{i}",
                    "school": f"第{i % 200}國小",
                    "role": "教師",
                    "duties": ["導師"],
                    "mobile": f"09{i:08d}",
                    "origin": origin,
                    "updated_at": BASE + timedelta(minutes=i),
                }
                for i in range(people)
            ],
        )
        ids = list(session.execute(select(Contact.id)).scalars())
        session.execute(
            insert(RewardEntry),
            [
                {
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "contact_id": rng.choice(ids),
                    "date": date(2025, 1, 1) + timedelta(days=rng.randrange(365)),
                    "kind": kind.id,
                    "points": rng.randrange(1, top + 1),
                    "rule_version": rules.version,
                    "reason": "參加研習",
                    "status": "claimed",
                    "origin": origin,
                    "created_at": BASE,
                    "updated_at": BASE + timedelta(seconds=i),
                }
                for i in range(entries)
            ],
        )


def populate_content(store: Store, entries: int, guide_count: int, seed: int) -> None:
    rng = random.Random(seed)
    content, problems = read_content(TEST_CONTENT)
    assert content is not None, problems
    pictures = store.paths.root / "content" / "guides" / "pictures"
    pictures.mkdir(parents=True, exist_ok=True)
    with store.write() as session:
        for i in range(entries):
            model = content.faq[i % len(content.faq)]
            data = model.model_copy(update={"id": f"bench-{i:04d}", "title": f"{model.title} {i}"})
            faq.add_version(session, data, publish=True)
        guide_list = []
        model_guide = content.guides[0]
        for i in range(guide_count):
            name = f"pictures/bench-{i:02d}.png"
            (pictures / f"bench-{i:02d}.png").write_bytes(rng.randbytes(40_000))
            steps = [s.model_copy(update={"picture": name}) for s in model_guide.steps]
            guide_list.append(
                model_guide.model_copy(
                    update={"id": f"bench-guide-{i:02d}", "title": f"操作指引 {i}", "steps": steps}
                )
            )
        guides.install_guides(session, content.systems, guide_list, "local")


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def best_fresh_import(root: Path, pack: Path, repeat: int) -> float:
    """The best of ``repeat`` imports of a school's ``pack``, each into a new county profile
    below ``root``."""
    times = []
    for number in range(repeat):
        target = county_profile(root / f"county-import{number + 1}")
        try:
            start = time.perf_counter()
            service.import_pack(target, pack)
            times.append(time.perf_counter() - start)
        finally:
            target.close()
    return min(times)


QUESTIONS = [f"代理教師第{i}類假別如何請假" for i in range(40)]  # asked across the county


def school_pack(
    target: Path, number: int, people: int, claims: int, questions: int, rng: random.Random
) -> Path:
    """School ``number``'s data pack, as the school exports it (signed with the school's own
    key): ``people`` people, ``claims`` claims about them (of a kind the bundled rules allow)
    and ``questions`` questions, some of them asked at other schools too. Written straight
    with the pack writer: 200 school packs take seconds, not 200 profiles."""
    rules = bundled_rules()
    kind = rules.kinds[0]
    top = min(4, kind.cap_per_year or 4, kind.points)

    def new_uuid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    site = new_uuid()
    name = f"第{number}國小"
    stamp = (BASE + timedelta(days=number % 300, minutes=number)).isoformat()
    contacts = [
        {
            "uuid": new_uuid(),
            "name": f"人員{number}-{i}",
            "school": name,
            "region": "",
            "role": "教師",
            "duties": ["導師"],
            "years": None,
            "office_phone": "",
            "mobile": f"09{i:08d}",
            "email": "",
            "line_id": "",
            "notes": "",
            "consent_date": None,
            "consent_scope": "",
            "origin": site,
            "deleted": False,
            "updated_at": stamp,
        }
        for i in range(people)
    ]
    entries = [
        {
            "uuid": new_uuid(),
            "contact_uuid": rng.choice(contacts)["uuid"],
            "date": (date(2025, 1, 1) + timedelta(days=rng.randrange(365))).isoformat(),
            "kind": kind.id,
            "points": rng.randrange(1, top + 1),
            "rule_version": rules.version,
            "reason": "參加研習",
            "evidence": "",
            "recorded_by": "",
            "status": "claimed",
            "decision_reason": "",
            "decision_date": None,
            "decided_by": "",
            "reverses": None,
            "origin": site,
            "created_at": stamp,
            "updated_at": (BASE + timedelta(seconds=i)).isoformat(),
        }
        for i in range(claims)
    ]
    asked = [
        {
            "uuid": new_uuid(),
            "normalized_query": query,
            "query": query,
            "count": rng.randrange(1, 5),
            "note": "",
            "first_asked_at": stamp,
            "last_asked_at": stamp,
            "answered_entry_id": None,
            "answered_at": None,
            "origin": site,
            "updated_at": stamp,
        }
        for query in rng.sample(QUESTIONS, questions)
    ]
    writer = PackWriter(
        kind="data",
        origin={"site_uuid": site, "name": name, "role": "school"},
        created_at=datetime.now(UTC).isoformat(),
        schema_version=migrate.head_revision(),
        pack_id=new_uuid(),
    )
    writer.add_records("contacts", contacts)
    writer.add_records("reward_entries", entries)
    writer.add_records("unanswered", asked)
    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    manifest = writer.manifest(signing.fingerprint(public), signing.public_text(public))
    manifest_bytes = encode_manifest(manifest)
    writer.write(target, manifest_bytes, signing.sign(key, manifest_bytes))
    return target


def school_packs(folder: Path, schools: int, seed: int) -> list[Path]:
    """A pack from each of ``schools`` schools (10 people, 50 claims, 3 questions each),
    oldest first in the folder's order."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(schools):
        target = school_pack(folder / f"school{number:03d}.zip", number, 10, 50, 3, rng)
        os.utime(target, (1_700_000_000 + number, 1_700_000_000 + number))  # in this order
        paths.append(target)
    return paths


def folder_import(root: Path, schools: int, seed: int) -> tuple[float, list[float]]:
    """A county imports a folder of ``schools`` school packs: the total seconds, and the
    seconds of each pack in turn (from one progress call to the next)."""
    folder = root / "inbox"
    school_packs(folder, schools, seed)
    county = county_profile(root / "county-folder")
    marks: dict[int, float] = {}

    def progress(done: int, total: int, text: str = "") -> None:
        marks.setdefault(done, time.perf_counter())

    try:
        start = time.perf_counter()
        outcomes = service.import_folder(county, folder, progress=progress)
        total = time.perf_counter() - start
    finally:
        county.close()
    refused = [o.error for o in outcomes if o.result is None]
    assert not refused, refused[:3]
    per_pack = [marks[i + 1] - marks[i] for i in range(schools)]
    return total, per_pack


def big_pack_import(pack: Path, root: Path) -> tuple[float, float]:
    """Import ``pack`` into a fresh county profile in a child process: (seconds, the child's
    peak resident memory in MB, VmHWM: the interpreter and its imports included)."""
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--child-import", str(pack), str(root)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return float(result["seconds"]), float(result["peak_mb"])


def _child_import(pack: Path, root: Path) -> int:
    import json

    os.environ[ENV_DATA_DIR] = str(root / "child-unused")
    target = county_profile(root / "county-big")
    try:
        start = time.perf_counter()
        service.import_pack(target, pack)
        seconds = time.perf_counter() - start
    finally:
        target.close()
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb()}))
    return 0


def _peak_mb() -> float:
    """This process's peak resident memory: VmHWM (Linux: of this program only; ru_maxrss
    would carry the parent's peak over fork and exec), else ru_maxrss."""
    import resource

    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def county_rows(quick: bool, seed: int = 20261122) -> list[Row]:
    """The county at scale: a folder of 200 school packs, and one school pack 10x the
    budget's size (100,000 ledger entries + 20,000 contacts) in a fresh profile."""
    schools, people, entries = 200, 20_000, 100_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.environ[ENV_DATA_DIR] = str(root / "school0")
        total, per_pack = folder_import(root, schools, seed)
        first = statistics.mean(per_pack[:20]) * 1000
        last = statistics.mean(per_pack[-20:]) * 1000
        big = school_pack(root / "big.zip", 0, people, entries, 3, random.Random(seed))
        seconds, peak = big_pack_import(big, root)
    flat = stated('ARCHITECTURE.md\'s "linear in the number of packs": time per pack stays flat')
    return [
        Row(
            f"county imports a folder of {schools} school packs (10 people, 50 claims each)",
            total,
            "s",
            15,
            ARCHITECTURE,
        ),
        Row("  first 20 packs, mean per pack", first, "ms", None),
        Row("  last 20 packs, mean per pack", last, "ms", None),
        Row("  last 20 / first 20 packs, time per pack", last / first, "x", 1.5, flat),
        Row(
            f"data pack import at 10x, {entries:,} ledger entries + {people:,} contacts",
            seconds,
            "s",
            None,
        ),
        Row(
            "  its peak memory (child process VmHWM, interpreter included)",
            peak,
            "MB",
            250,
            ARCHITECTURE,
        ),
    ]


def rows(quick: bool = False) -> list[Row]:
    """A data pack of 10,000 ledger entries and 2,000 contacts exported and imported (the
    budget's sizes), and a signed content pack imported (smaller when ``quick``)."""
    people, entries = 2000, 10_000
    faq_count, guide_count = (200, 10) if quick else (1000, 50)
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.environ[ENV_DATA_DIR] = str(root / "school0")
        source = open_store(prepare_data_dir(root / "source"), daily_backup=False)
        populate_data(source, people, entries, 20261122)
        pack = root / "data.zip"
        export = best(repeat, lambda: service.export_pack(source, "data", pack))
        imported = best_fresh_import(root, pack, repeat)
        county = county_profile(root / "county")
        populate_content(county, faq_count, guide_count, 20261122)
        key = Ed25519PrivateKey.generate()
        public = root / "county.pub.pem"
        public.write_bytes(signing.public_pem(key.public_key()))
        content_pack = root / "content.zip"
        service.export_pack(
            county,
            "content",
            content_pack,
            private_key=key,
            content_version=1,
            content_dir=TEST_CONTENT,
        )

        counter = iter(range(1000))

        def import_content() -> float:
            target = open_store(prepare_data_dir(root / f"content{next(counter)}"))
            try:
                service.trust_key(target, public)
                start = time.perf_counter()
                service.import_pack(target, content_pack)
                return time.perf_counter() - start
            finally:
                target.close()

        content_import = min(import_content() for _ in range(repeat))
        source.close()
        county.close()
    size = f"{entries:,} ledger entries + {people:,} contacts"
    return [
        *county_rows(quick),
        Row(f"data pack export, {size}", export, "s", 2, ARCHITECTURE),
        Row(
            f"data pack import, {size} (verify, plan, backup, apply)",
            imported,
            "s",
            2,
            ARCHITECTURE,
        ),
        Row(
            f"content pack import, {faq_count:,} FAQ + {guide_count} guides with pictures",
            content_import,
            "s",
            5 if not quick else 2,
            stated("a county release, verified and installed in one go"),
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--faq", type=int, default=1000)
    parser.add_argument("--guides", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--child-import", nargs=2, type=Path, metavar=("PACK", "FOLDER"))
    parser.add_argument("--county", action="store_true", help="only the county-scale rows")
    args = parser.parse_args()
    if args.child_import:
        return _child_import(*args.child_import)
    if args.county:
        print(table(county_rows(False, args.seed)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.environ[ENV_DATA_DIR] = str(root / "school0")
        source = open_store(prepare_data_dir(root / "source"), daily_backup=False)
        populate_data(source, args.people, args.entries, args.seed)
        pack = root / "data.zip"
        export = best(args.repeat, lambda: service.export_pack(source, "data", pack))
        size = pack.stat().st_size

        imported = best_fresh_import(root, pack, args.repeat)
        again_store = county_profile(root / "again")
        service.import_pack(again_store, pack)
        unchanged = root / "data-again.zip"  # the school's next pack, nothing new in it
        service.export_pack(source, "data", unchanged)
        again = best(args.repeat, lambda: service.plan_import(again_store, unchanged))
        again_store.close()
        print(f"data pack: {args.entries} ledger entries, {args.people} contacts, {size:,} bytes")
        print(f"  export            {export:6.3f} s   (budget 2 s)")
        print(f"  import            {imported:6.3f} s   (budget 2 s; verify, plan, backup, apply)")
        print(f"  next pack (plan)  {again:6.3f} s   (the same records again: nothing to change)")

        county = county_profile(root / "county")
        populate_content(county, args.faq, args.guides, args.seed)
        key = Ed25519PrivateKey.generate()
        public = root / "county.pub.pem"
        public.write_bytes(signing.public_pem(key.public_key()))
        content_pack = root / "content.zip"
        versions = iter(range(1, 1000))

        def export_content() -> object:
            return service.export_pack(
                county,
                "content",
                content_pack,
                private_key=key,
                content_version=next(versions),
                content_dir=TEST_CONTENT,
            )

        content_export = best(args.repeat, export_content)
        content_size = content_pack.stat().st_size

        counter = iter(range(1000))

        def import_content() -> float:
            target = open_store(prepare_data_dir(root / f"content{next(counter)}"))
            try:
                service.trust_key(target, public)
                start = time.perf_counter()
                service.import_pack(target, content_pack)
                return time.perf_counter() - start
            finally:
                target.close()

        content_import = min(import_content() for _ in range(args.repeat))
        print(
            f"content pack: {args.faq} FAQ entries, {args.guides} guides with pictures, "
            f"{content_size:,} bytes"
        )
        print(f"  export            {content_export:6.3f} s")
        print(f"  import            {content_import:6.3f} s   (verify signature, plan, apply)")
        source.close()
        county.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
