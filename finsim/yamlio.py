"""Safe, precise YAML reading for every finsim format.

The reader:
- refuses files over a size cap before reading them;
- reports invalid UTF-8 with its line and column;
- uses the C loader where available, only the safe subset of YAML;
- rejects duplicate keys and aliases (so a "billion laughs" file fails at once);
- bounds nesting depth, so no input can exhaust the stack;
- remembers the line and column of every key and item, so that a validation
  error can name ``file:line:col``.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from finsim.errors import InputFileError, Location
from finsim.i18n import os_reason, tr

try:  # the C loader is much faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_YAML_BYTES = 2 * 1024 * 1024
"""Largest YAML file accepted: far above any real scenario, far below a memory risk."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted (a scenario needs fewer than ten)."""

PathKey = tuple[str | int, ...]

# PyYAML's scalar constructors raise these plain exceptions on malformed values
# (a date "2024-13-45", "!!int abc", "!!int" alone), not only ConstructorError.
_CONSTRUCTOR_FAILURES = (
    yaml.YAMLError,
    ValueError,
    TypeError,
    AttributeError,
    LookupError,
    ArithmeticError,
)

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML counts as a line break when it numbers lines."""


@dataclass
class YamlDocument:
    """Parsed YAML data with the position (line, column; 1-based) of every node."""

    path: Path
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, key_path: PathKey) -> Location:
        """Find ``key_path`` in the file, or its nearest ancestor that has a position."""
        probe = tuple(key_path)
        while probe:
            if probe in self.positions:
                line, column = self.positions[probe]
                return Location(self.path, line, column)
            probe = probe[:-1]
        line, column = self.positions.get((), (1, 1))
        return Location(self.path, line, column)


def read_text_file(path: Path, max_bytes: int) -> str:
    """Read a UTF-8 text file with a size cap; every failure is an :class:`InputFileError`."""
    size = _regular_file_size(path)
    if size > max_bytes:
        raise _too_large(path, size, max_bytes)
    try:
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise InputFileError(_os_message(exc), Location(path)) from None
    if len(raw) > max_bytes:
        raise _too_large(path, len(raw), max_bytes)
    return decode_utf8(raw, path)


def _regular_file_size(path: Path) -> int:
    """Return the size of ``path``, or fail unless it is an existing regular file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputFileError(
            tr("文件不存在；请检查路径", "no such file; check the path"), Location(path)
        ) from None
    except OSError as exc:
        raise InputFileError(_os_message(exc), Location(path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputFileError(
            tr(
                "这是一个目录，不是文件；请给出文件路径",
                "is a directory, not a file; give a file path",
            ),
            Location(path),
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(
            tr(
                "不是普通文件（是设备或管道）；请给出一个文件的路径",
                "not a regular file (a device or a pipe); give the path of a file",
            ),
            Location(path),
        )
    return info.st_size


def _too_large(path: Path, size: int, max_bytes: int) -> InputFileError:
    mb, limit = size / 1048576, max_bytes / 1048576
    return InputFileError(
        tr(
            f"文件太大（{mb:.1f} MB），上限为 {limit:.0f} MB；请检查是否选错了文件",
            f"file too large ({mb:.1f} MB); the limit is {limit:.0f} MB: is it the right file?",
        ),
        Location(path),
    )


def decode_utf8(raw: bytes, path: Path) -> str:
    """Decode UTF-8 (a BOM is allowed) and report the first bad byte by line and column."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        # the column counts characters, as editors do; the bytes before the bad one are valid
        line_start = before[before.rfind(b"\n") + 1 :].decode("utf-8-sig")
        raise InputFileError(
            tr(
                f"不是有效的 UTF-8 编码（第 {exc.start + 1} 字节）；请用 UTF-8 保存文件",
                f"not valid UTF-8 (byte {exc.start + 1}); save the file as UTF-8",
            ),
            Location(path, line, len(line_start) + 1),
        ) from None


def load_yaml(path: Path, max_bytes: int = MAX_YAML_BYTES) -> YamlDocument:
    """Read and parse one YAML file into plain data plus node positions."""
    text = read_text_file(path, max_bytes)
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> YamlDocument:
    """Parse YAML text safely; ``path`` is used only in messages."""
    if _is_blank(text):
        raise _empty(path)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path, text) from None
    except yaml.reader.ReaderError as exc:
        raise _control_character(exc, path, text) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error above is more precise
        problem = str(exc).splitlines()[0]
        message = tr(f"YAML 语法错误：{problem}", f"YAML syntax error: {problem}")
        raise InputFileError(message, Location(path)) from None
    except RecursionError:  # pragma: no cover - only the pure-Python loader recurses
        raise _too_deep(path, Location(path)) from None
    if root is None:
        raise _empty(path)
    builder = _Builder(path, text)
    data = builder.build(root, ())
    if data is None:  # "---" alone, or "~"
        raise _empty(path)
    return YamlDocument(path=path, data=data, positions=builder.positions)


def _empty(path: Path) -> InputFileError:
    message = tr(
        "文件是空的；请从 “schema:” 一行写起", "the file is empty; start with the 'schema:' line"
    )
    return InputFileError(message, Location(path, 1, 1))


def _is_blank(text: str) -> bool:
    """Tell whether ``text`` holds nothing but blank lines and comments."""
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _mark_location(path: Path, mark: Any) -> Location:
    if mark is None:
        return Location(path)
    return Location(path, mark.line + 1, mark.column + 1)


_PROBLEMS_ZH = {
    "mapping values are not allowed": "这里不能再出现 “键: 值”（含冒号的文本请加引号）",
    "did not find expected key": "缩进没有对齐，或一个值后面多了内容",
    "did not find expected ',' or ']'": "方括号列表 [ ] 没有闭合，或缺少逗号",
    "did not find expected ',' or '}'": "花括号映射 { } 没有闭合，或缺少逗号",
    "did not find expected '-' indicator": "列表项（以 - 开头）的缩进不一致",
    "could not find expected ':'": "缺少冒号（应为 “键: 值”）",
    "cannot start any token": "这个字符不能出现在值的开头（如 @ 或 `），请给文本加引号",
    "found undefined alias": "不支持 YAML 别名（*），请把内容直接写出来",
}
"""Chinese for the syntax problems PyYAML reports most often (the English stays as it is)."""


def _syntax_error(exc: yaml.MarkedYAMLError, path: Path, text: str) -> InputFileError:
    """Rewrite a PyYAML syntax error as one plain message at the place to fix."""
    problem = (exc.problem or exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    if "tab" in problem.lower() or _char_at(text, mark) == "\t":
        message = tr(
            "这里用了制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab 换成空格",
            "a tab is used for indentation here; YAML allows only spaces, replace the tab",
        )
    elif "quoted scalar" in (exc.context or ""):
        message = _quote_message(problem)
        mark = exc.context_mark  # the place to fix is the opening quote, not the end
    else:
        hint = next((zh for known, zh in _PROBLEMS_ZH.items() if known in problem), problem)
        message = tr(
            f"YAML 语法错误：{hint}；请检查这一行的缩进、冒号和引号",
            f"YAML syntax error: {problem}; check this line's indentation, colons and quotes",
        )
    return InputFileError(message, _text_location(path, text, mark))


def _text_location(path: Path, text: str, mark: Any) -> Location:
    """Locate a mark, moved back inside the text when it points past its end."""
    location = _mark_location(path, mark)
    lines = _LINE_BREAK.split(text)
    if location.line is not None and location.line > len(lines):
        return Location(path, len(lines), len(lines[-1]) + 1)
    return location


def _control_character(exc: yaml.reader.ReaderError, path: Path, text: str) -> InputFileError:
    """Report a character YAML does not allow (a control character) at its line and column."""
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    # the C reader counts the position in UTF-8 bytes; finding the character is exact
    index = text.find(chr(code))
    lines = _LINE_BREAK.split(text[: max(index, 0)])
    return InputFileError(
        tr(
            f"含有 YAML 不允许的控制字符 U+{code:04X}；请删除它",
            f"contains the control character U+{code:04X}, which YAML does not allow; remove it",
        ),
        Location(path, len(lines), len(lines[-1]) + 1),
    )


def _char_at(text: str, mark: Any) -> str:
    """Return the character a PyYAML mark points at ('' when there is none)."""
    index = getattr(mark, "index", None)
    return text[index : index + 1] if isinstance(index, int) and index >= 0 else ""


def _quote_message(problem: str) -> str:
    if "end of stream" in problem:
        return tr(
            "引号没有闭合：请在这段文本末尾补上配对的引号",
            "unclosed quote: add the matching quotation mark at the end of this text",
        )
    return tr(
        f"引号内的文本有误（{problem}）：检查引号是否配对",
        f"bad quoted text ({problem}): check that the quotes match",
    )


def _too_deep(path: Path, location: Location) -> InputFileError:
    return InputFileError(
        tr(
            f"嵌套层级太深（超过 {MAX_DEPTH} 层）；请检查缩进",
            f"nested too deeply (more than {MAX_DEPTH} levels); check the indentation",
        ),
        location,
    )


def _first_alias(text: str) -> Any:
    """Return the mark of the first alias (``*name``) in ``text``, if any."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark
    return None  # pragma: no cover - called only once an alias was found


class _Builder:
    """Turns a composed node graph into plain data, recording node positions."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.positions: dict[PathKey, tuple[int, int]] = {}
        self._seen: set[int] = set()
        self._constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node: yaml.Node, key_path: PathKey) -> Any:
        """Convert ``node`` (found at ``key_path``) and everything below it."""
        self._enter(node, key_path)
        if isinstance(node, yaml.MappingNode):
            self._plain_tag(node, "map")
            return self._mapping(node, key_path)
        if isinstance(node, yaml.SequenceNode):
            self._plain_tag(node, "seq")
            return [self.build(item, (*key_path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _plain_tag(self, node: yaml.Node, kind: str) -> None:
        """Refuse a tag on a mapping or list (``!!python/object``, ``!!set``, ``!mine``)."""
        if node.tag != f"tag:yaml.org,2002:{kind}":
            raise InputFileError(
                tr(f"不支持 YAML 标签 “{node.tag}”", f"the YAML tag '{node.tag}' is not supported"),
                _mark_location(self.path, node.start_mark),
            )

    def _enter(self, node: yaml.Node, key_path: PathKey) -> None:
        """Refuse aliases and deep nesting; record where ``node`` starts."""
        if id(node) in self._seen:
            # compose() resolved the alias to its anchor; point at the alias itself
            raise InputFileError(
                tr(
                    "不支持 YAML 锚点与别名（& 和 *）；请把内容直接写出来",
                    "YAML anchors and aliases (& and *) are not supported; write the content out",
                ),
                _mark_location(self.path, _first_alias(self.text) or node.start_mark),
            )
        self._seen.add(id(node))
        if len(key_path) >= MAX_DEPTH:  # the root container is at depth 1
            raise _too_deep(self.path, _mark_location(self.path, node.start_mark))
        self.positions.setdefault(key_path, _position(node))

    def _mapping(self, node: yaml.MappingNode, key_path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            name = self._key(key_node, key_path, result)
            child_path = (*key_path, name)
            # a message about a key is best placed at the key, not at its value
            self.positions[child_path] = _position(key_node)
            result[name] = self.build(value_node, child_path)
        return result

    def _key(self, key_node: yaml.Node, key_path: PathKey, seen: dict[str, Any]) -> str:
        """Return a mapping key as text; refuse merge keys, complex keys and duplicates."""
        where = _mark_location(self.path, key_node.start_mark)
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise InputFileError(
                tr("不支持 YAML 合并键（<<）", "YAML merge keys (<<) are not supported"), where
            )
        key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
        if key is None or not isinstance(key, str | int | float | bool):
            raise InputFileError(tr("键必须是简单的文本", "a key must be plain text"), where)
        name = key if isinstance(key, str) else str(key)
        if name in seen:
            first = self.positions[(*key_path, name)][0]
            raise InputFileError(
                tr(
                    f"键 “{name}” 重复出现（第一次出现在第 {first} 行）；删除或合并其中一个",
                    f"duplicate key '{name}' (first at line {first}); remove or merge one",
                ),
                where,
            )
        return name

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except _CONSTRUCTOR_FAILURES as exc:
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise InputFileError(
                tr(f"无法识别的值：{problem}", f"unreadable value: {problem}"),
                _mark_location(self.path, node.start_mark),
            ) from None


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _os_message(exc: OSError) -> str:
    reason = os_reason(exc)
    return tr(f"无法读取文件：{reason}", f"cannot read the file: {reason}")
