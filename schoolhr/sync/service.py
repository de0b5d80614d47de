"""Exporting and importing packs: the API the command line and the sync page use.

Import is two steps. ``plan_import`` opens the pack, checks its limits and paths, verifies its
signature before reading any member (a content pack's against the trusted county keys, with
its version; a data pack's sender, direction and freshness in ``authority.check_sender``),
validates every record, holds it against the authority model (``authority.authorize``: who
may change what, whatever the file says) and works out what would change; it only reads the
database. ``apply_import`` then makes a
backup (``pre-import``) and applies the plan in one transaction, with the history line and any
conflicts. A rejected pack raises a ``UserError`` naming the member and record; the database is
untouched.

A data pack is planned against the local records it names, never the whole database, and in
bounded memory: its records are read a line at a time and kept compact once validated
(``data.PackRecords``), then planned, checked again and applied a batch at a time inside the
pack's one transaction. ``import_folder`` (the county's inbox) takes one backup for the whole
folder, reports each school and stops between schools when the clerk cancels.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolhr.contacts.peer_groups import pack as shared_groups
from schoolhr.content import install as content_install
from schoolhr.content import pack as content
from schoolhr.errors import Cancelled, ExitCode, UserError
from schoolhr.faq.models import ContentRelease
from schoolhr.files import atomic_path
from schoolhr.progress import Progress, report
from schoolhr.site import SiteRole
from schoolhr.store import migrate, roles
from schoolhr.store.base import add_unless_present, utcnow
from schoolhr.store.database import Store
from schoolhr.store.models import Site, record_operation
from schoolhr.store.roles import require_county
from schoolhr.sync import authority, data, readable, signing
from schoolhr.sync.format import (
    MAX_CONTENT_VERSION,
    PackError,
    PackReader,
    PackWriter,
    encode_manifest,
)
from schoolhr.sync.models import Announcement, Conflict, Exchange, KnownSigner
from schoolhr.text import roc_datetime

ACTION_LABELS = {
    "add": "新增",
    "update": "更新",
    "conflict": "衝突（採用對方較新的版本）",
    "keep": "衝突（保留本機較新的版本）",
    "remove": "移除",
}
PICTURES = Path("content") / "guides"  # below the data folder


@dataclass(frozen=True, slots=True)
class PlanItem:
    record_type: str
    type_label: str
    key: str
    label: str
    action: str  # add / update / conflict / keep / remove
    local: dict[str, Any] | None = None
    incoming: Mapping[str, Any] | None = None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class ImportPlan:
    """What importing a pack would do: read it, then ``apply_import`` it."""

    path: Path
    kind: str
    pack_id: str
    site_uuid: str
    site_name: str
    created_at: str
    content_version: int | None
    signer: str
    signer_name: str
    items: list[PlanItem]
    _payload: Any = field(repr=False, default=None)
    _reader: PackReader | None = field(repr=False, default=None)
    _sender: authority.Sender | None = field(repr=False, default=None)
    _records: data.PackRecords | None = field(repr=False, default=None)
    _mark: tuple[object, ...] | None = field(repr=False, default=None)  # data.data_mark

    @property
    def adds(self) -> int:
        return sum(1 for i in self.items if i.action == "add")

    @property
    def updates(self) -> int:
        return sum(1 for i in self.items if i.action == "update")

    @property
    def conflicts(self) -> int:
        return sum(1 for i in self.items if i.action in ("conflict", "keep"))

    @property
    def removes(self) -> int:
        return sum(1 for i in self.items if i.action == "remove")

    def summary(self) -> str:
        text = f"將新增 {self.adds} 筆、更新 {self.updates} 筆、衝突 {self.conflicts} 筆"
        if self.removes:
            text += f"、移除 {self.removes} 筆"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "kind": self.kind,
            "pack_id": self.pack_id,
            "site": {"uuid": self.site_uuid, "name": self.site_name},
            "created_at": self.created_at,
            "content_version": self.content_version,
            "signer": self.signer_name,
            "summary": self.summary(),
            "adds": self.adds,
            "updates": self.updates,
            "conflicts": self.conflicts,
            "removes": self.removes,
            "items": [
                {
                    "type": i.record_type,
                    "key": i.key,
                    "label": i.label,
                    "action": i.action,
                    "local": i.local,
                    "incoming": None if i.incoming is None else dict(i.incoming),
                }
                for i in self.items
            ],
        }


@dataclass(frozen=True)
class ImportResult:
    summary: str
    backup: Path
    exchange_id: int

    def as_dict(self) -> dict[str, object]:
        """What ``schoolhr pack import --json`` prints as ``applied``."""
        return {"summary": self.summary, "backup": str(self.backup)}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    pack_id: str
    kind: str
    counts: dict[str, int]
    content_version: int | None

    def summary(self) -> str:
        total = sum(self.counts.values())
        kind = "內容包" if self.kind == "content" else "資料包"
        version = f"第 {self.content_version} 版" if self.content_version is not None else ""
        return f"已匯出{kind}{version}「{self.path.name}」，共 {total} 筆。"


@dataclass(frozen=True)
class ExchangeView:
    id: int
    at: datetime
    direction: str
    kind: str
    site_uuid: str
    site_name: str
    file_name: str
    content_version: int | None
    summary: str


@dataclass(frozen=True)
class ConflictView:
    id: int
    record_type: str
    type_label: str
    label: str
    local: dict[str, Any]
    incoming: dict[str, Any]
    kept: str  # "local" or "incoming": the version now in force
    site_name: str
    created_at: datetime
    resolved: bool
    fields: tuple[readable.FieldRow, ...] = ()  # both versions, labelled, side by side

    @property
    def received(self) -> str:
        """When the pack that brought it was imported, 民國 local time."""
        return roc_datetime(self.created_at.astimezone())

    @property
    def kept_label(self) -> str:
        return "本機" if self.kept == "local" else "匯入"

    @property
    def differing(self) -> list[readable.FieldRow]:
        return [row for row in self.fields if row.differs]


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def _site_origin(store: Store) -> dict[str, str]:
    site = store.site()
    return {"site_uuid": site.site_uuid, "name": site.name, "role": site.role}


# -- export ----------------------------------------------------------------------------------


def next_content_version(store: Store) -> int:
    with store.read() as session:
        last = session.execute(
            select(func.max(Exchange.content_version)).where(Exchange.direction == "export")
        ).scalar()
    return (last or 0) + 1


def export_pack(
    store: Store,
    kind: str,
    target: Path,
    *,
    private_key: Ed25519PrivateKey | None = None,
    content_version: int | None = None,
    title: str = "",
    content_dir: Path | None = None,
    for_school: str | None = None,
) -> ExportResult:
    """Write a content pack (signed with ``private_key``) or a data pack to ``target``. Guide
    pictures are looked up in the data folder, then in ``content_dir`` (the bundled content).

    A county's data pack goes to one school (``for_school``: its site UUID or name, as in
    :func:`senders`) and carries only that school's records, with the county's decisions."""
    if kind not in ("content", "data"):
        raise UserError("交換檔種類只能是 content（內容包）或 data（資料包）。")
    if kind == "content":
        with store.read() as session:
            require_county(session, "發布內容包（常見問答、指引、檢核表、積點規則與最新消息）")
    county = store.site().role == SiteRole.COUNTY.value
    recipient: dict[str, str] = {}
    if kind == "data" and county:
        # A county holds every school's personal data: a pack back carries one school's only.
        if not for_school:
            raise UserError(
                "縣市人事處匯出資料包時要指定學校（每個學校只會收到自己的資料，"
                "不會帶出其他學校的個人資料）。"
            )
        school = find_school(store, for_school)
        recipient = {"site_uuid": school.site_uuid, "name": school.site_name}
        title = title or f"給{school.site_name or school.site_uuid}的資料包"
    elif for_school:
        raise UserError("只有縣市人事處匯出資料包時可以指定學校。")
    if kind == "content" and private_key is None:
        raise UserError("匯出內容包需要縣市人事處的私鑰（先以 schoolhr pack keygen 產生）。")
    if kind == "data" and county and private_key is None:
        raise UserError(
            "縣市人事處的資料包帶有核定結果，需要以縣市人事處的私鑰簽章"
            "（與內容包相同的私鑰，先以 schoolhr pack keygen 產生）。"
        )
    signer_key = ""
    if kind == "data" and not county:
        # a school signs with its own site key; the county binds it to the school
        private_key = signing.site_key(store.paths)
        signer_key = signing.public_text(private_key.public_key())
    if kind == "content" and content_version is None:
        content_version = next_content_version(store)
    if kind == "content" and not 1 <= int(content_version or 0) <= MAX_CONTENT_VERSION:
        raise UserError(
            f"內容版本 {content_version} 超出範圍（1 至 {MAX_CONTENT_VERSION:,}）；"
            "學校會拒絕匯入這樣的內容包。"
        )
    writer = PackWriter(
        kind=kind,
        origin=_site_origin(store),
        created_at=_now_iso(),
        schema_version=migrate.head_revision(),
        pack_id=str(uuid.uuid4()),
        content_version=content_version if kind == "content" else None,
        title=title,
        recipient=recipient,
    )
    with store.read() as session:
        if kind == "data":
            # the county: one school's records; a school: only what it created itself (not the
            # peer-group members a content pack brought, nor anything of the county's)
            own = recipient.get("site_uuid") if county else roles.this_site(session).site_uuid
            records = data.export_records(session, own)
            pictures: dict[str, bytes] = {}
        else:
            records, pictures = content.export_records(
                session, content_dir or content_install.bundled_content_dir(), store.paths.root
            )
    for record_type, rows in records.items():
        writer.add_records(record_type, rows)
    for name, blob in sorted(pictures.items()):
        writer.add_file(name, blob)
    signer = signing.fingerprint(private_key.public_key()) if private_key else ""
    manifest = writer.manifest(signer, signer_key)
    manifest_bytes = encode_manifest(manifest)
    signature = signing.sign(private_key, manifest_bytes) if private_key else None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        writer.write(target, manifest_bytes, signature)
    except OSError as exc:
        raise UserError(f"無法寫入「{target}」（{exc.strerror or exc}）。") from exc
    counts = {k: len(v) for k, v in records.items()}
    result = ExportResult(target, manifest.pack_id, kind, counts, manifest.content_version)
    with store.write() as session:
        session.add(
            Exchange(
                direction="export",
                kind=kind,
                pack_id=manifest.pack_id,
                site_uuid=manifest.origin["site_uuid"],
                site_name=manifest.origin["name"],
                pack_created_at=datetime.fromisoformat(manifest.created_at),
                content_version=manifest.content_version,
                signer=signer,
                file_name=target.name,
                summary=result.summary(),
                counts=counts,
            )
        )
        record_operation(session, "pack-export", f"{result.summary()}（{roles.actor(session)}）")
        if kind == "content":
            shared_groups.record_pack_export(
                session, records.get("peer_groups", []), target, manifest.origin["name"]
            )
    return result


# -- import ----------------------------------------------------------------------------------


def _release_source(signer: str) -> str:
    return f"pack:{signer[:40]}"


def _baseline(session: Session, site_uuid: str) -> data.Baseline:
    local_at, sender_at = session.execute(
        select(func.max(Exchange.at), func.max(Exchange.pack_created_at)).where(
            Exchange.direction == "import", Exchange.site_uuid == site_uuid
        )
    ).one()

    def iso(value: datetime | None) -> str | None:
        return value.replace(tzinfo=UTC).isoformat() if value is not None else None

    return data.Baseline(iso(local_at), iso(sender_at))


def _record_type(member: str) -> str:
    return member.removeprefix("records/").removesuffix(".jsonl")


# besides the records: what the sender check reads (earlier imports, bound keys, the site)
_ALSO_MARKED = (Exchange, KnownSigner, Site)


def plan_import(store: Store, path: Path) -> ImportPlan:
    """Open, verify and validate the pack at ``path`` and work out what importing it would
    change (the dry run). Reads only."""
    reader = PackReader(path)
    manifest = reader.manifest
    origin = manifest.origin
    signer_name = ""
    with store.read() as session:
        if manifest.kind == "content":
            # The signature is checked before any member is read.
            signer_name = signing.verify(
                session, manifest.signer, reader.manifest_bytes, reader.signature, path.name
            )
            if manifest.content_version is None:
                raise PackError(f"「{path.name}」的清單沒有內容版本，已拒絕匯入，資料未變更。")
            release = session.get(ContentRelease, _release_source(manifest.signer))
            if release is not None and manifest.content_version <= int(release.version):
                raise PackError(
                    f"「{path.name}」是第 {manifest.content_version} 版，本機已安裝第 "
                    f"{release.version} 版；不能以相同或較舊的版本覆蓋，已拒絕匯入，資料未變更。"
                )
            payload: Any = _read_content(reader)
            content.check_pictures(payload, content_install.bundled_content_dir(), store.paths.root)
            items = [
                PlanItem(
                    c.record_type, content.TYPE_LABELS[c.record_type], c.key, c.label, c.action
                )
                for c in content.plan(session, payload)
            ]
        else:
            here = roles.this_site(session)
            mark = data.data_mark(session, *_ALSO_MARKED)  # this read's snapshot
            # who sent it, proven by the signature, before any member is read
            sender = authority.check_sender(
                session,
                manifest,
                reader.manifest_bytes,
                reader.signature,
                path.name,
                here.site_uuid,
                here.role,
            )
            signer_name = sender.signer_name or sender.label
            _check_recipient(session, manifest.recipient, path.name, sender)
            # every record is read and validated (a line at a time, kept compact) before
            # any is planned; then planned a batch at a time against the records it names
            records = data.PackRecords()
            for member in manifest.members:
                if not member.name.startswith("records/"):
                    raise PackError(
                        f"資料包不應含有成員「{member.name}」，已拒絕匯入，資料未變更。"
                    )
                record_type = _record_type(member.name)
                records.extend(
                    record_type,
                    data.validated(
                        record_type, member.name, reader.iter_records(member.name), path.name
                    ),
                )
            records.done()
            baseline = _baseline(session, origin.get("site_uuid", ""))
            items = []
            for start, batch, changes in _batch_changes(
                session, records, sender, here.site_uuid, baseline
            ):
                index = {r["uuid"]: start + number for number, r in enumerate(batch)}
                items += [
                    _plan_item(c, records.view(c.record_type, index[c.key]))
                    if c.action == "add"
                    else _plan_item(c)
                    for c in changes
                ]
            items.sort(key=lambda i: (i.record_type, i.label))
            payload = None
    return ImportPlan(
        path=path,
        kind=manifest.kind,
        pack_id=manifest.pack_id,
        site_uuid=origin.get("site_uuid", ""),
        site_name=origin.get("name", ""),
        created_at=manifest.created_at,
        content_version=manifest.content_version,
        signer=manifest.signer,
        signer_name=signer_name,
        items=items,
        _payload=payload,
        _reader=reader,
        _sender=sender if manifest.kind == "data" else None,
        _records=records if manifest.kind == "data" else None,
        _mark=mark if manifest.kind == "data" else None,
    )


def _plan_item(change: data.Change, added: data.RecordView | None = None) -> PlanItem:
    """A change as the preview shows it, with both versions; an addition's record is read in
    place from the pack's (``added``), not kept twice."""
    return PlanItem(
        change.record_type,
        data.TYPE_LABELS[change.record_type],
        change.key,
        change.label,
        change.action,
        change.local,
        change.incoming if added is None else added,
    )


