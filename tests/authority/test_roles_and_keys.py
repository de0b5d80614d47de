"""The county's actions are refused at a school by the services themselves (the same sentence
from the command line, the window or any caller), and keys can be revoked and rotated."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from schoolhr.cli import main as cli
from schoolhr.content.files import read_content
from schoolhr.content.install import bundled_content_dir
from schoolhr.errors import ExitCode, NotAllowedError, UserError
from schoolhr.faq import service as faq
from schoolhr.rewards import service as rewards
from schoolhr.store.database import Store
from schoolhr.sync import service as sync
from schoolhr.sync import signing
from tests.data.authority.forge import World, honest_world

NOT_ALLOWED = "只有縣市人事處可以"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = honest_world(tmp_path / "world")
    yield built
    built.close()


def _pending(store: Store) -> list[int]:
    with store.read() as session:
        return [e.id for e in rewards.list_entries(session, status="claimed")]


def test_county_actions_are_refused_at_a_school_whoever_calls(world: World, tmp_path: Path) -> None:
    school = world.pine
    ids = _pending(school)
    with school.read() as session:
        approved = [e.id for e in rewards.list_entries(session, status="approved")]
    content, _problems = read_content(bundled_content_dir())
    assert content is not None
    entry = content.faq[0].model_copy(update={"title": "學校自己改的答案標題"})
    attempts = {
        "核定": lambda: rewards.decide_claims(school, ids, True, "自己核定"),
        "退回": lambda: rewards.decide_claims(school, ids, False, "自己退回"),
        "沖銷": lambda: rewards.reverse_entry(school, approved[0], "自己沖銷"),
        "調整": lambda: rewards.set_proposal(
            school, date.today().year, 1, "記大功一次", "自己調整"
        ),
        "問答": lambda: faq.edit_entry(school, entry, publish=True),
        "消息": lambda: sync.add_announcement(school, "自己發的消息", "內容"),
        "內容包": lambda: sync.export_pack(
            school, "content", tmp_path / "c.zip", private_key=Ed25519PrivateKey.generate()
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(NotAllowedError, match=NOT_ALLOWED):
            attempt()
        assert NotAllowedError.exit_code == ExitCode.NOT_ALLOWED == 9, name
    assert _pending(school) == ids


def test_the_command_line_gets_the_same_refusal_and_exit_9(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(world.pine.paths.root)
    world.pine.close()
    ids = [str(i) for i in _pending_ids(world)]
    code = cli(["--data-dir", root, "rewards", "approve", *ids, "--reason", "自己核定"])
    assert code == 9
    assert NOT_ALLOWED in capsys.readouterr().err
    code = cli(
        ["--data-dir", root, "rewards", "adjust", "1", "--year", str(date.today().year),
         "--proposal", "記功一次", "--reason", "自己調整"]
    )  # fmt: skip
    assert code == 9


def _pending_ids(world: World) -> list[int]:
    from schoolhr.startup import open_profile

    store = open_profile(world.pine.paths)
    try:
        return _pending(store)
    finally:
        store.close()


def test_a_revoked_county_key_is_refused_and_a_rotated_one_accepted(
    world: World, tmp_path: Path
) -> None:
    school, county = world.pine, world.county
    old = signing.fingerprint(world.county_key.public_key())
    view = sync.untrust_key(school, signing.fingerprint_text(old))
    assert view.fingerprint == old
    assert old not in {k.fingerprint for k in sync.signing_keys(school)}
    rewards.decide_claims(county, _pending(county)[:1], True, "核定")
    pack = tmp_path / "after-revoke.zip"
    sync.export_pack(county, "data", pack, private_key=world.county_key, for_school="松風國小")
    with pytest.raises(UserError, match="已停止信任"):
        sync.plan_import(school, pack)

    # rotation: a new key pair, its public half trusted by the school, packs signed with it
    new_key = Ed25519PrivateKey.generate()
    public = tmp_path / "county-2026.pub.pem"
    public.write_bytes(signing.public_pem(new_key.public_key()))
    sync.trust_key(school, public, "範例縣人事處 2026")
    rotated = tmp_path / "rotated.zip"
    sync.export_pack(county, "data", rotated, private_key=new_key, for_school="松風國小")
    result = sync.apply_import(school, sync.plan_import(school, rotated))
    assert "更新 1 筆" in result.summary
    with school.read() as session:
        assert len(rewards.list_entries(session, status="approved")) == 2


def test_a_school_on_a_new_pc_is_accepted_after_the_county_unbinds_its_old_key(
    world: World, tmp_path: Path
) -> None:
    school, county = world.pine, world.county
    old_key_file = school.paths.root / "keys" / signing.SITE_KEY_FILE
    old = signing.fingerprint(signing.site_key(school.paths).public_key())
    old_key_file.rename(old_key_file.with_name("old-site-signing.pem"))  # the new PC's key
    pack = tmp_path / "new-pc.zip"
    sync.export_pack(school, "data", pack)
    with pytest.raises(UserError, match="簽章金鑰與該校先前使用的不同"):
        sync.plan_import(county, pack)
    schools = [k for k in sync.signing_keys(county) if k.kind == "學校金鑰"]
    assert {k.name for k in schools} == {"松風國小", "竹林國小"}
    sync.untrust_key(county, old[:12])
    sync.apply_import(county, sync.plan_import(county, pack))
    new = signing.fingerprint(signing.site_key(school.paths).public_key())
    assert new in {k.fingerprint for k in sync.signing_keys(county)}


def test_untrust_needs_a_clear_fingerprint(world: World) -> None:
    with pytest.raises(UserError, match="至少前 8"):
        sync.untrust_key(world.county, "12")
    with pytest.raises(UserError, match="找不到"):
        sync.untrust_key(world.county, "0000 0000 0000")


def test_pack_keys_and_untrust_on_the_command_line(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(world.pine.paths.root)
    world.pine.close()
    assert cli(["--data-dir", root, "pack", "keys"]) == 0
    listed = capsys.readouterr().out
    fingerprint = signing.fingerprint_text(signing.fingerprint(world.county_key.public_key()))
    assert fingerprint in listed and "縣市人事處公鑰" in listed
    # not confirmed (no terminal to ask, no --yes): nothing changes
    assert cli(["--data-dir", root, "pack", "untrust", fingerprint[:9]]) == ExitCode.CANCELLED
    assert "--yes" in capsys.readouterr().err
    assert cli(["--data-dir", root, "pack", "untrust", fingerprint[:9], "--yes"]) == 0
    assert "已停止信任" in capsys.readouterr().out
    assert cli(["--data-dir", root, "pack", "keys"]) == 0
    assert fingerprint not in capsys.readouterr().out
