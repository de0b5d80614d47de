from datetime import date
from pathlib import Path

import pytest

from schoolhr.errors import UserError
from schoolhr.rewards import service
from schoolhr.rewards.models import APPROVED, CLAIMED
from schoolhr.store.database import Store
from tests.rewards.conftest import entry_count, rules_with

TODAY = date(2025, 12, 31)


def add(store: Store, person: int, kind: str = "outstanding-case", **kw: object) -> int:
    with store.write() as session:
        entry = service.add_entry(
            session,
            person,
            kind,
            kw.pop("on", date(2025, 5, 2)),  # type: ignore[arg-type]
            kw.pop("reason", "協助完成報到作業"),  # type: ignore[arg-type]
            today=TODAY,
            **kw,  # type: ignore[arg-type]
        )
    return entry.id


def test_a_claim_takes_the_rules_points_and_version(
    rewards_store: Store, people: dict[str, int]
) -> None:
    entry_id = add(rewards_store, people["陳怡君"], recorded_by="大同國小")
    with rewards_store.read() as session:
        entry = service.get_entry(session, entry_id)
        assert service.balance(session, people["陳怡君"]) == 0
    assert (entry.points, entry.rule_version, entry.status) == (5, 1, CLAIMED)
    assert entry.kind_label == "績優案件" and entry.recorded_by == "大同國小"


def test_approving_twice_changes_nothing(rewards_store: Store, people: dict[str, int]) -> None:
    first = add(rewards_store, people["陳怡君"])
    with rewards_store.write() as session:
        result = service.approve(session, [first], "查核屬實", "人事處", today=date(2026, 1, 5))
    assert result.changed == [first] and result.unchanged == []
    with rewards_store.read() as session:
        before = service.get_entry(session, first)
    with rewards_store.write() as session:
        again = service.approve(session, [first], "再核一次", "別人", today=date(2026, 2, 1))
    with rewards_store.read() as session:
        after = service.get_entry(session, first)
        assert service.balance(session, people["陳怡君"]) == 5
    assert again.changed == [] and again.unchanged == [first]
    assert after == before
    assert after.decision_reason == "查核屬實" and after.decision_date == date(2026, 1, 5)


def test_deciding_the_other_way_is_refused_and_the_batch_writes_nothing(
    rewards_store: Store, people: dict[str, int]
) -> None:
    a, b = add(rewards_store, people["陳怡君"]), add(rewards_store, people["黃堃"])
    with rewards_store.write() as session:
        service.approve(session, [a], "查核屬實")
    refused = "已核定，不能退回；請以「沖銷」更正"
    with pytest.raises(UserError, match=refused), rewards_store.write() as session:
        service.reject(session, [b, a], "資料不全")
    with rewards_store.read() as session:
        assert service.get_entry(session, b).status == CLAIMED
    with rewards_store.write() as session:
        service.reject(session, [b], "資料不全")
    with pytest.raises(UserError, match="已退回，不能再核定"), rewards_store.write() as session:
        service.approve(session, [b], "改核定")
    with pytest.raises(UserError, match="請填寫退回理由"), rewards_store.write() as session:
        service.reject(session, [a], "  ")


def test_a_reversal_nets_out_and_names_the_original(
    rewards_store: Store, people: dict[str, int]
) -> None:
    person = people["林𡒊"]
    first = add(rewards_store, person)
    second = add(rewards_store, person, kind="no-faults-year", on=date(2025, 12, 30))
    with rewards_store.write() as session:
        service.approve(session, [first, second], "查核屬實")
        correction = service.reverse(session, first, "重複登錄", "人事處", approve_now=True)
    with rewards_store.read() as session:
        original = service.get_entry(session, first)
        lines = service.history(session, person)
        assert service.balance(session, person) == 10
        assert service.balance(session, person, 2025) == 10
    assert correction.points == -5 and correction.reverses == original.uuid
    assert correction.date == original.date and correction.status == APPROVED
    assert original.reversed_by == correction.uuid and original.points == 5  # unchanged
    assert [line.running_total for line in lines] == [5, 0, 10]
    with pytest.raises(UserError, match="已由紀錄"), rewards_store.write() as session:
        service.reverse(session, first, "再一次")
    with pytest.raises(UserError, match="本身是沖銷紀錄"), rewards_store.write() as session:
        service.reverse(session, correction.id, "沖回來")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"points": -3}, "積點須為正整數"),
        ({"points": 0}, "積點須為正整數"),
        ({"points": 21}, "積點 21 點不合理：「績優案件」每年上限 20 點，一筆最多 20 點"),
        ({"points": 10**9}, "不合理"),
        ({"on": date(2026, 1, 1)}, "晚於今天"),
        ({"on": date(1999, 12, 31)}, "太早"),
        ({"kind": "lottery"}, "不認得的積點類別「lottery」"),
        ({"reason": "   "}, "請填寫事由"),
        ({"reason": "字" * 1001}, "事由最多 1000 字"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    rewards_store: Store, people: dict[str, int], changes: dict[str, object], message: str
) -> None:
    kind = str(changes.pop("kind", "outstanding-case"))
    with pytest.raises(UserError, match=message):
        add(rewards_store, people["陳怡君"], kind=kind, **changes)
    assert entry_count(rewards_store) == 0


