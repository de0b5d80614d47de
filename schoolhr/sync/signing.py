"""Ed25519 keys for packs: the county's key pair, the keys a school trusts, each site's own key.

The county's private key is kept as an encrypted PKCS#8 PEM file (passphrase protected) and is
never put in a pack; it signs content packs and the data packs (decisions) the county sends a
school. Every site also has its own site key (``keys/site-signing.pem`` in its data folder,
made on first use, readable by the user only) that signs the data packs a school sends; the
county binds it to the school the first time (``schoolhr.sync.authority``). A key can be
revoked (``pack untrust``), bundled keys included. A public key file is PEM
(SubjectPublicKeyInfo). A key's fingerprint is the SHA-256 of its 32 raw bytes, in hex;
people compare it grouped in fours (``fingerprint_text``).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolhr.errors import UserError, UserFileError
from schoolhr.files import atomic_path
from schoolhr.paths import DataPaths, resources_dir
from schoolhr.sync.models import KnownSigner, RevokedKey, TrustedKey

MIN_PASSPHRASE = 8


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public(key)).hexdigest()


def fingerprint_text(value: str) -> str:
    """The first 32 hex digits in groups of four, for reading aloud over the phone."""
    head = value[:32].upper()
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


def generate_keypair(passphrase: str) -> tuple[bytes, bytes]:
    """(encrypted private key PEM, public key PEM)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(f"密碼至少要 {MIN_PASSPHRASE} 個字元。")
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
    return private_pem, public_pem(private.public_key())


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_private_key(path: Path, passphrase: str) -> Ed25519PrivateKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserFileError(f"無法讀取私鑰檔「{path}」（{exc.strerror or exc}）。") from exc
    try:
        key = serialization.load_pem_private_key(data, passphrase.encode("utf-8"))
    except (ValueError, TypeError) as exc:
        raise UserError("私鑰密碼不正確，或檔案不是學校人事小幫手的私鑰。") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise UserFileError(f"「{path.name}」不是 Ed25519 私鑰。")
    return key


def load_public_key(data: bytes, name: str = "公鑰") -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise UserFileError(f"「{name}」不是有效的公鑰檔。") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise UserFileError(f"「{name}」不是 Ed25519 公鑰。")
    return key


def read_public_key_file(path: Path) -> Ed25519PublicKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserFileError(f"無法讀取公鑰檔「{path}」（{exc.strerror or exc}）。") from exc
    return load_public_key(data, path.name)


def sign(key: Ed25519PrivateKey, message: bytes) -> bytes:
    return key.sign(message)


def bundled_keys() -> dict[str, tuple[str, Ed25519PublicKey]]:
    """fingerprint -> (name, key) of the public keys shipped in resources/keys/."""
    keys: dict[str, tuple[str, Ed25519PublicKey]] = {}
    for path in sorted((resources_dir() / "keys").glob("*.pub.pem")):
        key = read_public_key_file(path)
        keys[fingerprint(key)] = (path.name.removesuffix(".pub.pem"), key)
    return keys


def trusted_keys(session: Session) -> dict[str, tuple[str, Ed25519PublicKey]]:
    """Every county key this site accepts packs from: the bundled ones and those trusted,
    less those revoked."""
    keys = bundled_keys()
    for row in session.execute(select(TrustedKey)).scalars():
        raw = base64.b64decode(row.public_key)
        keys[row.fingerprint] = (row.name, Ed25519PublicKey.from_public_bytes(raw))
    for revoked in session.execute(select(RevokedKey.fingerprint)).scalars():
        keys.pop(revoked, None)
    return keys


def is_revoked(session: Session, value: str) -> bool:
    return session.get(RevokedKey, value) is not None


def public_from_text(text: str) -> Ed25519PublicKey | None:
    """A public key from the base64 of its 32 raw bytes (a manifest's ``signer_key``)."""
    try:
        raw = base64.b64decode(text, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw) if len(raw) == 32 else None
    except ValueError:
        return None


