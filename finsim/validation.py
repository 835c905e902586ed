"""Turn pydantic validation errors into plain-language ``file:line:col`` lines.

Every format (scenario, intent library, rubric, class settings) is validated by
pydantic models; the raw errors speak of ``loc`` tuples and Python types. This
module rewrites each into one line a teacher can act on, in the user's
language, pointing at the node in the YAML file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from finsim.errors import ValidationFailed
from finsim.i18n import tr
from finsim.yamlio import PathKey, YamlDocument

ModelT = TypeVar("ModelT", bound=BaseModel)


def format_key_path(key_path: Iterable[str | int]) -> str:
    """Render ``("persona", "facts", 3, "id")`` as ``persona.facts[3].id``."""
    text = ""
    for part in key_path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or tr("（顶层）", "(top level)")


def problem_line(doc: YamlDocument, key_path: PathKey, message: str) -> str:
    """One problem as ``file:line:col: path: message`` (no path for the top level).

    Line breaks that a user's value may carry (newline, U+2028 …) are shown escaped,
    so that one problem always stays one line.
    """
    where = doc.locate(key_path)
    text = one_line(message)
    if not key_path:
        return f"{where}: {text}"
    return f"{where}: {one_line(format_key_path(key_path))}: {text}"


def one_line(text: str) -> str:
    """Escape every character that :meth:`str.splitlines` would break a line at."""
    if len(text.splitlines()) <= 1 and not text.endswith(("\n", "\r")):
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if ch in _LINE_BREAKS else ch for ch in text
    )


_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def validate_document(model: type[ModelT], doc: YamlDocument) -> ModelT:
    """Validate parsed YAML against ``model``; raise :class:`ValidationFailed` in plain words."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise ValidationFailed(_rewrite(exc, doc)) from None


def plain_errors(exc: ValidationError) -> list[str]:
    """One ``path: message`` line per problem, for values that came from no file (options)."""
    lines = [
        f"{format_key_path(_clean_loc(e['loc']))}: {one_line(_message(e))}"
        for e in exc.errors(include_url=False)
    ]
    return list(dict.fromkeys(lines))


def _rewrite(exc: ValidationError, doc: YamlDocument) -> list[str]:
    """One line per distinct problem; a misspelt field gives one line, not two."""
    errors = [(_clean_loc(e["loc"]), e) for e in exc.errors(include_url=False)]
    typos = _typos(errors)
    lines: list[str] = []
    for key_path, error in errors:
        if error["type"] == "missing" and key_path in typos.values():
            continue  # reported as the misspelling that stands in its place
        if key_path in typos:
            message = _typo_message(str(key_path[-1]), str(typos[key_path][-1]))
        else:
            message = _message(error)
        line = problem_line(doc, key_path, message)
        if line not in lines:
            lines.append(line)
    return lines


def _typos(errors: list[tuple[PathKey, ErrorDetails]]) -> dict[PathKey, PathKey]:
    """Map each unknown field to the missing field of the same mapping it likely misspells."""
    missing = [path for path, e in errors if e["type"] == "missing" and path]
    found: dict[PathKey, PathKey] = {}
    for path, error in errors:
        if error["type"] != "extra_forbidden" or not path:
            continue
        siblings = {
            str(m[-1]): m for m in missing if m[:-1] == path[:-1] and m not in found.values()
        }
        close = difflib.get_close_matches(str(path[-1]), list(siblings), n=1, cutoff=0.6)
        if close:
            found[path] = siblings[close[0]]
    return found


def _typo_message(wrong: str, right: str) -> str:
    return tr(
        f"未知字段 “{wrong}”：是不是想写 “{right}”？",
        f"unknown field '{wrong}': did you mean '{right}'?",
    )


def _clean_loc(loc: tuple[int | str, ...]) -> PathKey:
    """Drop the names pydantic inserts into ``loc`` for union members and validators."""
    return tuple(
        part
        for part in loc
        if isinstance(part, int) or not ("[" in part or part.startswith("function-"))
    )


