"""The seal of a transcript line (``finsim/seal@1``): a hash chain, optionally signed.

Every line of a sealed transcript is the event's JSON with a ``seal`` member
put first::

    {"seal":{"h":"<64 hex>","sig":"<128 hex>","key":"<64 hex>"},"seq":0,...}

* ``h`` — the chain value: ``sha256(previous h ‖ event bytes)``, where the
  event bytes are the event's JSON exactly as written (the line without its
  seal member, UTF-8) and the line before the first has ``h = sha256("finsim/seal@1")``;
* ``sig`` — Ed25519 signature of ``"finsim/seal@1" ‖ NUL ‖ h`` by the class
  key (absent when no key is configured: the chain alone);
* ``key`` — the signer's raw public key; on the header, and on the first line
  a different key (or a first key) signs after a resume.

Hashing the bytes as written, not a re-serialisation, means that every byte
of an event counts: there is no second spelling of the same event that
hashes alike. The fields appear in this order only, in lower-case hex, so a
seal has one spelling too. Because ``h`` covers everything before it, a
signature on one line vouches for the whole file up to that line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from finsim.transcript.keys import public_bytes

SEAL_FORMAT: Final = "finsim/seal@1"
GENESIS: Final = hashlib.sha256(SEAL_FORMAT.encode("ascii")).digest()
"""The chain value before the first line."""

_SIGNED_PREFIX: Final = SEAL_FORMAT.encode("ascii") + b"\x00"
SEAL_START: Final = b'{"seal":{'
_SEAL = re.compile(
    rb'\{"seal":\{"h":"(?P<h>[0-9a-f]{64})"'
    rb'(?:,"sig":"(?P<sig>[0-9a-f]{128})")?'
    rb'(?:,"key":"(?P<key>[0-9a-f]{64})")?\},'
)


def chain_value(previous: bytes, event: bytes) -> bytes:
    """Return the chain value of a line: ``sha256(previous ‖ event bytes)``."""
    return hashlib.sha256(previous + event).digest()


def signed_message(chain: bytes) -> bytes:
    """Return what the signature of a line covers: the format name, a NUL, the chain value."""
    return _SIGNED_PREFIX + chain


@dataclass(frozen=True)
class SealedLine:
    """A line split into its seal and its event bytes (``{`` + what follows the seal)."""

    chain: bytes
    signature: bytes | None
    key: bytes | None
    event: bytes


def split_line(line: bytes) -> SealedLine | None:
    """Return the seal and event of a line (no newline), or ``None`` when it has no valid seal."""
    match = _SEAL.match(line)
    if match is None or len(line) <= match.end():
        return None
    sig, key = match["sig"], match["key"]
    return SealedLine(
        chain=bytes.fromhex(match["h"].decode("ascii")),
        signature=bytes.fromhex(sig.decode("ascii")) if sig else None,
        key=bytes.fromhex(key.decode("ascii")) if key else None,
        event=b"{" + line[match.end() :],
    )


def seal_line(
    event_json: str,
    previous: bytes,
    key: Ed25519PrivateKey | None,
    announce: bool,
) -> tuple[str, bytes]:
    """Return ``(line with its newline, chain value)`` for an event's JSON text."""
    if not event_json.startswith("{") or event_json == "{}":
        raise ValueError("an event is a non-empty JSON object")
    chain = chain_value(previous, event_json.encode("utf-8"))
    seal = f'{{"seal":{{"h":"{chain.hex()}"'
    if key is not None:
        seal += f',"sig":"{key.sign(signed_message(chain)).hex()}"'
        if announce:
            seal += f',"key":"{public_bytes(key.public_key()).hex()}"'
    return f"{seal}}},{event_json[1:]}\n", chain


class Sealer:
    """Seals the lines a transcript writer appends, one after another.

    :meth:`seal` returns the line to write; :meth:`commit` moves the chain on
    once the line is safely on disk (a failed write leaves the chain where it
    was). A plain sealer (:meth:`plain`) writes unsealed lines, to continue a
    transcript written before seals existed.
    """

    def __init__(
        self, previous: bytes | None, key: Ed25519PrivateKey | None, announce: bool
    ) -> None:
        self._previous = previous
        self._key = key
        self._announce = announce
        self._pending: bytes | None = None

    @classmethod
    def start(cls, key: Ed25519PrivateKey | None) -> Sealer:
        """Seal a new transcript from its header on (signed when ``key`` is given)."""
        return cls(GENESIS, key, announce=key is not None)

    @classmethod
    def plain(cls) -> Sealer:
        """Write lines without seals."""
        return cls(None, None, announce=False)

    @classmethod
    def resume(cls, written: bytes, key: Ed25519PrivateKey | None) -> Sealer:
        """Continue the chain of ``written`` (a transcript's whole lines) with ``key``.

        A transcript whose first line has no seal goes on unsealed. The new
        key is announced on the next line when it is not the one that signed
        last (or when the file was not signed before).
        """
        lines = [line for line in written.split(b"\n") if line.strip(b"\x00 \r\t")]
        first = split_line(lines[0]) if lines else None
        if first is None:
            return cls.plain()
        last = split_line(lines[-1])
        if last is None:  # a line added by hand: the chain is broken already
            return cls.plain()
        signer = _last_signer(lines)
        announce = key is not None and public_bytes(key.public_key()) != signer
        return cls(last.chain, key, announce)

    @property
    def sealing(self) -> bool:
        """Whether lines get a seal."""
        return self._previous is not None

    def seal(self, event_json: str) -> str:
        """Return the line (with its newline) to write for an event's JSON text."""
        if self._previous is None:
            return event_json + "\n"
        line, self._pending = seal_line(event_json, self._previous, self._key, self._announce)
        return line

    def commit(self) -> None:
        """Record that the last sealed line was written."""
        if self._pending is not None:
            self._previous, self._pending = self._pending, None
            self._announce = False


def _last_signer(lines: list[bytes]) -> bytes | None:
    """Return the key announced last in a transcript's lines (``None``: never signed)."""
    for line in reversed(lines):
        sealed = split_line(line)
        if sealed is not None and sealed.key is not None:
            return sealed.key
    return None
