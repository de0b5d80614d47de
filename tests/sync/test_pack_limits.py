"""Hostile JSON and out-of-range values in packs are refused by ``plan_import`` (issue 19).

Each pack is built for real, validly signed (a school's with its own site key, the county's with
the county key the school trusts), so that it reaches the check it attacks. Before issue 19
each of them crashed with "unexpected error" (exit 10): the JSON reader itself (1e999, 200,000
brackets, a 5,000-digit number), or the import after the pre-import backup (a time that is not
a time, numbers beyond SQLite's 64 bits), or the programs that read the data afterwards
(``rewards summary`` on 9 x 10^18 points, ``checklist list`` on a run whose template is not a
template). Now every one is a ``PackError`` (exit 4) naming the file, the member and the line,
raised while planning: no backup is made and the database is unchanged.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from schoolhr.checklists import service as checklists
from schoolhr.checklists.schema import ChecklistTemplate
from schoolhr.contacts.models import Contact
from schoolhr.errors import UserError
from schoolhr.faq.models import UnansweredQuestion
from schoolhr.faq.unanswered import record_unanswered
from schoolhr.safejson import MAX_DEPTH
from schoolhr.store.database import Store
from schoolhr.sync import service
from schoolhr.sync.format import MANIFEST, MAX_CONTENT_VERSION, SIGNATURE, PackError
from tests.data.hostile import make_hostile
from tests.sync.conftest import add_people, database_digest, export_content, rebuild, school_key

Edit = Callable[[dict[str, Any]], None]


def refused(store: Store, pack: Path, message: str) -> str:
    """``plan_import`` refuses ``pack`` with ``message``; nothing written, no backup made."""
    before = database_digest(store)
    backups = sorted(p.name for p in store.paths.backups.iterdir())
    with pytest.raises(PackError, match=message) as caught:
        service.plan_import(store, pack)
    with pytest.raises(PackError, match=message):
        service.import_pack(store, pack)  # the command line without --dry-run
    assert database_digest(store) == before
    assert sorted(p.name for p in store.paths.backups.iterdir()) == backups
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)
    return caught.value.message


@pytest.fixture
def school_pack(store: Store, tmp_path: Path) -> Path:
    """A school's honest data pack: two people, a claim each, a question."""
    add_people(store, 2)
    record_unanswered(store, "代理教師可以請婚假嗎")
    target = tmp_path / "school.zip"
    service.export_pack(store, "data", target)
    return target


def _resign(store: Store) -> Ed25519PrivateKey:
    return school_key(store)


def edit_first(member: str, edit: Edit) -> Callable[[dict[str, bytes], object], None]:
    def mutate(members: dict[str, bytes], _manifest: object) -> None:
        lines = members[member].decode().splitlines()
        record = json.loads(lines[0])
        edit(record)
        lines[0] = json.dumps(record, ensure_ascii=False)
        members[member] = ("\n".join(lines) + "\n").encode()

    return mutate


def raw_first(member: str, old: str, new: str) -> Callable[[dict[str, bytes], object], None]:
    """Replace text in the first record line of ``member`` as written (JSON no encoder makes)."""

    def mutate(members: dict[str, bytes], _manifest: object) -> None:
        lines = members[member].decode().split("\n")
        assert old in lines[0], lines[0]
        lines[0] = lines[0].replace(old, new, 1)
        members[member] = "\n".join(lines).encode()

    return mutate


def with_raw_manifest(source: Path, target: Path, change: Callable[[str], str], key: Any) -> Path:
    """``source`` with its manifest's text changed by ``change`` and signed again with ``key``
    (a signed manifest no JSON encoder would write: 1e999, NaN, deep brackets)."""
    with zipfile.ZipFile(source) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    text = change(members.pop(MANIFEST).decode("utf-8"))
    members.pop(SIGNATURE, None)
    manifest_bytes = text.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, key.sign(manifest_bytes))
        for name, data in members.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


# -- the JSON itself -------------------------------------------------------------------------

