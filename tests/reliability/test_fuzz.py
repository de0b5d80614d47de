"""Fuzzing the readers: CSV, vCard, xlsx and pack files made or mangled by hypothesis (random
bytes, text shaped like the format, and damaged copies of good files whose checksums are fixed
up so the damage reaches the parsers), and by atheris (coverage-guided, in its own process,
where it installs). Every reader either returns or refuses the file with its ``UserError``;
each call is stopped by an alarm after ``HANG_SECONDS``.

Figure: inputs per reader, 0 exceptions other than the importer's own refusal, 0 hangs.
"""

from __future__ import annotations

import hashlib
import io
import json
import signal
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from schoolhr.contacts.formats import csv_format, vcard, xlsx_format
from schoolhr.contacts.records import FIELD_LABELS, ContactRecord, validate
from schoolhr.errors import UserError
from schoolhr.paths import DataPaths
from schoolhr.store.database import Store, open_store
from schoolhr.sync import service as sync
from tests.data.hostile.make_hostile import (
    contact_record,
    entry_record,
    signed_members,
    write_pack,
)
from tests.reliability.support import (
    ATHERIS,
    FUZZ_SECONDS,
    HANG_SECONDS,
    KNOWN_FUZZ_BUGS,
    SEED,
    Figures,
    atheris_available,
    examples,
    start_atheris,
)

Stats = dict[str, dict[str, float]]
"""Per reader: inputs, how many were refused or hit a known bug, the slowest call in seconds."""


class Hang(Exception):
    pass


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    def ring(_signal: int, _frame: FrameType | None) -> None:
        raise Hang(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def describe(stats: Stats) -> str | None:
    if not stats:
        return None
    parts = [
        f"{reader} {int(s['inputs'])} inputs ({int(s['refused'])} refused, longest "
        f"{s['slowest']:.2f} s)"
        for reader, s in stats.items()
    ]
    known = int(sum(s["known"] for s in stats.values()))
    return (
        "fuzzing with hypothesis: " + "; ".join(parts) + f": 0 exceptions other than the "
        f"importer's refusal, 0 hangs (alarm at {HANG_SECONDS} s); {known} inputs hit a "
        "known bug"
    )


@pytest.fixture(scope="session")
def stats(figures: Figures) -> Stats:
    """The readers' tally, one line of the figures for the hypothesis fuzzing."""
    return figures.tally("fuzzing with hypothesis", Stats, describe)


def attempt(
    stats: Stats, reader: str, call: Callable[[], object], known: tuple[str, ...] = ()
) -> None:
    """Call a reader: a result or its refusal are fine; anything else fails the test, except
    an exception named in ``known`` (a bug described by an xfail test), which is counted."""
    tally = stats.setdefault(reader, {"inputs": 0, "refused": 0, "known": 0, "slowest": 0.0})
    tally["inputs"] += 1
    started = time.perf_counter()
    try:
        with alarm(HANG_SECONDS):
            call()
    except UserError:
        tally["refused"] += 1
    except Exception as exc:
        if not any(text in f"{type(exc).__name__}: {exc}" for text in known):
            raise
        tally["known"] += 1
    finally:
        tally["slowest"] = max(tally["slowest"], time.perf_counter() - started)
    assert tally["slowest"] < HANG_SECONDS, f"{reader}: {tally['slowest']:.1f} s for one input"


def built(name: str, write: Callable[[Path], object]) -> bytes:
    """The bytes of a file ``write`` makes, in a temporary folder removed at once."""
    with tempfile.TemporaryDirectory(prefix="schoolhr-fuzz-") as folder:
        path = Path(folder) / name
        write(path)
        return path.read_bytes()


FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ------------------------------------------------------------------------------------ CSV

CELL = st.text(
    alphabet=st.sampled_from([*list("王小明桃源國小,\"\r\n\t\x00=+-@'; abc019"), "\ufeff", "𡒊"]),
    max_size=12,
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp950", "utf-16", "latin-1"])


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=1500))
    header = draw(st.sampled_from(["姓名,服務學校,電子郵件", "姓名", "電話,學校", ""]))
    rows = draw(st.lists(st.lists(CELL, max_size=5), max_size=8))
    text = header + "\r\n" + "\r\n".join(",".join(row) for row in rows)
    return text.encode(draw(ENCODINGS), errors="ignore")


