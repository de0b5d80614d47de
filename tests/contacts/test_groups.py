"""Peer groups in the database: build and save, move, lock, rename, rebuild; roster; CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from schoolhr.cli import main
from schoolhr.contacts.models import Contact, ExportAudit, PeerGroup
from schoolhr.contacts.peer_groups import service as groups
from schoolhr.errors import ExitCode, UserError
from schoolhr.paths import DataPaths
from schoolhr.reports.pdf import render_form
from schoolhr.reports.xlsx import read_xlsx
from schoolhr.store.database import Store, open_store
from tests.contacts.population import population


def add_contacts(store: Store, count: int = 30) -> list[int]:
    """``count`` generated people as contacts; every third without consent."""
    roles = {(True, False): "專任人事", (False, True): "種籽教師", (False, False): "兼任人事"}
    with store.write() as session:
        rows = [
            Contact(
                name=p.name,
                school=f"第{p.id}國小",
                region=p.region,
                role=roles.get((p.full_time, p.seed_teacher), "專任人事"),
                duties=sorted(p.duties),
                years=p.years,
                office_phone=f"089-{300000 + p.id}",
                email=f"p{p.id}@school.tw",
                consent_date=None if p.id % 3 == 0 else date(2026, 1, 5),
            )
            for p in population(count, 3)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def test_build_move_lock_rename_and_rebuild_keeps_locked_people(store: Store) -> None:
    ids = add_contacts(store)
    with store.write() as session:
        result = groups.build_and_save(session)
    assert sorted(len(plan.members) for plan in result.groups) == [7, 7, 8, 8]
    with store.read() as session:
        views = groups.list_groups(session)
    assert [v.name for v in views] == ["第 1 組", "第 2 組", "第 3 組", "第 4 組"]
    assert sorted(m.contact_id for v in views for m in v.members) == ids
    assert [v.explanation for v in views] == [plan.explanation for plan in result.groups]

    # move someone from the first group into the second, lock two people there, rename it
    first, second = views[0], views[1]
    mover = first.members[0].contact_id
    with store.write() as session:
        groups.move_member(session, mover, second.id)
        groups.set_locked(session, mover, True)
        groups.set_locked(session, second.members[0].contact_id, True)
        groups.rename_group(session, second.id, "  東區  讀書會 ")
    with store.read() as session:
        views = groups.list_groups(session)
    renamed = next(v for v in views if v.id == second.id)
    assert renamed.name == "東區 讀書會"
    assert len(renamed.members) == len(second.members) + 1
    assert "固定成員 2 人" in renamed.explanation
    shrunk = next(v for v in views if v.id == first.id)
    assert len(shrunk.members) == len(first.members) - 1
    assert shrunk.explanation != first.explanation
    locked = {m.contact_id for m in renamed.members if m.locked}
    assert locked == {mover, second.members[0].contact_id}

    # a deleted contact leaves; a rebuild with another seed keeps the locked pair and the name
    gone = next(i for i in ids if i not in locked)
    with store.write() as session:
        session.get_one(Contact, gone).deleted = True
        groups.build_and_save(session, seed=5)
    with store.read() as session:
        views = groups.list_groups(session)
        assert session.scalar(select(func.count()).select_from(PeerGroup)) == 4
    kept = next(v for v in views if v.id == second.id)
    assert kept.name == "東區 讀書會"
    assert {m.contact_id for m in kept.members if m.locked} == locked
    assert 7 <= len(kept.members) <= 9
    assert sorted(v.name for v in views if v.id != second.id) == ["第 1 組", "第 2 組", "第 3 組"]
    everyone = sorted(m.contact_id for v in views for m in v.members)
    assert everyone == [i for i in ids if i != gone]


def test_moving_out_of_every_group_and_mistakes_are_explained(store: Store) -> None:
    add_contacts(store, 16)
    with store.write() as session:
        groups.build_and_save(session)
        first = groups.list_groups(session)[0]
        person = first.members[0].contact_id
        groups.move_member(session, person, None)
        assert [m.contact_id for m in groups.list_unassigned(session)] == [person]
        with pytest.raises(UserError, match="尚未分組"):
            groups.set_locked(session, person, True)
        with pytest.raises(UserError, match="找不到編號 424242 的小群組"):
            groups.move_member(session, person, 424242)
        with pytest.raises(UserError, match="不可空白"):
            groups.rename_group(session, first.id, "   ")
        second = groups.list_groups(session)[1]
        with pytest.raises(UserError, match="已經有名為"):
            groups.rename_group(session, first.id, second.name)
        with pytest.raises(UserError, match="不合理"):
            groups.build_and_save(session, min_size=9, max_size=7)
        groups.delete_group(session, first.id)
        assert len(groups.list_unassigned(session)) == len(first.members)


def test_roster_shows_contact_details_only_of_people_who_consented(
    store: Store, tmp_path: Path
) -> None:
    add_contacts(store, 16)
    with store.write() as session:
        groups.build_and_save(session)
        views = groups.list_groups(session)
    members = [m for v in views for m in v.members]
    agreed = next(m for m in members if m.consented)
    refused = next(m for m in members if not m.consented)

    pdf = tmp_path / "roster.pdf"
    result = render_form(groups.roster_document(views, "臺東縣政府人事處", date(2026, 11, 22)), pdf)
    assert result.missing_characters == []
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\n", "")
    assert "安心培力小群組名冊" in text and views[0].name in text
    assert agreed.office_phone in text and agreed.email in text
    assert refused.name in text and refused.school in text
    assert refused.office_phone not in text and refused.email not in text

    sheet = tmp_path / "roster.xlsx"
    groups.write_groups_xlsx(sheet, views)
    table = read_xlsx(sheet)[0]
    assert table.headers[:3] == ["組別", "姓名", "服務學校"]
    assert len(table.rows) == len(members)
    row_of = {row[1]: row for row in table.rows}
    assert agreed.email in row_of[agreed.name] and refused.email not in row_of[refused.name]


def test_cli_builds_groups_as_json_and_saves_a_roster(
    data_paths: DataPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(data_paths)
    try:
        ids = add_contacts(store, 20)
    finally:
        store.close()
    assert main(["contacts", "groups", "build", "--json"]) == ExitCode.OK
    output = json.loads(capsys.readouterr().out)
    assert "20 人無法分成每組 7 到 9 人" in output["message"]
    assert sorted(m["id"] for g in output["groups"] for m in g["members"]) == ids
    assert output["unassigned"] == [] and all(g["explanation"] for g in output["groups"])

    assert main(["contacts", "groups", "build", "--min", "4", "--max", "5"]) == ExitCode.OK
    printed = capsys.readouterr().out
    assert "20 人分成 4 組，每組 4 到 5 人。" in printed and "第 1 組（5 人）：" in printed

    target = tmp_path / "名冊.pdf"
    assert main(["contacts", "groups", "roster", "-o", str(target)]) == ExitCode.OK
    assert target.exists() and "4 組" in capsys.readouterr().out
    assert main(["contacts", "groups", "roster", "-o", str(tmp_path / "名冊.xlsx")]) == 0
    assert main(["contacts", "groups", "roster", "-o", str(tmp_path / "名冊.txt")]) == ExitCode.FILE
    store = open_store(data_paths)
    try:
        with store.read() as session:
            audits = list(session.scalars(select(ExportAudit).order_by(ExportAudit.id)))
    finally:
        store.close()
    assert [(a.file_format, a.count, a.purpose) for a in audits] == [
        ("pdf", 20, "安心培力小群組名冊"),
        ("xlsx", 20, "安心培力小群組名冊"),
    ]
