"""The 安心培力小群組 builder: peer groups of 7–9 clerks by region, duties, seniority and a mix of
full-time and part-time (item 28 of the 2023 suggestions). Pure Python, no database.

How a grouping is decided, in order:

1. **How many groups, how big.** ``n`` people fit groups of ``min_size``..``max_size`` iff some
   ``k`` has ``k*min <= n <= k*max``; among those ``k`` the one whose average size is nearest the
   middle of the bounds is used. Locked groups (people the county keeps together) count as groups
   and are filled up to the bounds; they are never split, even when they are already too big.
   When no ``k`` works (20 people with 7–9) the people are split as evenly as possible into the
   number of groups that leaves the fewest people beyond the bounds (20 -> 7, 7, 6), and
   ``message`` says so. With fewer than ``min_size`` people and no locked group nobody is grouped.
2. **Region.** Locked groups are filled first from their own (majority) region. The others are
   lined up region by region (regions in name order, so 臺東北區 and 臺東南區 sit side by side and
   spill into each other) and the line is cut into the groups by dynamic programming so that
   as few people as possible sit outside their group's main region.
3. **Who goes where inside a region.** Experienced people (種籽教師, or 5 years or more) are
   placed first, one per group while they last; then everyone else, each to the group where they
   add most: a first experienced member, the kind (full-time/part-time) the group lacks or has
   least of, and duties they share with the group.
4. **Improvement.** Pairwise swaps between people of the same region (which keeps the region
   mix) are made while they raise the total score, for a bounded number of passes; then any group
   still without an experienced member, or without both full-time and part-time people, takes
   one by the best available swap from a group that has two or more (across regions if need be).

The score of a group (integers, so that every run adds up the same way): -20 per person outside
its main region, +40 for having an experienced member and -6 per pair of experienced members
(spreads them), +30 each for having a full-time and a part-time member and -4 per pair of the
same kind (balances them), +1 per pair of members who share a duty. The same input and ``seed``
always give the same groups: ties break by member id (``seed`` 0) or by an order shuffled with
``seed`` (another arrangement of the same quality).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from schoolhr.contacts.records import KNOWN_DUTIES

EXPERIENCED_YEARS = 5
NO_REGION_LABEL = "未填區域"

W_REGION = 20  # per person outside the group's main region
W_HAS_EXPERIENCED = 40
W_EXPERIENCED_PAIR = 6
W_HAS_KIND = 30  # for at least one full-time, and again for at least one part-time member
W_KIND_PAIR = 4
W_DUTY_PAIR = 1
MAX_SWAP_PASSES = 6


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    region: str
    full_time: bool
    years: int | None
    seed_teacher: bool
    duties: frozenset[str]

    @property
    def experienced(self) -> bool:
        return self.seed_teacher or (self.years or 0) >= EXPERIENCED_YEARS


@dataclass
class GroupPlan:
    members: list[int]  # ids, ascending
    explanation: str
    locked: frozenset[int] = frozenset()  # the ids that came in as a locked group


@dataclass
class GroupingResult:
    groups: list[GroupPlan]  # locked groups first (in the order given), then the new ones
    unassigned: list[int]
    message: str


def build_groups(
    people: Sequence[Member],
    min_size: int = 7,
    max_size: int = 9,
    seed: int = 0,
    locked_groups: Sequence[Sequence[int]] = (),
) -> GroupingResult:
    """Peer groups for ``people``; see the module docstring for how they are decided.

    ``locked_groups`` lists ids that stay together; unknown ids are ignored, an id in two locked
    groups stays in the first, and a locked group with no known id is dropped. Raises
    ``ValueError`` for bounds that make no sense or for two people with one id.
    """
    if min_size < 1 or max_size < min_size:
        raise ValueError(f"group bounds {min_size}..{max_size} make no sense")
    by_id: dict[int, Member] = {}
    for person in people:
        if person.id in by_id:
            raise ValueError(f"person id {person.id} appears twice")
        by_id[person.id] = person
    rank = _tie_order(sorted(by_id), seed)
    builder = _Builder(by_id, rank, min_size, max_size)
    return builder.run(locked_groups)


def explain(members: Iterable[Member], locked: int = 0) -> str:
    """One line about a group, e.g. 「臺東北區 6 人、臺東中區 2 人；專任 2、兼任 6；
    有經驗者 2 人（種籽教師 1）；共同業務：差勤、考核」 (and 「；固定成員 n 人」 when locked)."""
    group = list(members)
    if not group:
        return "尚無成員"
    regions = Counter(person.region for person in group)
    region_text = "、".join(
        f"{region or NO_REGION_LABEL} {count} 人"
        for region, count in sorted(
            regions.items(), key=lambda item: (-item[1], item[0] == "", item[0])
        )
    )
    full_time = sum(person.full_time for person in group)
    experienced = [person for person in group if person.experienced]
    seeds = sum(person.seed_teacher for person in experienced)
    if experienced:
        experience_text = f"有經驗者 {len(experienced)} 人" + (
            f"（種籽教師 {seeds}）" if seeds else ""
        )
    else:
        experience_text = "沒有有經驗者"
    parts = [region_text, f"專任 {full_time}、兼任 {len(group) - full_time}", experience_text]
    parts.append("共同業務：" + ("、".join(shared_duties(group)) or "無"))
    if locked:
        parts.append(f"固定成員 {locked} 人")
    return "；".join(parts)


def shared_duties(group: Sequence[Member], limit: int = 3) -> list[str]:
    """Duties that at least a third of the group (and at least two people) do, most common
    first."""
    counts = Counter(duty for person in group for duty in person.duties)
    needed = max(2, -(-len(group) // 3))
    known = {duty: index for index, duty in enumerate(KNOWN_DUTIES)}
    common = [
        duty
        for duty, count in sorted(
            counts.items(), key=lambda item: (-item[1], known.get(item[0], len(known)), item[0])
        )
        if count >= needed
    ]
    return common[:limit]


def feasible_group_counts(n: int, min_size: int, max_size: int) -> list[int]:
    """Every k for which n people make k groups of min_size..max_size (empty: impossible)."""
    if n == 0:
        return [0]
    return [k for k in range(1, n // min_size + 1) if k * min_size <= n <= k * max_size]


# ---------------------------------------------------------------------------------------------
# the builder


def _tie_order(ids: list[int], seed: int) -> dict[int, int]:
    if seed:
        random.Random(seed).shuffle(ids)
    return {person_id: position for position, person_id in enumerate(ids)}


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def _score(impurity: int, experienced: int, full_time: int, size: int, duty_pairs: int) -> int:
    part_time = size - full_time
    score = -W_REGION * impurity + W_DUTY_PAIR * duty_pairs
    if experienced:
        score += W_HAS_EXPERIENCED
    score -= W_EXPERIENCED_PAIR * _pairs(experienced)
    if full_time:
        score += W_HAS_KIND
    if part_time:
        score += W_HAS_KIND
    score -= W_KIND_PAIR * (_pairs(full_time) + _pairs(part_time))
    return score


class _Group:
    """A group being built, with the counts its score needs kept up to date."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.members: dict[int, Member] = {}
        self.locked: set[int] = set()
        self.regions: Counter[str] = Counter()
        self.duties: Counter[str] = Counter()
        self.experienced = 0
        self.full_time = 0
        self.duty_pairs = 0

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def part_time(self) -> int:
        return self.size - self.full_time

    def add(self, person: Member) -> None:
        self.members[person.id] = person
        self.regions[person.region] += 1
        for duty in person.duties:
            self.duty_pairs += self.duties[duty]
            self.duties[duty] += 1
        self.experienced += person.experienced
        self.full_time += person.full_time

    def remove(self, person: Member) -> None:
        del self.members[person.id]
        self.regions[person.region] -= 1
        if not self.regions[person.region]:
            del self.regions[person.region]
        for duty in person.duties:
            self.duties[duty] -= 1
            self.duty_pairs -= self.duties[duty]
        self.experienced -= person.experienced
        self.full_time -= person.full_time

    def main_region(self) -> str:
        if not self.regions:
            return ""
        return min(self.regions.items(), key=lambda item: (-item[1], item[0]))[0]

    def impurity(self) -> int:
        return self.size - max(self.regions.values(), default=0)

    def score(self) -> int:
        return _score(self.impurity(), self.experienced, self.full_time, self.size, self.duty_pairs)

    def score_with(self, person: Member, *, count_region: bool = True) -> int:
        """The score once ``person`` joins (region ignored when ``count_region`` is false)."""
        impurity = 0
        if count_region:
            top = max(self.regions.values(), default=0)
            top = max(top, self.regions.get(person.region, 0) + 1)
            impurity = self.size + 1 - top
        pairs = self.duty_pairs + sum(self.duties[duty] for duty in person.duties)
        return _score(
            impurity,
            self.experienced + person.experienced,
            self.full_time + person.full_time,
            self.size + 1,
            pairs,
        )

    def score_swapped(self, out: Member, into: Member) -> int:
        """The score once ``out`` leaves and ``into`` joins."""
        if out.region == into.region:
            impurity = self.impurity()
        else:
            top = 0
            for region, count in self.regions.items():
                if region == out.region:
                    count -= 1
                elif region == into.region:
                    count += 1
                top = max(top, count)
            top = max(top, 1 if into.region not in self.regions else 0)
            impurity = self.size - top
        pairs = self.duty_pairs
        if out.duties != into.duties:
            for duty in out.duties - into.duties:
                pairs -= self.duties[duty] - 1
            for duty in into.duties - out.duties:
                pairs += self.duties[duty]
        return _score(
            impurity,
            self.experienced - out.experienced + into.experienced,
            self.full_time - out.full_time + into.full_time,
            self.size,
            pairs,
        )


