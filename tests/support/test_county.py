"""The county's work list: questions across schools, claims to approve, schools without a
data pack this term."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from schoolhr.contacts import service as contacts
from schoolhr.contacts.records import ContactRecord
from schoolhr.faq.models import UnansweredQuestion
from schoolhr.faq.unanswered import record_unanswered
from schoolhr.rewards.models import APPROVED, CLAIMED, RewardEntry
from schoolhr.store.database import Store, update_site
from schoolhr.support.county import Term, county_work, term_of
from schoolhr.sync.models import Exchange

TODAY = date(2025, 3, 10)
A_UUID = "11111111-1111-4111-8111-111111111111"
B_UUID = "22222222-2222-4222-8222-222222222222"


@pytest.mark.parametrize(
    ("day", "start", "end", "label"),
    [
        (date(2025, 1, 31), date(2024, 8, 1), date(2025, 1, 31), "113 學年度第 1 學期"),
        (date(2025, 2, 1), date(2025, 2, 1), date(2025, 7, 31), "113 學年度第 2 學期"),
        (date(2025, 7, 31), date(2025, 2, 1), date(2025, 7, 31), "113 學年度第 2 學期"),
        (date(2025, 8, 1), date(2025, 8, 1), date(2026, 1, 31), "114 學年度第 1 學期"),
        (date(2025, 12, 31), date(2025, 8, 1), date(2026, 1, 31), "114 學年度第 1 學期"),
    ],
)
def test_terms_run_from_august_and_from_february(
    day: date, start: date, end: date, label: str
) -> None:
    term = term_of(day)
    assert term == Term(start, end) and day in term
    assert term.label.startswith(label)


def _exchange(site_uuid: str, name: str, created: datetime, kind: str = "data") -> Exchange:
    return Exchange(
        at=created,
        direction="import",
        kind=kind,
        pack_id=f"{site_uuid[:-4]}{created:%m%d}",
        site_uuid=site_uuid,
        site_name=name,
        pack_created_at=created,
        file_name=f"{name}.zip",
        summary="已新增 1 筆、更新 0 筆、衝突 0 筆",
        counts={},
    )


def test_county_work_lists_questions_claims_and_schools_without_a_pack(store: Store) -> None:
    # GIVEN a county that knows schools A, B and C from its contacts and packs
    update_site(store, name="測試縣人事處", role="county")
    with store.write() as session:
        ids = {
            school: contacts.save_contact(session, ContactRecord(name=name, school=school))
            for name, school in (
                ("甲", "甲國小"),
                ("乙", "乙國小"),
                ("丙", "丙國小"),
                ("丁", "測試縣人事處"),
            )
        }
        contacts.save_contact(session, ContactRecord(name="戊", school="縣府", role="縣市人事處"))
        # A sent a data pack this term; B only last term, and a content pack this term
        session.add(_exchange(A_UUID, "甲國小", datetime(2025, 2, 20, 2, 0, tzinfo=UTC)))
        session.add(_exchange(B_UUID, "乙國小", datetime(2025, 1, 20, 2, 0, tzinfo=UTC)))
        session.add(
            _exchange(B_UUID, "乙國小", datetime(2025, 3, 1, 2, 0, tzinfo=UTC), kind="content")
        )
        for status in (CLAIMED, APPROVED, CLAIMED):
            session.add(
                RewardEntry(
                    contact_id=ids["甲國小"],
                    date=date(2025, 3, 1),
                    kind="peer-help",
                    points=2,
                    rule_version=1,
                    reason="協助同仁",
                    status=status,
                )
            )
    asked = record_unanswered(store, "代理教師的差假要在哪個系統登錄")
    own = record_unanswered(store, "縣府自己的問題")
    answered = record_unanswered(store, "已解答的問題")
    assert asked and own and answered
    with store.write() as session:
        row = session.get(UnansweredQuestion, asked.id)
        assert row is not None
        row.origin, row.count = A_UUID, 5
        done = session.get(UnansweredQuestion, answered.id)
        assert done is not None
        done.answered_entry_id = "some-entry"

    # WHEN the county looks at its work
    work = county_work(store, TODAY)

    # THEN
    assert work.term == Term(date(2025, 2, 1), date(2025, 7, 31))
    assert [(q.query, q.school, q.count) for q in work.questions] == [
        ("代理教師的差假要在哪個系統登錄", "甲國小", 5),
        ("縣府自己的問題", "測試縣人事處", 1),
    ]
    assert [c.status for c in work.claims] == [CLAIMED, CLAIMED]
    assert all(c.school == "甲國小" for c in work.claims)
    missing = {s.name: s for s in work.missing_packs}
    assert set(missing) == {"乙國小", "丙國小"}
    assert missing["乙國小"].site_uuid == B_UUID
    assert missing["乙國小"].last_pack_at == datetime(2025, 1, 20, 2, 0, tzinfo=UTC)
    assert missing["丙國小"].last_pack_at is None
    assert work.summary() == "未解答問題 2 則；待核定積點 2 筆；本學期尚未送資料包的學校 2 所"


def test_county_work_of_an_empty_county_is_empty(store: Store) -> None:
    update_site(store, name="測試縣人事處", role="county")
    work = county_work(store, TODAY)
    assert (work.questions, work.claims, work.missing_packs) == ([], [], [])
