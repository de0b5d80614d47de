"""Every test gets its own data folder; Qt runs offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from schoolhr.paths import ENV_DATA_DIR, DataPaths, prepare_data_dir
from schoolhr.store.database import Store, open_store


@pytest.fixture(autouse=True)
def data_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataPaths:
    """A fresh data folder, also set as SCHOOLHR_DATA_DIR so nothing touches the real one."""
    root = tmp_path / "data"
    monkeypatch.setenv(ENV_DATA_DIR, str(root))
    return prepare_data_dir(root)


@pytest.fixture
def store(data_paths: DataPaths) -> Iterator[Store]:
    opened = open_store(data_paths)
    yield opened
    opened.close()


@pytest.fixture
def faq_store(store: Store) -> Store:
    """A store with the small test content (tests/data/content) installed."""
    from schoolhr.content.install import install_bundled_content
    from tests.helpers import TEST_CONTENT

    assert install_bundled_content(store, TEST_CONTENT) is not None
    return store
