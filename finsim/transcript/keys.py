"""The class key: an Ed25519 key pair that signs transcripts as they are written.

``finsim class key`` creates ``class.key`` (private, PKCS#8 PEM, mode 0600) and
``class.pub`` (public, SubjectPublicKeyInfo PEM) in ``<data dir>/keys/`` or a
folder of the teacher's choice. Any finsim that finds a private key signs the
transcripts it writes: the one named by ``FINSIM_CLASS_KEY``, else
``<data dir>/keys/class.key``. Verification needs only the public key: ``--key``,
else ``<data dir>/keys/class.pub``. Both are standard PEM files that OpenSSL
reads too.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from finsim.atomic import write_atomic
from finsim.errors import InputFileError, Location, UsageError
from finsim.i18n import os_reason, tr
from finsim.outputs import check_key_output
from finsim.reading import read_bytes
from finsim.resources import data_dir

SIGNING_KEY_ENV = "FINSIM_CLASS_KEY"
"""Path of the private key that signs new transcripts (overrides the data directory's)."""

KEYS_DIR = "keys"
PRIVATE_FILE = "class.key"
PUBLIC_FILE = "class.pub"
MAX_KEY_BYTES = 64 * 1024
"""More than any PEM key: a larger file is no key, and is not read whole."""


def keys_dir() -> Path:
    """Return the data directory's key folder (it may not exist)."""
    return data_dir() / KEYS_DIR


def public_bytes(key: Ed25519PublicKey) -> bytes:
    """Return the 32 raw bytes of a public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey | bytes) -> str:
    """Return a short, stable name of a public key: the first 16 hex digits of its sha256."""
    raw = key if isinstance(key, bytes) else public_bytes(key)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class KeyPair:
    """Where ``create_key_pair`` wrote the two halves, and the key's fingerprint."""

    private_path: Path
    public_path: Path
    fingerprint: str


def create_key_pair(target: Path | None = None, *, force: bool = False) -> KeyPair:
    """Create a new class key pair.

    ``target`` is a folder (``class.key`` and ``class.pub`` go in it) or a
    ``*.key`` file name (the public half gets ``.pub``); ``None`` is the data
    directory's key folder. An existing key is never replaced unless ``force``:
    transcripts signed with it could no longer be checked against a new one.
    """
    private_path, public_path = _key_paths(target)
    existing = [p for p in (private_path, public_path) if p.exists()]
    if existing and not force:
        raise UsageError(
            tr(
                f"{existing[0]} 已存在；旧密钥签名的记录要用旧公钥核验，"
                "确需换新密钥请加 --force（先备份旧的 class.pub）",
                f"{existing[0]} exists; transcripts signed with it need its public key. "
                "Add --force to replace it (keep a copy of the old class.pub first)",
            )
        )
    for path in existing:
        check_key_output(path)
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_key_file(private_path, private_pem, 0o600)
    _write_key_file(public_path, public_pem, 0o644)
    return KeyPair(private_path, public_path, fingerprint(key.public_key()))


def _key_paths(target: Path | None) -> tuple[Path, Path]:
    if target is None:
        folder = keys_dir()
    elif target.suffix in (".key", ".pem") and not target.is_dir():
        return target, target.with_suffix(".pub")
    else:
        folder = target
    return folder / PRIVATE_FILE, folder / PUBLIC_FILE


def _write_key_file(path: Path, data: bytes, mode: int) -> None:
    """Write a key file whole; it never exists with wider permissions than ``mode``."""
    write_atomic(path, data, mode=mode, make_parents=True)


def signing_key() -> Ed25519PrivateKey | None:
    """Return the key that signs new transcripts, or ``None`` when none is configured.

    ``FINSIM_CLASS_KEY`` must name a readable private key; without it the data
    directory's ``keys/class.key`` is used when it exists.
    """
    named = os.environ.get(SIGNING_KEY_ENV, "").strip()
    if named:
        return load_private_key(Path(named).expanduser())
    default = keys_dir() / PRIVATE_FILE
    return load_private_key(default) if default.exists() else None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read an Ed25519 private key (PEM); anything else is an :class:`InputFileError`."""
    data = _read_key_file(path)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise _not_a_key(path, tr("私钥", "private key")) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise _not_a_key(path, tr("私钥", "private key"))
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Read an Ed25519 public key (PEM); a private key file gives its public half."""
    data = _read_key_file(path)
    if b"PRIVATE KEY" in data:
        return load_private_key(path).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise _not_a_key(path, tr("公钥", "public key")) from error
    if not isinstance(key, Ed25519PublicKey):
        raise _not_a_key(path, tr("公钥", "public key"))
    return key


def trusted_key(path: Path | None = None) -> Ed25519PublicKey | None:
    """Return the public key that verification trusts: ``path``, else the data directory's."""
    if path is not None:
        return load_public_key(path)
    default = keys_dir() / PUBLIC_FILE
    return load_public_key(default) if default.exists() else None


def _read_key_file(path: Path) -> bytes:
    try:
        return read_bytes(path, MAX_KEY_BYTES)[:MAX_KEY_BYTES]
    except FileNotFoundError:
        raise InputFileError(
            tr(
                f"找不到密钥文件 {path}（用 finsim class key 创建）",
                f"no key file {path} (create one with finsim class key)",
            )
        ) from None
    except OSError as error:
        raise InputFileError(
            tr(f"无法读取密钥：{os_reason(error)}", f"cannot read the key: {error.strerror}"),
            Location(path),
        ) from error


def _not_a_key(path: Path, what: str) -> InputFileError:
    return InputFileError(
        tr(
            f"不是 Ed25519 {what}（PEM 格式）；请用 finsim class key 重新生成",
            f"not an Ed25519 {what} in PEM; create one with finsim class key",
        ),
        Location(path),
    )