DEEP = "[" * 200_000 + "]" * 200_000
HOSTILE_JSON = [
    pytest.param("1e999", "數字「1e999」超出可表示的範圍", id="huge-float"),
    pytest.param(DEEP, f"巢狀超過 {MAX_DEPTH} 層", id="200000-brackets"),
    pytest.param("7" * 5000, "整數有 5,000 位數，超過上限 20 位", id="5000-digits"),
    pytest.param("NaN", "不允許的數值「NaN」", id="nan"),
]


@pytest.mark.parametrize(("value", "message"), HOSTILE_JSON)
def test_hostile_json_in_the_manifest_is_refused_naming_the_file_and_line(
    store: Store, county_store: Store, school_pack: Path, tmp_path: Path, value: str, message: str
) -> None:
    def change(text: str) -> str:
        # the first member's size, as the hostile test wrote it
        return re.sub(r'"size": \d+', f'"size": {value}', text, count=1)

    bad = with_raw_manifest(school_pack, tmp_path / "bad.zip", change, _resign(store))
    text = refused(county_store, bad, message)
    line = change(zipfile.ZipFile(bad).read(MANIFEST).decode()).split("\n")
    number = next(i for i, row in enumerate(line, start=1) if '"size": ' + value[:20] in row)
    assert text.startswith(f"「bad.zip」的清單（manifest.json）第 {number} 行"), text


@pytest.mark.parametrize(("value", "message"), HOSTILE_JSON)
def test_hostile_json_in_a_record_line_is_refused_naming_the_member_and_line(
    store: Store, county_store: Store, school_pack: Path, tmp_path: Path, value: str, message: str
) -> None:
    mutate = raw_first("records/contacts.jsonl", '"years":null', f'"years":{value}')
    bad = rebuild(school_pack, tmp_path / "bad.zip", mutate, key=_resign(store))
    text = refused(county_store, bad, message)
    assert text.startswith("「bad.zip」的成員「records/contacts.jsonl」第 1 筆"), text


def test_a_second_record_line_is_named_by_its_number(
    store: Store, county_store: Store, school_pack: Path, tmp_path: Path
) -> None:
    def mutate(members: dict[str, bytes], _manifest: object) -> None:
        lines = members["records/contacts.jsonl"].decode().split("\n")
        lines[1] = lines[1].replace('"years":null', '"years":1e999', 1)
        members["records/contacts.jsonl"] = "\n".join(lines).encode()

    bad = rebuild(school_pack, tmp_path / "bad.zip", mutate, key=_resign(store))
    refused(county_store, bad, "成員「records/contacts.jsonl」第 2 筆的數字「1e999」")


def test_a_duplicated_field_is_refused(
    store: Store, county_store: Store, school_pack: Path, tmp_path: Path
) -> None:
    mutate = raw_first("records/reward_entries.jsonl", '"points":2', '"points":2,"points":100000')
    bad = rebuild(school_pack, tmp_path / "bad.zip", mutate, key=_resign(store))
    refused(county_store, bad, "第 1 筆的欄位「points」重複出現")


# -- the manifest's fields -------------------------------------------------------------------


@pytest.mark.parametrize(
    "created_at",
    ["昨天下午", "2026-03-01T08:00:00", "1700000000", "0001-01-01T00:00:00+05:00", 20260301],
)
def test_a_content_pack_with_a_created_at_that_is_not_a_time_is_refused_before_the_backup(
    trusted_school: Store,
    county: Store,
    county_key: Ed25519PrivateKey,
    tmp_path: Path,
    created_at: object,
) -> None:
    """Content packs were not checked for it at all: the import failed after the backup."""
    pack = export_content(county, county_key, tmp_path / "content.zip")

    def change(_members: dict[str, bytes], manifest: dict[str, object]) -> None:
        manifest["created_at"] = created_at

    bad = rebuild(pack, tmp_path / "bad.zip", change, key=county_key)
    text = refused(trusted_school, bad, "建立時間（created_at）有誤")
    assert "「bad.zip」的清單（manifest.json）" in text
    # the honest pack still goes in
    service.import_pack(trusted_school, pack)