def _experience_part(experienced: int) -> int:
    return (W_HAS_EXPERIENCED if experienced else 0) - W_EXPERIENCED_PAIR * _pairs(experienced)


def _kind_part(full_time: int, part_time: int) -> int:
    has = (W_HAS_KIND if full_time else 0) + (W_HAS_KIND if part_time else 0)
    return has - W_KIND_PAIR * (_pairs(full_time) + _pairs(part_time))


def _same_region_gain(
    a: _Group, x: Member, x_exp: bool, x_ft: bool, b: _Group, y: Member, y_exp: bool, y_ft: bool
) -> int:
    """How much the total score rises when x (in a) and y (in b), of one region, change places;
    a large negative number when it would leave a group without its only experienced,
    full-time or part-time member. The same as the change in ``_Group.score`` of both."""
    gain = 0
    if x_exp != y_exp:
        step = int(y_exp) - int(x_exp)  # a gains step, b loses it
        if (a.experienced + step == 0 and a.experienced) or (
            b.experienced - step == 0 and b.experienced
        ):
            return -(10**9)
        gain += _experience_part(a.experienced + step) - _experience_part(a.experienced)
        gain += _experience_part(b.experienced - step) - _experience_part(b.experienced)
    if x_ft != y_ft:
        step = int(y_ft) - int(x_ft)
        a_ft, b_ft = a.full_time + step, b.full_time - step
        a_pt, b_pt = a.part_time - step, b.part_time + step
        if (
            (a.full_time and not a_ft)
            or (a.part_time and not a_pt)
            or (b.full_time and not b_ft)
            or (b.part_time and not b_pt)
        ):
            return -(10**9)
        gain += _kind_part(a_ft, a_pt) - _kind_part(a.full_time, a.part_time)
        gain += _kind_part(b_ft, b_pt) - _kind_part(b.full_time, b.part_time)
    if x.duties != y.duties:
        only_x = x.duties - y.duties
        only_y = y.duties - x.duties
        a_duties, b_duties = a.duties, b.duties
        for duty in only_x:
            gain += W_DUTY_PAIR * (b_duties[duty] - a_duties[duty] + 1)
        for duty in only_y:
            gain += W_DUTY_PAIR * (a_duties[duty] - b_duties[duty] + 1)
    return gain


