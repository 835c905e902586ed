"""Importing a hand-in: a transcript from a student's machine, verified before it is stored.

:func:`import_transcript` copies the file into the class archive
(``<data dir>/transcripts/imported/<class>/``), verifies the copy — exactly
the bytes that will be kept — and only then registers it as a session of its
group (:func:`finsim.classroom.sessions.register_session`: forms, auto
score). A file that fails verification, or whose registration fails, leaves
nothing behind: no copy, no session.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from finsim.classroom.sessions import register_session
from finsim.errors import InputFileError, StorageError, ValidationFailed
from finsim.i18n import os_reason, tr
from finsim.reading import read_bytes
from finsim.resources import data_dir
from finsim.scoring.rubric import Rubric
from finsim.seal.verify import STATUS_NAMES, Verdict, verify_file
from finsim.store import ClassStore, Session
from finsim.transcript.writer import TRANSCRIPTS_DIR

IMPORTED_DIR = "imported"


@dataclass(frozen=True)
class ImportResult:
    """A stored hand-in: its session, the archived copy and the seal's verdict."""

    session: Session
    stored: Path
    verdict: Verdict


def archive_dir(class_id: str) -> Path:
    """Return where a class's imported transcripts are kept."""
    return data_dir() / TRANSCRIPTS_DIR / IMPORTED_DIR / class_id


def import_transcript(
    store: ClassStore,
    class_id: str,
    path: Path,
    rubric: Rubric,
    *,
    trusted: Ed25519PublicKey | None,
    group: str | None = None,
    allow_incomplete: bool = False,
) -> ImportResult:
    """Verify a hand-in and register it; a failing file raises :class:`ValidationFailed`.

    With a ``trusted`` class key the file must be signed with it (``intact``);
    without one a consistent chain (``chained``) is accepted — it proves the
    file is internally consistent, not who wrote it. ``allow_incomplete``
    accepts a drill that was interrupted but is authentic as far as it goes.
    """
    try:
        data = read_bytes(path)
    except OSError as error:
        raise InputFileError(
            tr(f"无法读取 {path}：{os_reason(error)}", f"cannot read {path}: {error.strerror}")
        ) from error
    stored, created = _store_copy(class_id, path.name, data)
    try:
        verdict = verify_file(stored, trusted)
        if not (verdict.ok or (allow_incomplete and verdict.status == "incomplete")):
            raise ValidationFailed([_refusal(path, verdict)])
        session = register_session(store, class_id, stored, rubric, group=group)
    except BaseException:
        if created:
            stored.unlink(missing_ok=True)
        raise
    return ImportResult(session, stored, verdict)


def _refusal(path: Path, verdict: Verdict) -> str:
    where = f"{path}:{verdict.line}" if verdict.line is not None else str(path)
    event = f"{verdict.event}{tr('：', ': ')}" if verdict.event else ""
    status = tr(*STATUS_NAMES[verdict.status])
    return tr(
        f"{where}: 拒绝导入（{status}）：{event}{verdict.message}",
        f"{where}: refused ({status}): {event}{verdict.message}",
    )


def _store_copy(class_id: str, name: str, data: bytes) -> tuple[Path, bool]:
    """Write ``data`` into the archive; return its path and whether it was written now.

    The same bytes already archived are reused; a different file of the same
    name gets the first digits of its sha256 added to the name.
    """
    folder = archive_dir(class_id)
    digest = hashlib.sha256(data).hexdigest()
    target = folder / name
    if target.exists():
        if hashlib.sha256(target.read_bytes()).hexdigest() == digest:
            return target, False
        target = folder / f"{target.stem}-{digest[:12]}{target.suffix}"
        if target.exists():
            return target, False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise StorageError(
            tr(f"无法写入 {target}：{os_reason(error)}", f"cannot write {target}: {error.strerror}")
        ) from error
    return target, True
