"""Writing a transcript: one JSON line per event, flushed and fsynced as it happens.

A line is written with a single ``write`` on a file opened for appending, then
``fsync``ed, so a crash or a kill leaves every earlier line whole and at most
the line being written torn (the reader drops a torn last line).

Every line is sealed (:mod:`finsim.transcript.chain`): a hash chain over the lines,
signed with the class key when one is configured (see ``docs/seal.md``).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from finsim.atomic import fsync_dir, write_hint
from finsim.errors import StorageError, UsageError
from finsim.i18n import os_reason, tr
from finsim.resources import data_dir
from finsim.scenario.models import Scenario
from finsim.transcript.chain import Sealer
from finsim.transcript.keys import signing_key

TRANSCRIPTS_DIR = "transcripts"
EventT = TypeVar("EventT", bound=BaseModel)


def scenario_document(scenario: Scenario) -> dict[str, Any]:
    """Return the scenario as the transcript embeds it (JSON-ready, YAML key names)."""
    return scenario.model_dump(mode="json", by_alias=True)


def scenario_hash(scenario: Scenario) -> str:
    """Return the sha256 (hex) of the scenario's canonical JSON: sorted keys, no spaces, UTF-8."""
    canonical = json.dumps(
        scenario_document(scenario), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def new_transcript_path(scenario_id: str, folder: Path | None = None) -> Path:
    """Return a fresh ``<timestamp>-<scenario>-<random>.jsonl`` path (not created yet)."""
    folder = folder if folder is not None else data_dir() / TRANSCRIPTS_DIR
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return folder / f"{stamp}-{scenario_id}-{secrets.token_hex(3)}.jsonl"


def _storage_error(path: Path, error: OSError) -> StorageError:
    reason = os_reason(error)
    hint = write_hint(path, error)
    return StorageError(
        tr(
            f"无法写入演练记录 {path}：{reason}；{hint}（也可用 --out 另选位置）",
            f"cannot write the transcript {path}: {reason}; {hint} (or choose a place with --out)",
        )
    )


class TranscriptWriter:
    """Appends events to one transcript file; each event is durable when ``write`` returns.

    ``write`` stamps the event with the next sequence number. Use
    :meth:`create` for a new file and :meth:`reopen` to continue one.
    """

    def __init__(self, path: Path, fd: int, next_seq: int, sealer: Sealer | None = None) -> None:
        self.path = path
        self._fd: int | None = fd
        self.next_seq = next_seq
        self._sealer = sealer or Sealer.plain()

    @classmethod
    def create(cls, path: Path, header: BaseModel) -> TranscriptWriter:
        """Create ``path`` (it must not exist) and write the header as line 1."""
        sealer = Sealer.start(signing_key())  # a broken key file fails before the file exists
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a file stands where a folder of the path should be
            error = NotADirectoryError(errno.ENOTDIR, "Not a directory")
            raise _storage_error(path, error) from None
        except OSError as error:
            raise _storage_error(path, error) from error
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        except FileExistsError:  # the user's --out names an existing file: bad input
            raise UsageError(
                tr(
                    f"演练记录 {path} 已存在；请换一个文件名（不会覆盖已有记录）",
                    f"the transcript {path} exists; choose another name (it is never overwritten)",
                )
            ) from None
        except OSError as error:
            raise _storage_error(path, error) from error
        writer = cls(path, fd, 0, sealer)
        writer.write(header)
        fsync_dir(path.parent)
        return writer

    @classmethod
    def reopen(
        cls, path: Path, valid_bytes: int, needs_newline: bool, next_seq: int
    ) -> TranscriptWriter:
        """Continue ``path``: cut a torn tail at ``valid_bytes``, end the last line, append."""
        try:
            with path.open("rb") as handle:
                sealer = Sealer.resume(handle.read(valid_bytes), signing_key())
            fd = os.open(path, os.O_WRONLY | os.O_APPEND)
            os.truncate(path, valid_bytes)
            if needs_newline:
                os.write(fd, b"\n")
            os.fsync(fd)
        except OSError as error:
            raise _storage_error(path, error) from error
        return cls(path, fd, next_seq, sealer)

    def write(self, event: EventT) -> EventT:
        """Stamp ``event`` with the next sequence number, write it as one line, fsync it."""
        if self._fd is None:
            raise StorageError(
                tr(f"演练记录 {self.path} 已关闭", f"the transcript {self.path} is closed")
            )
        stamped = event.model_copy(update={"seq": self.next_seq})
        line = self._sealer.seal(stamped.model_dump_json(by_alias=True))
        try:
            _write_all(self._fd, line.encode("utf-8"))
            os.fsync(self._fd)
        except OSError as error:
            raise _storage_error(self.path, error) from error
        self._sealer.commit()
        self.next_seq += 1
        return stamped

    @property
    def closed(self) -> bool:
        """Whether the file has been released."""
        return self._fd is None

    def close(self) -> None:
        """Release the file (idempotent)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (``os.write`` may write less than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