def _batch_changes(
    session: Session,
    records: data.PackRecords,
    sender: authority.Sender,
    here_uuid: str,
    baseline: data.Baseline,
    labels: bool = True,
) -> Iterator[tuple[int, list[dict[str, Any]], list[data.Change]]]:
    """The changes of a data pack, a batch of records at a time, each batch held against the
    local records it names (the authority model first, then the merge)."""
    for record_type, start, batch in records.batches():
        mine = {record_type: batch}
        local = data.local_records(session, mine)
        payload = authority.authorize(session, mine, sender, here_uuid, local, records.contacts)
        yield start, batch, data.plan(session, payload, baseline, local, records.contacts, labels)


def _check_recipient(
    session: Session, recipient: dict[str, str], file_name: str, sender: authority.Sender
) -> None:
    """A county's data pack for one school is refused anywhere else."""
    if not recipient:
        if sender.role == SiteRole.COUNTY.value:
            raise PackError(
                f"「{file_name}」沒有指定收件學校；縣市人事處寄給學校的資料包一定寫明收件學校，"
                "已拒絕匯入，資料未變更。"
            )
        return
    here = session.execute(select(Site.site_uuid).where(Site.id == 1)).scalar()
    if recipient.get("site_uuid") != here:
        school = recipient.get("name") or recipient.get("site_uuid")
        raise PackError(
            f"「{file_name}」是縣市人事處給「{school}」的資料包，不是給本單位的，已拒絕匯入，資料未變更。"
        )


