"""The pack commands: keygen, trust, content export and import, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schoolhr.cli import main
from schoolhr.store.database import Store
from schoolhr.sync import service


def test_keygen_trust_export_import(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SCHOOLHR_KEY_PASSPHRASE", "county-passphrase")
    county_root = tmp_path / "cli-county"  # only the bundled content
    county_dir, school_dir = str(county_root), str(store.paths.root)
    # only a county HR office publishes content packs
    assert main(["--data-dir", county_dir, "site", "--role", "county"]) == 0
    assert main(["--data-dir", county_dir, "pack", "keygen"]) == 0
    public = county_root / "keys" / "county.pub.pem"
    assert public.exists() and (county_root / "keys" / "county-private.pem").exists()
    pack = tmp_path / "content.zip"
    assert (
        main(["--data-dir", county_dir, "pack", "export", "--kind", "content", "-o", str(pack)])
        == 0
    )
    capsys.readouterr()
    # not trusted yet: refused with exit code 4
    assert main(["--data-dir", school_dir, "pack", "import", str(pack)]) == 4
    assert "不在信任清單中" in capsys.readouterr().err
    assert main(["--data-dir", school_dir, "pack", "trust", str(public)]) != 0  # needs --yes
    assert main(["--data-dir", school_dir, "pack", "trust", str(public), "--yes"]) == 0
    out = capsys.readouterr().out
    assert service.key_info(public).fingerprint_text in out
    assert main(["--data-dir", school_dir, "pack", "import", str(pack), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "content" and report["applied"] is not None
    assert report["summary"].startswith("將新增 ")
    # the same version again is refused
    assert main(["--data-dir", school_dir, "pack", "import", str(pack)]) == 4
    assert "較舊的版本" in capsys.readouterr().err
