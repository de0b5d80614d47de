"""Who may change what, whatever a pack file says.

Data packs travel by e-mail and USB stick; anyone may edit one, recompute its checksums and
send it on. So the county's authority never rests on what a file claims: every data pack is
signed, the signer must be the site the pack names, and each record is checked against the
authority model below before anything is planned or written.

| record (member)      | owner             | the owner sets        | only the county sets          |
|----------------------|-------------------|-----------------------|-------------------------------|
| `contacts`           | the school that   | every field           | nothing                       |
|                      | created it        |                       |                               |
| `reward_entries`     | the school that   | the facts of a new    | the decision (status, reason, |
|                      | claimed it        | claim; never changed  | date, by whom); reversals     |
| `reward_adjustments` | the county        | —                     | every field                   |
| `unanswered`         | the school that   | every field           | the answer (entry, time)      |
|                      | asked             |                       |                               |
| `checklist_runs`     | the school that   | every field           | nothing                       |
|                      | filled it in      |                       |                               |
| content packs        | the county        | —                     | FAQ, guides, checklists, rule |
|                      |                   |                       | sets, announcements, groups   |

The facts of a claim: person, date, kind, points, rule version, reason, evidence. Content packs
are signed with the county's key and checked in ``schoolhr.sync.service`` (signature, version).

How a data pack is checked (``check_sender``, then ``authorize``):

- **Signer.** A school's pack is signed with that school's own site key, whose public key it
  carries; the county binds the key to the school the first time (``sync_known_signer``) and
  refuses a pack whose key speaks for another site, or a school that comes with another key.
  A county's pack (its decisions) is signed with a trusted county key; a school refuses one
  unsigned, signed with an unknown or revoked key, or naming a site other than its key's.
- **Direction.** A county imports school packs only; a school imports county packs only, and
  only those addressed to it.
- **Replay.** A pack already imported, or older than the last one imported from the same
  site, is refused.
- **Records.** In a school's pack: records not created by that school are never written (an
  unchanged copy is passed over; one that would change this site's data is refused); its
  claims must be plain claims with a kind and points the named rule version allows, about its
  own people, and the facts of a claim already here may not change; adjustments are refused.
  In the county's pack: its decisions, adjustments and answers apply; a school's own records
  (its people, its checklist runs, its questions but for the answer) are passed over, never
  overwritten; a claim whose facts differ from the school's, and records of other schools,
  are refused.

A refusal names the member, the record and why, in zh-TW; nothing is written.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolhr.rewards.schema import MAX_POINTS, RuleSet
from schoolhr.site import SiteRole
from schoolhr.sync import data, signing
from schoolhr.sync.format import Manifest, PackError
from schoolhr.sync.models import Exchange, KnownSigner
from schoolhr.text import roc_datetime

ENTRY_FACTS = (
    "contact_uuid",
    "date",
    "kind",
    "points",
    "rule_version",
    "reason",
    "evidence",
    "reverses",
    "origin",
    "created_at",
)
DECISION_FIELDS = ("status", "decision_reason", "decision_date", "decided_by")
UNDECIDED = {"status": "claimed", "decision_reason": "", "decision_date": None, "decided_by": ""}
SCHOOL_OWNED_TYPES = ("contacts", "checklist_runs")
UNANSWERED_COUNTY_FIELDS = ("answered_entry_id", "answered_at", "updated_at")


@dataclass(frozen=True)
class Sender:
    """The site a pack comes from, as established by its signature."""

    site_uuid: str
    name: str
    role: str
    fingerprint: str
    public_key: str  # base64 raw, for the binding
    signer_name: str  # the trusted key's name (county packs)

    @property
    def label(self) -> str:
        return self.name or self.site_uuid


def _local(value: datetime) -> str:
    """A time for the message, as 民國 local time (the store keeps naive UTC)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return roc_datetime(aware.astimezone())


def _refuse(file_name: str, why: str) -> PackError:
    return PackError(f"「{file_name}」{why}，已拒絕匯入，資料未變更。")