def test_a_data_pack_with_a_created_at_that_is_not_a_time_is_refused(
    store: Store, county_store: Store, school_pack: Path, tmp_path: Path
) -> None:
    def change(_members: dict[str, bytes], manifest: dict[str, object]) -> None:
        manifest["created_at"] = "昨天下午"

    bad = rebuild(school_pack, tmp_path / "bad.zip", change, key=_resign(store))
    refused(county_store, bad, "「昨天下午」不是含時區的 ISO 8601 時間")


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (10**30, "整數有 31 位數"),
        (2**63, f"內容版本 {2**63} 超出範圍（1 至 {MAX_CONTENT_VERSION:,}）"),
        (MAX_CONTENT_VERSION + 1, "內容版本 .* 超出範圍"),
        (0, "內容版本 0 超出範圍"),
        ("3", "內容版本「3」不是整數"),
        (True, "內容版本「True」不是整數"),
    ],
)
def test_a_content_version_out_of_range_is_refused_before_the_backup(
    trusted_school: Store,
    county: Store,
    county_key: Ed25519PrivateKey,
    tmp_path: Path,
    version: object,
    message: str,
) -> None:
    pack = export_content(county, county_key, tmp_path / "content.zip")

    def change(_members: dict[str, bytes], manifest: dict[str, object]) -> None:
        manifest["content_version"] = version

    bad = rebuild(pack, tmp_path / "bad.zip", change, key=county_key)
    refused(trusted_school, bad, message)


