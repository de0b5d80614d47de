"""Safe file writing (``schoolhr.files``): whole files or none, and personal data owner-only."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from schoolhr.contacts.formats import FORMATS, ContactFormat
from schoolhr.contacts.peer_groups import service as groups
from schoolhr.contacts.records import FIELD_LABELS, ContactRecord, validate
from schoolhr.errors import UserFileError
from schoolhr.files import atomic_output, atomic_path, write_atomically
from schoolhr.paths import DataPaths
from schoolhr.rewards.certificate import Certificate, render_certificate
from schoolhr.store.backup import create_backup
from schoolhr.store.database import Store
from schoolhr.support.diagnostics import write_diagnostics_zip

posix_only = pytest.mark.skipif(os.name == "nt", reason="Windows has no POSIX mode bits")


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets every new file be world-readable, as on a shared machine."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path, *keep: str) -> list[str]:
    """What is in ``folder`` besides ``keep`` (and the data folder every test has)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in {*keep, "data"})


# ------------------------------------------------------------------------------ the helpers


@posix_only
def test_a_private_file_is_owner_only_from_its_creation(tmp_path: Path, open_umask: None) -> None:
    # GIVEN an earlier export that anyone could read
    target = tmp_path / "名單.csv"
    target.write_bytes(b"old")
    target.chmod(0o644)
    # WHEN it is written again as private data, looking at the file while it is being written
    seen = []
    with atomic_output(target, private=True) as handle:
        handle.write(b"new")
        seen.append(mode(Path(handle.name)))
    # THEN the temporary file was owner-only before a byte was on disk, and so is the result
    assert seen == [0o600]
    assert mode(target) == 0o600
    assert target.read_bytes() == b"new"


@posix_only
def test_a_file_that_is_not_private_keeps_the_usual_mode(tmp_path: Path, open_umask: None) -> None:
    target = tmp_path / "表.pdf"
    write_atomically(target, b"%PDF-")
    assert mode(target) == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    # GIVEN a file written earlier
    target = tmp_path / "名單.xlsx"
    target.write_bytes(b"old")
    # WHEN writing it again fails half-way
    with pytest.raises(UserFileError, match="磁碟空間不足"), atomic_output(target) as handle:
        handle.write(b"half")
        raise OSError(28, "No space left on device")
    # THEN the old file is as it was and nothing else is in the folder
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path, target.name) == []


def test_a_failed_rename_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a file the user has open in Excel, which refuses the rename (Windows)
    target = tmp_path / "名單.xlsx"
    target.write_bytes(b"old")

    def refuse(_source: object, _target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("schoolhr.files.os.replace", refuse)
    # WHEN it is written again
    with pytest.raises(UserFileError, match="其他程式中開啟"):
        write_atomically(target, b"new", private=True)
    # THEN the old file is intact and the temporary file is gone
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path, target.name) == []


def test_a_writer_by_path_that_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "diagnostics.zip"
    with pytest.raises(RuntimeError), atomic_path(target, private=True) as partial:
        partial.write_bytes(b"PK")
        raise RuntimeError("the writer broke")
    assert leftovers(tmp_path) == []


def test_a_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserFileError, match="不存在"):
        write_atomically(tmp_path / "沒有這個資料夾" / "名單.csv", b"x")


# -------------------------------------------------------------- exports of personal data


def someone() -> ContactRecord:
    return validate(
        ContactRecord(
            name="許功蓋",
            school="三民國小",
            email="hsu@example.edu.tw",
            consent_date=date(2026, 1, 5),
        )
    )


@posix_only
@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_contacts_format_writes_owner_only(
    tmp_path: Path, open_umask: None, fmt: ContactFormat
) -> None:
    target = tmp_path / f"名單{fmt.suffix}"
    fmt.writer()(target, [someone()], list(FIELD_LABELS))
    assert mode(target) == 0o600


@posix_only
@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
def test_the_peer_group_roster_is_owner_only(
    store: Store, tmp_path: Path, open_umask: None, suffix: str
) -> None:
    from schoolhr.contacts import service as contacts

    with store.write() as session:
        for index in range(8):
            record = someone()
            contacts.save_contact(
                session,
                validate(
                    ContactRecord(
                        name=f"{record.name}{index}",
                        school=f"{record.school}{index}",
                        consent_date=record.consent_date,
                    )
                ),
            )
        groups.build_and_save(session, 7, 9, 0)
    target = tmp_path / f"名冊{suffix}"
    groups.export_roster(store, target)
    assert mode(target) == 0o600


@posix_only
def test_a_certificate_is_owner_only(tmp_path: Path, open_umask: None) -> None:
    target = tmp_path / "獎狀.pdf"
    certificate = Certificate(
        name="許功蓋",
        school="三民國小",
        reason="民國115年度兼任人事業務績優，積點 12 點",
        proposal="嘉獎一次",
        issuer="範例縣政府",
        issued_on=date(2026, 12, 1),
    )
    render_certificate(certificate, target)
    assert mode(target) == 0o600


@posix_only
@pytest.mark.parametrize(
    "write",
    [
        lambda paths, folder: create_backup(paths, "manual").path,
        lambda paths, folder: write_diagnostics_zip(paths, folder / "診斷.zip").path,
    ],
    ids=["backup", "diagnostics"],
)
def test_backups_and_the_diagnostic_zip_are_owner_only(
    store: Store,
    data_paths: DataPaths,
    tmp_path: Path,
    open_umask: None,
    write: Callable[[DataPaths, Path], Path],
) -> None:
    target = write(data_paths, tmp_path)
    assert mode(target) == 0o600
