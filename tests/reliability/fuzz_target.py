"""The atheris (libFuzzer) target for the reliability suite: coverage-guided fuzzing of the CSV,
vCard and pack readers. Run by tests/reliability/test_fuzz.py in its own process:

    python tests/reliability/fuzz_target.py -max_total_time=4 -timeout=5 -rss_limit_mb=1024

The first byte picks the reader, the rest is the file. Each reader may refuse the file with
its ``UserError``; any other exception, a hang (``-timeout``) or running out of memory
(``-rss_limit_mb``) is reported by libFuzzer and ends the run with a non-zero exit code.

It works in the folder ``SCHOOLHR_FUZZ_FOLDER`` names (the test makes it and removes it: the
process ends inside libFuzzer, without Python's clean-up); run by hand without it, it works in
a new temporary folder and prints where.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atheris

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

with atheris.instrument_imports(include=["schoolhr"]):
    from schoolhr.contacts.formats import csv_format, vcard
    from schoolhr.errors import UserError
    from schoolhr.sync import data
    from schoolhr.sync.format import PackReader, PackWriter, encode_manifest


def working_folder() -> Path:
    given = os.environ.get("SCHOOLHR_FUZZ_FOLDER")
    if given:
        return Path(given)
    folder = Path(tempfile.mkdtemp(prefix="schoolhr-atheris-"))
    print(f"working folder (remove it when done): {folder}", flush=True)
    return folder


FOLDER = working_folder()
TARGETS = ("contacts.csv", "contacts.vcf", "pack.zip")
KNOWN = os.environ.get("SCHOOLHR_FUZZ_KNOWN_BUGS", "").split("|")


def read_pack(path: Path) -> None:
    reader = PackReader(path)
    for member in reader.manifest.members:
        if member.name.startswith("records/"):
            record_type = member.name.removeprefix("records/").removesuffix(".jsonl")
            data.validate(record_type, member.name, reader.records(member.name))


def test_one_input(raw: bytes) -> None:
    if not raw:
        return
    name = TARGETS[raw[0] % len(TARGETS)]
    path = FOLDER / name
    path.write_bytes(raw[1:])
    try:
        if name.endswith(".csv"):
            csv_format.read(path)
        elif name.endswith(".vcf"):
            vcard.read(path)
        else:
            read_pack(path)
    except UserError:
        pass  # a refusal with a message is the right answer to a bad file
    except Exception as exc:
        # A bug another module owns, kept failing by its own xfail test: counted, not fatal.
        if not any(text and text in str(exc) for text in KNOWN):
            raise
        print(f"KNOWN-BUG {exc}", flush=True)


def seeds() -> list[bytes]:
    """A good file of each kind, so the fuzzer starts from inputs that get far."""
    csv = "姓名,服務學校,電子郵件\r\n王小明,桃源國小,wang@school.tw\r\n".encode()
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nTEL;TYPE=CELL:0912345678\r\nEND:VCARD\r\n"
    writer = PackWriter("data", {"site_uuid": "s", "name": "某校", "role": "school"}, "", "", "")
    writer.add_records("contacts", [{"uuid": "x", "name": "王小明"}])
    pack = FOLDER / "seed.zip"
    writer.write(pack, encode_manifest(writer.manifest()), None)
    return [b"\x00" + csv, b"\x01" + card.encode(), b"\x02" + pack.read_bytes()]


def main() -> None:
    corpus = FOLDER / "seeds"
    corpus.mkdir()
    for number, seed in enumerate(seeds()):
        (corpus / f"seed{number}").write_bytes(seed)
    atheris.Setup([sys.argv[0], *sys.argv[1:], str(corpus)], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