def _read_content(reader: PackReader) -> content.ContentRecords:
    records = content.ContentRecords()
    for member in reader.manifest.members:
        if member.name.startswith("pictures/"):
            records.pictures[member.name] = reader.read_member(member.name)
            continue
        record_type = _record_type(member.name)
        values = content.validate(
            record_type, member.name, reader.records(member.name), reader.file_name
        )
        getattr(records, record_type).extend(values)
        records.has_peer_groups |= record_type == "peer_groups"
    return records


def apply_import(store: Store, plan: ImportPlan) -> ImportResult:
    """Back up, then apply ``plan`` in one transaction (re-checked against the database as it is
    now). Pictures are staged in the data folder and moved in place after the commit."""
    return _apply_import(store, plan, lambda: store.backup("pre-import").path)


def _apply_import(
    store: Store, plan: ImportPlan, backup_path: Callable[[], Path], *, precheck: bool = True
) -> ImportResult:
    """``apply_import`` with the backup taken by ``backup_path`` (a folder import takes one
    backup before its first pack is written, and gives every pack that one). ``precheck``:
    check the plan again before the backup (without it, only inside the write, which is
    enough once the backup is taken)."""
    assert plan._reader is not None
    staging = store.paths.root / "sync" / "staging" / plan.pack_id
    if plan.kind == "content":
        for name in plan._payload.pictures:
            plan._reader.extract(name, staging)
    try:
        if plan.kind == "data" and precheck:
            # refused before the backup, in the common case; when nothing the plan read has
            # changed since (the mark), planning again here would only repeat it
            with store.read() as session:
                if data.data_mark(session, *_ALSO_MARKED) != plan._mark:
                    _fresh_changes(session, plan)
        backup = backup_path()
        with store.write() as session:
            if plan.kind == "content":
                content.apply(session, plan._payload)
                release = session.get(ContentRelease, _release_source(plan.signer))
                if release is None:
                    release = ContentRelease(source=_release_source(plan.signer))
                    session.add(release)
                release.version = str(plan.content_version)
                release.fingerprint = plan.signer
                release.title = plan.signer_name
                release.installed_at = utcnow()
            else:
                # Imports may have happened since the plan was made (the dry run waits for the
                # clerk; another window or command): everything is checked again inside this
                # transaction, and the import stops if the outcome is not the one previewed.
                sender = _fresh_changes(session, plan, write=True)
                authority.bind(session, sender)
            summary = plan.summary().replace("將", "已", 1)
            exchange = Exchange(
                direction="import",
                kind=plan.kind,
                pack_id=plan.pack_id,
                site_uuid=plan.site_uuid,
                site_name=plan.site_name,
                pack_created_at=datetime.fromisoformat(plan.created_at),
                content_version=plan.content_version,
                signer=plan.signer,
                file_name=plan.path.name,
                summary=summary,
                counts={
                    "adds": plan.adds,
                    "updates": plan.updates,
                    "conflicts": plan.conflicts,
                    "removes": plan.removes,
                },
            )
            session.add(exchange)
            record_operation(
                session, "pack-import", f"{plan.path.name}：{summary}（{roles.actor(session)}）"
            )
            session.flush()
            exchange_id = exchange.id
        if plan.kind == "content":
            _move_pictures(staging / "pictures", store.paths.root / PICTURES / "pictures")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ImportResult(summary, backup, exchange_id)