@dataclass
class _SizePlan:
    new_groups: int
    fills: list[int]  # how many free people each locked group takes
    low: int  # size bounds of the new groups
    high: int
    feasible: bool


@dataclass
class _Builder:
    people: dict[int, Member]
    rank: dict[int, int]
    min_size: int
    max_size: int
    groups: list[_Group] = field(default_factory=list)
    where: dict[int, _Group] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def run(self, locked_groups: Sequence[Sequence[int]]) -> GroupingResult:
        self._make_locked_groups(locked_groups)
        free = sorted(
            (p for p in self.people.values() if p.id not in self.where),
            key=lambda p: self.rank[p.id],
        )
        n = len(self.people)
        if not self.groups and n < self.min_size:
            if n == 0:
                message = "沒有可分組的人。"
            else:
                message = (
                    f"{n} 人少於每組最少的 {self.min_size} 人，無法成組；全部列為未分組，"
                    "請增加人數或調低每組人數下限。"
                )
            return GroupingResult(groups=[], unassigned=sorted(self.people), message=message)
        plan = _plan_sizes([g.size for g in self.groups], len(free), self.min_size, self.max_size)
        free = self._fill_locked(plan.fills, free)
        self._place_new(plan, free)
        experienced_total = sum(p.experienced for p in self.people.values())
        full_time_total = sum(p.full_time for p in self.people.values())
        self._swap_passes()
        self._repair(lambda g: g.experienced, lambda p: p.experienced)
        self._repair(lambda g: g.full_time, lambda p: p.full_time)
        self._repair(lambda g: g.part_time, lambda p: not p.full_time)
        self._swap_passes()
        return GroupingResult(
            groups=[
                GroupPlan(
                    members=sorted(g.members),
                    explanation=explain(
                        (g.members[i] for i in sorted(g.members)), locked=len(g.locked)
                    ),
                    locked=frozenset(g.locked),
                )
                for g in self.groups
            ],
            unassigned=[],
            message=self._message(plan, experienced_total, full_time_total),
        )

    # -- step 1: locked groups and sizes ------------------------------------------------------

    def _make_locked_groups(self, locked_groups: Sequence[Sequence[int]]) -> None:
        for ids in locked_groups:
            known = sorted({i for i in ids if i in self.people and i not in self.where})
            if not known:
                continue
            group = _Group(len(self.groups))
            for person_id in known:
                group.add(self.people[person_id])
                group.locked.add(person_id)
                self.where[person_id] = group
            self.groups.append(group)

    def _fill_locked(self, fills: list[int], free: list[Member]) -> list[Member]:
        """Each locked group takes its share of free people, from its own region first."""
        by_region: dict[str, list[Member]] = {}
        for person in free:
            by_region.setdefault(person.region, []).append(person)
        taken: set[int] = set()
        for group, count in zip(self.groups, fills, strict=True):
            for _ in range(count):
                home = by_region.get(group.main_region())
                candidates = home if home else [p for p in free if p.id not in taken]
                base = group.score()
                best = max(
                    candidates,
                    key=lambda p: (group.score_with(p) - base, -self.rank[p.id]),
                )
                by_region[best.region].remove(best)
                taken.add(best.id)
                group.add(best)
                self.where[best.id] = group
        return [p for p in free if p.id not in taken]

    # -- step 2 and 3: new groups by region, then people inside each region ---------------------

    def _place_new(self, plan: _SizePlan, free: list[Member]) -> None:
        if plan.new_groups == 0:
            return
        regions = sorted({p.region for p in free}, key=lambda r: (r == "", r))
        region_rank = {region: i for i, region in enumerate(regions)}
        line = sorted(free, key=lambda p: (region_rank[p.region], self.rank[p.id]))
        cuts = _cut_line([p.region for p in line], plan.new_groups, plan.low, plan.high)
        slots: list[tuple[_Group, Counter[str]]] = []
        for start, end in pairwise(cuts):
            group = _Group(len(self.groups))
            self.groups.append(group)
            slots.append((group, Counter(p.region for p in line[start:end])))
        by_region: dict[str, list[Member]] = {}
        for person in line:
            by_region.setdefault(person.region, []).append(person)
        for region in regions:
            people = sorted(
                by_region[region],
                key=lambda p: (
                    not p.experienced,
                    not p.seed_teacher,
                    -(p.years or 0),
                    self.rank[p.id],
                ),
            )
            open_groups = [(g, s) for g, s in slots if s[region]]
            for person in people:
                group, wanted = max(
                    (item for item in open_groups if item[1][region]),
                    key=lambda item: (
                        item[0].score_with(person, count_region=False)
                        - _score(
                            0,
                            item[0].experienced,
                            item[0].full_time,
                            item[0].size,
                            item[0].duty_pairs,
                        ),
                        -item[0].index,
                    ),
                )
                wanted[region] -= 1
                group.add(person)
                self.where[person.id] = group

    # -- step 4: swaps ------------------------------------------------------------------------

    def _movable(self) -> list[Member]:
        return sorted(
            (p for p in self.people.values() if p.id in self.where and not self._locked(p)),
            key=lambda p: self.rank[p.id],
        )

    def _locked(self, person: Member) -> bool:
        return person.id in self.where[person.id].locked

    def _swap_passes(self) -> None:
        """Swap people of one region between groups while the total score rises; after the
        first pass only pairs touching a group that changed in the pass before are tried."""
        by_region: dict[str, list[tuple[Member, bool, bool]]] = {}
        for person in self._movable():
            by_region.setdefault(person.region, []).append(
                (person, person.experienced, person.full_time)
            )
        buckets = [by_region[region] for region in sorted(by_region)]
        dirty: set[int] | None = None  # group indexes; None: every group
        for _ in range(MAX_SWAP_PASSES):
            changed: set[int] = set()
            for bucket in buckets:
                for i, (x, x_exp, x_ft) in enumerate(bucket):
                    for y, y_exp, y_ft in bucket[i + 1 :]:
                        a, b = self.where[x.id], self.where[y.id]
                        if a is b or (
                            dirty is not None and a.index not in dirty and b.index not in dirty
                        ):
                            continue
                        if x_exp == y_exp and x_ft == y_ft and x.duties == y.duties:
                            continue
                        if _same_region_gain(a, x, x_exp, x_ft, b, y, y_exp, y_ft) > 0:
                            self._swap(x, y)
                            changed.update((a.index, b.index))
            if not changed:
                break
            dirty = changed

    @staticmethod
    def _breaks_mix(group: _Group, out: Member, into: Member) -> bool:
        """Whether ``out`` leaving for ``into`` takes away the group's only experienced member,
        only full-time or only part-time member."""
        if out.experienced and not into.experienced and group.experienced == 1:
            return True
        if out.full_time != into.full_time:
            same = group.full_time if out.full_time else group.part_time
            return same == 1
        return False

    def _swap(self, x: Member, y: Member) -> None:
        a, b = self.where[x.id], self.where[y.id]
        a.remove(x)
        b.remove(y)
        a.add(y)
        b.add(x)
        self.where[x.id], self.where[y.id] = b, a

    def _repair(self, count_of: Callable[[_Group], int], has: Callable[[Member], bool]) -> None:
        """Give every group lacking a kind of member (experienced, full-time, part-time) one,
        by the best swap with a group that has two or more, across regions if need be."""
        for group in self.groups:
            if count_of(group) or not group.size:
                continue
            takers = [p for p in group.members.values() if p.id not in group.locked]
            best: tuple[tuple[int, int, int, int], Member, Member] | None = None
            for donor in self.groups:
                if donor is group or count_of(donor) < 2:
                    continue
                base = group.score() + donor.score()
                for x in donor.members.values():
                    if not has(x) or x.id in donor.locked:
                        continue
                    for y in takers:
                        if self._breaks_mix(group, y, x) or self._breaks_mix(donor, x, y):
                            continue
                        delta = group.score_swapped(y, x) + donor.score_swapped(x, y) - base
                        key = (delta, -donor.index, -self.rank[x.id], -self.rank[y.id])
                        if best is None or key > best[0]:
                            best = (key, x, y)
            if best is not None:
                self._swap(best[1], best[2])

    # -- the message ----------------------------------------------------------------------------

    def _message(self, plan: _SizePlan, experienced_total: int, full_time_total: int) -> str:
        n = len(self.people)
        sizes = [g.size for g in self.groups]
        lo, hi = self.min_size, self.max_size
        locked_count = sum(1 for g in self.groups if g.locked)
        parts: list[str] = []
        over = [g for g in self.groups if len(g.locked) > hi]
        if plan.feasible:
            parts.append(f"{n} 人分成 {len(sizes)} 組，每組 {lo} 到 {hi} 人")
            parts.append("（固定成員超過上限的組除外）。" if over else "。")
        else:
            size_text = "、".join(str(s) for s in sizes)
            outside = sum(1 for s in sizes if s < lo or s > hi)
            if n < lo:
                parts.append(f"{n} 人少於每組最少的 {lo} 人")
            elif not feasible_group_counts(n, lo, hi):
                k = n // hi
                gap = f"{k} 組最多 {k * hi} 人、{k + 1} 組至少 {(k + 1) * lo} 人"
                parts.append(f"{n} 人無法分成每組 {lo} 到 {hi} 人（{gap}）")
            else:
                parts.append(f"固定成員的組別不能拆開，{n} 人無法都分成每組 {lo} 到 {hi} 人")
            parts.append(
                f"；已盡量平均分成 {len(sizes)} 組（{size_text} 人），"
                f"有 {outside} 組超出範圍，請視需要手動調整。"
            )
        if locked_count:
            parts.append(f"其中 {locked_count} 組保留固定成員。")
        if over:
            parts.append(f"有 {len(over)} 組的固定成員已超過每組 {hi} 人，維持原樣未拆開。")
        without = sum(1 for s, g in zip(sizes, self.groups, strict=True) if s and not g.experienced)
        if without:
            parts.append(
                f"有 {without} 組沒有有經驗者（種籽教師或人事年資 {EXPERIENCED_YEARS} 年以上；"
                f"全體共 {experienced_total} 人）。"
            )
        unmixed = sum(1 for g in self.groups if g.size and not (g.full_time and g.part_time))
        if unmixed:
            parts.append(
                f"有 {unmixed} 組未能專兼任混搭（專任 {full_time_total} 人、"
                f"兼任 {n - full_time_total} 人）。"
            )
        return "".join(parts)


