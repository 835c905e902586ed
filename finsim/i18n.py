"""Language of the messages finsim speaks: Chinese by default, English on request.

The language of a command (``--lang``, else ``FINSIM_LANG``, else Chinese) is
carried by its app context, which holds it in a context variable for exactly the
time the command runs (:func:`using_language`); :func:`tr` picks the text for it.
Code running outside a command (a test, a batch worker) sets it with
:func:`set_language`. Messages live next to the code that uses them as
``tr("中文", "English")`` pairs, so a reader sees both at once.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

Language = Literal["zh", "en"]
_SUPPORTED: tuple[Language, ...] = ("zh", "en")
_current: ContextVar[Language | None] = ContextVar("finsim_language", default=None)


def parse_language(value: str) -> Language:
    """Map a user-given language tag (``zh``, ``zh_CN``, ``en-US``…) to a supported one."""
    tag = value.strip().lower().replace("-", "_").split("_")[0]
    if tag == "en":
        return "en"
    return "zh"


def set_language(language: Language | None) -> None:
    """Fix the language from here on; ``None`` returns to the environment's choice."""
    _current.set(language)


@contextmanager
def using_language(language: Language) -> Iterator[None]:
    """Speak ``language`` inside the block, and what was in force before after it."""
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)


def environment_language() -> Language:
    """Return the language the environment asks for: ``FINSIM_LANG``, else Chinese."""
    env = os.environ.get("FINSIM_LANG")
    return parse_language(env) if env else "zh"


def current_language() -> Language:
    """Return the language in force: the one set, else the environment's."""
    chosen = _current.get()
    return chosen if chosen is not None else environment_language()


def tr(zh: str, en: str) -> str:
    """Return the text for the current language."""
    return en if current_language() == "en" else zh


_OS_REASONS: dict[int, str] = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "只读文件系统",
    errno.EIO: "读写出错（磁盘或设备故障）",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "已经存在",
    errno.EBUSY: "正被占用",
    errno.ELOOP: "符号链接层数太多（可能循环）",
}


def os_reason(error: OSError) -> str:
    """Say why a file operation failed: Chinese for the common causes, else the system's words."""
    system = error.strerror or str(error)
    return tr(_OS_REASONS.get(error.errno or 0, system), system)
