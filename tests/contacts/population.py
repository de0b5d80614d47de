"""Generated peer-group populations and quality figures, shared by the grouping tests and the
benchmark. Deterministic for a seed: person i is the same at every size."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from schoolhr.contacts.peer_groups.builder import GroupPlan, Member
from schoolhr.contacts.records import KNOWN_DUTIES

COUNTIES = ("臺東", "花蓮", "屏東", "南投", "雲林", "嘉義")
PARTS = ("北區", "中區", "南區", "山區")
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = "怡君淑芬雅婷建宏志明家豪冠廷宗翰佳穎詩涵"
# full-time roles are the minority at small schools
ROLE_WEIGHTS = (
    ("兼任人事", 40),
    ("幹事", 30),
    ("專任人事", 18),
    ("種籽教師", 7),
    ("縣市人事處", 5),
)


def regions_for(count: int) -> list[str]:
    """``count`` region names, counties first then their parts (臺東北區, 臺東中區, …)."""
    return [f"{county}{part}" for county in COUNTIES for part in PARTS][:count]


def population(size: int, regions: int, seed: int = 20261122) -> list[Member]:
    """``size`` people over ``regions`` regions of uneven size, with mixed roles, years, duties."""
    rng = random.Random(seed)
    names = regions_for(regions)
    weights = [1 + (i * 7) % 5 for i in range(len(names))]  # some regions three times others
    roles = [role for role, _ in ROLE_WEIGHTS]
    role_weights = [weight for _, weight in ROLE_WEIGHTS]
    people = []
    for i in range(size):
        role = rng.choices(roles, role_weights)[0]
        years = None if rng.random() < 0.1 else int(rng.expovariate(1 / 4))
        people.append(
            Member(
                id=1000 + i,
                name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
                region=rng.choices(names, weights)[0],
                full_time=role in ("專任人事", "縣市人事處"),
                years=years,
                seed_teacher=role == "種籽教師",
                duties=frozenset(rng.sample(KNOWN_DUTIES, rng.randint(1, 4))),
            )
        )
    return people


def region_purity(groups: Sequence[Sequence[Member]]) -> float:
    """The average share of a group's members who are from its most common region."""
    shares = [
        Counter(p.region for p in group).most_common(1)[0][1] / len(group)
        for group in groups
        if group
    ]
    return sum(shares) / len(shares)


def random_purity(people: Sequence[Member], sizes: Sequence[int], seed: int = 1) -> float:
    """Region purity of a random assignment with the same group sizes."""
    shuffled = list(people)
    random.Random(seed).shuffle(shuffled)
    groups, start = [], 0
    for size in sizes:
        groups.append(shuffled[start : start + size])
        start += size
    return region_purity(groups)


def members_of(plans: Sequence[GroupPlan], people: Sequence[Member]) -> list[list[Member]]:
    by_id = {p.id: p for p in people}
    return [[by_id[i] for i in plan.members] for plan in plans]
