"""Language of the messages finsim speaks: Chinese by default, English on request.

The language is chosen once per process (``--lang`` or ``FINSIM_LANG``);
:func:`tr` picks the text for it. Messages live next to the code that uses
them as ``tr("中文", "English")`` pairs, so a reader sees both at once.
"""

from __future__ import annotations

import errno
import os
from typing import Literal

Language = Literal["zh", "en"]
_SUPPORTED: tuple[Language, ...] = ("zh", "en")
_current: Language | None = None


def parse_language(value: str) -> Language:
    """Map a user-given language tag (``zh``, ``zh_CN``, ``en-US``…) to a supported one."""
    tag = value.strip().lower().replace("-", "_").split("_")[0]
    if tag == "en":
        return "en"
    return "zh"


def set_language(language: Language | None) -> None:
    """Fix the language for this process; ``None`` returns to the environment's choice."""
    global _current
    _current = language


def current_language() -> Language:
    """Return the language in force: the one set, else ``FINSIM_LANG``, else Chinese."""
    if _current is not None:
        return _current
    env = os.environ.get("FINSIM_LANG")
    return parse_language(env) if env else "zh"


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
