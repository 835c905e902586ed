"""The output policy: what a command may write its ``--out`` file over.

Every command that writes a file (``export``, ``showcase``, ``report``, ``batch
rescore``) asks :func:`check_output` first:

- it never writes onto a file it reads, nor onto a class database, a key or a
  transcript (the same file by inode or by resolved path, or a file whose first
  bytes say what it is): refused even with ``--force``;
- an existing file is replaced only with ``--force``; a default output name is
  no exception;
- a device or a pipe (``/dev/stdout``) is written into, never replaced.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from finsim.errors import UsageError
from finsim.i18n import tr

_SNIFF_BYTES = 64 * 1024
"""How much of an existing file is read to tell what it is (a transcript header is long)."""

_SQLITE_MAGIC = b"SQLite format 3\x00"
_TRANSCRIPT_MARK = b'"finsim/transcript@'
_KEY_MARKS = (b"-----BEGIN PRIVATE KEY-----", b"-----BEGIN PUBLIC KEY-----")
_KEY_KIND = ("密钥文件", "a key file")


def check_output(
    out: Path, *, reads: Iterable[Path] = (), protected: Iterable[Path] = (), force: bool = False
) -> None:
    """Refuse to write ``out`` when the policy forbids it (:class:`UsageError`, exit 2).

    ``reads`` are the files the command reads; ``protected`` other files it must
    never replace (the class database it opened, …), whatever ``force`` says.
    """
    try:
        info = out.stat()
    except OSError:
        return  # nothing there yet (or a missing folder: the writer says so)
    if not stat.S_ISREG(info.st_mode):
        return  # a folder is the writer's error; a device or pipe is written into
    for other in (*reads, *protected):
        if _same_file(out, info, other):
            raise UsageError(_same_file_text(out, other))
    kind = _protected_kind(out)
    if kind is not None:
        raise UsageError(_never_replaced_text(out, kind))
    if not force:
        raise UsageError(
            tr(
                f"{out} 已存在；加 --force 替换它，或换一个文件名",
                f"{out} exists; add --force to replace it, or choose another name",
            )
        )


def check_key_output(path: Path) -> None:
    """Refuse to write a new key over ``path`` unless what is there is a key.

    ``--force`` on ``class key`` replaces an old key; a class database or a
    transcript that happens to carry the name is never replaced.
    """
    if not path.is_file():
        return
    kind = _protected_kind(path)
    if kind is not None and kind is not _KEY_KIND:
        raise UsageError(_never_replaced_text(path, kind))


def _never_replaced_text(out: Path, kind: tuple[str, str]) -> str:
    return tr(
        f"{out} 是{kind[0]}，不能用作输出文件（即使加 --force 也不会覆盖）；请换一个文件名",
        f"{out} is {kind[1]}: it is never used as an output file (not even with "
        "--force); choose another name",
    )


def _same_file(out: Path, info: os.stat_result, other: Path) -> bool:
    try:
        if out.resolve() == other.resolve():
            return True
        theirs = other.stat()
    except (OSError, RuntimeError):
        return False
    return (info.st_dev, info.st_ino) == (theirs.st_dev, theirs.st_ino)


def _same_file_text(out: Path, other: Path) -> str:
    return tr(
        f"{out} 是本命令要读取的文件 {other}，写出结果会毁掉它；请用 --out 另选一个文件名",
        f"{out} is {other}, which this command reads: writing there would destroy it; "
        "choose another --out",
    )


def _protected_kind(path: Path) -> tuple[str, str] | None:
    """Say what ``path`` is when it must never be replaced (``None``: an ordinary file)."""
    try:
        with path.open("rb") as stream:  # a regular file (checked by the caller): no blocking
            head = stream.read(_SNIFF_BYTES)
    except OSError:
        return None
    if head.startswith(_SQLITE_MAGIC):
        return "班级数据库（SQLite）", "a class database (SQLite)"
    if any(mark in head for mark in _KEY_MARKS):
        return _KEY_KIND
    if _TRANSCRIPT_MARK in head.split(b"\n", 1)[0]:
        return "演练记录", "a transcript"
    if path.suffix == ".key":
        return _KEY_KIND
    return None


__all__ = ["check_key_output", "check_output"]
