"""The diagnostic zip a clerk attaches to a help-desk ticket.

It holds exactly these members, every text masked (``schoolhr.support.masking``):

- ``report.txt``: the help-desk report (``SupportReport.as_text``);
- ``doctor.txt``: the doctor's verdict;
- ``versions.json``: the app's, Python's, the platform's, Qt's and the main libraries' versions;
- ``logs/schoolhr.log`` and its rotated predecessors, masked line by line;
- ``settings.ini`` when the profile has one.

Nothing else from the data folder is ever read into it: not the database, its backups, exports,
packs, evidence files or keys. The zip is written to a temporary file beside the target and
renamed into place, so a failed or interrupted write leaves no half zip under the chosen name.
"""

from __future__ import annotations

import json
import platform
import zipfile
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

from schoolhr import __version__
from schoolhr.doctor import run_doctor
from schoolhr.errors import UserFileError
from schoolhr.files import atomic_path
from schoolhr.paths import DataPaths
from schoolhr.support.masking import Masker, known_names
from schoolhr.support.report import SupportReport, log_files, support_report

LIBRARIES = (
    "SQLAlchemy",
    "alembic",
    "pydantic",
    "cryptography",
    "reportlab",
    "openpyxl",
    "platformdirs",
)


@dataclass(frozen=True)
class DiagnosticsResult:
    path: Path
    size: int
    members: list[str]

    def summary(self) -> str:
        return (
            f"已存成診斷檔「{self.path}」（{len(self.members)} 個檔案，不含資料庫與個人資料），"
            "可附在問題回報中寄給縣市人事處。"
        )


def write_diagnostics_zip(
    paths: DataPaths,
    target: Path,
    *,
    open_guide: tuple[str, str] | None = None,
    report: SupportReport | None = None,
    today: date | None = None,
) -> DiagnosticsResult:
    """Write the diagnostic zip of the profile at ``paths`` to ``target`` (a ``.zip``). Pass
    ``report`` when the help-desk panel has one already; otherwise it is gathered here (with
    the guide the window has open, if any). Reads the profile only."""
    if target.suffix.lower() != ".zip":
        raise UserFileError(f"診斷檔須存成 .zip 檔，「{target.name}」不是。")
    if not target.parent.is_dir():
        raise UserFileError(f"資料夾「{target.parent}」不存在；請確認輸出路徑。")
    masker = Masker(known_names(paths) or ())
    doctor = run_doctor(paths)
    if report is None:
        report = support_report(paths, open_guide=open_guide, today=today, doctor=doctor)
    members: dict[str, bytes] = {
        "report.txt": _text(report.as_text()),
        "doctor.txt": _text(masker.mask(doctor.to_text())),
        "versions.json": _text(
            json.dumps(_versions(report), ensure_ascii=False, indent=2, sort_keys=True)
        ),
    }
    for path in log_files(paths):
        members[f"logs/{path.name}"] = _masked_file(path, masker)
    if paths.settings_file.is_file():
        members["settings.ini"] = _masked_file(paths.settings_file, masker)
    try:  # names masked, but still about people: owner-only
        with (
            atomic_path(target, private=True) as partial,
            zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for name, data in members.items():
                archive.writestr(name, data)
    except OSError as exc:
        raise UserFileError(f"無法寫入「{target}」（{exc.strerror or exc}）。") from exc
    return DiagnosticsResult(target, target.stat().st_size, list(members))


def _text(value: str) -> bytes:
    return (value.rstrip("\n") + "\n").encode("utf-8")


def _masked_file(path: Path, masker: Masker) -> bytes:
    """The text file masked (no pattern spans two lines, so this is masking line by line);
    bytes that are not UTF-8 are replaced, not copied."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return _text(f"（無法讀取：{exc.strerror or exc}）")
    return _text(masker.mask(text))


def _versions(report: SupportReport) -> dict[str, object]:
    libraries: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            libraries[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            libraries[name] = None
    return {
        "app": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "qt": report.qt_version,
        "libraries": libraries,
        "content": report.content_version,
        "county_content": report.county_content,
        "schema_revision": report.schema_revision,
        "schema_head": report.schema_head,
        "role": report.role,
        "demo": report.demo,
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
    }
