"""Writing an export atomically: a temporary file beside the target, then ``os.replace``.

Readers of the target see the old file or the whole new one, never a part: a
failure (a full disk, an exception while producing the text, a kill) leaves
the target as it was and removes the temporary file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from finsim.errors import StorageError
from finsim.i18n import tr
from finsim.transcript.writer import _fsync_dir


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces ``path`` only when the block ends without error."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _error(path, error) from error
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, _mode_for(path))
        os.replace(temp, path)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _error(path, error) from error
        raise
    _fsync_dir(folder)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text is UTF-8) to ``path`` atomically."""
    with atomic_writer(path) as stream:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)


def _mode_for(path: Path) -> int:
    """Keep the permissions of the file replaced; a new file gets the umask's (not 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _error(path: Path, error: OSError) -> StorageError:
    reason = error.strerror or str(error)
    return StorageError(tr(f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}"))
