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
from schoolhr.store.database import Store, open_store, update_site  # noqa: E402
from schoolhr.sync import service, signing  # noqa: E402
from tests.benchmarks.rows import ARCHITECTURE, Row, stated  # noqa: E402

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
    args = parser.parse_args()
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