class PlanChangedError(PackError):
    """This site's data changed between the preview and the import (another import, a decision
    made meanwhile): nothing was written; the clerk looks at a new preview."""

    exit_code = ExitCode.CANCELLED


def _fresh_changes(session: Session, plan: ImportPlan, write: bool = False) -> authority.Sender:
    """The sender, and the changes of a data pack against this site's data as it is now, a
    batch at a time (``write``: each batch applied, with its conflicts, as it is planned; the
    caller's transaction makes it all or nothing); ``PlanChangedError`` when they are not
    what the preview showed."""
    assert plan._records is not None
    sender = _recheck_sender(session, plan)
    here = roles.this_site(session).site_uuid
    baseline = _baseline(session, plan.site_uuid)
    now: list[tuple[str, str, str]] = []
    for _start, _batch, changes in _batch_changes(
        session, plan._records, sender, here, baseline, labels=False
    ):
        now += [(c.record_type, c.key, c.action) for c in changes]
        if write:
            data.apply(session, changes)
            _keep_conflicts(session, changes, plan)
    _same_as_preview(plan, now)
    return sender


def _same_as_preview(plan: ImportPlan, now: list[tuple[str, str, str]]) -> None:
    previewed = sorted((i.record_type, i.key, i.action) for i in plan.items)
    if previewed != sorted(now):
        raise PlanChangedError(
            f"「{plan.path.name}」預覽之後，本機的資料已有變動（可能同時有其他匯入或核定）："
            f"預覽時{plan.summary()}，現在的結果不同。這次沒有寫入任何資料；"
            "請重新匯入，確認新的預覽後再繼續。"
        )


