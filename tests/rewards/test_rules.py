import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from schoolhr.cli import main
from schoolhr.content.files import read_content
from schoolhr.content.install import bundled_content_dir
from schoolhr.errors import ExitCode
from schoolhr.rewards import service
from schoolhr.rewards.schema import SeedTeacherRule, seed_teacher_award
from schoolhr.store.database import Store
from tests.rewards.conftest import bundled_rules, rules_with


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(bundled_content_dir(), target)
    return target


def edit_rules(content_dir: Path, old: str, new: str) -> Path:
    path = content_dir / "rewards" / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if fragment in line)


def problems_of(content_dir: Path) -> list[str]:
    content, problems = read_content(content_dir)
    assert content is None
    return [str(p) for p in problems]


def test_the_bundled_rules_say_the_numbers_are_the_countys_choice() -> None:
    rules = bundled_rules()
    assert "縣市人事處自訂" in rules.note and "並非法規規定" in rules.note
    text = (bundled_content_dir() / "rewards" / "rules.yaml").read_text(encoding="utf-8")
    assert "縣市人事處自行決定" in text
    no_faults = rules.kind("no-faults-year")
    assert no_faults is not None and rules.proposal_for(Decimal(no_faults.points)) == "嘉獎一次"
    assert rules.seed_teacher is not None and rules.seed_teacher.staff_limit == 15


def test_overlapping_bands_are_reported_at_the_seniority_line(content_dir: Path) -> None:
    path = edit_rules(content_dir, "{from_years: 3, to_years: 5", "{from_years: 2, to_years: 5")
    found = problems_of(content_dir)
    line = line_of(path, "seniority:")
    assert any(
        p.startswith(f"{path}:{line}: 「年資加成」年資級距「1–2 年」與「2–5 年」重疊")
        for p in found
    ), found


def test_an_open_band_below_another_overlaps(content_dir: Path) -> None:
    edit_rules(content_dir, "{from_years: 3, to_years: 5", "{from_years: 3")
    assert any("「3 年以上」與「6 年以上」重疊" in p for p in problems_of(content_dir))


def test_an_unknown_kind_is_reported_at_its_line(content_dir: Path) -> None:
    path = edit_rules(content_dir, "{id: peer-help,", "{id: lottery-win,")
    found = problems_of(content_dir)
    line = line_of(path, "lottery-win")
    assert any(
        p.startswith(f"{path}:{line}: 「積點類別」不認得的積點類別「lottery-win」") for p in found
    ), found


def test_an_unknown_proposal_names_the_allowed_ones(content_dir: Path) -> None:
    path = edit_rules(content_dir, "proposal: 記功一次}", "proposal: 記功三次}")
    found = problems_of(content_dir)
    line = line_of(path, "記功三次")
    assert any(p.startswith(f"{path}:{line}: 「門檻．獎度」只能是") for p in found), found


def test_content_check_fails_on_a_bad_rule_file(
    content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_rules(content_dir, "points: 5, cap_per_year: 20", "points: -5, cap_per_year: 20")
    assert main(["content", "check", str(content_dir)]) == ExitCode.UNHEALTHY
    assert "「積點類別．積點」" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("points", "proposal"),
    [
        ("9.99", None),
        ("10", "嘉獎一次"),
        ("19.99", "嘉獎一次"),
        ("20", "嘉獎二次"),
        ("39.99", "嘉獎二次"),
        ("40", "記功一次"),
        ("400", "記功一次"),
    ],
)
def test_each_threshold_at_its_boundary(points: str, proposal: str | None) -> None:
    assert bundled_rules().proposal_for(Decimal(points)) == proposal


@pytest.mark.parametrize(
    ("person", "points", "weighted", "proposal"),
    [
        ("陳怡君", 9, "9", None),  # 1 year x1.0, just under
        ("陳怡君", 10, "10", "嘉獎一次"),  # exactly at the threshold
        ("林𡒊", 8, "9.6", None),  # 3 years x1.2
        ("林𡒊", 17, "20.4", "嘉獎二次"),
        ("黃堃", 8, "12", "嘉獎一次"),  # 6 years x1.5
        ("張新人", 10, "10", "嘉獎一次"),  # 0 years: in no band, x1
        ("王未填", 20, "20", "嘉獎二次"),  # years unknown: x1
    ],
)
def test_proposals_apply_the_multiplier_before_the_thresholds(
    rewards_store: Store,
    people: dict[str, int],
    person: str,
    points: int,
    weighted: str,
    proposal: str | None,
) -> None:
    from datetime import date

    with rewards_store.write() as session:
        entry = service.add_entry(
            session, people[person], "outstanding-case", date(2025, 3, 1), "測試", points=points
        )
        service.approve(session, [entry.id], "查核屬實")
        (found,) = service.proposals(session, 2025)
    assert found.weighted == Decimal(weighted) and found.computed == proposal


@pytest.mark.parametrize(
    ("staff", "choice", "proposal", "persons"),
    [
        (1, "one-person-twice", "嘉獎一次", 1),
        (15, "one-person-twice", "嘉獎一次", 1),
        (16, "one-person-twice", "嘉獎二次", 1),
        (15, "each-once", "嘉獎一次", 1),
        (16, "each-once", "嘉獎一次", None),
    ],
)
def test_the_seed_teacher_rule_by_office_size(
    staff: int, choice: str, proposal: str, persons: int | None
) -> None:
    award = seed_teacher_award(SeedTeacherRule(large_office_choice=choice), staff)  # type: ignore[arg-type]
    assert (award.proposal, award.persons) == (proposal, persons)
    assert f"{staff} 人" in award.text


def test_the_seed_teacher_rule_from_the_installed_rules(rewards_store: Store) -> None:
    with rewards_store.read() as session:
        assert service.seed_teacher_proposal(session, 15).text.endswith("嘉獎一次 1 人")
        assert service.seed_teacher_proposal(session, 16).text.endswith("嘉獎二次 1 人")


def test_rule_models_refuse_bad_values() -> None:
    with pytest.raises(ValidationError, match="重疊"):
        rules_with(
            seniority=[{"from_years": 0, "multiplier": 1}, {"from_years": 5, "multiplier": 2}]
        )
    with pytest.raises(ValidationError, match="門檻 10 點重複"):
        rules_with(
            thresholds=[
                {"min_points": 10, "proposal": "嘉獎一次"},
                {"min_points": 10, "proposal": "嘉獎二次"},
            ]
        )
    with pytest.raises(ValidationError, match="重複"):
        rules_with(kinds=[{"id": "peer-help", "label": "a", "points": 1}] * 2)
