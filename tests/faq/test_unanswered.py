import pytest

from schoolhr.cli import main
from schoolhr.errors import ExitCode, UserError
from schoolhr.faq.unanswered import list_unanswered, mark_answered, record_unanswered
from schoolhr.store.database import Store


def test_the_same_question_asked_twice_is_counted_once(faq_store: Store) -> None:
    record_unanswered(faq_store, "補休 可以 換錢嗎？")
    record_unanswered(faq_store, "補休可以換錢嗎", note="校長問的")
    rows = list_unanswered(faq_store)
    assert len(rows) == 1
    assert rows[0].count == 2 and rows[0].note == "校長問的"
    assert rows[0].normalized_query == "補休可以換錢嗎"


def test_the_most_asked_come_first(faq_store: Store) -> None:
    record_unanswered(faq_store, "公假可以出國嗎")
    for _ in range(3):
        record_unanswered(faq_store, "代理教師的考核")
    assert [r.query for r in list_unanswered(faq_store)] == ["代理教師的考核", "公假可以出國嗎"]


def test_a_single_character_is_not_a_question(faq_store: Store) -> None:
    assert record_unanswered(faq_store, "補") is None
    assert record_unanswered(faq_store, "？？") is None
    assert list_unanswered(faq_store) == []


def test_the_help_desk_marks_a_question_answered(faq_store: Store) -> None:
    row = record_unanswered(faq_store, "補休期限多久")
    assert row is not None
    mark_answered(faq_store, row.id, "overtime-compensatory-leave-expiry")
    assert list_unanswered(faq_store) == []
    assert list_unanswered(faq_store, include_answered=True)[0].answered_entry_id == (
        "overtime-compensatory-leave-expiry"
    )
    with pytest.raises(UserError, match="找不到已發布的問答"):
        mark_answered(faq_store, row.id, "no-such-entry")


def test_asking_again_after_an_answer_reopens_the_question(faq_store: Store) -> None:
    row = record_unanswered(faq_store, "補休期限多久")
    assert row is not None
    mark_answered(faq_store, row.id, "overtime-compensatory-leave-expiry")
    record_unanswered(faq_store, "補休期限多久")
    assert list_unanswered(faq_store)[0].count == 2


def test_the_unanswered_command_lists_them_as_json(
    faq_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    record_unanswered(faq_store, "職代怎麼設定")
    faq_store.close()
    assert main(["faq", "unanswered", "--json"]) == ExitCode.OK
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["query"] == "職代怎麼設定" and rows[0]["count"] == 1
