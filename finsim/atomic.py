"""Writing a file atomically: a temporary file beside the target, then ``os.replace``.

Every file finsim replaces (exports, grade books, batch summaries, keys) goes
through :func:`atomic_writer`. Readers of the target see the old file or the
whole new one, never a part: a failure (a full disk, an exception while
producing the data, a kill) leaves the target as it was and removes the
temporary file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from finsim.errors import StorageError
from finsim.i18n import os_reason, tr

Writer = Callable[[BinaryIO], None]
"""A function that writes a file's bytes to the stream it is given."""


@contextmanager
def atomic_writer(
    path: Path, *, mode: int | None = None, make_parents: bool = False
) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces ``path`` only when the block ends without error.

    The new file gets ``mode``, else the mode of the file it replaces, else the
    umask's (never the temporary file's 0600). With ``make_parents`` missing
    folders are created; otherwise a missing folder is a :class:`StorageError`.
    """
    if _is_stream(path):
        yield from _direct_writer(path)
        return
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if make_parents:
            folder.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _error(path, error) from error
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, _mode_for(path) if mode is None else mode)
        os.replace(temp, path)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _error(path, error) from error
        raise
    fsync_dir(folder)


def write_atomic(
    path: Path,
    data: str | bytes | Writer,
    *,
    mode: int | None = None,
    make_parents: bool = False,
) -> None:
    """Write ``data`` (text is UTF-8; a function writes to the stream) to ``path`` atomically."""
    with atomic_writer(path, mode=mode, make_parents=make_parents) as stream:
        if callable(data):
            data(stream)
        else:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)


def fsync_dir(folder: Path) -> None:
    """Make a new file's directory entry durable (best effort: not every OS allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _mode_for(path: Path) -> int:
    """Keep the permissions of the file replaced; a new file gets the umask's (not 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _is_stream(path: Path) -> bool:
    """Whether ``path`` is a device, pipe or socket (``/dev/stdout``), not a file to replace."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _direct_writer(path: Path) -> Iterator[BinaryIO]:
    """Write straight into a device or pipe: replacing it would put a file in its place."""
    try:
        with open(path, "wb") as stream:
            yield stream
    except OSError as error:
        raise _error(path, error) from error


def _error(path: Path, error: OSError) -> StorageError:
    reason = os_reason(error)
    hint = write_hint(path, error)
    return StorageError(
        tr(f"无法写入 {path}：{reason}；{hint}", f"cannot write {path}: {reason}; {hint}")
    )


def write_hint(path: Path, error: OSError) -> str:
    """Say what to do when writing ``path`` failed with ``error`` (a missing folder, …)."""
    return {
        errno.EISDIR: tr("这是一个文件夹，请给出文件名", "it is a folder: give a file name"),
        errno.ENOENT: tr(
            f"文件夹 {path.parent} 不存在，请先创建它或换一个路径",
            f"the folder {path.parent} does not exist: create it or choose another path",
        ),
        errno.EACCES: tr("没有写入权限，请换一个文件夹", "no permission: choose another folder"),
        errno.EROFS: tr("只读文件系统，请换一个文件夹", "read-only: choose another folder"),
        errno.ENOSPC: tr("磁盘已满，请腾出空间后重试", "the disk is full: free some space"),
        errno.EPERM: tr("没有写入权限，请换一个文件夹", "no permission: choose another folder"),
        errno.ENOTDIR: tr(
            f"路径 {path.parent} 里有一段是文件而不是文件夹，请换一个路径",
            f"part of {path.parent} is a file, not a folder: choose another path",
        ),
    }.get(error.errno or 0, tr("请检查路径和权限后重试", "check the path and permissions"))