def _recheck_sender(session: Session, plan: ImportPlan) -> authority.Sender:
    """The sender, its key binding and freshness as they stand now: other imports may have
    gone in since the plan was made (the dry run waits for the clerk; another window)."""
    assert plan._reader is not None
    here = roles.this_site(session)
    return authority.check_sender(
        session,
        plan._reader.manifest,
        plan._reader.manifest_bytes,
        plan._reader.signature,
        plan.path.name,
        here.site_uuid,
        here.role,
    )


def _move_pictures(source: Path, target: Path) -> None:
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*.png")):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        path.replace(destination)


# A kept conflict's columns that come under the same names from the change and from the plan.
_CHANGE_COLUMNS = ("record_type", "label", "local", "incoming")
_PLAN_COLUMNS = ("pack_id", "site_name")


def _keep_conflicts(session: Session, changes: list[data.Change], plan: ImportPlan) -> None:
    import hashlib

    for change in changes:
        if change.action not in ("conflict", "keep") or change.local is None:
            continue
        digest = hashlib.sha256(data.canonical(change.incoming).encode("utf-8")).hexdigest()
        row = Conflict(
            **{name: getattr(change, name) for name in _CHANGE_COLUMNS},
            record_uuid=change.key,
            incoming_hash=digest,
            kept="incoming" if change.action == "conflict" else "local",
            **{name: getattr(plan, name) for name in _PLAN_COLUMNS},
        )
        add_unless_present(
            session, row, Conflict.record_uuid == change.key, Conflict.incoming_hash == digest
        )


