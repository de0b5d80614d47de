"""Fixtures of the reliability suite: template databases copied per test (a school's, and the
county's where schools' data packs are imported), a county key made for the run, and the
figures printed at the end of the run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from schoolhr.paths import DataPaths, prepare_data_dir
from schoolhr.store.database import open_store, update_site
from schoolhr.sync import service, signing
from tests.reliability.support import (
    ATHERIS,
    ATHERIS_TEST,
    FIGURES,
    SEED,
    Figures,
    atheris_available,
    make_county,
    new_site_identity,
    start_atheris,
)


@pytest.fixture(scope="session")
def county_key() -> Ed25519PrivateKey:
    """The county's signing key for this test run only (never written to the repository)."""
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory, county_key: Ed25519PrivateKey) -> Path:
    """A school's database with a name and the run's county key trusted; tests copy it."""
    root = tmp_path_factory.mktemp("template")
    paths = prepare_data_dir(root / "data")
    store = open_store(paths, daily_backup=False)
    try:
        update_site(store, name="測試國小")
        public = root / "county.pub.pem"
        public.write_bytes(signing.public_pem(county_key.public_key()))
        service.trust_key(store, public, "測試縣")
    finally:
        store.close()
    return paths.database


@pytest.fixture(scope="session")
def county_template_db(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    """The template made the county HR office (a site UUID of its own, the county role and the
    reward rules): where schools' data packs are imported. It trusts the run's county key too."""
    root = tmp_path_factory.mktemp("county-template")
    paths = prepare_data_dir(root / "data")
    shutil.copyfile(template_db, paths.database)
    store = open_store(paths, daily_backup=False)
    try:
        new_site_identity(store)
        make_county(store)
    finally:
        store.close()
    return paths.database


@pytest.fixture
def profile(template_db: Path, data_paths: DataPaths) -> DataPaths:
    """The test's own data folder (also SCHOOLHR_DATA_DIR) with the template database."""
    shutil.copyfile(template_db, data_paths.database)
    return data_paths


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the atheris run in the background as soon as it is known to be wanted: it fuzzes
    on the second core while the other tests run (its test waits for it)."""
    wanted = not session.config.option.collectonly and any(
        item.name == ATHERIS_TEST for item in session.items
    )
    if wanted and atheris_available():
        session.config.stash[ATHERIS] = start_atheris()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An atheris run whose test never waited for it (stopped early with -x) is ended."""
    run = session.config.stash.get(ATHERIS, None)
    if run is not None and run.process.poll() is None:
        run.process.terminate()
        run.process.wait(timeout=30)
    if run is not None:
        run.remove()


@pytest.fixture(scope="session")
def figures(request: pytest.FixtureRequest) -> Figures:
    """The session's figures: each test adds what it measured; one report at the end."""
    return request.config.stash.setdefault(FIGURES, Figures())


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    figures = config.stash.get(FIGURES, None)
    lines = figures.report() if figures is not None else []
    if not lines:
        return
    terminalreporter.section(f"reliability figures (seed {SEED})")
    for line in lines:
        terminalreporter.write_line(line)
