"""Data packs: merge by UUID, newer wins, conflicts kept, ledger a union, imports idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from schoolhr.checklists import service as checklists
from schoolhr.cli import main
from schoolhr.contacts.models import Contact
from schoolhr.content.install import install_bundled_content
from schoolhr.errors import UserError
from schoolhr.faq.unanswered import record_unanswered
from schoolhr.paths import prepare_data_dir
from schoolhr.store.database import Store, open_store, update_site
from schoolhr.sync import data, service
from tests.sync.conftest import add_people


def _export(store: Store, path: Path) -> Path:
    service.export_pack(store, "data", path)
    return path


def test_school_to_county_and_no_pack_back_from_the_county(
    store: Store, county: Store, tmp_path: Path
) -> None:
    update_site(store, name="桃源國小")
    people = add_people(store, 3)
    record_unanswered(store, "代理教師可以請婚假嗎")
    pack = _export(store, tmp_path / "school.zip")

    plan = service.plan_import(county, pack)
    assert plan.summary() == "將新增 7 筆、更新 0 筆、衝突 0 筆"
    assert {i.record_type for i in plan.items} == {"contacts", "reward_entries", "unanswered"}
    service.apply_import(county, plan)
    # the same pack again changes nothing
    again = service.plan_import(county, pack)
    assert again.items == []
    assert again.summary() == "將新增 0 筆、更新 0 筆、衝突 0 筆"

    # the county cannot send its data back yet: it would carry every school's personal data
    with pytest.raises(UserError, match="其他學校的個人資料"):
        _export(county, tmp_path / "county.zip")
    assert len(people) == 3
    assert [h.direction for h in service.history(store)][:1] == ["export"]


def test_deletion_travels_as_a_marker(store: Store, county: Store, tmp_path: Path) -> None:
    add_people(store, 2)
    service.import_pack(county, _export(store, tmp_path / "a.zip"))
    with store.write() as session:
        contact = session.execute(select(Contact).order_by(Contact.id)).scalars().first()
        assert contact is not None
        contact.deleted = True
        gone = contact.uuid
    plan = service.plan_import(county, _export(store, tmp_path / "b.zip"))
    assert plan.summary() == "將新增 0 筆、更新 1 筆、衝突 0 筆"
    service.apply_import(county, plan)
    with county.read() as session:
        row = session.execute(select(Contact).where(Contact.uuid == gone)).scalar_one()
        assert row.deleted


def test_both_sides_changed_is_a_conflict_kept_with_both_versions(
    store: Store, county: Store, tmp_path: Path
) -> None:
    add_people(store, 1)
    service.import_pack(county, _export(store, tmp_path / "a.zip"))
    with store.write() as session:
        mine = session.execute(select(Contact)).scalar_one()
        mine.mobile, uuid = "0912345678", mine.uuid
    with county.write() as session:
        theirs = session.execute(select(Contact).where(Contact.uuid == uuid)).scalar_one()
        theirs.mobile = "0987654321"
    pack = _export(store, tmp_path / "b.zip")
    plan = service.plan_import(county, pack)
    assert plan.summary() == "將新增 0 筆、更新 0 筆、衝突 1 筆"
    item = plan.items[0]
    assert item.local is not None and item.incoming is not None
    assert (item.local["mobile"], item.incoming["mobile"]) == ("0987654321", "0912345678")
    service.apply_import(county, plan)
    service.import_pack(county, pack)  # twice: still one conflict
    kept = service.conflicts(county)
    assert len(kept) == 1 and kept[0].type_label == "聯絡人"
    assert kept[0].kept == "local"  # the county's edit came later
    with county.read() as session:
        assert (
            session.execute(select(Contact.mobile).where(Contact.uuid == uuid)).scalar_one()
            == "0987654321"
        )
    service.resolve_conflict(county, kept[0].id, "incoming")
    assert service.conflicts(county) == []
    with county.read() as session:
        assert (
            session.execute(select(Contact.mobile).where(Contact.uuid == uuid)).scalar_one()
            == "0912345678"
        )


def test_checklist_runs_travel_with_answers(tmp_path: Path) -> None:
    school = open_store(prepare_data_dir(tmp_path / "s"))
    county = open_store(prepare_data_dir(tmp_path / "c"))
    try:
        for s in (school, county):
            install_bundled_content(s)
        with school.write() as session:
            template = checklists.templates(session)[0]
            run = checklists.start_run(session, template.id, period="115 學年度")
            item = template.items()[0]
            checklists.set_answer(session, run.id, item.id, "", note="已於校務會議說明")
        pack = _export(school, tmp_path / "runs.zip")
        plan = service.plan_import(county, pack)
        assert plan.adds == 1 and plan.items[0].incoming is not None
        assert plan.items[0].incoming["answers"][0]["note"] == "已於校務會議說明"
        service.apply_import(county, plan)
        with school.read() as a, county.read() as b:
            assert (
                data.export_records(a)["checklist_runs"] == data.export_records(b)["checklist_runs"]
            )
    finally:
        school.close()
        county.close()


def test_cli_export_import_dry_run_json(store: Store, county: Store, tmp_path: Path) -> None:
    add_people(store, 2)
    target = tmp_path / "cli.zip"
    assert (
        main(
            [
                "--data-dir",
                str(store.paths.root),
                "pack",
                "export",
                "--kind",
                "data",
                "-o",
                str(target),
            ]
        )
        == 0
    )
    assert target.exists()
    root = str(county.paths.root)
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--data-dir", root, "pack", "import", str(target), "--dry-run", "--json"]) == 0
    report = json.loads(out.getvalue())
    assert report["summary"] == "將新增 4 筆、更新 0 筆、衝突 0 筆"
    assert report["applied"] is None
    assert service.history(county) == []
    assert main(["--data-dir", root, "pack", "import", str(target)]) == 0
    assert len(service.history(county)) == 1


def test_cli_rejects_with_message(store: Store, tmp_path: Path, capsys: object) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04broken")
    code = main(["--data-dir", str(store.paths.root), "pack", "import", str(bad)])
    assert code == 4


def test_county_imports_a_folder_of_school_packs(county: Store, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for i in range(3):
        school = open_store(prepare_data_dir(tmp_path / f"school{i}"))
        try:
            update_site(school, name=f"第{i}國小")
            add_people(school, 2, school=f"第{i}國小")
            _export(school, folder / f"school{i}.zip")
        finally:
            school.close()
    (folder / "broken.zip").write_bytes(b"not a zip")
    dry = service.import_folder(county, folder, dry_run=True)
    assert [o.result for o in dry] == [None] * 4
    outcomes = service.import_folder(county, folder)
    done = [o for o in outcomes if o.result is not None]
    refused = [o for o in outcomes if o.result is None]
    assert len(done) == 3 and len(refused) == 1
    assert refused[0].error is not None and "不是完整的交換檔" in refused[0].error
    seen = service.senders(county)
    assert sorted(s.site_name for s in seen) == ["第0國小", "第1國小", "第2國小"]
    assert all(s.imports == 1 for s in seen)
