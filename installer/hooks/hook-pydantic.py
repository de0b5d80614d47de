"""Replaces pyinstaller-hooks-contrib's hook for pydantic: pydantic 2 imports its modules lazily,
so they are all collected, except the pydantic 1 compatibility package and the mypy plugin,
which SchoolHR never uses (and which would pull mypy into the bundle)."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules(
    "pydantic", filter=lambda name: not name.startswith(("pydantic.v1", "pydantic.mypy"))
)
