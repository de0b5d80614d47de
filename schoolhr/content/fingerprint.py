"""Which files make up a content folder, and one hash of them all.

Kept apart from ``schoolhr.content.files`` (which imports the pydantic schemas) so that the
check made at every start, "has the bundled content changed?", costs a few milliseconds and no
imports.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def content_files(directory: Path) -> list[Path]:
    names = ("content.yaml", "categories.txt", "synonyms.tsv", "stopwords.txt")
    files = [directory / name for name in names if (directory / name).is_file()]
    for folder, pattern in (
        ("faq", "*.md"),
        ("checklists", "*.yaml"),
        ("guides", "*.yaml"),
        ("guides/pictures", "*.png"),
        ("rewards", "*.yaml"),
    ):
        if (directory / folder).is_dir():
            # plain files only: a folder or a named pipe called x.md is read_content's problem
            # to report, not something to read here (a pipe would wait forever)
            files += sorted(p for p in (directory / folder).glob(pattern) if p.is_file())
    return files


def fingerprint(directory: Path) -> str:
    """A hash of every content file: cheap enough to compare at each start."""
    digest = hashlib.sha256()
    for path in content_files(directory):
        digest.update(path.relative_to(directory).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
