"""The 安心培力小群組 builder on generated populations (deterministic, see population.py)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from schoolhr.contacts.peer_groups.builder import (
    GroupingResult,
    Member,
    build_groups,
    explain,
    feasible_group_counts,
)
from tests.contacts.population import members_of, population, random_purity, region_purity

SIZES = [(9, 2), (63, 5), (200, 8), (1000, 20)]


def person(
    i: int,
    region: str = "臺東北區",
    full_time: bool = False,
    years: int | None = 1,
    seed_teacher: bool = False,
    duties: tuple[str, ...] = ("差勤",),
) -> Member:
    return Member(i, f"人{i}", region, full_time, years, seed_teacher, frozenset(duties))


def assert_partition(result: GroupingResult, people: list[Member]) -> None:
    placed = [i for plan in result.groups for i in plan.members] + result.unassigned
    assert sorted(placed) == sorted(p.id for p in people)


@pytest.fixture(scope="module")
def built() -> dict[int, tuple[list[Member], GroupingResult]]:
    return {size: (ps := population(size, regions), build_groups(ps)) for size, regions in SIZES}


@pytest.mark.parametrize("size", [size for size, _ in SIZES])
def test_every_group_is_within_bounds_when_the_total_allows(
    built: dict[int, tuple[list[Member], GroupingResult]], size: int
) -> None:
    people, result = built[size]
    assert feasible_group_counts(size, 7, 9)
    assert_partition(result, people)
    assert result.unassigned == []
    assert all(7 <= len(plan.members) <= 9 for plan in result.groups)
    assert result.message.startswith(f"{size} 人分成 {len(result.groups)} 組，每組 7 到 9 人")


def test_twenty_people_cannot_make_groups_of_seven_to_nine_and_are_split_evenly() -> None:
    people = population(20, 3)
    result = build_groups(people)
    assert feasible_group_counts(20, 7, 9) == []
    assert "20 人無法分成每組 7 到 9 人（2 組最多 18 人、3 組至少 21 人）" in result.message
    assert "已盡量平均分成 3 組" in result.message
    # three groups of 7, 7, 6 leave one person short of the bounds; two of 10 would leave two
    assert sorted(len(plan.members) for plan in result.groups) == [6, 7, 7]
    assert_partition(result, people)
    assert result.unassigned == []


def test_ten_people_make_one_group_of_ten_rather_than_two_of_five() -> None:
    result = build_groups(population(10, 2))
    assert [len(plan.members) for plan in result.groups] == [10]
    assert "10 人無法分成每組 7 到 9 人" in result.message


def test_fewer_people_than_the_minimum_are_all_left_unassigned() -> None:
    people = population(5, 2)
    result = build_groups(people)
    assert result.groups == []
    assert result.unassigned == sorted(p.id for p in people)
    assert "5 人少於每組最少的 7 人" in result.message
    assert build_groups([]).message == "沒有可分組的人。"


@pytest.mark.parametrize("size", [size for size, _ in SIZES])
def test_each_group_has_an_experienced_member_when_there_are_enough(
    built: dict[int, tuple[list[Member], GroupingResult]], size: int
) -> None:
    people, result = built[size]
    groups = members_of(result.groups, people)
    assert sum(p.experienced for p in people) >= len(groups)
    assert all(any(p.experienced for p in group) for group in groups)
    assert "沒有有經驗者" not in result.message


def test_scarce_experienced_people_are_spread_one_per_group() -> None:
    # 27 people in one region, the three experienced ones listed together
    people = [person(i, years=10 if i < 3 else 1, full_time=i % 3 == 0) for i in range(27)]
    result = build_groups(people)
    groups = members_of(result.groups, people)
    assert [sum(p.experienced for p in group) for group in groups] == [1, 1, 1]


def test_too_few_experienced_people_is_said_in_the_message() -> None:
    people = [person(i, years=10 if i == 0 else 1, full_time=i % 2 == 0) for i in range(16)]
    result = build_groups(people)
    assert len(result.groups) == 2
    assert "有 1 組沒有有經驗者" in result.message and "全體共 1 人" in result.message


@pytest.mark.parametrize("size", [size for size, _ in SIZES])
def test_full_time_and_part_time_are_mixed_when_both_are_numerous_enough(
    built: dict[int, tuple[list[Member], GroupingResult]], size: int
) -> None:
    people, result = built[size]
    groups = members_of(result.groups, people)
    full_time = sum(p.full_time for p in people)
    assert full_time >= len(groups) and len(people) - full_time >= len(groups)
    for group in groups:
        assert any(p.full_time for p in group) and not all(p.full_time for p in group)


def test_full_time_people_are_mixed_in_even_across_regions() -> None:
    # region A has every full-time clerk: the other group still gets one
    people = [person(i, region="A", full_time=i < 4) for i in range(8)]
    people += [person(i, region="B") for i in range(8, 16)]
    groups = members_of(build_groups(people).groups, people)
    assert all(any(p.full_time for p in group) for group in groups)


@pytest.mark.parametrize(("size", "regions"), SIZES[1:])
def test_groups_are_far_purer_by_region_than_a_random_assignment(
    built: dict[int, tuple[list[Member], GroupingResult]], size: int, regions: int
) -> None:
    people, result = built[size]
    groups = members_of(result.groups, people)
    purity = region_purity(groups)
    baseline = random_purity(people, [len(g) for g in groups])
    assert purity >= 0.9
    assert purity > baseline + 0.3


def test_regions_that_fill_whole_groups_are_not_mixed() -> None:
    people = [
        person(i, region="臺東南區" if i < 16 else "臺東北區", full_time=i % 4 == 0)
        for i in range(24)
    ]
    people = [
        Member(p.id, p.name, p.region, p.full_time, 6 if p.id % 8 == 1 else 1, False, p.duties)
        for p in people
    ]
    groups = members_of(build_groups(people).groups, people)
    assert sorted(len({p.region for p in group}) for group in groups) == [1, 1, 1]


def test_people_who_share_duties_end_up_together_more_than_by_chance() -> None:
    people = population(200, 2)
    groups = members_of(build_groups(people).groups, people)

    def duty_pairs(grouping: list[list[Member]]) -> int:
        total = 0
        for group in grouping:
            counts = Counter(d for p in group for d in p.duties)
            total += sum(c * (c - 1) // 2 for c in counts.values())
        return total

    shuffled = list(people)
    random.Random(3).shuffle(shuffled)
    chance, start = [], 0
    for group in groups:
        chance.append(shuffled[start : start + len(group)])
        start += len(group)
    assert duty_pairs(groups) > duty_pairs(chance) * 1.1


def test_the_same_input_gives_the_same_groups_whatever_the_order() -> None:
    people = population(200, 8)
    first = build_groups(people, seed=0)
    shuffled = list(people)
    random.Random(9).shuffle(shuffled)
    assert build_groups(shuffled, seed=0) == first
    assert build_groups(people, seed=4) == build_groups(list(reversed(people)), seed=4)


def test_another_seed_gives_another_valid_arrangement() -> None:
    people = population(200, 8)
    other = build_groups(people, seed=11)
    assert other != build_groups(people, seed=0)
    assert all(7 <= len(plan.members) <= 9 for plan in other.groups)
    assert_partition(other, people)


def test_locked_groups_stay_together_and_are_filled_from_their_region() -> None:
    people = population(63, 5)
    by_region: dict[str, list[int]] = {}
    for p in people:
        by_region.setdefault(p.region, []).append(p.id)
    region, ids = max(by_region.items(), key=lambda item: len(item[1]))
    locked = [ids[:3], [people[-1].id, people[-2].id], [999_999]]  # an unknown id is ignored
    result = build_groups(people, locked_groups=locked)
    assert_partition(result, people)
    assert [set(plan.locked) for plan in result.groups[:2]] == [set(locked[0]), set(locked[1])]
    assert all(not plan.locked for plan in result.groups[2:])
    for plan, ids_locked in zip(result.groups, locked[:2], strict=False):
        assert set(ids_locked) <= set(plan.members)
        assert 7 <= len(plan.members) <= 9
    first = members_of(result.groups[:1], people)[0]
    assert sum(p.region == region for p in first) >= 7
    assert "固定成員 3 人" in result.groups[0].explanation
    assert "其中 2 組保留固定成員" in result.message


def test_a_locked_group_above_the_maximum_is_kept_whole() -> None:
    people = population(63, 5)
    locked = [p.id for p in people[:11]]
    result = build_groups(people, locked_groups=[locked])
    assert result.groups[0].members == sorted(locked)
    assert all(7 <= len(plan.members) <= 9 for plan in result.groups[1:])
    assert "有 1 組的固定成員已超過每組 9 人，維持原樣未拆開" in result.message


def test_a_person_in_two_locked_groups_stays_in_the_first() -> None:
    people = population(30, 3)
    ids = [p.id for p in people]
    result = build_groups(people, locked_groups=[ids[:2], ids[1:4]])
    assert result.groups[0].locked == frozenset(ids[:2])
    assert result.groups[1].locked == frozenset(ids[2:4])


def test_explanation_names_regions_kinds_experience_and_shared_duties() -> None:
    group = [
        person(1, "臺東北區", full_time=True, years=8, duties=("差勤", "考核")),
        person(2, "臺東北區", seed_teacher=True, years=0, duties=("差勤", "考核")),
        person(3, "臺東北區", duties=("差勤", "待遇")),
        person(4, "臺東中區", duties=("考核",)),
        person(5, "", duties=("退休",)),
    ]
    assert explain(group) == (
        "臺東北區 3 人、臺東中區 1 人、未填區域 1 人；專任 1、兼任 4；"
        "有經驗者 2 人（種籽教師 1）；共同業務：差勤、考核"
    )
    assert explain(group[4:], locked=1) == (
        "未填區域 1 人；專任 0、兼任 1；沒有有經驗者；共同業務：無；固定成員 1 人"
    )


def test_nonsense_bounds_and_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError):
        build_groups([person(1)], min_size=9, max_size=7)
    with pytest.raises(ValueError):
        build_groups([person(1), person(1)])


def test_a_thousand_people_make_125_groups() -> None:
    # How long it takes is a benchmark row (tests/benchmarks/bench_grouping.py), not a test.
    result = build_groups(population(1000, 20, seed=7))
    assert len(result.groups) == 125
