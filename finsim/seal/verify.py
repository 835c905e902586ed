"""Checking a transcript's seal: intact, chained, incomplete, unsealed or broken — and where.

:func:`verify_file` walks the lines in order. Each line must carry a seal
whose chain value follows from the line before and from its own bytes, and
whose signature (when there is one) was made by the trusted class key. The
first line that fails ends the walk; the verdict names its line number, the
event on it, what is wrong and the most likely cause (an edit, lines moved,
removed or spliced in from another transcript, another key).

Statuses (see ``docs/seal.md``):

* ``intact`` — every line signed by the trusted class key, chained, and the
  last event is an ``end``;
* ``chained`` — complete and chained, but not checked against a class key
  (unsigned, or no public key was given): proves internal consistency only;
* ``incomplete`` — every line is authentic, but the drill has no end event
  or a torn last line: interrupted (a kill, a crash) or cut short;
* ``unsealed`` — no seal at all (written before seals existed);
* ``broken`` — tampered with, signed by another key, or not a valid transcript.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from finsim.errors import FinsimError, InputFileError
from finsim.i18n import os_reason, tr
from finsim.reading import read_bytes
from finsim.transcript.chain import (
    GENESIS,
    SEAL_START,
    SealedLine,
    chain_value,
    signed_message,
    split_line,
)
from finsim.transcript.keys import fingerprint, public_bytes

Status = Literal["intact", "chained", "incomplete", "unsealed", "broken"]
PASSING: frozenset[Status] = frozenset({"intact", "chained"})

STATUS_NAMES: dict[str, tuple[str, str]] = {
    "intact": ("完好", "intact"),
    "chained": ("哈希链完整", "chained"),
    "incomplete": ("不完整", "incomplete"),
    "unsealed": ("无封印", "unsealed"),
    "broken": ("已被改动或损坏", "broken"),
}
"""Each status in Chinese and English (for ``tr``)."""


@dataclass(frozen=True)
class Verdict:
    """What verification found in one file."""

    path: Path
    status: Status
    message: str
    authentic_lines: int = 0
    """Lines from the top that are sealed, linked and (if checked) signed."""
    line: int | None = None
    """1-based line of the problem (the first line that is not authentic)."""
    event: str = ""
    """The event on that line, described (``event 12 (turn 5, manager, step discover)``)."""
    signer: str | None = None
    """Fingerprint of the key that signed the lines (``None``: unsigned)."""
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file passes (``intact`` or ``chained``)."""
        return self.status in PASSING

    def describe(self) -> str:
        """Return one line: ``file[:line]: [event: ]message``."""
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        event = f"{self.event}{tr('：', ': ')}" if self.event else ""
        return f"{where}: {event}{self.message}"


@dataclass
class _Walk:
    """The state of the walk down a file's lines."""

    path: Path
    lines: list[tuple[bytes, bool]]
    seals: list[SealedLine | None]
    trusted: bytes | None
    signer: bytes | None = None
    signed: int = 0
    previous: bytes = GENESIS
    trailer: bytes = b""
    """What follows the last line and its newline (padding a crash left, or an addition)."""

    def key(self) -> bytes | None:
        return self.trusted or self.signer


def verify_file(
    path: Path, trusted: Ed25519PublicKey | None = None, *, check_format: bool = True
) -> Verdict:
    """Verify one transcript file against the ``trusted`` class key (``None``: chain only).

    ``check_format`` also reads the file as a transcript (event by event) once
    the seal holds, so a consistent chain over malformed events still fails.
    A file that cannot be read is a ``broken`` verdict, never an exception.
    """
    try:
        data = read_bytes(path)
    except OSError as error:
        return Verdict(
            path,
            "broken",
            tr(f"无法读取：{os_reason(error)}", f"cannot read: {error.strerror or error}"),
        )
    verdict = verify_bytes(path, data, trusted)
    if check_format and verdict.status in (*PASSING, "incomplete", "unsealed"):
        return _check_format(verdict)
    return verdict


def verify_bytes(path: Path, data: bytes, trusted: Ed25519PublicKey | None = None) -> Verdict:
    """Verify a transcript's seal from its bytes (``path`` names it in messages)."""
    lines = _lines(data)
    if not lines:
        return Verdict(path, "broken", tr("文件是空的", "the file is empty"))
    seals = [split_line(line) for line, _ in lines]
    if seals[0] is None:
        return _unsealed(path, lines)
    walk = _Walk(path, lines, seals, public_bytes(trusted) if trusted else None)
    walk.trailer = data[sum(len(line) + ended for line, ended in lines) :]
    for index in range(len(lines)):
        problem = _check_line(walk, index)
        if problem is not None:
            return _failed(walk, index, problem)
        sealed = seals[index]
        assert sealed is not None
        walk.previous = sealed.chain
    return _complete(walk)