@seed(SEED)
@settings(FUZZ, max_examples=examples(150))
@given(data=csv_files())
def test_the_csv_reader_raises_nothing_but_its_refusal(
    tmp_path: Path, stats: Stats, data: bytes
) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    attempt(stats, "CSV", lambda: csv_format.read(path))


# ------------------------------------------------------------------------------------ vCard

VCARD_LINES = st.sampled_from(
    [
        "BEGIN:VCARD",
        "END:VCARD",
        "VERSION:2.1",
        "VERSION:3.0",
        "VERSION:4.0",
        "FN:王小明",
        "N:王;小明;;;",
        "N:;;;;",
        "ORG:桃源國小;;",
        "TEL;TYPE=CELL:0912345678",
        "TEL;WORK;VOICE:(02)2397-9108#12",
        "EMAIL;TYPE=INTERNET:a@b.tw",
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=E7=8E=8B=",
        "=E5=B0=8F",
        "PHOTO;ENCODING=b;TYPE=JPEG:AAAA",
        " folded",
        "\tfolded",
        "CATEGORIES:差勤,考核",
        "X-SCHOOLHR-YEARS:5",
        "X-SCHOOLHR-CONSENT-DATE:2026-13-45",
        "IMPP:line:abc",
        "item1.EMAIL:x@y.tw",
        "TITLE:兼任人事",
        "no colon here",
        ";;;:::",
        "",
    ]
)


