"""How a demo profile is recognised, quickly and without the database layer.

A demo folder carries a marker file ``DEMO`` (a short zh-TW note plus ``key=value`` lines);
its database's site UUID is one of the fixed demo UUIDs below, derived with ``uuid5`` so that
every build gives the same ones. A real profile never has the marker, and its site UUID is
random, so neither check can mistake it for a demo.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from schoolhr.files import atomic_path
from schoolhr.paths import DataPaths, resolve_data_dir

MARKER_NAME = "DEMO"
DEMO_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org/schoolhr/demo")
SCHOOL_COUNT = 12
STATE_BUILDING = "building"  # written first: a build that stopped half-way can be redone
STATE_READY = "ready"


def demo_uuid(kind: str, key: object) -> str:
    """The fixed UUID of one demo record (``demo_uuid("contact", 7)``)."""
    return str(uuid.uuid5(DEMO_NAMESPACE, f"{kind}/{key}"))


COUNTY_SITE_UUID = demo_uuid("site", "county")


def school_site_uuid(number: int) -> str:
    """The site UUID of demo school ``number`` (1–12)."""
    return demo_uuid("site", f"school-{number}")


DEMO_SITE_UUIDS = frozenset(
    [COUNTY_SITE_UUID] + [school_site_uuid(n) for n in range(1, SCHOOL_COUNT + 1)]
)


def is_demo_profile(paths: DataPaths) -> bool:
    """Whether the profile at ``paths`` is a demo profile (for the 「示範模式」 marker); one
    file-system look, no database access."""
    return (paths.root / MARKER_NAME).is_file()


def default_demo_dir(real: Path | None = None) -> Path:
    """The demo folder beside the real profile's: ``…/SchoolHR`` -> ``…/SchoolHR-demo``."""
    real = real or resolve_data_dir()
    return real.parent / f"{real.name}-demo"


def marker_values(root: Path) -> dict[str, str]:
    """The ``key=value`` lines of a demo folder's marker ({} when there is none)."""
    try:
        text = (root / MARKER_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    values = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip().isidentifier():
            values[key.strip()] = value.strip()
    return values


def write_marker(root: Path, values: dict[str, str]) -> None:
    """Write the marker (through a temporary file, so it is never half written)."""
    lines = [
        "學校人事小幫手 示範資料夾（範例縣）",
        "這個資料夾由「schoolhr demo」建立，內容全是虛構的示範資料；可用「schoolhr demo --reset」",
        "重設為初始狀態。請勿在這裡輸入真實資料：重設時除了記錄檔與顯示設定，其餘全部刪除。",
        "",
    ] + [f"{key}={value}" for key, value in values.items()]
    with atomic_path(root / MARKER_NAME) as partial:
        partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