def _message(error: ErrorDetails) -> str:
    """Say what is wrong in one pydantic error, in plain words."""
    kind = error["type"]
    loc = error["loc"]
    field = loc[-1] if loc else ""
    templates = _templates(field, _describe(error.get("input")), error.get("ctx") or {})
    if kind in templates:
        zh, en = templates[kind]
        return tr(zh, en)
    if kind == "value_error":
        return str((error.get("ctx") or {}).get("error", error["msg"]))
    return tr(f"取值无效：{error['msg']}", f"invalid value: {error['msg']}")


def _templates(field: int | str, got: str, ctx: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Messages by pydantic error type, as (Chinese, English)."""
    wrong_type = {
        "string": ("应为文本", "should be text"),
        "int": ("应为整数", "should be a whole number"),
        "float": ("应为数字", "should be a number"),
        "finite": ("应为有限的数字", "should be a finite number"),
        "bool": ("应为 true 或 false", "should be true or false"),
        "list": ("应为列表（每项以 - 开头）", "should be a list (items start with -)"),
        "dict": ("应为映射（键: 值）", "should be a mapping (key: value)"),
    }
    aliases = {
        "string_type": "string",
        "int_type": "int",
        "int_parsing": "int",
        "int_from_float": "int",
        "float_type": "float",
        "float_parsing": "float",
        "finite_number": "finite",
        "bool_type": "bool",
        "bool_parsing": "bool",
        "list_type": "list",
        "dict_type": "dict",
        "model_type": "dict",
        "model_attributes_type": "dict",
    }
    templates = {
        kind: (f"{wrong_type[base][0]}，实际是 {got}", f"{wrong_type[base][1]}, got {got}")
        for kind, base in aliases.items()
    }
    expected = str(ctx.get("expected", ""))
    choice = (
        f"取值 {got} 无效，应为 {expected.replace(' or ', ', ').replace(', ', '、')} 之一",
        f"value {got} is not allowed; use {expected}",
    )
    templates |= {
        "missing": (f"缺少必填字段 “{field}”", f"required field '{field}' is missing"),
        "extra_forbidden": (
            f"未知字段 “{field}”（拼写错误？允许的字段见 finsim scenario schema）",
            f"unknown field '{field}' (a typo? see finsim scenario schema for the allowed fields)",
        ),
        "literal_error": choice,
        "enum": choice,
        "greater_than": (f"必须大于 {ctx.get('gt')}", f"must be more than {ctx.get('gt')}"),
        "greater_than_equal": (f"不能小于 {ctx.get('ge')}", f"must be at least {ctx.get('ge')}"),
        "less_than_equal": (f"不能大于 {ctx.get('le')}", f"must be at most {ctx.get('le')}"),
        "too_short": (
            f"至少需要 {ctx.get('min_length')} 项",
            f"needs at least {ctx.get('min_length')} item(s)",
        ),
        "union_tag_invalid": (
            f"类型 “{ctx.get('tag')}” 无效，应为 {ctx.get('expected_tags')} 之一",
            f"type '{ctx.get('tag')}' is not allowed; use {ctx.get('expected_tags')}",
        ),
        "string_too_short": ("不能为空", "must not be empty"),
        "string_too_long": (
            f"太长：最多 {ctx.get('max_length')} 个字符",
            f"too long: at most {ctx.get('max_length')} characters",
        ),
        "string_pattern_mismatch": (
            f"格式不对：{got} 应匹配 {ctx.get('pattern')}",
            f"bad format: {got} should match {ctx.get('pattern')}",
        ),
    }
    return templates


def _describe(value: Any) -> str:
    """Show a value the user wrote, briefly."""
    if value is None:
        return tr("空值", "nothing")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return tr("一个映射", "a mapping")
    if isinstance(value, list):
        return tr("一个列表", "a list")
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 40 else text[:37] + "…"