def check_sender(
    session: Session,
    manifest: Manifest,
    manifest_bytes: bytes,
    signature: bytes | None,
    file_name: str,
    here_uuid: str,
    here_role: str,
) -> Sender:
    """Who sent this data pack, proven by its signature; refused when the signer, the
    direction or the freshness does not hold. Reads only."""
    origin = manifest.origin
    site_uuid, name, role = origin.get("site_uuid", ""), origin.get("name", ""), origin.get("role")
    if not site_uuid:
        raise _refuse(file_name, "的清單沒有寄件單位")
    if site_uuid == here_uuid:
        raise _refuse(file_name, "自稱由本單位寄出；不能匯入自己（或冒用本單位名義）的資料包")
    if signature is None or not manifest.signer:
        raise _refuse(file_name, "沒有簽章，無法確認寄件單位（可能被更動過，或由舊版程式匯出）")
    if here_role == SiteRole.COUNTY.value:
        if role != SiteRole.SCHOOL.value:
            raise _refuse(
                file_name,
                f"自稱來自縣市人事處「{name}」；縣市人事處只匯入學校的資料包",
            )
        sender = _school_signer(session, manifest, manifest_bytes, signature, file_name)
    else:
        if role != SiteRole.COUNTY.value:
            raise _refuse(
                file_name,
                f"自稱來自學校「{name}」；學校只匯入縣市人事處寄來的資料包",
            )
        signer_name = signing.verify(session, manifest.signer, manifest_bytes, signature, file_name)
        key = signing.trusted_keys(session)[manifest.signer][1]
        sender = Sender(
            site_uuid, name, SiteRole.COUNTY.value, manifest.signer,
            signing.public_text(key), signer_name,
        )  # fmt: skip
    bound = session.get(KnownSigner, sender.fingerprint)
    if bound is not None and bound.site_uuid != site_uuid:
        raise _refuse(
            file_name,
            f"的簽章金鑰屬於「{bound.site_name or bound.site_uuid}」，卻自稱來自「{name}」"
            "（冒用其他單位的名義）",
        )
    if sender.role == SiteRole.SCHOOL.value:
        other = session.execute(
            select(KnownSigner).where(
                KnownSigner.site_uuid == site_uuid, KnownSigner.fingerprint != sender.fingerprint
            )
        ).scalar()
        if other is not None:
            raise _refuse(
                file_name,
                f"來自「{name}」，但簽章金鑰與該校先前使用的不同（可能是偽造的檔案）。"
                "若該校確實換了電腦，請在「交換檔」的金鑰清單對舊金鑰按「停止信任」後再匯入",
            )
    _check_fresh(session, manifest, sender, file_name)
    return sender


def _school_signer(
    session: Session,
    manifest: Manifest,
    manifest_bytes: bytes,
    signature: bytes,
    file_name: str,
) -> Sender:
    from cryptography.exceptions import InvalidSignature

    key = signing.public_from_text(manifest.signer_key)
    if key is None or signing.fingerprint(key) != manifest.signer:
        raise _refuse(file_name, "的簽章金鑰與清單不符")
    if signing.is_revoked(session, manifest.signer):
        raise _refuse(
            file_name,
            f"的簽章金鑰（指紋 {signing.fingerprint_text(manifest.signer)}）已停止信任",
        )
    if manifest.signer in signing.trusted_keys(session):
        raise _refuse(file_name, "以縣市人事處的金鑰簽署，卻自稱是學校的資料包")
    try:
        key.verify(signature, manifest_bytes)
    except InvalidSignature as exc:
        raise _refuse(file_name, "的簽章驗證失敗：檔案在匯出後被更動過") from exc
    origin = manifest.origin
    return Sender(
        origin.get("site_uuid", ""),
        origin.get("name", ""),
        SiteRole.SCHOOL.value,
        manifest.signer,
        manifest.signer_key,
        "",
    )


def _check_fresh(session: Session, manifest: Manifest, sender: Sender, file_name: str) -> None:
    """A pack already imported, or older than the newest one imported from its site, is a
    replay: it would undo what happened since."""
    seen = session.execute(
        select(Exchange.at).where(
            Exchange.direction == "import", Exchange.pack_id == manifest.pack_id
        )
    ).first()
    if seen is not None:
        raise _refuse(file_name, f"已於 {_local(seen[0])} 匯入過；同一個交換檔不再匯入")
    last = session.execute(
        select(func.max(Exchange.pack_created_at)).where(
            Exchange.direction == "import", Exchange.site_uuid == sender.site_uuid
        )
    ).scalar()
    try:
        created = datetime.fromisoformat(manifest.created_at)
    except ValueError as exc:
        raise _refuse(file_name, "的建立時間無法解讀") from exc
    if created.tzinfo is None:
        raise _refuse(file_name, "的建立時間沒有時區")
    if last is not None and created <= last.replace(tzinfo=UTC):
        raise _refuse(
            file_name,
            f"建立於 {_local(created)}，比上次匯入的「{sender.label}」資料包"
            f"（{_local(last)}）還舊；舊檔重送會蓋掉之後的變更",
        )


def bind(session: Session, sender: Sender) -> None:
    """Remember which site the sender's key speaks for (on the first import from it)."""
    if session.get(KnownSigner, sender.fingerprint) is None:
        session.add(
            KnownSigner(
                fingerprint=sender.fingerprint,
                site_uuid=sender.site_uuid,
                site_name=sender.name[:200],
                role=sender.role,
                public_key=sender.public_key,
            )
        )