@st.composite
def vcard_files(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=1500))
    body = st.lists(st.one_of(VCARD_LINES, CELL.map(lambda t: "FN:" + t)), max_size=14)
    lines: list[str] = []
    for card in draw(st.lists(body, min_size=1, max_size=3)):
        lines += ["BEGIN:VCARD", *card, "END:VCARD"] if draw(st.integers(0, 9)) else card
    ending = draw(st.sampled_from(["\r\n", "\r\n", "\n", "\r", "\u2028"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp950", "utf-16"]))
    return ending.join(lines).encode(encoding, errors="ignore")


@seed(SEED)
@settings(FUZZ, max_examples=examples(150))
@given(data=vcard_files())
def test_the_vcard_reader_raises_nothing_but_its_refusal(
    tmp_path: Path, stats: Stats, data: bytes
) -> None:
    path = tmp_path / "fuzz.vcf"
    path.write_bytes(data)
    attempt(stats, "vCard", lambda: vcard.read(path))


# ------------------------------------------------------------------------------------ xlsx


GOOD_RECORDS = [
    validate(ContactRecord(name="王小明", school="桃源國小", email="w@school.tw", years=3)),
    validate(ContactRecord(name="=1+1", notes="第一行\n第二行", mobile="0912345678")),
]
GOOD_XLSX = built(
    "good.xlsx", lambda path: xlsx_format.write(path, GOOD_RECORDS, list(FIELD_LABELS))
)
XML_BITS = st.sampled_from(
    [
        "<row r='2'>",
        "</row>",
        "<c r='A2' t='inlineStr'><is><t>王</t></is></c>",
        "<c r='ZZZ9' t='s'><v>7</v></c>",
        "<c t='n'><v>1e309</v></c>",
        "<c t='d'><v>2026-02-30</v></c>",
        "<c t='b'><v>2</v></c>",
        "<v>",
        "&amp;",
        "&#0;",
        "<!DOCTYPE x [<!ENTITY a 'b'>]>",
        "<sheetData>",
        "</sheetData>",
        "<dimension ref='A1:XFD1048576'/>",
    ]
)


@st.composite
def xlsx_files(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):  # bytes flipped anywhere in the file
        data = bytearray(GOOD_XLSX)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    source = zipfile.ZipFile(io.BytesIO(GOOD_XLSX))
    names = source.namelist()
    victim = draw(st.sampled_from(names))
    original = source.read(victim).decode("utf-8", errors="replace")
    cut = draw(st.integers(0, len(original)))
    inserted = "".join(draw(st.lists(XML_BITS, max_size=6)))
    changed = original[:cut] + inserted + original[cut + draw(st.integers(0, 40)) :]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name in names:
            out.writestr(name, changed if name == victim else source.read(name))
    return buffer.getvalue()


@seed(SEED)
@settings(FUZZ, max_examples=examples(60))
@given(data=xlsx_files())
def test_the_xlsx_reader_raises_nothing_but_its_refusal(
    tmp_path: Path, stats: Stats, data: bytes
) -> None:
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(data)
    attempt(stats, "xlsx", lambda: xlsx_format.read(path))


# ------------------------------------------------------------------------------------ packs

PERSON = "5c1f0000-0000-4000-8000-00000000aaaa"
# A school's data pack (signed with its own key, a person and a plain claim), imported at the
# county: it goes all the way through (pack_store checks), so damage to it reaches every check.
GOOD_PACK = built(
    "good.zip",
    lambda path: write_pack(
        path,
        "data",
        {
            "contacts": [contact_record(PERSON, "王小明")],
            "reward_entries": [entry_record("5c1f0000-0000-4000-8000-00000000bbbb", PERSON, 2)],
        },
    ),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.floats(allow_nan=True),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def pack_files(draw: st.DrawFn) -> bytes:
    """The good pack damaged: bytes flipped (its signature kept), or a manifest field or a
    record field changed and the manifest signed again with the school's key (a school signs
    whatever it sends), so the damage gets past the signature to the checks after it."""
    kind = draw(st.integers(0, 2))
    if kind == 0:  # bytes flipped anywhere in the zip
        flipped = bytearray(GOOD_PACK)
        for _ in range(draw(st.integers(1, 8))):
            flipped[draw(st.integers(0, len(flipped) - 1))] = draw(st.integers(0, 255))
        return bytes(flipped)
    source = zipfile.ZipFile(io.BytesIO(GOOD_PACK))
    members = {n: source.read(n) for n in source.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    members.pop("signature.ed25519")
    if kind == 1:  # a manifest field given another value
        key = draw(st.sampled_from(sorted(manifest)))
        manifest[key] = draw(JSON_VALUES)
    else:  # a record with a field given another value (hashes fixed: the damage gets in)
        name = draw(st.sampled_from(sorted(members)))
        record = json.loads(members[name].splitlines()[0])
        record[draw(st.sampled_from(sorted(record)))] = draw(JSON_VALUES)
        members[name] = json.dumps(record, ensure_ascii=False).encode() + b"\n"
        for entry in manifest.get("members", []):
            if isinstance(entry, dict) and entry.get("name") == name:
                entry["sha256"] = hashlib.sha256(members[name]).hexdigest()
                entry["size"] = len(members[name])
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, default=str).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in [*signed_members(manifest_bytes), *members.items()]:
            out.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def pack_store(
    tmp_path_factory: pytest.TempPathFactory, county_template_db: Path
) -> Iterator[Store]:
    """The county (schools' data packs are imported there); the good pack would go in."""
    root = tmp_path_factory.mktemp("fuzz-packs") / "data"
    root.mkdir()
    paths = DataPaths(root)
    paths.database.write_bytes(county_template_db.read_bytes())
    store = open_store(paths, daily_backup=False)
    good = root / "good.zip"
    good.write_bytes(GOOD_PACK)
    assert len(sync.plan_import(store, good).items) == 2
    yield store
    store.close()


@seed(SEED)
@settings(FUZZ, max_examples=examples(120))
@given(data=pack_files())
def test_the_pack_reader_raises_nothing_but_its_refusal(
    tmp_path: Path, pack_store: Store, stats: Stats, data: bytes
) -> None:
    path = tmp_path / "fuzz.zip"
    path.write_bytes(data)
    attempt(stats, "pack", lambda: sync.plan_import(pack_store, path), known=KNOWN_FUZZ_BUGS)


# ------------------------------------------------------------------------------------ atheris


@pytest.mark.skipif(not atheris_available(), reason="atheris does not install on this platform")
def test_atheris_finds_no_crash_or_hang_in_the_csv_vcard_and_pack_readers(
    request: pytest.FixtureRequest, figures: Figures
) -> None:
    """Started once the session's tests were collected (conftest), so it fuzzes while the
    other tests run; here its end is awaited."""
    run = request.config.stash.get(ATHERIS, None) or start_atheris()
    output = run.output(FUZZ_SECONDS + 120)
    runs = [line for line in output.splitlines() if line.startswith("Done ")]
    known = output.count("KNOWN-BUG")
    figures.add(
        f"atheris: {runs[-1] if runs else 'no summary'} over the CSV, vCard and pack readers: "
        f"0 exceptions other than the refusal, 0 hangs (libFuzzer -timeout={HANG_SECONDS}); "
        f"{known} inputs hit a known bug"
    )
    assert run.process.returncode == 0, output[-3000:]
