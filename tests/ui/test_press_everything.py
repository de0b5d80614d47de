"""Every action in the real window, pressed: both demo profiles, at 100 %, and at 200 % in high
contrast. Each walk runs in a child process (tests/ui/press_everything.py), so a crash fails
the test with the last action pressed instead of killing pytest.

The counts of what was pressed are printed (``pytest -s`` or the report in the failure)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WALK_TIMEOUT_S = 900

WALKS = [
    pytest.param("school", 100, False, id="school-100"),
    pytest.param("county", 100, False, id="county-100"),
    pytest.param("school", 200, True, id="school-200-high-contrast"),
    pytest.param("county", 200, True, id="county-200-high-contrast"),
]


def run_walk(tmp_path: Path, role: str, zoom: int, contrast: bool) -> tuple[dict, str]:
    temp = tmp_path / "tmpdir"
    temp.mkdir()
    trail = tmp_path / "trail.txt"
    report = tmp_path / "report.json"
    env = dict(os.environ)
    env["TMPDIR"] = str(temp)  # the walk checks that nothing is left here
    env.pop("SCHOOLHR_DATA_DIR", None)
    command = [
        sys.executable,
        "-m",
        "tests.ui.press_everything",
        "--role",
        role,
        "--zoom",
        str(zoom),
        "--work",
        str(tmp_path / "work"),
        "--report",
        str(report),
        "--trail",
        str(trail),
    ] + (["--contrast"] if contrast else [])
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=WALK_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the walk did not end in {WALK_TIMEOUT_S} s; last action: {last(trail)}")
    output = "\n".join(
        line for line in (done.stderr or "").splitlines() if "propagateSizeHints" not in line
    )
    if not report.exists():
        pytest.fail(
            f"the walk ended with exit {done.returncode} before its report; "
            f"last action pressed: {last(trail)}\n{output[-4000:]}"
        )
    result = json.loads(report.read_text(encoding="utf-8"))
    result["returncode"] = done.returncode
    return result, output


def last(trail: Path) -> str:
    if not trail.exists():
        return "（none: the window did not come up）"
    lines = trail.read_text(encoding="utf-8").splitlines()
    return lines[-1] if lines else "（none）"


@pytest.mark.parametrize(("role", "zoom", "contrast"), WALKS)
def test_every_action_in_the_window_can_be_pressed(
    tmp_path: Path, role: str, zoom: int, contrast: bool
) -> None:
    report, output = run_walk(tmp_path, role, zoom, contrast)
    pressed: dict[str, int] = report["pressed"]
    print(
        f"\n{role} {zoom}%{' high contrast' if contrast else ''} on {report['platform']}: "
        f"{report['total']} actions in {report['seconds']} s"
    )
    for scope, count in pressed.items():
        print(f"  {count:4d}  {scope}")

    assert report["errors"] == [], "\n\n".join(report["errors"]) + "\n" + output[-2000:]
    assert report["leftovers"] == [], f"temporary files left behind: {report['leftovers']}"
    assert report["returncode"] == 0, output[-4000:]

    # every page the role sees was walked, and its buttons pressed
    pages = [scope for scope in pressed if "⟶" not in scope and " " not in scope]
    titles = {"首頁", "常見問答", "操作指引", "檢核表", "安心培力小群組", "積點獎勵", "交換檔"}
    assert titles <= set(pages), pages
    if role == "county":
        assert "未解答問題" in pages
    # the print previews (checklist run, blank form, Ctrl+P, guide) opened and were walked
    assert report["windows"].get("PdfPreviewDialog", 0) >= 3, report["windows"]
    # the window was left with 結束 (Ctrl+Q) and nothing stayed open
    assert pressed.get("quit") == 1
    # save dialogs were answered with a temporary path, so the exports really ran
    assert any(name.endswith(".pdf") for name in report["files_saved"])
    assert any(name.endswith(".xlsx") for name in report["files_saved"])
