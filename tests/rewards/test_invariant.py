"""The ledger's one invariant under random sequences: a person's balance is the sum of their
approved entries, whatever was added, approved, rejected or reversed (and refused) before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from schoolhr.contacts.records import ContactRecord
from schoolhr.contacts.service import save_contact
from schoolhr.errors import UserError
from schoolhr.rewards import service
from schoolhr.rewards.models import APPROVED, CLAIMED, REJECTED
from schoolhr.store.database import Store

TODAY = date(2025, 12, 31)
KINDS = st.sampled_from(["outstanding-case", "peer-help", "training-given"])


@dataclass
class Expected:
    contact: int
    points: int
    status: str
    reverses: int | None = None
    reversed: bool = False


class Ledger(RuleBasedStateMachine):
    store: Store

    entries = Bundle("entries")

    def __init__(self) -> None:
        super().__init__()
        self.model: dict[int, Expected] = {}
        self.people: list[int] = []

    @initialize()
    def two_new_people(self) -> None:
        with self.store.write() as session:
            self.people = [
                save_contact(session, ContactRecord(name=f"測試{n}", school="測試國小"))
                for n in range(2)
            ]

    @rule(target=entries, who=st.integers(0, 1), kind=KINDS, points=st.integers(1, 9))
    def add(self, who: int, kind: str, points: int) -> int:
        person = self.people[who]
        with self.store.write() as session:
            entry = service.add_entry(
                session, person, kind, date(2025, 6, 1), "測試", points=points, today=TODAY
            )
        self.model[entry.id] = Expected(person, points, CLAIMED)
        return entry.id

    @rule(bad=st.sampled_from([-5, 0, 10_000]))
    def add_bad(self, bad: int) -> None:
        try:
            with self.store.write() as session:
                service.add_entry(
                    session, self.people[0], "peer-help", date(2025, 6, 1), "x", points=bad
                )
        except UserError:
            pass
        else:
            raise AssertionError("bad points were accepted")

    @rule(chosen=st.lists(entries, min_size=1, max_size=3, unique=True))
    def approve(self, chosen: list[int]) -> None:
        self._decide(chosen, APPROVED)

    @rule(chosen=st.lists(entries, min_size=1, max_size=3, unique=True))
    def reject(self, chosen: list[int]) -> None:
        self._decide(chosen, REJECTED)

    def _decide(self, chosen: list[int], status: str) -> None:
        chosen = [entry_id for entry_id in chosen if entry_id in self.model]
        if not chosen:
            return
        refused = any(self.model[e].status not in (CLAIMED, status) for e in chosen)
        decide = service.approve if status == APPROVED else service.reject
        try:
            with self.store.write() as session:
                result = decide(session, chosen, "測試理由")
        except UserError:
            assert refused
            return
        assert not refused
        assert set(result.unchanged) == {e for e in chosen if self.model[e].status == status}
        for entry_id in chosen:
            if self.model[entry_id].status == CLAIMED and status == REJECTED:
                original = self.model[entry_id].reverses
                if original is not None:
                    self.model[original].reversed = False
            self.model[entry_id].status = status

    @rule(target=entries, entry_id=entries, approve_now=st.booleans())
    def reverse(self, entry_id: int, approve_now: bool) -> int:
        expected = self.model.get(entry_id)
        allowed = (
            expected is not None
            and expected.status == APPROVED
            and expected.reverses is None
            and not expected.reversed
        )
        try:
            with self.store.write() as session:
                correction = service.reverse(session, entry_id, "更正", approve_now=approve_now)
        except UserError:
            assert not allowed
            return entry_id
        assert allowed and expected is not None
        expected.reversed = True
        status = APPROVED if approve_now else CLAIMED
        self.model[correction.id] = Expected(
            expected.contact, -expected.points, status, reverses=entry_id
        )
        return correction.id

    @invariant()
    def balance_is_the_sum_of_approved_entries(self) -> None:
        if not self.people:
            return
        with self.store.read() as session:
            for person in self.people:
                want = sum(
                    e.points
                    for e in self.model.values()
                    if e.contact == person and e.status == APPROVED
                )
                assert service.balance(session, person) == want
                listed = service.list_entries(session, contact_id=person)
                assert sum(e.points for e in listed if e.status == APPROVED) == want
                assert [e.status for e in listed] == [self.model[e.id].status for e in listed]
                lines = service.history(session, person)
                assert (lines[-1].running_total if lines else 0) == want
                assert want >= 0


def test_balance_is_always_the_sum_of_approved_entries(rewards_store: Store) -> None:
    Ledger.store = rewards_store
    run_state_machine_as_test(
        Ledger,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