def public_text(key: Ed25519PublicKey) -> str:
    return base64.b64encode(raw_public(key)).decode("ascii")


SITE_KEY_FILE = "site-signing.pem"


def site_key(paths: DataPaths) -> Ed25519PrivateKey:
    """This site's own signing key, made on first use (``keys/site-signing.pem``, owner-only)."""
    folder = paths.root / "keys"
    path = folder / SITE_KEY_FILE
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), None)
        except (OSError, ValueError, TypeError) as exc:
            raise UserFileError(
                f"本單位的簽章金鑰「{path}」無法讀取或已損壞；請洽縣市人事處"
                "（可將此檔改名後重新匯出，並請縣市人事處解除舊金鑰的綁定）。"
            ) from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise UserFileError(f"「{path}」不是 Ed25519 金鑰。")
        return key
    return write_site_key(paths, Ed25519PrivateKey.generate())


def write_site_key(paths: DataPaths, key: Ed25519PrivateKey) -> Ed25519PrivateKey:
    """Keep ``key`` as this site's signing key (a new site; the demo's fixed one)."""
    folder = paths.root / "keys"
    path = folder / SITE_KEY_FILE
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_path(path, private=True) as partial:
            partial.write_bytes(pem)
    except OSError as exc:
        raise UserFileError(
            f"無法建立本單位的簽章金鑰「{path}」（{exc.strerror or exc}）。"
        ) from exc
    return key


def trust(session: Session, key: Ed25519PublicKey, name: str) -> str:
    """Trust ``key`` (idempotent); returns its fingerprint. The caller showed the fingerprint
    and had it confirmed first. A key revoked earlier is trusted again."""
    value = fingerprint(key)
    revoked = session.get(RevokedKey, value)
    if revoked is not None:
        session.delete(revoked)
    row = session.get(TrustedKey, value)
    if row is None:
        encoded = base64.b64encode(raw_public(key)).decode("ascii")
        session.add(TrustedKey(fingerprint=value, public_key=encoded, name=name))
    return value


def untrust(session: Session, value: str, name: str = "") -> None:
    """Stop accepting packs signed with the key ``value``: a trusted or bundled county key, or
    a school's key bound at this county (that school's next pack binds its new key)."""
    row = session.get(TrustedKey, value)
    if row is not None:
        session.delete(row)
    signer = session.get(KnownSigner, value)
    if signer is not None:
        session.delete(signer)
    if session.get(RevokedKey, value) is None:
        session.add(RevokedKey(fingerprint=value, name=name[:200]))


def verify(
    session: Session, signer: str, message: bytes, signature: bytes | None, file_name: str
) -> str:
    """The signer's name when ``signature`` is a trusted key's signature of ``message``."""
    if signature is None or not signer:
        raise UserFileError(
            f"「{file_name}」沒有簽章，無法確認來自縣市人事處，已拒絕匯入，資料未變更。"
        )
    keys = trusted_keys(session)
    if is_revoked(session, signer):
        raise UserFileError(
            f"「{file_name}」的簽章金鑰（指紋 {fingerprint_text(signer)}）已停止信任，"
            "已拒絕匯入，資料未變更。請向縣市人事處取得以新金鑰簽署的檔案。"
        )
    if signer not in keys:
        raise UserFileError(
            f"「{file_name}」的簽章金鑰（指紋 {fingerprint_text(signer)}）不在信任清單中，"
            "已拒絕匯入，資料未變更。若確定來自縣市人事處，請先以「信任公鑰」加入其公鑰。"
        )
    name, key = keys[signer]
    try:
        key.verify(signature, message)
    except InvalidSignature as exc:
        raise UserFileError(
            f"「{file_name}」的簽章驗證失敗：檔案在簽署後被更動過，或不是由所宣稱的金鑰簽署，"
            "已拒絕匯入，資料未變更。"
        ) from exc
    return name
