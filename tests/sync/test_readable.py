"""Exchanged records as a clerk reads them: a plan names people and reward kinds by their
titles, and a conflict's two versions are labelled field by field in 民國 local time, with no
UUID, JSON or UTC stamp."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from schoolhr.contacts.models import Contact
from schoolhr.store.database import Store, update_site
from schoolhr.sync import service
from tests.sync.conftest import CLAIM_KIND, add_people

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ROC_TIME = re.compile(r"^\d{2,3}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$")


def test_a_plan_names_people_and_reward_kinds_never_ids(
    store: Store, county_store: Store, tmp_path: Path
) -> None:
    update_site(store, name="桃源國小")
    add_people(store, 2)
    service.export_pack(store, "data", tmp_path / "school.zip")
    plan = service.plan_import(county_store, tmp_path / "school.zip")
    entries = [i.label for i in plan.items if i.record_type == "reward_entries"]
    assert entries == [
        "積點紀錄：測試0 115年2月1日 協助小群組同仁 2 點",
        "積點紀錄：測試1 115年2月1日 協助小群組同仁 2 點",
    ]
    for item in plan.items:
        assert CLAIM_KIND not in item.label and not UUID.search(item.label)


def test_a_conflict_reads_field_by_field(store: Store, county_store: Store, tmp_path: Path) -> None:
    update_site(store, name="桃源國小")
    add_people(store, 1)
    service.import_pack(county_store, service.export_pack(store, "data", tmp_path / "a.zip").path)
    with store.write() as session:
        mine = session.execute(select(Contact)).scalar_one()
        mine.mobile, uuid = "0912345678", mine.uuid
    with county_store.write() as session:
        theirs = session.execute(select(Contact).where(Contact.uuid == uuid)).scalar_one()
        theirs.mobile = "0987654321"
    service.import_pack(county_store, service.export_pack(store, "data", tmp_path / "b.zip").path)

    [conflict] = service.conflicts(county_store)
    rows = {row.label: row for row in conflict.fields}
    assert [row.label for row in conflict.differing] == ["手機"]
    assert (rows["手機"].local, rows["手機"].incoming) == ("0987654321", "0912345678")
    assert rows["資料來源"].incoming == "桃源國小"
    assert rows["兼辦業務"].local == "導師" and rows["LINE ID"].local == "（空白）"
    assert ROC_TIME.match(rows["最後修改"].incoming) and ROC_TIME.match(conflict.received)
    assert conflict.label == "聯絡人：測試0（桃源國小）" and conflict.kept_label == "本機"
    for row in conflict.fields:
        for text in (row.label, row.local, row.incoming):
            assert not UUID.search(text) and "{" not in text and "+00:00" not in text
