from datetime import date

import pytest

from schoolhr.checklists import service
from schoolhr.checklists.due import next_due
from schoolhr.checklists.schema import ChecklistTemplate
from schoolhr.content.files import read_content
from schoolhr.content.install import bundled_content_dir, install_bundled_content
from schoolhr.errors import UserError
from schoolhr.search.engine import Searcher
from schoolhr.store.database import Store

CHIAYI = "chiayi-usage-report"


@pytest.fixture
def bundled(store: Store) -> Store:
    assert install_bundled_content(store) is not None
    return store


def chiayi() -> ChecklistTemplate:
    content, problems = read_content(bundled_content_dir())
    assert content is not None, problems
    return next(t for t in content.checklists if t.id == CHIAYI)


@pytest.mark.parametrize(
    ("count", "percent"),
    [
        (0, 0),
        (1, 20),
        (4, 20),
        (5, 40),
        (10, 40),
        (11, 60),
        (15, 60),
        (16, 90),
        (19, 90),
        (20, 100),
        (25, 100),
    ],
)
def test_usage_report_system_bands_at_each_boundary(count: int, percent: int) -> None:
    rule = next(r for r in chiayi().scores if r.id == "systems")
    assert rule.percent_for(count) == percent


@pytest.mark.parametrize(
    ("count", "percent"),
    [(0, 0), (1, 20), (4, 20), (5, 40), (6, 40), (7, 80), (9, 80), (10, 100), (13, 100)],
)
def test_usage_report_webhr_bands_at_each_boundary(count: int, percent: int) -> None:
    rule = next(r for r in chiayi().scores if r.id == "webhr")
    assert rule.percent_for(count) == percent


def test_usage_report_is_due_on_june_15_and_september_15() -> None:
    due = chiayi().due
    assert due is not None
    assert next_due(due, date(2026, 1, 10)) == date(2026, 6, 15)
    assert next_due(due, date(2026, 6, 16)) == date(2026, 9, 15)
    assert next_due(due, date(2026, 9, 16)) == date(2027, 6, 15)


def test_a_run_scores_the_ticked_systems(bundled: Store) -> None:
    template = chiayi()
    systems = [i.id for i in template.section("systems").items][:16]
    webhr = [i.id for i in template.section("webhr").items][:7]
    with bundled.write() as session:
        run = service.start_run(session, CHIAYI, period="115年", today=date(2026, 5, 1))
        for item_id in systems + webhr:
            service.set_answer(session, run.id, item_id, True)
        view = service.run_view(session, run.id)
    assert view.due_date == date(2026, 6, 15)
    assert [(s.count, s.percent) for s in view.scores()] == [(16, 90), (7, 80)]
    assert view.progress == (23, len(template.items()))


def test_answers_are_checked_against_their_type(bundled: Store) -> None:
    with bundled.write() as session:
        run = service.start_run(session, CHIAYI)
        assert service.set_answer(session, run.id, "report-date", "2026-06-15") == "2026-06-15"
        assert service.set_answer(session, run.id, "report-round", "6月15日") == "6月15日"
        with pytest.raises(UserError, match="須為日期"):
            service.set_answer(session, run.id, "report-date", "六月")
        with pytest.raises(UserError, match="只能選"):
            service.set_answer(session, run.id, "report-round", "12月")
        with pytest.raises(UserError, match="沒有項目"):
            service.set_answer(session, run.id, "no-such-item", True)


def test_a_new_run_keeps_the_earlier_ones(bundled: Store) -> None:
    with bundled.write() as session:
        first = service.start_run(session, CHIAYI, period="114年")
        service.set_answer(session, first.id, "a2", True, note="已使用")
        second = service.start_run(session, CHIAYI, period="115年")
    with bundled.read() as session:
        runs = service.runs(session, CHIAYI)
        kept = service.run_view(session, first.id)
    assert [r.id for r in runs] == [second.id, first.id]
    assert kept.answers["a2"] == "1" and kept.notes["a2"] == "已使用"


def test_due_list_shows_overdue_and_due_within_30_days(bundled: Store) -> None:
    today = date(2026, 6, 1)
    with bundled.write() as session:
        soon = service.start_run(session, CHIAYI, due_date=date(2026, 6, 15))
        late = service.start_run(session, CHIAYI, due_date=date(2026, 5, 20))
        later = service.start_run(session, CHIAYI, due_date=date(2026, 9, 15))
        done = service.start_run(session, CHIAYI, due_date=date(2026, 6, 2))
        service.complete_run(session, done.id)
        due = service.due_runs(session, today)
    assert [(d.run_id, d.days_left) for d in due] == [(late.id, -12), (soon.id, 14)]
    assert later.id not in [d.run_id for d in due]


def test_templates_are_in_the_search_index(bundled: Store) -> None:
    hits = Searcher(bundled.engine).search("使用情形回報", kinds=("checklist",)).hits
    assert hits and hits[0].ref == CHIAYI


def test_every_bundled_template_validates() -> None:
    content, problems = read_content(bundled_content_dir())
    assert problems == [] and content is not None
    assert len(content.checklists) >= 1
