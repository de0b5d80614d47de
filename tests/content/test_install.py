import shutil
from pathlib import Path

from schoolhr.content.files import read_content
from schoolhr.content.install import install_bundled_content, installed_release
from schoolhr.faq import service
from schoolhr.search.engine import Searcher
from schoolhr.status import read_status
from schoolhr.store.database import Store
from tests.helpers import TEST_CONTENT


def copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(TEST_CONTENT, target)
    return target


def bump(directory: Path, version: str) -> None:
    manifest = directory / "content.yaml"
    text = manifest.read_text(encoding="utf-8").replace('"2026.11.1"', f'"{version}"')
    manifest.write_text(text, encoding="utf-8")


def test_first_run_installs_everything_and_indexes_it(store: Store) -> None:
    result = install_bundled_content(store, TEST_CONTENT)
    assert result is not None and result.added == 5
    assert installed_release(store) == ("2026.11.1", "測試內容")
    assert Searcher(store.engine).search("補休").hits
    assert "內建內容更新為 2026.11.1" in read_status(store.paths).operations[0].summary


def test_an_unchanged_bundle_is_not_read_again(store: Store) -> None:
    install_bundled_content(store, TEST_CONTENT)
    assert install_bundled_content(store, TEST_CONTENT) is None


def test_a_newer_bundle_updates_bundled_entries_but_not_local_edits(
    store: Store, tmp_path: Path
) -> None:
    bundle = copy_content(tmp_path)
    install_bundled_content(store, bundle)
    # GIVEN the county edited one bundled entry here
    with store.write() as session:
        edited = service.published(session, "leave-staff-annual")
        assert edited is not None
        data = edited.as_data().model_copy(update={"body": "本縣補充說明：休假請依年資計算。"})
        service.add_version(session, data, publish=True)
    # WHEN an app update brings new wording for that entry and for another one
    bump(bundle, "2026.12.1")
    for name in ("leave-staff-annual", "webitr-apply-leave"):
        path = bundle / "faq" / f"{name}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n新版內容。\n", encoding="utf-8")
    result = install_bundled_content(store, bundle)
    # THEN the untouched entry is updated and the edited one is kept
    assert result is not None and result.updated == 1
    with store.read() as session:
        kept = service.published(session, "leave-staff-annual")
        updated = service.published(session, "webitr-apply-leave")
    assert kept is not None and kept.body == "本縣補充說明：休假請依年資計算。"
    assert updated is not None and updated.body.endswith("新版內容。") and updated.version == 2


def test_an_entry_dropped_from_the_bundle_is_hidden_not_deleted(
    store: Store, tmp_path: Path
) -> None:
    bundle = copy_content(tmp_path)
    install_bundled_content(store, bundle)
    (bundle / "faq" / "evaluation-teachers.md").unlink()
    bump(bundle, "2026.12.1")
    result = install_bundled_content(store, bundle)
    assert result is not None and result.removed == 1
    with store.read() as session:
        assert service.published(session, "evaluation-teachers") is None
    assert "evaluation-teachers" not in [h.ref for h in Searcher(store.engine).search("考核").hits]


def test_an_older_bundle_does_not_replace_newer_content(store: Store, tmp_path: Path) -> None:
    bundle = copy_content(tmp_path)
    bump(bundle, "2027.1.1")
    install_bundled_content(store, bundle)
    assert install_bundled_content(store, TEST_CONTENT) is None
    assert installed_release(store) == ("2027.1.1", "測試內容")


def test_a_broken_bundle_leaves_the_installed_content(store: Store, tmp_path: Path) -> None:
    bundle = copy_content(tmp_path)
    install_bundled_content(store, bundle)
    bump(bundle, "2026.12.1")
    (bundle / "faq" / "broken.md").write_text("壞掉的檔案\n", encoding="utf-8")
    assert read_content(bundle)[0] is None
    assert install_bundled_content(store, bundle) is None
    assert installed_release(store) == ("2026.11.1", "測試內容")