def test_the_largest_content_version_goes_in_and_a_larger_one_is_not_exported(
    trusted_school: Store, county: Store, county_key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    pack = export_content(county, county_key, tmp_path / "top.zip", version=MAX_CONTENT_VERSION)
    service.import_pack(trusted_school, pack)
    with pytest.raises(UserError, match=r"內容版本 .* 超出範圍"):
        export_content(county, county_key, tmp_path / "over.zip", version=MAX_CONTENT_VERSION + 1)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("size", 1.5, "大小「1.5」不是整數"),
        ("size", -1, "大小 -1 超出範圍"),
        ("size", 2**64, "超出範圍"),
        ("records", 2**64, "筆數 .* 超出範圍"),
    ],
)
def test_member_sizes_and_counts_must_be_whole_numbers_in_range(
    store: Store,
    county_store: Store,
    school_pack: Path,
    tmp_path: Path,
    field: str,
    value: object,
    message: str,
) -> None:
    def change(_members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["members"][0][field] = value

    bad = rebuild(school_pack, tmp_path / "bad.zip", change, key=_resign(store), fix_manifest=False)
    refused(county_store, bad, message)


# -- record values: a school's pack at the county --------------------------------------------

TOO_BIG = 10**19  # 20 digits: read as JSON, beyond SQLite's 64 bits
NOT_A_TIME = "不是含時區的 ISO 8601 時間"
BAD_RECORDS = {
    "years-1e19": ("contacts", "years", TOO_BIG, f"兼任人事年資 {TOO_BIG} 超出範圍（0 至 60）"),
    "years-61": ("contacts", "years", 61, "兼任人事年資 61 超出範圍"),
    "years-negative": ("contacts", "years", -1, "兼任人事年資 -1 超出範圍"),
    "updated-at-phrase": ("contacts", "updated_at", "昨天下午", f"「昨天下午」{NOT_A_TIME}"),
    "updated-at-seconds": ("contacts", "updated_at", "1700000000", NOT_A_TIME),
    "updated-at-9999": (
        "contacts", "updated_at", "9999-12-31T23:59:59-12:00", "須在 1900 到 2999 年之間"
    ),
    "consent-year-1": ("contacts", "consent_date", "0001-01-01", "日期 0001-01-01 不合理"),
    "consent-roc": ("contacts", "consent_date", "115/03/01", "不是 YYYY-MM-DD 格式的日期"),
    "points-1e19": ("reward_entries", "points", TOO_BIG, f"積點 {TOO_BIG} 不合理"),
    "points-9e18": ("reward_entries", "points", 9 * 10**18, f"積點 {9 * 10**18} 不合理"),
    "points-0": ("reward_entries", "points", 0, "積點 0 不合理"),
    "points-101": ("reward_entries", "points", 101, "一筆 1 至 100 點"),
    "points-minus-101": ("reward_entries", "points", -101, "積點 -101 不合理"),
    "rule-version-2-64": (
        "reward_entries", "rule_version", 2**64, f"積點規則版本 {2**64} 超出範圍"
    ),
    "created-at-phrase": ("reward_entries", "created_at", "昨天下午", f"「昨天下午」{NOT_A_TIME}"),
    "entry-before-2000": ("reward_entries", "date", "1999-12-31", "積點日期 1999-12-31 太早"),
    "count-2-64": ("unanswered", "count", 2**64, f"詢問次數 {2**64} 超出範圍"),
    "count-0": ("unanswered", "count", 0, "詢問次數 0 超出範圍"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [pytest.param(*case, id=name) for name, case in BAD_RECORDS.items()],
)
def test_a_record_value_out_of_range_is_refused_before_the_backup(
    store: Store,
    county_store: Store,
    school_pack: Path,
    tmp_path: Path,
    kind: str,
    field: str,
    value: object,
    message: str,
) -> None:
    mutate = edit_first(f"records/{kind}.jsonl", lambda r: r.update({field: value}))
    bad = rebuild(school_pack, tmp_path / "bad.zip", mutate, key=_resign(store))
    text = refused(county_store, bad, re.escape(message))
    assert f"「bad.zip」的成員「records/{kind}.jsonl」第 1 筆的欄位「{field}」有誤" in text


@pytest.mark.parametrize("kind", ["contacts", "reward_entries"])
def test_points_and_years_of_1e20_are_refused_by_the_json_reader(
    store: Store, county_store: Store, school_pack: Path, tmp_path: Path, kind: str
) -> None:
    field = "years" if kind == "contacts" else "points"
    mutate = edit_first(f"records/{kind}.jsonl", lambda r: r.update({field: 10**20}))
    bad = rebuild(school_pack, tmp_path / "bad.zip", mutate, key=_resign(store))
    refused(county_store, bad, f"成員「records/{kind}.jsonl」第 1 筆的整數有 21 位數")


def test_values_at_the_edges_of_the_ranges_go_in(
    store: Store, county_store: Store, school_pack: Path, tmp_path: Path
) -> None:
    def mutate(members: dict[str, bytes], manifest: object) -> None:
        edit_first("records/contacts.jsonl", lambda r: r.update(years=60))(members, manifest)
        edit_first("records/unanswered.jsonl", lambda r: r.update(count=1_000_000_000))(
            members, manifest
        )
        edit_first("records/contacts.jsonl", lambda r: r.update(updated_at="2026-03-01T08:00:00Z"))(
            members, manifest
        )

    good = rebuild(school_pack, tmp_path / "good.zip", mutate, key=_resign(store))
    plan = service.plan_import(county_store, good)
    service.apply_import(county_store, plan)
    with county_store.read() as session:
        assert 60 in session.scalars(select(Contact.years)).all()
        assert session.scalars(select(UnansweredQuestion.count)).all() == [1_000_000_000]


def test_an_adjustment_year_out_of_range_is_refused(
    store: Store, county_store: Store, school_pack: Path, tmp_path: Path
) -> None:
    """Checked before who may send adjustments: a range error is the pack's, whoever sent it."""

    def mutate(members: dict[str, bytes], _manifest: object) -> None:
        contact = json.loads(members["records/contacts.jsonl"].decode().split("\n")[0])
        adjustment = {
            "uuid": str(uuid.uuid4()),
            "year": TOO_BIG,
            "contact_uuid": contact["uuid"],
            "proposal": "嘉獎一次",
            "reason": "x",
            "adjusted_by": "x",
            "origin": contact["origin"],
            "created_at": "2026-03-01T08:00:00+00:00",
        }
        members["records/reward_adjustments.jsonl"] = (json.dumps(adjustment) + "\n").encode()

    bad = rebuild(school_pack, tmp_path / "bad.zip", mutate, key=_resign(store))
    refused(county_store, bad, f"欄位「year」有誤（年度 {TOO_BIG} 超出範圍（2000 至 2999）")


# -- the county's pack at a school: approved entries of 9 x 10^18 points ---------------------


def _county_pack(
    school: Store, county_key: Ed25519PrivateKey, target: Path, records: dict[str, Any]
) -> Path:
    here = school.site()
    return make_hostile.write_pack(
        target,
        "data",
        records,
        key=county_key,
        origin=make_hostile.COUNTY,
        recipient={"site_uuid": here.site_uuid, "name": here.name},
        created_at="2026-03-02T08:00:00+00:00",
    )


def test_the_countys_approved_entry_of_9e18_points_is_refused_at_the_school(
    trusted_school: Store, county_key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    """Before issue 19 it imported (the county's decisions are not checked against the rules),
    and then ``rewards summary`` failed for good on SQLite's integer overflow."""
    person = add_people(trusted_school, 1)[0]
    here = trusted_school.site().site_uuid

    def entry(points: int) -> dict[str, Any]:
        record = make_hostile.entry_record(str(uuid.uuid4()), person, points, "approved")
        return {**record, "origin": here}

    honest = _county_pack(trusted_school, county_key, tmp_path / "ok.zip", {})
    assert service.plan_import(trusted_school, honest).items == []
    both = {"reward_entries": [entry(9 * 10**18), entry(9 * 10**18)]}
    bad = _county_pack(trusted_school, county_key, tmp_path / "bad.zip", both)
    refused(trusted_school, bad, "成員「records/reward_entries.jsonl」第 1 筆的欄位「points」有誤")
    fine = _county_pack(trusted_school, county_key, tmp_path / "fine.zip", {
        "reward_entries": [entry(2)]
    })  # fmt: skip
    assert service.plan_import(trusted_school, fine).adds == 1


# -- checklist runs: template_data is read by the code that lists runs -----------------------

TEMPLATE = {
    "id": "hostile-test-list",
    "title": "測試檢核表",
    "purpose": "測試匯入的檢核表填寫紀錄。",
    "audience": ["兼任人事"],
    "sources": [{"name": "測試來源"}],
    "reviewed": "2026-01-05",
    "sections": [
        {
            "id": "main",
            "title": "主要項目",
            "items": [
                {"id": "done", "label": "已完成"},
                {"id": "on", "label": "日期", "type": "date"},
                {"id": "count", "label": "人數", "type": "number"},
            ],
        }
    ],
}


@pytest.fixture
def run_pack(store: Store, county_store: Store, tmp_path: Path) -> Path:
    """A school's pack with one checklist run (three answers) of a template both sites have."""
    template = ChecklistTemplate.model_validate(TEMPLATE)
    for site in (store, county_store):
        with site.write() as session:
            checklists.install_templates(session, [template], "pack")
    with store.write() as session:
        run = checklists.start_run(session, template.id, period="115 學年度")
        checklists.set_answer(session, run.id, "done", True)
        checklists.set_answer(session, run.id, "on", "2026-03-01")
        checklists.set_answer(session, run.id, "count", "12")
    target = tmp_path / "runs.zip"
    service.export_pack(store, "data", target)
    return target


def _answer(item: str, value: str) -> dict[str, str]:
    return {"item_id": item, "value": value, "note": "", "updated_at": "2026-03-01T08:00:00Z"}


def _set(**values: Any) -> Edit:
    return lambda record: record.update(values)


def _in_template(**values: Any) -> Edit:
    return lambda record: record["template_data"].update(values)


def _no_items(record: dict[str, Any]) -> None:
    record["template_data"]["sections"][0]["items"] = []


def _answer_again(record: dict[str, Any]) -> None:
    record["answers"].append(_answer("done", "1"))


def _answer_unknown(record: dict[str, Any]) -> None:
    record["answers"].append(_answer("nowhere", "1"))


NOT_STORED = "不是本程式存下的格式"
RUN_EDITS = {
    "bogus": (_set(template_data={"bogus": 1}), "template_data", "不是有效的檢核表內容"),
    "empty": (_set(template_data={}), "template_data", "缺少必填欄位"),
    "other-id": (
        _in_template(id="another-list"), "template_data",
        "與 template_id「hostile-test-list」不符",
    ),
    "no-items": (_no_items, "template_data", "不是有效的檢核表內容"),
    "unknown-item": (_answer_unknown, "answers", "檢核表沒有項目「nowhere」"),
    "twice": (_answer_again, "answers", "項目「done」的答案重複"),
    "date-phrase": (_set(answers=[_answer("on", "昨天")]), "answers", "項目「on」的答案有誤"),
    "count-inf": (_set(answers=[_answer("count", "1e999")]), "answers", NOT_STORED),
    "check-yes": (_set(answers=[_answer("done", "yes")]), "answers", NOT_STORED),
}  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "field", "message"),
    [pytest.param(*case, id=name) for name, case in RUN_EDITS.items()],
)
def test_a_checklist_run_that_could_not_be_listed_is_refused(
    store: Store,
    county_store: Store,
    run_pack: Path,
    tmp_path: Path,
    edit: Edit,
    field: str,
    message: str,
) -> None:
    mutate = edit_first("records/checklist_runs.jsonl", edit)
    bad = rebuild(run_pack, tmp_path / "bad.zip", mutate, key=_resign(store))
    text = refused(county_store, bad, re.escape(message))
    assert f"成員「records/checklist_runs.jsonl」第 1 筆的欄位「{field}」有誤" in text


def test_an_honest_checklist_run_goes_in_and_is_listed(
    store: Store, county_store: Store, run_pack: Path
) -> None:
    service.import_pack(county_store, run_pack)
    with county_store.read() as session:
        [run] = checklists.runs(session)
    assert run.answers == {"done": "1", "on": "2026-03-01", "count": "12"}


def test_the_hostile_json_corpus_files_are_signed_and_reach_their_check(
    county_store: Store, tmp_path: Path
) -> None:
    """The corpus files of issue 19 (make_hostile.py) carry a valid signature."""
    written = make_hostile.limit_packs(tmp_path, Ed25519PrivateKey.generate())
    data_packs = [p for p in written if not p.name.startswith("pack_content_")]
    assert data_packs
    for path in data_packs:
        with zipfile.ZipFile(path) as archive:
            manifest = archive.read(MANIFEST)
            signature = archive.read(SIGNATURE)
        make_hostile.SENDER_KEY.public_key().verify(signature, manifest)
        digest = hashlib.sha256(manifest).hexdigest()
        assert digest  # read back whole


# -- the county's content pack: the people of its peer groups --------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("updated_at", "0001-01-01T00:00:00+05:00", "須在 1900 到 2999 年之間"),
        ("updated_at", "昨天下午", "不是含時區的 ISO 8601 時間"),
        ("consent_date", "0001-01-01", "日期 0001-01-01 不合理"),
    ],
)
def test_a_peer_group_member_with_a_time_the_store_cannot_hold_is_refused(
    trusted_school: Store,
    county_key: Ed25519PrivateKey,
    tmp_path: Path,
    field: str,
    value: str,
    message: str,
) -> None:
    """Such a member passed the plan, then failed converting the time to UTC after the backup."""
    member = {"uuid": str(uuid.uuid4()), "name": "王小明", "school": "某校"}
    group = {"uuid": str(uuid.uuid4()), "name": "第一組", "members": [member]}
    member["updated_at"] = "2026-03-01T08:00:00+00:00"
    good = make_hostile.write_pack(
        tmp_path / "good.zip", "content", {"peer_groups": [group]}, key=county_key,
        content_version=8,
    )  # fmt: skip
    member[field] = value
    bad = make_hostile.write_pack(
        tmp_path / "bad.zip", "content", {"peer_groups": [group]}, key=county_key,
        content_version=9,
    )  # fmt: skip
    text = refused(trusted_school, bad, re.escape(message))
    assert "成員「records/peer_groups.jsonl」第 1 筆" in text
    service.import_pack(trusted_school, good)
