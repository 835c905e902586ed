"""Safe, precise YAML reading for every finsim format.

The reader:
- refuses files over a size cap before reading them;
- reports invalid UTF-8 with its line and column;
- uses the C loader where available, only the safe subset of YAML;
- rejects duplicate keys and aliases (so a "billion laughs" file fails at once);
- remembers the line and column of every key and item, so that a validation
  error can name ``file:line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from finsim.errors import InputFileError, Location
from finsim.i18n import tr

try:  # the C loader is much faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_YAML_BYTES = 2 * 1024 * 1024
"""Largest YAML file accepted: far above any real scenario, far below a memory risk."""

PathKey = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Parsed YAML data with the position (line, column; 1-based) of every node."""

    path: Path
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, key_path: PathKey) -> Location:
        """The location of ``key_path``, or of its nearest ancestor that has one."""
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
    if path.is_dir():
        raise InputFileError(
            tr("这是一个目录，不是文件；请给出文件路径", "is a directory, not a file; give a file path"),
            Location(path),
        )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputFileError(tr("文件不存在", "no such file"), Location(path)) from None
    except OSError as exc:
        raise InputFileError(_os_message(exc), Location(path)) from None
    if size > max_bytes:
        raise InputFileError(
            tr(
                f"文件太大（{size / 1048576:.1f} MB），上限为 {max_bytes / 1048576:.0f} MB",
                f"file too large ({size / 1048576:.1f} MB); the limit is "
                f"{max_bytes / 1048576:.0f} MB",
            ),
            Location(path),
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(_os_message(exc), Location(path)) from None
    return decode_utf8(raw, path)


def decode_utf8(raw: bytes, path: Path) -> str:
    """Decode UTF-8 (a BOM is allowed) and report the first bad byte by line and column."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise InputFileError(
            tr(
                f"不是有效的 UTF-8 编码（第 {exc.start + 1} 字节）；请用 UTF-8 保存文件",
                f"not valid UTF-8 (byte {exc.start + 1}); save the file as UTF-8",
            ),
            Location(path, line, column),
        ) from None


def load_yaml(path: Path, max_bytes: int = MAX_YAML_BYTES) -> YamlDocument:
    """Read and parse one YAML file into plain data plus node positions."""
    text = read_text_file(path, max_bytes)
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> YamlDocument:
    """Parse YAML text safely; ``path`` is used only in messages."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise InputFileError(tr("文件是空的", "the file is empty"), Location(path, 1, 1))
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path) from None
    except yaml.YAMLError as exc:
        raise InputFileError(tr(f"YAML 语法错误：{exc}", f"YAML syntax error: {exc}"), Location(path))
    if root is None:
        raise InputFileError(tr("文件是空的", "the file is empty"), Location(path, 1, 1))
    builder = _Builder(path)
    data = builder.build(root, ())
    return YamlDocument(path=path, data=data, positions=builder.positions)


def _mark_location(path: Path, mark: Any) -> Location:
    if mark is None:
        return Location(path)
    return Location(path, mark.line + 1, mark.column + 1)


def _syntax_error(exc: yaml.MarkedYAMLError, path: Path) -> InputFileError:
    problem = (exc.problem or exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    location = _mark_location(path, mark)
    if "\\t" in problem or "tab" in problem.lower():
        message = tr(
            "这里用了制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab 换成空格",
            "a tab is used for indentation here; YAML allows only spaces, replace the tab",
        )
    elif "end of the stream" in problem and "quoted" in (exc.context or ""):
        message = tr(
            "引号没有闭合：请补上配对的引号",
            "unclosed quote: add the matching quotation mark",
        )
        location = _mark_location(path, exc.context_mark)
    elif "quoted scalar" in (exc.context or ""):
        message = tr(
            f"引号内的文本有误（{problem}）：检查引号是否配对",
            f"bad quoted text ({problem}): check that the quotes match",
        )
        location = _mark_location(path, exc.context_mark)
    else:
        message = tr(
            f"YAML 语法错误：{problem}；请检查这一行的缩进、冒号和引号",
            f"YAML syntax error: {problem}; check this line's indentation, colons and quotes",
        )
    return InputFileError(message, location)


class _Builder:
    """Turns a composed node graph into plain data, recording node positions."""

    _scalars = yaml.SafeLoader("")  # only its scalar constructors are used

    def __init__(self, path: Path) -> None:
        self.path = path
        self.positions: dict[PathKey, tuple[int, int]] = {}
        self._seen: set[int] = set()

    def build(self, node: yaml.Node, key_path: PathKey) -> Any:
        if id(node) in self._seen:
            raise InputFileError(
                tr(
                    "不支持 YAML 锚点与别名（& 和 *）；请把内容直接写出来",
                    "YAML anchors and aliases (& and *) are not supported; write the content out",
                ),
                _mark_location(self.path, node.start_mark),
            )
        self._seen.add(id(node))
        self.positions[key_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key_path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*key_path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, key_path: PathKey) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InputFileError(
                    tr("不支持 YAML 合并键（<<）", "YAML merge keys (<<) are not supported"),
                    _mark_location(self.path, key_node.start_mark),
                )
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str | int | float | bool) or key is None:
                raise InputFileError(
                    tr("键必须是简单的文本", "a key must be plain text"),
                    _mark_location(self.path, key_node.start_mark),
                )
            name = str(key) if not isinstance(key, str) else key
            if name in result:
                first = self.positions.get((*key_path, name))
                where = tr(f"（第一次出现在第 {first[0]} 行）", f" (first at line {first[0]})") if first else ""
                raise InputFileError(
                    tr(f"键 “{name}” 重复出现{where}；删除或合并其中一个", f"duplicate key '{name}'{where}; remove or merge one"),
                    _mark_location(self.path, key_node.start_mark),
                )
            child_path = (*key_path, name)
            self.positions[child_path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[name] = self.build(value_node, child_path)
            # the key's position is more useful than the value's for messages about the key
            self.positions[child_path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self._scalars.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise InputFileError(
                tr(f"无法识别的值：{exc.problem}", f"unreadable value: {exc.problem}"),
                _mark_location(self.path, node.start_mark),
            ) from None


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return tr(f"无法读取文件：{reason}", f"cannot read the file: {reason}")
