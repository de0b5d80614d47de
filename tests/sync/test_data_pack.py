"""Data packs: merge by UUID, newer wins, conflicts kept, ledger a union; a pack imported
again is refused and changes nothing.

A school's data pack goes to the county (``county_store``: a county with the reward rules its
claims are checked against); the county's goes back to one school, signed with the county key
that school trusts."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from schoolhr.checklists import service as checklists
from schoolhr.cli import main
from schoolhr.contacts.models import Contact
from schoolhr.content.install import install_bundled_content
from schoolhr.errors import Cancelled, ExitCode, UserError
from schoolhr.faq.unanswered import record_unanswered
from schoolhr.paths import prepare_data_dir
from schoolhr.rewards import service as rewards
from schoolhr.rewards.models import RewardEntry
from schoolhr.store.backup import list_backups
from schoolhr.store.database import Store, open_store, update_site
from schoolhr.sync import data, service
from tests.sync.conftest import add_people, database_digest, make_county, trust_county


def _export(store: Store, path: Path) -> Path:
    service.export_pack(store, "data", path)
    return path


def test_school_to_county_and_the_same_pack_twice_is_refused_and_changes_nothing(
    store: Store, county_store: Store, tmp_path: Path
) -> None:
    county = county_store
    update_site(store, name="桃源國小")
    people = add_people(store, 3)
    record_unanswered(store, "代理教師可以請婚假嗎")
    pack = _export(store, tmp_path / "school.zip")

    plan = service.plan_import(county, pack)
    assert plan.summary() == "將新增 7 筆、更新 0 筆、衝突 0 筆"
    assert {i.record_type for i in plan.items} == {"contacts", "reward_entries", "unanswered"}
    service.apply_import(county, plan)
    # the same pack again is refused and changes nothing
    before = database_digest(county)
    with pytest.raises(UserError, match="匯入過"):
        service.plan_import(county, pack)
    with pytest.raises(UserError, match="匯入過"):
        service.import_pack(county, pack)
    assert database_digest(county) == before
    assert len(service.history(county)) == 1
    # a new pack of the same, unchanged records changes nothing either
    again = service.plan_import(county, _export(store, tmp_path / "again.zip"))
    assert again.items == []
    assert again.summary() == "將新增 0 筆、更新 0 筆、衝突 0 筆"
    assert len(people) == 3
    assert [h.direction for h in service.history(store)][:1] == ["export"]


def _school(tmp_path: Path, name: str) -> Store:
    school = open_store(prepare_data_dir(tmp_path / name))
    update_site(school, name=name)
    return school


def test_county_sends_each_school_only_its_own_records_with_the_decisions(
    county_store: Store, county_key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    county = county_store
    # GIVEN two schools, both trusting the county's key, whose claims and questions reached it
    taoyuan, binlang = _school(tmp_path, "桃源國小"), _school(tmp_path, "賓朗國小")
    try:
        for school in (taoyuan, binlang):
            trust_county(school, county_key)
        add_people(taoyuan, 2, school="桃源國小")
        add_people(binlang, 3, school="賓朗國小")
        record_unanswered(binlang, "兼任人事可以領加給嗎")
        for school in (taoyuan, binlang):
            service.import_pack(county, _export(school, tmp_path / f"{school.site().name}.zip"))

        # WHEN the county approves 桃源國小's claims and sends that school its pack
        with county.write() as session:
            mine = session.execute(
                select(RewardEntry.id)
                .join(Contact, Contact.id == RewardEntry.contact_id)
                .where(Contact.school == "桃源國小")
            ).scalars()
            rewards.approve(session, list(mine), "符合規定", decided_by="人事處")
        with pytest.raises(UserError, match="要指定學校"):
            service.export_pack(county, "data", tmp_path / "all.zip", private_key=county_key)
        back = tmp_path / "back.zip"
        result = service.export_pack(
            county, "data", back, private_key=county_key, for_school="桃源國小"
        )

        # THEN the pack holds 桃源國小's people and entries only, nothing of 賓朗國小
        assert result.counts["contacts"] == 2 and result.counts["reward_entries"] == 2
        assert result.counts["unanswered"] == 0
        with zipfile.ZipFile(back) as archive:
            everything = b"".join(archive.read(n) for n in archive.namelist())
        assert "賓朗".encode() not in everything
        # and the school sees the county's decisions; the other school cannot import it
        service.import_pack(taoyuan, back)
        with taoyuan.read() as session:
            statuses = set(session.execute(select(RewardEntry.status)).scalars())
        assert statuses == {"approved"}
        with pytest.raises(UserError, match="不是給本單位的"):
            service.plan_import(binlang, back)
        # importing the county's pack again is refused and changes nothing at the school
        before = database_digest(taoyuan)
        with pytest.raises(UserError, match="匯入過"):
            service.plan_import(taoyuan, back)
        assert database_digest(taoyuan) == before
        # and a new pack of the same decisions changes nothing
        again = tmp_path / "again.zip"
        service.export_pack(county, "data", again, private_key=county_key, for_school="桃源國小")
        assert service.plan_import(taoyuan, again).items == []
    finally:
        taoyuan.close()
        binlang.close()


def test_records_are_stamped_with_the_site_that_created_them(store: Store) -> None:
    add_people(store, 1)
    record_unanswered(store, "代理教師可以請婚假嗎")
    site = store.site().site_uuid
    with store.read() as session:
        origins = {
            *session.execute(select(Contact.origin)).scalars(),
            *session.execute(select(RewardEntry.origin)).scalars(),
        }
    assert origins == {site}


def test_only_a_county_names_a_school(store: Store, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="只有縣市人事處"):
        service.export_pack(store, "data", tmp_path / "x.zip", for_school="桃源國小")


def test_county_cannot_send_to_a_school_it_never_heard_from(
    county: Store, county_key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="找不到學校"):
        service.export_pack(
            county, "data", tmp_path / "x.zip", private_key=county_key, for_school="不存在國小"
        )


def test_deletion_travels_as_a_marker(store: Store, county_store: Store, tmp_path: Path) -> None:
    county = county_store
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
    store: Store, county_store: Store, tmp_path: Path
) -> None:
    county = county_store
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
    # twice: the same pack is refused, a new pack of the same versions adds no conflict
    with pytest.raises(UserError, match="匯入過"):
        service.import_pack(county, pack)
    service.import_pack(county, _export(store, tmp_path / "c.zip"))
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
        make_county(county)
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


def test_cli_export_import_dry_run_json(store: Store, county_store: Store, tmp_path: Path) -> None:
    county = county_store
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


def test_county_imports_a_folder_of_school_packs(county_store: Store, tmp_path: Path) -> None:
    county = county_store
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


def test_cli_county_exports_for_one_school(
    store: Store,
    county_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    county = county_store
    update_site(store, name="桃源國小")
    add_people(store, 1)
    service.import_pack(county, _export(store, tmp_path / "school.zip"))
    county_dir = str(county.paths.root)
    target = tmp_path / "back.zip"
    county.close()
    # the county's data pack is signed with its private key (keys/county-private.pem)
    monkeypatch.setenv("SCHOOLHR_KEY_PASSPHRASE", "county-passphrase")
    assert main(["--data-dir", county_dir, "pack", "keygen"]) == 0
    code = main(
        ["--data-dir", county_dir, "pack", "export", "--kind", "data", "-o", str(target),
         "--for-school", "桃源國小"]
    )  # fmt: skip
    assert code == 0 and target.is_file()
    assert "資料包" in capsys.readouterr().out
    assert main(["--data-dir", county_dir, "pack", "export", "--kind", "data", "-o", "x.zip"]) != 0
    assert "要指定學校" in capsys.readouterr().err


def _school_folder(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for i in range(count):
        school = open_store(prepare_data_dir(tmp_path / f"school{i}"))
        try:
            update_site(school, name=f"第{i}國小")
            add_people(school, 2, school=f"第{i}國小")
            pack = _export(school, folder / f"school{i}.zip")
            os.utime(pack, (1_700_000_000 + i, 1_700_000_000 + i))  # oldest first: school0
        finally:
            school.close()
    return folder


def _pre_import_backups(store: Store) -> list[str]:
    return [b.path.name for b in list_backups(store.paths) if "pre-import" in b.path.name]


def test_a_folder_import_takes_one_backup_and_reports_each_school(
    county_store: Store, tmp_path: Path
) -> None:
    county = county_store
    folder = _school_folder(tmp_path, 3)
    calls: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, text: str = "") -> None:
        calls.append((done, total, text))

    service.import_folder(county, folder, dry_run=True, progress=progress)
    assert _pre_import_backups(county) == []  # a dry run takes none
    assert {c[2] for c in calls} >= {"第0國小", "第1國小", "第2國小"}
    calls.clear()
    outcomes = service.import_folder(county, folder, progress=progress)
    assert [o.result is not None for o in outcomes] == [True, True, True]
    assert not any(o.cancelled for o in outcomes)
    # one backup for the whole folder, before the first pack was written; each pack names it
    assert len(_pre_import_backups(county)) == 1
    assert len({o.result.backup for o in outcomes if o.result}) == 1
    # (done, total, school) before each pack, in order, and the end
    assert [c for c in calls if c[2].endswith("國小")] == [
        (0, 3, "第0國小"),
        (1, 3, "第1國小"),
        (2, 3, "第2國小"),
    ]
    assert calls[-1] == (3, 3, "")
    assert [d for d, _t, _x in calls] == sorted(d for d, _t, _x in calls)


def test_cancel_stops_between_schools_and_keeps_what_went_in(
    county_store: Store, tmp_path: Path
) -> None:
    county = county_store
    folder = _school_folder(tmp_path, 4)
    schools: list[str] = []

    def progress(done: int, total: int, text: str = "") -> None:
        if text.endswith("國小"):
            schools.append(text)
        if done == 2:  # the clerk presses Cancel while the third school is read
            raise Cancelled()

    outcomes = service.import_folder(county, folder, progress=progress)
    assert [o.path.name for o in outcomes] == [f"school{i}.zip" for i in range(4)]
    assert [o.result is not None for o in outcomes] == [True, True, False, False]
    assert [o.cancelled for o in outcomes] == [False, False, True, True]
    assert all(o.error and "已取消，未匯入" in o.error for o in outcomes[2:])
    # the two packs already imported stay; the others were not written
    assert sorted(s.site_name for s in service.senders(county)) == ["第0國小", "第1國小"]
    assert schools == ["第0國小", "第1國小"]
    # the rest go in when the folder is imported again (the first two are refused as seen)
    again = service.import_folder(county, folder)
    assert [o.result is not None for o in again] == [False, False, True, True]
    assert len(service.senders(county)) == 4


def test_a_single_pack_still_takes_its_own_backup(
    store: Store, county_store: Store, tmp_path: Path
) -> None:
    add_people(store, 1)
    service.import_pack(county_store, _export(store, tmp_path / "one.zip"))
    assert len(_pre_import_backups(county_store)) == 1


def test_cli_folder_import_shows_each_school_and_ctrl_c_stops_between_schools(
    county_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import signal

    folder = _school_folder(tmp_path, 3)
    root = str(county_store.paths.root)
    county_store.close()
    real_plan = service.plan_import
    planned: list[str] = []

    def plan_then_interrupt(store: Store, path: Path) -> service.ImportPlan:
        plan = real_plan(store, path)
        planned.append(path.name)
        if len(planned) == 2:  # Ctrl+C while the second school is read
            os.kill(os.getpid(), signal.SIGINT)
        return plan

    monkeypatch.setattr(service, "plan_import", plan_then_interrupt)
    before = signal.getsignal(signal.SIGINT)
    assert main(["--data-dir", root, "pack", "import", str(folder)]) == ExitCode.CANCELLED
    assert signal.getsignal(signal.SIGINT) is before
    out, err = capsys.readouterr()
    assert "（1/3）school0.zip" in err and "（1/3）第0國小" in err and "（2/3）" in err
    assert "（3/3）" not in err
    assert "已要求停止" in err
    # the first went in; the second stopped after it was read, before anything was written
    assert "已取消：已匯入 1 個交換檔，2 個未匯入（school1.zip、school2.zip）。" in out


def test_a_pack_bigger_than_its_batches_is_planned_and_imported_the_same(
    store: Store, county_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a school's pack of 7 people and 7 claims, one person already at the county (a
    # conflict), and batches smaller than the pack
    county = county_store
    update_site(store, name="桃源國小")
    people = add_people(store, 7)
    service.import_pack(county, _export(store, tmp_path / "first.zip"))
    with store.write() as session:
        for contact in session.execute(select(Contact)).scalars():
            contact.mobile = "0912345678"
    with county.write() as session:
        theirs = session.execute(select(Contact).where(Contact.uuid == people[0])).scalar_one()
        theirs.mobile = "0987654321"
    add_people(store, 7, school="桃源國小")
    pack = _export(store, tmp_path / "second.zip")
    whole = service.plan_import(county, pack)
    monkeypatch.setattr(data, "PLAN_BATCH", 3)
    monkeypatch.setattr(data, "WRITE_BATCH", 2)
    monkeypatch.setattr(data, "CHUNK", 2)

    # WHEN it is planned and imported a few records at a time
    batched = service.plan_import(county, pack)
    service.apply_import(county, batched)

    # THEN the plan is the one made in one go, and the county has every record of the school
    assert whole.summary() == batched.summary() == "將新增 14 筆、更新 6 筆、衝突 1 筆"
    assert [(i.record_type, i.key, i.action, i.label) for i in whole.items] == [
        (i.record_type, i.key, i.action, i.label) for i in batched.items
    ]
    assert [i.incoming for i in whole.items] == [i.incoming for i in batched.items]
    site = store.site().site_uuid
    with store.read() as a, county.read() as b:
        mine, theirs = data.export_records(a, site), data.export_records(b, site)
    assert theirs["reward_entries"] == mine["reward_entries"]
    assert [c["uuid"] for c in theirs["contacts"]] == [c["uuid"] for c in mine["contacts"]]
    others = [c for c in mine["contacts"] if c["uuid"] != people[0]]
    assert [c for c in theirs["contacts"] if c["uuid"] != people[0]] == others
    assert [c.label for c in service.conflicts(county)] == ["聯絡人：測試0（桃源國小）"]


def test_only_timestamps_are_rewritten_and_a_note_that_looks_like_one_stays_as_written(
    store: Store,
) -> None:
    add_people(store, 1)
    with store.read() as session:
        record = data.export_records(session)["contacts"][0]
    record["notes"] = "2024-01-01T00:00:00Z 來電"
    record["updated_at"] = "2026-01-02T03:04:05Z"
    (checked,) = data.validate("contacts", "records/contacts.jsonl", [(1, record)], "x.zip")
    assert checked["notes"] == "2024-01-01T00:00:00Z 來電"
    assert checked["updated_at"] == "2026-01-02T03:04:05+00:00"


def test_a_plan_that_still_holds_is_not_planned_again_before_its_backup(
    store: Store, county_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    county = county_store
    update_site(store, name="桃源國小")
    add_people(store, 2)
    planned: list[str] = []
    real = service._fresh_changes

    def counted(session: object, plan: service.ImportPlan, **options: object) -> object:
        planned.append(plan.path.name)
        return real(session, plan, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "_fresh_changes", counted)
    first = service.plan_import(county, _export(store, tmp_path / "first.zip"))
    service.apply_import(county, first)
    assert planned == ["first.zip"]  # only inside the write: nothing changed since the plan

    # the county edits a person meanwhile: the plan is checked again before the backup (it
    # still holds: the school's unchanged copy does not override the county's edit)
    add_people(store, 1)
    second = service.plan_import(county, _export(store, tmp_path / "second.zip"))
    with county.write() as session:
        person = session.execute(select(Contact).where(Contact.origin != "")).scalars().first()
        assert person is not None
        person.notes = "縣市人事處補充"
    backups = _pre_import_backups(county)
    planned.clear()
    service.apply_import(county, second)
    assert planned == ["second.zip", "second.zip"]  # before the backup, then inside the write
    assert len(_pre_import_backups(county)) == len(backups) + 1