# -- records ---------------------------------------------------------------------------------


def authorize(
    session: Session,
    records: dict[str, list[dict[str, Any]]],
    sender: Sender,
    here_uuid: str,
    local: dict[str, list[dict[str, Any]]],
    incoming_contacts: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The records of the pack that may be merged; unchanged copies of records the sender
    does not own are left out. Anything against the authority model is refused, naming it.
    ``incoming_contacts``: the people of the whole pack (uuid, origin) when ``records`` is a
    batch of it."""
    mine = {kind: {r["uuid"]: r for r in rows} for kind, rows in local.items()}
    check = _SchoolPack if sender.role == SiteRole.SCHOOL.value else _CountyPack
    return check(session, records, sender, here_uuid, mine, incoming_contacts).run()


class Where:
    """The record a refusal names (member, line, the record in words), worked out only when
    a refusal says it."""

    __slots__ = ("kind", "number", "record")

    def __init__(self, kind: str, number: int, record: dict[str, Any]) -> None:
        self.kind, self.number, self.record = kind, number, record

    def __str__(self) -> str:
        name = data.label(self.kind, self.record)
        return f"成員「records/{self.kind}.jsonl」第 {self.number} 筆（{name}）"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class _Pack(ABC):
    def __init__(
        self,
        session: Session,
        records: dict[str, list[dict[str, Any]]],
        sender: Sender,
        here_uuid: str,
        mine: dict[str, dict[str, dict[str, Any]]],
        incoming_contacts: Mapping[str, dict[str, Any]] | None = None,
    ) -> None:
        self.session = session
        self.records = records
        self.sender = sender
        self.here = here_uuid
        self.mine = mine
        self.incoming_contacts = (
            {c["uuid"]: c for c in records.get("contacts", [])}
            if incoming_contacts is None
            else incoming_contacts
        )
        self.rules: dict[int, RuleSet | None] = {}

    def run(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for kind, rows in self.records.items():
            kept = out.setdefault(kind, [])
            for number, record in enumerate(rows, start=1):
                current = self.mine.get(kind, {}).get(record["uuid"])
                where = Where(kind, number, record)
                if self.admit(kind, record, current, where):
                    kept.append(record)
        return out

    @abstractmethod
    def admit(
        self, kind: str, record: dict[str, Any], current: dict[str, Any] | None, where: Where
    ) -> bool:
        """Whether ``record`` goes on to the merge (False: an unchanged copy, passed over);
        raises ``PackError`` naming it when the sender has no authority over it."""

    def refuse(self, where: Where, why: str) -> PackError:
        return PackError(f"{where}{why}，已拒絕匯入，資料未變更。")

    def owner_of(self, kind: str, record: dict[str, Any]) -> str:
        """Who created the record: as this site has it, else as the pack says."""
        current = self.mine.get(kind, {}).get(record["uuid"])
        return str((current or record)["origin"])

    def contact_owner(self, contact_uuid: str) -> str | None:
        current = self.mine.get("contacts", {}).get(contact_uuid)
        if current is not None:
            return str(current["origin"])
        incoming = self.incoming_contacts.get(contact_uuid)
        return str(incoming["origin"]) if incoming is not None else None

    def would_change(self, kind: str, record: dict[str, Any], current: dict[str, Any]) -> bool:
        change = data.merge_one(kind, current, record)
        return change is not None and change.applies


class _SchoolPack(_Pack):
    """A school's pack at the county."""

    def admit(
        self, kind: str, record: dict[str, Any], current: dict[str, Any] | None, where: Where
    ) -> bool:
        school = self.sender.site_uuid
        if kind == "reward_adjustments":
            if current is not None and data.canonical(current) == data.canonical(record):
                return False  # the county's own adjustment, sent back unchanged
            raise self.refuse(where, "是敘獎調整；只有縣市人事處可以設定敘獎調整")
        if kind == "unanswered" and current is None:
            same = [
                q
                for q in self.mine.get(kind, {}).values()
                if q["normalized_query"] == record["normalized_query"]
            ]
            if same and same[0]["origin"] != school:
                return False  # another site's question with the same words: left as it is
        owned = record["origin"] == school and (current is None or current["origin"] == school)
        if not owned:
            if current is not None and not self.would_change(kind, record, current):
                return False  # a copy of what the county sent it
            owner = self.owner_of(kind, record)
            raise self.refuse(
                where,
                f"不是「{self.sender.label}」建立的紀錄（建立者 {owner}）；"
                "學校的資料包只能新增或更新自己建立的紀錄",
            )
        if kind == "reward_entries":
            self.check_claim(record, current, where)
        return True

    def check_claim(
        self, record: dict[str, Any], current: dict[str, Any] | None, where: Where
    ) -> None:
        if self.contact_owner(record["contact_uuid"]) != self.sender.site_uuid:
            raise self.refuse(where, "申報的人員不是該校的聯絡人")
        if current is not None:
            changed = [f for f in ENTRY_FACTS if current[f] != record[f]]
            if changed:
                raise self.refuse(
                    where, f"改動了已申報積點的內容（{'、'.join(changed)}）；積點紀錄登錄後不可更改"
                )
            if record["status"] != "claimed" and any(
                current[f] != record[f] for f in DECISION_FIELDS
            ):
                raise self.refuse(where, "自行核定或退回積點；只有縣市人事處可以核定")
            return
        if any(record[f] != value for f, value in UNDECIDED.items()):
            raise self.refuse(where, "是已核定或已退回的積點；學校只能申報，核定由縣市人事處決定")
        if record["reverses"] is not None:
            raise self.refuse(where, "是沖銷紀錄；只有縣市人事處可以沖銷積點")
        check_points(self.session, record, where, self.rules)


class _CountyPack(_Pack):
    """The county's pack (its decisions) at a school."""

    def admit(
        self, kind: str, record: dict[str, Any], current: dict[str, Any] | None, where: Where
    ) -> bool:
        county = self.sender.site_uuid
        if kind in ("reward_entries", "reward_adjustments"):
            if self.contact_owner(record["contact_uuid"]) != self.here:
                raise self.refuse(where, "是關於其他學校人員的紀錄，不是給本校的")
            if kind == "reward_entries" and current is not None:
                changed = [f for f in ENTRY_FACTS if current[f] != record[f]]
                if changed:
                    raise self.refuse(
                        where, f"改動了本校申報積點的內容（{'、'.join(changed)}）；積點紀錄不可更改"
                    )
            if kind == "reward_entries" and record["origin"] not in (self.here, county):
                raise self.refuse(where, "是其他單位建立的積點紀錄")
            return True
        owner = self.owner_of(kind, record)
        if owner != self.here:
            raise self.refuse(where, "不是本校建立的紀錄；縣市人事處的資料包只會帶回本校自己的紀錄")
        if current is None:
            return True  # this school's own record, returned (for example after a restore)
        if kind == "unanswered":
            answer = self.county_answer(record, current)
            if answer is not None:
                self.answers[record["uuid"]] = answer
                return True
        # This school's own facts are its own: the county's copy (an edit there, a conflict it
        # settled, a question it counted again) is passed over, never written here.
        return False

    def county_answer(
        self, record: dict[str, Any], current: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The school's own question with the county's answer on it, when the county answered
        (or changed its answer); None when there is nothing new from the county."""
        if all(record[f] == current[f] for f in UNANSWERED_COUNTY_FIELDS if f != "updated_at"):
            return None
        merged = dict(current)
        for name in UNANSWERED_COUNTY_FIELDS:
            merged[name] = record[name]
        # newer than the school's own row, so that the answer is what the merge keeps
        stamp = max(
            datetime.fromisoformat(record["updated_at"]),
            datetime.fromisoformat(current["updated_at"]) + timedelta(microseconds=1),
        )
        merged["updated_at"] = stamp.isoformat()
        return merged

    def run(self) -> dict[str, list[dict[str, Any]]]:
        self.answers: dict[str, dict[str, Any]] = {}
        out = super().run()
        if self.answers:
            out["unanswered"] = [self.answers.get(r["uuid"], r) for r in out.get("unanswered", [])]
        return out


def check_points(
    session: Session,
    record: dict[str, Any],
    where: str | Where,
    known: dict[int, RuleSet | None] | None = None,
) -> None:
    """A claim's kind and points must be allowed by the rule version it names (``known``: the
    rule sets read so far, by version)."""
    from schoolhr.rewards.service import installed_rule_set

    version = int(record["rule_version"])
    known = {} if known is None else known
    if version not in known:
        known[version] = installed_rule_set(session, version)
    rules = known[version]
    if rules is None:
        raise PackError(
            f"{where}依據的積點規則第 {record['rule_version']} 版本機沒有，已拒絕匯入，資料未變更。"
        )
    kind = rules.kind(record["kind"])
    if kind is None:
        raise PackError(
            f"{where}的積點類別「{record['kind']}」不在規則第 {rules.version} 版中，"
            "已拒絕匯入，資料未變更。"
        )
    limit = min(MAX_POINTS, kind.cap_per_year or MAX_POINTS)
    points = record["points"]
    if isinstance(points, bool) or not isinstance(points, int) or not 0 < points <= limit:
        raise PackError(
            f"{where}的積點 {points} 點不合規則第 {rules.version} 版"
            f"（「{kind.label}」一筆 1 至 {limit} 點），已拒絕匯入，資料未變更。"
        )
