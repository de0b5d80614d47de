"""County totals never stop on big numbers (issue 19, defence in depth).

Imports now refuse points outside 1..MAX_POINTS (or the opposite, for a reversal), and
``add_entry`` always did; but a database may hold a bad value from before (an import of 9 x 10^18
points went in). SQLite's SUM stops with "integer overflow" past 64 bits, and it used to stop
``rewards summary`` and ``rewards report`` for the whole county. The sums are now made in Python,
exactly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from schoolhr.cli import main
from schoolhr.errors import ExitCode, UserError
from schoolhr.rewards import exports, service
from schoolhr.rewards.models import APPROVED, CLAIMED, RewardEntry
from schoolhr.rewards.schema import MAX_POINTS, points_problem
from schoolhr.store.database import Store, update_site

HUGE = 9 * 10**18  # just below 2**63: each fits a row; two do not fit a SUM


@pytest.fixture
def huge(rewards_store: Store, people: dict[str, int]) -> dict[str, int]:
    """Approved and claimed entries of 9 x 10^18 points written straight into the ledger, as a
    bad import once could: bypassing every check of the rewards service."""
    now = datetime(2026, 3, 1, tzinfo=UTC)
    rows = [
        ("陳怡君", "legacy-kind", HUGE, APPROVED),
        ("陳怡君", "legacy-kind", HUGE, APPROVED),
        ("黃堃", "outstanding-case", HUGE, APPROVED),
        ("黃堃", "outstanding-case", 5, APPROVED),
        ("林𡒊", "peer-help", HUGE, CLAIMED),
        ("林𡒊", "peer-help", HUGE, CLAIMED),
    ]
    with rewards_store.write() as session:
        for name, kind, points, status in rows:
            session.add(
                RewardEntry(
                    contact_id=people[name],
                    date=date(2026, 2, 1),
                    kind=kind,
                    points=points,
                    rule_version=1,
                    reason="舊資料",
                    status=status,
                    created_at=now,
                    updated_at=now,
                )
            )
    return people


def test_sqlite_itself_overflows_on_these_sums(rewards_store: Store, huge: dict[str, int]) -> None:
    """The premise: SQL SUM over the ledger fails."""
    with rewards_store.read() as session, pytest.raises(OperationalError, match="overflow"):
        session.execute(select(func.sum(RewardEntry.points))).scalar()


def test_the_year_summary_sums_exactly(rewards_store: Store, huge: dict[str, int]) -> None:
    with rewards_store.read() as session:
        summary = service.year_summary(session, 2026)
    assert summary.approved_total == 3 * HUGE + 5
    assert summary.claimed_total == 2 * HUGE
    assert summary.entries == 6
    assert summary.by_school["宜蘭縣立大同國民小學"] == 2 * HUGE
    person = next(p for p in summary.people if p.contact_id == huge["黃堃"])
    assert person.approved == HUGE + 5
    assert person.by_kind == {"績優案件": HUGE + 5}


def test_balance_and_proposals_do_not_stop(rewards_store: Store, huge: dict[str, int]) -> None:
    with rewards_store.read() as session:
        assert service.balance(session, huge["陳怡君"]) == 2 * HUGE
        assert service.balance(session, huge["陳怡君"], 2026) == 2 * HUGE
        found = {p.contact_id: p for p in service.proposals(session, 2026)}
    chen = found[huge["陳怡君"]]
    assert chen.approved_points == chen.counted_points == 2 * HUGE  # no cap for a kind unknown
    assert chen.weighted == 2 * HUGE  # 1 year of service: x 1.0
    assert chen.computed == "記功一次"  # the highest threshold
    assert found[huge["黃堃"]].counted_points == 20  # 績優案件: capped at 20 a year


def test_the_report_and_the_webhr_worksheet_are_written(
    rewards_store: Store, huge: dict[str, int], tmp_path: Path
) -> None:
    with rewards_store.read() as session:
        assert exports.write_report_xlsx(session, 2026, tmp_path / "report.xlsx") > 0
        assert exports.write_webhr_csv(session, 2026, tmp_path / "webhr.csv") > 0


def test_the_command_line_summary_and_report(
    rewards_store: Store,
    huge: dict[str, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    update_site(rewards_store, name="宜蘭縣政府人事處", role="county")
    assert main(["rewards", "summary", "--year", "2026", "--json"]) == ExitCode.OK
    assert str(3 * HUGE + 5) in capsys.readouterr().out
    target = tmp_path / "report.xlsx"
    assert main(["rewards", "report", "--year", "2026", "-o", str(target)]) == ExitCode.OK
    assert target.is_file()


@pytest.mark.parametrize("points", [0, MAX_POINTS + 1, -MAX_POINTS - 1, HUGE, 1.5, True, "5"])
def test_points_outside_the_range_have_a_reason(points: object) -> None:
    problem = points_problem(points)
    assert problem is not None and "積點" in problem


@pytest.mark.parametrize("points", [1, MAX_POINTS, -1, -MAX_POINTS])
def test_points_inside_the_range_have_none(points: int) -> None:
    assert points_problem(points) is None


def test_every_service_write_path_keeps_points_in_range(
    rewards_store: Store, people: dict[str, int]
) -> None:
    """A claim (``add_entry``, behind ``rewards add`` and ``claim``), its approval and its
    reversal: every entry the service writes is within the range imports are held to."""
    person = people["黃堃"]
    with rewards_store.write() as session:
        for points in (0, -5, MAX_POINTS + 1, HUGE, 2**64):
            with pytest.raises(UserError, match="積點"):
                service.add_entry(
                    session, person, "outstanding-case", date(2025, 3, 1), "x", points=points
                )
        entry = service.add_entry(session, person, "outstanding-case", date(2025, 3, 1), "報送")
        service.approve(session, [entry.id], "查核屬實")
        reversal = service.reverse(session, entry.id, "誤植", approve_now=True)
        written = list(session.execute(select(RewardEntry.points)).scalars())
    assert reversal.points == -entry.points
    assert all(points_problem(points) is None for points in written)