def import_pack(store: Store, path: Path) -> ImportResult:
    """Plan and apply in one call (the command line without --dry-run)."""
    return apply_import(store, plan_import(store, path))


# -- history, conflicts, announcements, keys --------------------------------------------------


def history(store: Store, limit: int = 500) -> list[ExchangeView]:
    with store.read() as session:
        rows = session.execute(
            select(Exchange).order_by(Exchange.at.desc(), Exchange.id.desc()).limit(limit)
        ).scalars()
        return [
            ExchangeView(
                r.id,
                r.at,
                r.direction,
                r.kind,
                r.site_uuid,
                r.site_name,
                r.file_name,
                r.content_version,
                r.summary,
            )
            for r in rows
        ]


def conflicts(store: Store, include_resolved: bool = False) -> list[ConflictView]:
    """The conflicts kept at import, each with its two versions field by field as a clerk reads
    them (``readable``): people and schools by name, times in 民國 local time."""
    with store.read() as session:
        query = select(Conflict).order_by(Conflict.created_at, Conflict.id)
        if not include_resolved:
            query = query.where(Conflict.resolved.is_(False))
        rows = list(session.execute(query).scalars())
        known = readable.names(session) if rows else readable.Names()
        return [
            ConflictView(
                c.id,
                c.record_type,
                data.TYPE_LABELS.get(c.record_type, c.record_type),
                _conflict_label(c, known),
                c.local,
                c.incoming,
                c.kept,
                c.site_name,
                c.created_at,
                c.resolved,
                tuple(readable.field_rows(c.record_type, c.local, c.incoming, known)),
            )
            for c in rows
        ]


def _conflict_label(row: Conflict, known: readable.Names) -> str:
    try:
        return data.label(row.record_type, {**row.local, **row.incoming}, known)
    except (KeyError, TypeError, ValueError):
        return row.label  # as named when it was imported


def resolve_conflict(store: Store, conflict_id: int, keep: str) -> None:
    """Settle a conflict with the ``"local"`` or ``"incoming"`` version. The chosen version is
    stamped now, so it also wins at the other side at the next exchange."""
    if keep not in ("local", "incoming"):
        raise UserError("只能選擇保留本機（local）或對方（incoming）的版本。")
    with store.write() as session:
        row = session.get(Conflict, conflict_id)
        if row is None or row.resolved:
            raise UserError("找不到這筆尚未處理的衝突。")
        chosen = dict(row.local if keep == "local" else row.incoming)
        chosen["updated_at"] = datetime.now(UTC).isoformat()
        change = data.Change(row.record_type, row.record_uuid, row.label, "update", None, chosen)
        data.apply(session, [change])
        row.resolved, row.resolved_at = True, utcnow()
        record_operation(session, "pack-conflict", f"{row.label}：採用{keep}")


def unseen_announcements(store: Store) -> list[Announcement]:
    with store.read() as session:
        return list(
            session.execute(
                select(Announcement)
                .where(Announcement.seen_at.is_(None), Announcement.origin != "local")
                .order_by(Announcement.published.desc(), Announcement.id)
            ).scalars()
        )


def mark_announcements_seen(store: Store, ids: list[int]) -> None:
    with store.write() as session:
        for row in session.execute(select(Announcement).where(Announcement.id.in_(ids))).scalars():
            row.seen_at = utcnow()


