"""Rewards tests: a store with the bundled reward rules and a few people."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from schoolhr.contacts.records import ContactRecord
from schoolhr.contacts.service import save_contact
from schoolhr.content.files import Problem, read_reward_rules
from schoolhr.content.install import bundled_content_dir
from schoolhr.rewards import service
from schoolhr.rewards.models import RewardEntry
from schoolhr.rewards.schema import RuleSet
from schoolhr.store.database import Store

RULES_FILE = bundled_content_dir() / "rewards" / "rules.yaml"


def bundled_rules() -> RuleSet:
    problems: list[Problem] = []
    rules = read_reward_rules(RULES_FILE, problems)
    assert rules is not None, problems
    return rules


def rules_with(**changes: Any) -> RuleSet:
    """The bundled rules with some top-level fields replaced."""
    data = bundled_rules().model_dump(mode="json")
    data.update(changes)
    return RuleSet.model_validate(data)


def entry_count(store: Store) -> int:
    with store.read() as session:
        return int(session.execute(select(func.count(RewardEntry.id))).scalar_one())


@pytest.fixture
def rewards_store(store: Store) -> Store:
    with store.write() as session:
        assert service.install_rules(session, bundled_rules())
    return store


@pytest.fixture
def people(rewards_store: Store) -> dict[str, int]:
    """name -> contact id; years of part-time service 0, 1, 3, 6 and unknown."""
    records = [
        ContactRecord(name="陳怡君", school="宜蘭縣立大同國民小學", role="兼任人事", years=1),
        ContactRecord(name="林𡒊", school="宜蘭縣立大同國民小學", role="兼任人事", years=3),
        ContactRecord(name="黃堃", school="宜蘭縣立南澳國民中學", role="幹事", years=6),
        ContactRecord(name="張新人", school="宜蘭縣立南澳國民中學", role="幹事", years=0),
        ContactRecord(name="王未填", school="宜蘭縣立和平國民小學", role="幹事"),
    ]
    with rewards_store.write() as session:
        return {record.name: save_contact(session, record) for record in records}
