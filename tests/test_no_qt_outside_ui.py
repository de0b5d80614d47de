"""Only ``schoolhr.ui`` loads Qt: the command line and every core package import without PySide6.

A child process imports ``schoolhr.cli`` and then every module found by walking the ``schoolhr``
package (outside ``schoolhr.ui``), so a module added later is checked without editing this test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Modules that are scripts, not libraries: importing them does their work.
SCRIPTS = {
    "schoolhr.__main__",  # runs the command line and exits
    "schoolhr.store.migrations.env",  # runs only inside alembic, on a connection it is handed
}

IMPORT_EVERYTHING_BUT_THE_UI = f"""
import importlib, json, pkgutil, sys

import schoolhr
import schoolhr.cli

scripts = {sorted(SCRIPTS)!r}
imported = ["schoolhr", "schoolhr.cli"]


def walk(package):
    # pkgutil.walk_packages would import schoolhr.ui to look inside it; this walk stops there.
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if info.name == "schoolhr.ui" or info.name in scripts:
            continue
        module = importlib.import_module(info.name)
        imported.append(info.name)
        if info.ispkg:
            walk(module)


walk(schoolhr)

qt = sorted(m for m in sys.modules if m == "PySide6" or m.startswith("PySide6."))
ui = sorted(m for m in sys.modules if m == "schoolhr.ui" or m.startswith("schoolhr.ui."))
print(json.dumps({{"imported": imported, "qt": qt, "ui": ui}}))
"""


def import_everything_but_the_ui() -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING_BUT_THE_UI],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[str]] = json.loads(done.stdout)
    return result


def test_the_cli_and_every_core_module_import_without_pyside6() -> None:
    result = import_everything_but_the_ui()
    assert result["qt"] == [], f"PySide6 was loaded outside schoolhr.ui: {result['qt']}"
    assert result["ui"] == []
    # The walk reached the core packages (a broken walk would pass the checks above vacuously).
    imported = set(result["imported"])
    core_packages = {
        f"schoolhr.{path.name}"
        for path in (REPO / "schoolhr").iterdir()
        if (path / "__init__.py").is_file() and path.name != "ui"
    }
    assert core_packages, "no core packages found beside schoolhr/ui"
    assert core_packages <= imported
    modules_on_disk = {
        ".".join(path.relative_to(REPO).with_suffix("").parts)
        for path in (REPO / "schoolhr").rglob("*.py")
        if "ui" not in path.relative_to(REPO / "schoolhr").parts[:1]
    }
    modules_on_disk = {name.removesuffix(".__init__") for name in modules_on_disk}
    assert modules_on_disk - SCRIPTS <= imported