def add_announcement(store: Store, title: str, body: str, published: str | None = None) -> None:
    """A 「最新消息」 written here (the county), sent with the next content pack."""
    title = " ".join(title.split())
    if not title:
        raise UserError("消息標題不可空白。")
    with store.write() as session:
        require_county(session, "發布最新消息")
        record_operation(session, "announcement", f"最新消息「{title}」（{roles.actor(session)}）")
        session.add(
            Announcement(
                title=title,
                body=body.strip(),
                published=published or datetime.now(UTC).date().isoformat(),
                origin="local",
            )
        )


@dataclass(frozen=True)
class KeyView:
    fingerprint: str
    fingerprint_text: str
    name: str
    bundled: bool


def key_info(path: Path) -> KeyView:
    """The fingerprint of a public key file, to show before ``trust_key``."""
    key = signing.read_public_key_file(path)
    value = signing.fingerprint(key)
    return KeyView(value, signing.fingerprint_text(value), path.stem, False)


def trust_key(store: Store, path: Path, name: str = "") -> KeyView:
    """Trust the public key in ``path`` (the caller has shown its fingerprint and had it
    confirmed)."""
    key = signing.read_public_key_file(path)
    label = name or path.name.removesuffix(".pem").removesuffix(".pub")
    with store.write() as session:
        value = signing.trust(session, key, label)
        record_operation(session, "pack-trust", f"信任公鑰 {label}（{value[:16]}）")
    return KeyView(value, signing.fingerprint_text(value), label, False)


def trusted_keys(store: Store) -> list[KeyView]:
    bundled = signing.bundled_keys()
    with store.read() as session:
        keys = signing.trusted_keys(session)
    return [
        KeyView(fp, signing.fingerprint_text(fp), name, fp in bundled)
        for fp, (name, _key) in sorted(keys.items(), key=lambda kv: kv[1][0])
    ]


@dataclass(frozen=True)
class SignerView:
    """A key this site accepts packs from: a county key (bundled or trusted), or a school's own
    key bound at this county."""

    fingerprint: str
    fingerprint_text: str
    name: str
    kind: str  # 縣市人事處公鑰（內建） / 縣市人事處公鑰 / 學校金鑰
    site_name: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def signing_keys(store: Store) -> list[SignerView]:
    """Every key packs are accepted from here, the county's first."""
    bundled = signing.bundled_keys()
    with store.read() as session:
        county = signing.trusted_keys(session)
        schools = session.execute(
            select(KnownSigner).where(KnownSigner.role == SiteRole.SCHOOL.value)
        ).scalars()
        bound = {row.fingerprint: row.site_name for row in session.scalars(select(KnownSigner))}
        views = [
            SignerView(
                fp,
                signing.fingerprint_text(fp),
                name,
                "縣市人事處公鑰（內建）" if fp in bundled else "縣市人事處公鑰",
                bound.get(fp, ""),
            )
            for fp, (name, _key) in sorted(county.items(), key=lambda kv: kv[1][0])
        ]
        views += [
            SignerView(
                row.fingerprint,
                signing.fingerprint_text(row.fingerprint),
                row.site_name,
                "學校金鑰",
                row.site_name,
            )
            for row in sorted(schools, key=lambda r: r.site_name)
        ]
    return views


def untrust_key(store: Store, fingerprint: str) -> SignerView:
    """「停止信任」: packs signed with this key are refused from now on (a lost or replaced
    county key; a school's key after it moved to a new PC, so that its new key can be bound).
    ``fingerprint``: the whole fingerprint or its first 8 or more hex digits, spaces allowed."""
    wanted = "".join(fingerprint.split()).lower()
    if len(wanted) < 8 or any(c not in "0123456789abcdef" for c in wanted):
        raise UserError("請輸入金鑰指紋（至少前 8 個 16 進位字元，例如 3F2A 9C01）。")
    matches = [v for v in signing_keys(store) if v.fingerprint.startswith(wanted)]
    if not matches:
        raise UserError(f"找不到指紋開頭為 {wanted.upper()} 的金鑰；請用 schoolhr pack keys 查看。")
    if len(matches) > 1:
        raise UserError(f"指紋開頭為 {wanted.upper()} 的金鑰有 {len(matches)} 把，請多輸入幾碼。")
    chosen = matches[0]
    with store.write() as session:
        signing.untrust(session, chosen.fingerprint, chosen.name)
        record_operation(
            session,
            "pack-untrust",
            f"停止信任{chosen.kind}「{chosen.name}」（{chosen.fingerprint_text}）"
            f"（{roles.actor(session)}）",
        )
    return chosen