def test_an_unknown_person_is_refused(rewards_store: Store) -> None:
    with pytest.raises(UserError, match="找不到編號 999 的人員"):
        add(rewards_store, 999)
    assert entry_count(rewards_store) == 0


def test_a_new_rule_version_does_not_change_past_entries(
    rewards_store: Store, people: dict[str, int]
) -> None:
    person = people["陳怡君"]
    old = add(rewards_store, person)
    v2 = rules_with(
        version=2,
        kinds=[{"id": "outstanding-case", "label": "優良案件", "points": 8, "cap_per_year": 40}],
    )
    with rewards_store.write() as session:
        assert service.install_rules(session, v2)
        assert not service.install_rules(session, v2)  # the same version again: nothing
        # a changed file that keeps its version is ignored, not applied over the old one
        assert not service.install_rules(
            session, rules_with(version=2, note="改了內容但沒改版本號")
        )
        assert service.current_rules(session).note == v2.note
    new = add(rewards_store, person)
    with rewards_store.write() as session:
        service.approve(session, [old, new], "查核屬實")
    with rewards_store.read() as session:
        past, recent = service.get_entry(session, old), service.get_entry(session, new)
        first_kind = service.rule_set(session, 1).kind("outstanding-case")
        assert first_kind is not None and first_kind.points == 5
        assert service.balance(session, person) == 13
    assert (past.points, past.rule_version) == (5, 1)
    assert (recent.points, recent.rule_version) == (8, 2)


def test_year_summary_and_proposals_rest_on_approved_entries(
    rewards_store: Store, people: dict[str, int]
) -> None:
    a = add(rewards_store, people["林𡒊"], kind="no-faults-year")  # 10 x 1.2 = 12
    b = add(rewards_store, people["林𡒊"], on=date(2024, 3, 1))  # another year
    c = add(rewards_store, people["黃堃"])  # claimed only
    d = add(rewards_store, people["陳怡君"])
    with rewards_store.write() as session:
        service.approve(session, [a, b], "查核屬實")
        service.reject(session, [d], "佐證不足")
    with rewards_store.read() as session:
        summary = service.year_summary(session, 2025)
        found = service.proposals(session, 2025)
    assert summary.approved_total == 10 and summary.claimed_total == 5 and summary.entries == 3
    assert summary.by_school == {"宜蘭縣立大同國民小學": 10}
    assert summary.by_kind == {"兼任人事業務全年無違失": 10}
    assert [p.name for p in found] == ["林𡒊"]
    proposal = found[0]
    assert proposal.weighted == 12 and proposal.computed == "嘉獎一次"
    assert [e.id for e in proposal.entries] == [a] and c not in [e.id for e in proposal.entries]


def test_the_yearly_cap_limits_what_counts(rewards_store: Store, people: dict[str, int]) -> None:
    person = people["陳怡君"]  # 1 year: x1.0
    ids = [add(rewards_store, person, kind="training-attended") for _ in range(5)]
    with rewards_store.write() as session:
        service.approve(session, ids, "查核屬實")
        (proposal,) = service.proposals(session, 2025)
        assert service.balance(session, person) == 5  # the balance is every approved point
    assert proposal.approved_points == 5 and proposal.counted_points == 3
    assert any("超過每年上限" in note for note in proposal.notes)


def test_the_county_adjusts_a_proposal_with_a_reason(
    rewards_store: Store, people: dict[str, int]
) -> None:
    person = people["黃堃"]
    entry = add(rewards_store, person, kind="no-faults-year")
    with rewards_store.write() as session:
        service.approve(session, [entry], "查核屬實")
        service.adjust_proposal(session, 2025, person, "嘉獎二次", "協助全縣報送作業", "人事處")
        with pytest.raises(UserError, match="不在可選的清單中"):
            service.adjust_proposal(session, 2025, person, "記大過一次", "x")
        with pytest.raises(UserError, match="請填寫調整理由"):
            service.adjust_proposal(session, 2025, person, "嘉獎一次", "")
    with rewards_store.read() as session:
        (proposal,) = service.proposals(session, 2025)
    assert proposal.computed == "嘉獎一次" and proposal.final == "嘉獎二次"
    assert proposal.adjustment is not None and proposal.adjustment.reason == "協助全縣報送作業"
    with rewards_store.write() as session:
        service.adjust_proposal(session, 2025, person, "不予敘獎", "已另案敘獎")
        (proposal,) = service.proposals(session, 2025)
    assert proposal.final is None


def test_evidence_files_are_kept_in_the_data_folder(rewards_store: Store, tmp_path: Path) -> None:
    source = tmp_path / "公文 113-1.pdf"
    source.write_bytes(b"%PDF-1.4 test")
    reference = service.attach_evidence(rewards_store.paths, source)
    assert (rewards_store.paths.root / reference).read_bytes() == b"%PDF-1.4 test"
    assert service.attach_evidence(rewards_store.paths, source) == reference