# ---------------------------------------------------------------------------------------------
# sizes and the region line


def _plan_sizes(locked_sizes: list[int], free: int, min_size: int, max_size: int) -> _SizePlan:
    """How many new groups, how many free people each locked group takes, new group bounds.
    A locked group already above ``max_size`` takes nobody and is left out of the sums."""
    inner = [i for i, s in enumerate(locked_sizes) if s <= max_size]
    plan = _plan_inner([locked_sizes[i] for i in inner], free, min_size, max_size)
    fills = [0] * len(locked_sizes)
    for i, fill in zip(inner, plan.fills, strict=True):
        fills[i] = fill
    plan.fills = fills
    return plan


def _plan_inner(locked_sizes: list[int], free: int, min_size: int, max_size: int) -> _SizePlan:
    n = sum(locked_sizes) + free
    if n == 0:
        return _SizePlan(0, [], min_size, max_size, True)
    need = [max(0, min_size - s) for s in locked_sizes]
    room = [max_size - s for s in locked_sizes]
    first = 0 if locked_sizes else 1
    middle = (min_size + max_size) / 2
    candidates = [
        k
        for k in range(first, free // min_size + 2)
        if sum(need) + k * min_size <= free <= sum(room) + k * max_size
    ]
    if candidates:
        k = min(candidates, key=lambda c: (abs(n / (len(locked_sizes) + c) - middle), c))
        target = round(n / (len(locked_sizes) + k))
        fills = [
            min(r, max(d, target - s)) for s, d, r in zip(locked_sizes, need, room, strict=True)
        ]
        rest = free - sum(fills)
        i = 0
        while rest > k * max_size:  # locked groups take more
            if fills[i] < room[i]:
                fills[i] += 1
                rest -= 1
            else:
                i += 1
        i = 0
        while rest < k * min_size:  # locked groups take fewer
            if fills[i] > need[i]:
                fills[i] -= 1
                rest += 1
            else:
                i += 1
        return _SizePlan(k, fills, min_size, max_size, True)
    best: tuple[tuple[int, float, int], int, list[int]] | None = None
    for k in range(first, min(free, free // min_size + 1) + 1):
        targets = _even_targets(locked_sizes, k, n)
        outside = sum(max(0, min_size - t) + max(0, t - max_size) for t in targets)
        key = (outside, abs(n / len(targets) - middle), k)
        if best is None or key < best[0]:
            best = (key, k, targets)
    assert best is not None  # k = first is always tried (free >= 1 when there is no locked group)
    _, k, targets = best
    fills = [t - s for t, s in zip(targets, locked_sizes, strict=False)]
    new = targets[len(locked_sizes) :]
    return _SizePlan(k, fills, min(new, default=0), max(new, default=0), False)


def _even_targets(locked_sizes: list[int], new_groups: int, n: int) -> list[int]:
    """Sizes as even as possible (locked groups never below their size), locked first."""
    low, high = 0, n
    while low < high:  # the highest level every group can be raised to
        level = (low + high + 1) // 2
        if sum(max(s, level) for s in locked_sizes) + new_groups * level <= n:
            low = level
        else:
            high = level - 1
    targets = [max(s, low) for s in locked_sizes] + [low] * new_groups
    rest = n - sum(targets)
    order = list(range(len(locked_sizes), len(targets))) + list(range(len(locked_sizes)))
    for i in order:
        if rest and targets[i] == low:
            targets[i] += 1
            rest -= 1
    return targets


def _cut_line(regions: list[str], count: int, low: int, high: int) -> list[int]:
    """Cut points (0 … len) splitting the region-ordered line into ``count`` pieces of
    ``low``..``high`` people with the fewest people outside their piece's main region (then the
    fewest regions per piece, then sizes nearest the middle)."""
    n = len(regions)
    run_start: list[int] = []
    run_of: list[int] = []
    for i, region in enumerate(regions):
        if i == 0 or region != regions[i - 1]:
            run_start.append(i)
        run_of.append(len(run_start) - 1)
    run_end = [*run_start[1:], n]

    def cost(a: int, b: int) -> int:
        top = 0
        for r in range(run_of[a], run_of[b - 1] + 1):
            top = max(top, min(b, run_end[r]) - max(a, run_start[r]))
        spread = run_of[b - 1] - run_of[a]
        return (b - a - top) * 1000 + spread * 10 + abs(2 * (b - a) - low - high)

    inf = float("inf")
    best: list[dict[int, float]] = [{0: 0}]
    back: list[dict[int, int]] = [{}]
    for j in range(1, count + 1):
        lowest = max(j * low, n - (count - j) * high)
        highest = min(j * high, n - (count - j) * low)
        row: dict[int, float] = {}
        came: dict[int, int] = {}
        for end in range(lowest, highest + 1):
            value = inf
            source = -1
            for size in range(low, high + 1):
                start = end - size
                previous = best[j - 1].get(start)
                if previous is None or size < 1:
                    continue
                total = previous + cost(start, end)
                if total < value:
                    value, source = total, start
            if source >= 0:
                row[end] = value
                came[end] = source
        best.append(row)
        back.append(came)
    cuts = [n]
    for j in range(count, 0, -1):
        cuts.append(back[j][cuts[-1]])
    return cuts[::-1]