def _lines(data: bytes) -> list[tuple[bytes, bool]]:
    """Split into ``(line, ended by a newline)``, dropping the NUL/blank padding of a crash."""
    parts = data.split(b"\n")
    lines = [(line, True) for line in parts[:-1]]
    if parts[-1]:
        lines.append((parts[-1], False))
    while lines and not lines[-1][0].strip(b"\x00 \r\t"):
        lines.pop()
    return lines


def _unsealed(path: Path, lines: list[tuple[bytes, bool]]) -> Verdict:
    """Judge a file whose first line has no valid seal: unsealed, or a damaged seal."""
    first = lines[0][0]
    sealed_later = any(line.startswith(SEAL_START) for line, _ in lines[1:])
    if first.startswith(SEAL_START) or b'"seal"' in first or sealed_later:
        return Verdict(
            path,
            "broken",
            tr("第一行的封印已损坏或被去掉", "the seal of line 1 is damaged or removed"),
            line=1,
            event=_describe(first),
        )
    if b'"schema":"finsim/transcript@' not in first.replace(b" ", b""):
        return Verdict(
            path, "broken", tr("不是 finsim 演练记录", "not a finsim transcript"), line=1
        )
    return Verdict(
        path,
        "unsealed",
        tr(
            "没有封印：这份记录由不带封印功能的旧版 finsim 写成，或被其他程序改写过；"
            "无法核验其内容",
            "no seal: written by a finsim from before seals, or rewritten by another "
            "program; its content cannot be vouched for",
        ),
    )


def _check_line(walk: _Walk, index: int) -> str | None:
    """Return what is wrong with line ``index`` (``None``: it is authentic)."""
    sealed = walk.seals[index]
    line = walk.lines[index][0]
    if sealed is None:
        if line.startswith(SEAL_START):
            return tr("封印已损坏（被改动过）", "its seal is damaged (altered)")
        return tr(
            "没有封印：这一行是后来添加或改写的", "it has no seal: the line was added or rewritten"
        )
    if sealed.key is not None:
        walk.signer = sealed.key
        if walk.trusted is not None and sealed.key != walk.trusted:
            return _other_key(sealed.key, walk.trusted)
    if chain_value(walk.previous, sealed.event) != sealed.chain:
        return _chain_break(walk, index, sealed)
    return _check_signature(walk, sealed)


def _other_key(found: bytes, trusted: bytes) -> str:
    return tr(
        f"由另一把密钥（{fingerprint(found)}）签名，不是本班密钥（{fingerprint(trusted)}）",
        f"signed with another key ({fingerprint(found)}), not the class key "
        f"({fingerprint(trusted)})",
    )


def _check_signature(walk: _Walk, sealed: SealedLine) -> str | None:
    if sealed.signature is None:
        if walk.trusted is not None:
            return tr(
                "没有签名：写这份记录的电脑上没有本班密钥，或签名被删去",
                "not signed: written where the class key was not installed, or the "
                "signature was removed",
            )
        return None
    key = walk.key()
    if key is None:
        return tr("有签名但没有注明签名密钥", "signed, but no key is named for the signature")
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(
            sealed.signature, signed_message(sealed.chain)
        )
    except InvalidSignature:
        return tr(
            "签名不符：封印被改动过，或不是用所注明的密钥签的",
            "the signature does not match: the seal was altered or not made with the named key",
        )
    walk.signed += 1
    return None


def _chain_break(walk: _Walk, index: int, sealed: SealedLine) -> str:
    """Explain why a line does not follow from the one before it."""
    for other, candidate in enumerate(walk.seals):
        if other != index - 1 and candidate is not None:
            if chain_value(candidate.chain, sealed.event) == sealed.chain:
                return tr(
                    f"次序被打乱：这一行原本紧跟在第 {other + 1} 行之后",
                    f"lines reordered: this line was sealed right after line {other + 1}",
                )
    seq = _field(sealed.event, "seq")
    if isinstance(seq, int) and seq != index:
        return tr(
            f"这是第 {seq} 号事件，此处应为第 {index} 号：前面有行被删除、插入或调换",
            f"this is event {seq} where event {index} belongs: lines before it were "
            "removed, inserted or moved",
        )
    following = walk.seals[index + 1] if index + 1 < len(walk.seals) else None
    if following is None or chain_value(sealed.chain, following.event) == following.chain:
        return tr(
            "内容与封印不符：封印之后被改动过（或取自另一份记录）",
            "the content does not match its seal: edited after sealing (or taken from "
            "another transcript)",
        )
    return tr(
        "与上一行接不上：有行被删除，或从另一份记录拼接而来",
        "it does not follow from the line before: lines were removed or spliced in from "
        "another transcript",
    )


