import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from schoolhr.content.files import read_content
from schoolhr.content.install import bundled_content_dir, install_bundled_content
from schoolhr.errors import UserError
from schoolhr.guides import service
from schoolhr.guides.printing import guide_document
from schoolhr.guides.schema import Guide
from schoolhr.paths import DataPaths
from schoolhr.reports.pdf import render_form
from schoolhr.search.engine import Searcher
from schoolhr.store.database import Store, open_store
from tests.helpers import TEST_CONTENT


@pytest.fixture
def guide_store(store: Store) -> Store:
    assert install_bundled_content(store, TEST_CONTENT) is not None
    return store


def test_search_finds_a_guide_by_its_system_name_and_by_a_synonym(guide_store: Store) -> None:
    searcher = Searcher(guide_store.engine)
    for query in ("WebITR 補休", "差勤系統", "差勤 補休"):
        refs = [h.ref for h in searcher.search(query, kinds=("guide",)).hits]
        assert refs[:1] == ["webitr-comp-leave"], query
    hit = searcher.search("eCPA", kinds=("guide",)).hits[0]
    assert hit.ref == "ecpa-sign-in" and hit.subtitle == "操作指引｜eCPA 人事服務網"


def test_progress_survives_a_restart(guide_store: Store, data_paths: DataPaths) -> None:
    with guide_store.write() as session:
        service.save_progress(session, "webitr-comp-leave", {0, 1}, 2)
    guide_store.close()
    reopened = open_store(data_paths)
    try:
        with reopened.read() as session:
            saved = service.progress(session, "webitr-comp-leave")
        assert saved.done == {0, 1} and saved.current == 2
        with reopened.write() as session:
            service.reset_progress(session, "webitr-comp-leave")
        with reopened.read() as session:
            assert service.progress(session, "webitr-comp-leave").done == frozenset()
    finally:
        reopened.close()


def test_a_per_site_address_is_a_setting_of_this_site(guide_store: Store) -> None:
    with guide_store.read() as session:
        assert service.system(session, "webitr").url is None
        assert service.system(session, "ecpa").url == "https://ecpa.dgpa.gov.tw"
    with guide_store.write() as session:
        service.set_system_url(session, "webitr", "https://webitr.example.gov.tw/")
    with guide_store.read() as session:
        assert service.system(session, "webitr").url == "https://webitr.example.gov.tw/"
    with pytest.raises(UserError, match="網址須以"), guide_store.write() as session:
        service.set_system_url(session, "webitr", "javascript:alert(1)")


def test_a_guide_prints_with_its_picture_and_steps(guide_store: Store, tmp_path: Path) -> None:
    with guide_store.read() as session:
        guide = service.guide(session, "webitr-comp-leave")
        system = service.system(session, "webitr")
    target = tmp_path / "guide.pdf"
    result = render_form(
        guide_document(
            guide, system, TEST_CONTENT, guide_store.paths.root, "測試國小", date(2026, 11, 22)
        ),
        target,
    )
    reader = PdfReader(target)
    text = "".join(page.extract_text() for page in reader.pages)
    assert result.pages >= 1 and "在 WebITR 申請加班補休" in text
    assert "步驟 3：填寫補休申請" in text and "不要在備註欄輸入身分證字號" in text
    images = [
        obj
        for page in reader.pages
        for obj in (page["/Resources"].get("/XObject") or {}).values()
        if obj.get_object().get("/Subtype") == "/Image"
    ]
    assert images, "the step's picture is in the PDF"


def test_a_missing_picture_and_an_empty_step_are_reported_with_their_lines(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, content)
    path = content / "guides" / "webitr-comp-leave.yaml"
    text = path.read_text(encoding="utf-8").replace("pictures/flow.png", "pictures/missing.png")
    text = text.replace("  - title: 輸入 PIN 碼", "  - title: ''")
    path.write_text(text, encoding="utf-8")
    ecpa = content / "guides" / "ecpa-sign-in.yaml"
    ecpa.write_text(
        ecpa.read_text(encoding="utf-8").replace("  - title: 輸入 PIN 碼", "  - title: ''"),
        encoding="utf-8",
    )
    found, problems = read_content(content)
    messages = [str(p) for p in problems]
    assert found is None
    assert any(
        "webitr-comp-leave.yaml:15: 找不到圖片「pictures/missing.png」" in m for m in messages
    )
    assert any("ecpa-sign-in.yaml:10:" in m and "不可空白" in m for m in messages), messages


def bundled_guides() -> list[Guide]:
    """The bundled guides (none if the bundle is invalid: test_check reports that)."""
    content, _problems = read_content(bundled_content_dir())
    return content.guides if content is not None else []


@pytest.mark.parametrize("guide", bundled_guides(), ids=lambda g: g.id)
def test_every_bundled_guide_prints(guide: Guide, store: Store, tmp_path: Path) -> None:
    install_bundled_content(store)
    with store.read() as session:
        system = service.system(session, guide.system)
    target = tmp_path / f"{guide.id}.pdf"
    render_form(
        guide_document(
            guide, system, bundled_content_dir(), store.paths.root, "測試國小", date.today()
        ),
        target,
    )
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(target).pages)
    assert "".join(guide.title.split()) in text  # line breaks and spaces aside
    assert "".join(guide.steps[0].title.split())[:6] in text
