import json

import pytest

from schoolhr.cli import main
from schoolhr.errors import ExitCode
from schoolhr.store.database import Store


@pytest.fixture(autouse=True)
def test_content(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers import TEST_CONTENT

    monkeypatch.setattr("schoolhr.content.install.bundled_content_dir", lambda: TEST_CONTENT)


def test_faq_search_json_gives_id_title_category_score_and_matched_terms(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["faq", "search", "特休", "--json", "--limit", "3"]) == ExitCode.OK
    result = json.loads(capsys.readouterr().out)
    first = result["results"][0]
    assert first["id"] == "leave-staff-annual" and first["category"] == "請假"
    assert first["title"] == "職員的休假有幾天？"
    assert isinstance(first["score"], float) and "休假" in first["matched"]
    assert len(result["results"]) <= 3


def test_faq_search_without_results_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faq", "search", "webitl"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "找不到符合的問答" in out and "WebITR" in out


def test_faq_show_prints_the_answer_with_sources_and_review_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["faq", "show", "overtime-compensatory-leave-expiry"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.startswith("補休的期限是多久？")
    assert "依據：公務人員保障法" in out and "內容檢閱日期：115年11月1日" in out


def test_faq_show_of_an_unknown_id_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faq", "show", "no-such-entry"]) == ExitCode.FILE
    assert "找不到編號「no-such-entry」的問答" in capsys.readouterr().err


def test_faq_answer_marks_an_unanswered_question(
    faq_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from schoolhr.faq.unanswered import record_unanswered

    row = record_unanswered(faq_store, "補休期限多久")
    assert row is not None
    faq_store.close()
    assert main(["faq", "answer", str(row.id), "overtime-compensatory-leave-expiry"]) == 0
    assert main(["faq", "unanswered"]) == ExitCode.OK
    assert "目前沒有未解答的問題" in capsys.readouterr().out