def _failed(walk: _Walk, index: int, problem: str) -> Verdict:
    line, ended = walk.lines[index]
    is_last = index == len(walk.lines) - 1
    signer = fingerprint(walk.signer) if walk.signer else None
    if is_last and not ended and index > 0:
        return Verdict(
            walk.path,
            "incomplete",
            tr(
                f"最后一行不完整（写入时被中断，或被截断）；前 {index} 行完好",
                f"the last line is incomplete (cut off while written, or truncated); "
                f"the first {index} lines are authentic",
            ),
            authentic_lines=index,
            line=index + 1,
            signer=signer,
        )
    return Verdict(
        walk.path,
        "broken",
        problem,
        authentic_lines=index,
        line=index + 1,
        event=_describe(line),
        signer=signer,
    )


def _complete(walk: _Walk) -> Verdict:
    count = len(walk.lines)
    last = walk.seals[-1]
    assert last is not None
    signer = fingerprint(walk.signer) if walk.signer else None
    if _field(last.event, "type") != "end":
        return Verdict(
            walk.path,
            "incomplete",
            tr(
                f"前 {count} 行完好，但没有结束事件：演练被中断（如进程被杀），或末尾的行被删去",
                f"all {count} lines are authentic but there is no end event: the drill was "
                "interrupted (e.g. killed) or its last lines were removed",
            ),
            authentic_lines=count,
            line=count,
            event=_describe(walk.lines[-1][0]),
            signer=signer,
        )
    if walk.trailer:
        return _after_end(walk, signer)
    if walk.trusted is not None:
        message = tr(
            f"共 {count} 行，均由本班密钥 {signer} 签名",
            f"intact: {count} lines, all signed with the class key {signer}",
        )
        return Verdict(walk.path, "intact", message, count, signer=signer)
    if walk.signed == count:
        message = tr(
            f"共 {count} 行，由密钥 {signer} 签名，但没有与本班公钥核对（请用 --key 指定本班公钥）",
            f"chained ({count} lines), signed with key {signer}, not checked against a "
            "class key (give --key)",
        )
    else:
        message = tr(
            f"共 {count} 行，未签名：只能证明记录前后一致，不能证明出自本班的 finsim",
            f"chained, unsigned ({count} lines): proves internal consistency only",
        )
    return Verdict(walk.path, "chained", message, count, signer=signer)


def _after_end(walk: _Walk, signer: str | None) -> Verdict:
    """Bytes after the end event (beyond its one newline) are damage: nothing follows an end."""
    count = len(walk.lines)
    return Verdict(
        walk.path,
        "broken",
        tr(
            f"结束事件之后还有 {len(walk.trailer)} 个多余的字节（空白、NUL 或不是事件的内容）："
            "记录在结束后被改动过；请使用原始文件",
            f"{len(walk.trailer)} stray bytes after the end event (blanks, NULs or no event): "
            "the file was changed after it ended; use the original file",
        ),
        authentic_lines=count,
        line=count + 1,
        signer=signer,
    )


def _check_format(verdict: Verdict) -> Verdict:
    """Read the file as a transcript; a malformed event makes the verdict ``broken``."""
    from finsim.transcript.reader import read_transcript

    try:
        read_transcript(verdict.path)
    except FinsimError as error:
        location = error.location if isinstance(error, InputFileError) else None
        return Verdict(
            verdict.path,
            "broken",
            error.message,
            authentic_lines=verdict.authentic_lines,
            line=location.line if location else None,
            signer=verdict.signer,
        )
    return verdict


def _field(event: bytes, name: str) -> Any:
    """Return one field of an event's JSON (``None`` when it does not parse)."""
    try:
        value = json.loads(event.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    return value.get(name) if isinstance(value, dict) else None


def _describe(line: bytes) -> str:
    """Describe the event on a line: ``事件 12（第 5 轮，客户经理，步骤 discover）``."""
    sealed = split_line(line)
    event = sealed.event if sealed else line
    try:
        value = json.loads(event.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return ""
    if not isinstance(value, dict):
        return ""
    kind, seq = value.get("type"), value.get("seq")
    if kind == "header":
        return tr("记录头", "the header")
    parts = [tr(f"第 {value['turn']} 轮", f"turn {value['turn']}")] if "turn" in value else []
    speaker = value.get("speaker")
    if isinstance(speaker, str) and speaker in _SPEAKERS:  # a tampered line may hold a list
        parts.append(tr(*_SPEAKERS[speaker]))
    if isinstance(kind, str) and kind in _KINDS and kind != "turn":
        parts.append(tr(*_KINDS[kind]))
    if "step" in value:
        parts.append(tr(f"步骤 {value['step']}", f"step {value['step']}"))
    inner = tr("，", ", ").join(parts)
    name = tr(f"事件 {seq}", f"event {seq}")
    return f"{name}{tr('（', ' (')}{inner}{tr('）', ')')}" if inner else name


_SPEAKERS = {
    "manager": ("客户经理", "manager"),
    "client": ("客户", "client"),
    "system": ("系统", "system"),
}
_KINDS = {
    "turn": ("发言", "utterance"),
    "step": ("进入步骤", "step change"),
    "end": ("结束", "end"),
    "resume": ("继续", "resume"),
}