def keygen(folder: Path, passphrase: str, name: str = "county") -> tuple[Path, Path, str]:
    """Write ``<name>-private.pem`` (passphrase protected) and ``<name>.pub.pem``; refuses to
    overwrite. Returns (private, public, fingerprint)."""
    private_pem, public_pem = signing.generate_keypair(passphrase)
    folder.mkdir(parents=True, exist_ok=True)
    private_path, public_path = folder / f"{name}-private.pem", folder / f"{name}.pub.pem"
    for path in (private_path, public_path):
        if path.exists():
            raise UserError(f"「{path}」已存在；為避免覆蓋金鑰，請改用其他資料夾。")
    with atomic_path(private_path, private=True) as partial:
        partial.write_bytes(private_pem)
    public_path.write_bytes(public_pem)
    value = signing.fingerprint(signing.load_public_key(public_pem))
    return private_path, public_path, value


# -- county view -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FolderOutcome:
    """One file of a folder import: its result, or why it was refused (nothing of it written).
    ``cancelled``: the clerk pressed Cancel before this file's turn; it was not imported."""

    path: Path
    result: ImportResult | None
    error: str | None
    cancelled: bool = False

    def as_dict(self) -> dict[str, object]:
        """What ``schoolhr pack import FOLDER --json`` prints for the file."""
        return {
            "file": str(self.path),
            "summary": self.result.summary if self.result else None,
            "error": self.error if self.result is None else None,
            "cancelled": self.cancelled,
        }


NOT_IMPORTED_CANCELLED = "已取消，未匯入（可再匯入一次這個資料夾：已匯入的檔案不會重複匯入）"


def import_folder(
    store: Store,
    folder: Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> list[FolderOutcome]:
    """Import every ``*.zip`` pack in ``folder`` (oldest file first), each on its own in its own
    transaction: a refused pack is reported and the others still go in. One backup
    (``pre-import``) is taken before the first pack is written, none with ``dry_run`` (only
    plans are made).

    ``progress`` hears (done, total, school or file name) per pack; when it raises
    ``Cancelled`` (the clerk pressed Cancel) the import stops between packs: the packs already
    imported stay (each was committed), and the outcome of every pack not imported says so
    (``cancelled``)."""
    if not folder.is_dir():
        raise UserError(f"找不到資料夾「{folder}」；請確認路徑是否正確。")
    paths = sorted(folder.glob("*.zip"), key=lambda p: (p.stat().st_mtime, p.name))
    outcomes: list[FolderOutcome] = []
    backup: list[Path] = []

    def folder_backup() -> Path:
        if not backup:
            backup.append(store.backup("pre-import").path)
        return backup[0]

    total = len(paths)
    try:
        for done, path in enumerate(paths):
            report(progress, done, total, path.name)
            try:
                plan = plan_import(store, path)
                report(progress, done, total, plan.site_name or path.name)
                result = (
                    None
                    if dry_run
                    else _apply_import(store, plan, folder_backup, precheck=not backup)
                )
                outcomes.append(FolderOutcome(path, result, None if result else plan.summary()))
            except Cancelled:
                raise
            except UserError as exc:
                outcomes.append(FolderOutcome(path, None, exc.message))
        report(progress, total, total, "")
    except Cancelled:
        outcomes += [
            FolderOutcome(path, None, NOT_IMPORTED_CANCELLED, cancelled=True)
            for path in paths[len(outcomes) :]
        ]
    return outcomes


@dataclass(frozen=True)
class SenderView:
    """A site this one has received packs from: when last, and how many."""

    site_uuid: str
    site_name: str
    last_at: datetime
    last_pack_created_at: datetime
    imports: int
    last_summary: str


def find_school(store: Store, school: str) -> SenderView:
    """The school (a site that has sent this county a pack) named by UUID or by name."""
    wanted = school.strip()
    known = senders(store)
    matches = [v for v in known if wanted in (v.site_uuid, v.site_name)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UserError(
            f"找不到學校「{wanted}」：只能把資料包寄回已寄過資料包來的學校"
            "（請先匯入該校的資料包，或確認校名）。"
        )
    raise UserError(f"有 {len(matches)} 個單位都叫「{wanted}」，請改用單位編號（UUID）。")


def senders(store: Store) -> list[SenderView]:
    """Which schools have sent what and when (newest first)."""
    views: dict[str, SenderView] = {}
    with store.read() as session:
        rows = session.execute(
            select(Exchange).where(Exchange.direction == "import").order_by(Exchange.at)
        ).scalars()
        for row in rows:
            count = views[row.site_uuid].imports + 1 if row.site_uuid in views else 1
            views[row.site_uuid] = SenderView(
                row.site_uuid, row.site_name, row.at, row.pack_created_at, count, row.summary
            )
    return sorted(views.values(), key=lambda v: v.last_at, reverse=True)
