"""Turn pydantic validation errors into plain-language ``file:line:col`` lines.

Every format (scenario, intent library, rubric, class settings) is validated by
pydantic models; the raw errors speak of ``loc`` tuples and Python types. This
module rewrites each into one line a teacher can act on, in the user's
language, pointing at the node in the YAML file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

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
    """One problem as ``file:line:col: path: message``."""
    return f"{doc.locate(key_path)}: {format_key_path(key_path)}: {message}"


def validate_document(model: type[ModelT], doc: YamlDocument) -> ModelT:
    """Validate parsed YAML against ``model``; raise :class:`ValidationFailed` in plain words."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise ValidationFailed(_rewrite(exc, doc)) from None


def _rewrite(exc: ValidationError, doc: YamlDocument) -> list[str]:
    lines: list[str] = []
    seen: set[str] = set()
    for error in exc.errors(include_url=False):
        key_path = _clean_loc(error["loc"])
        line = problem_line(doc, key_path, _message(error))
        if line not in seen:
            seen.add(line)
            lines.append(line)
    return lines


def _clean_loc(loc: tuple[Any, ...]) -> PathKey:
    # pydantic inserts the names of union members and validator tags into loc
    return tuple(
        part
        for part in loc
        if isinstance(part, int) or not (isinstance(part, str) and ("[" in part or part.startswith("function-")))
    )


def _message(error: Any) -> str:
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    got = error.get("input")
    loc = error["loc"]
    field = loc[-1] if loc else ""
    templates: dict[str, tuple[str, str]] = {
        "missing": (f"缺少必填字段 “{field}”", f"required field '{field}' is missing"),
        "extra_forbidden": (
            f"未知字段 “{field}”（拼写错误？允许的字段见 finsim scenario schema）",
            f"unknown field '{field}' (a typo? see finsim scenario schema for the allowed fields)",
        ),
        "string_type": (f"应为文本，实际是 {_describe(got)}", f"should be text, got {_describe(got)}"),
        "int_type": (f"应为整数，实际是 {_describe(got)}", f"should be a whole number, got {_describe(got)}"),
        "int_parsing": (f"应为整数，实际是 {_describe(got)}", f"should be a whole number, got {_describe(got)}"),
        "float_type": (f"应为数字，实际是 {_describe(got)}", f"should be a number, got {_describe(got)}"),
        "float_parsing": (f"应为数字，实际是 {_describe(got)}", f"should be a number, got {_describe(got)}"),
        "bool_type": (f"应为 true 或 false，实际是 {_describe(got)}", f"should be true or false, got {_describe(got)}"),
        "bool_parsing": (f"应为 true 或 false，实际是 {_describe(got)}", f"should be true or false, got {_describe(got)}"),
        "list_type": (f"应为列表（每项以 - 开头），实际是 {_describe(got)}", f"should be a list (items start with -), got {_describe(got)}"),
        "dict_type": (f"应为映射（键: 值），实际是 {_describe(got)}", f"should be a mapping (key: value), got {_describe(got)}"),
        "model_type": (f"应为映射（键: 值），实际是 {_describe(got)}", f"should be a mapping (key: value), got {_describe(got)}"),
        "model_attributes_type": (f"应为映射（键: 值），实际是 {_describe(got)}", f"should be a mapping (key: value), got {_describe(got)}"),
        "literal_error": (
            f"取值 {_describe(got)} 无效，应为 {ctx.get('expected', '')} 之一",
            f"value {_describe(got)} is not allowed; expected one of {ctx.get('expected', '')}",
        ),
        "enum": (
            f"取值 {_describe(got)} 无效，应为 {ctx.get('expected', '')} 之一",
            f"value {_describe(got)} is not allowed; expected one of {ctx.get('expected', '')}",
        ),
        "greater_than_equal": (f"不能小于 {ctx.get('ge')}", f"must be at least {ctx.get('ge')}"),
        "less_than_equal": (f"不能大于 {ctx.get('le')}", f"must be at most {ctx.get('le')}"),
        "too_short": (f"至少需要 {ctx.get('min_length')} 项", f"needs at least {ctx.get('min_length')} item(s)"),
        "string_too_short": ("不能为空", "must not be empty"),
        "string_pattern_mismatch": (
            f"格式不对：{_describe(got)} 应匹配 {ctx.get('pattern')}",
            f"bad format: {_describe(got)} should match {ctx.get('pattern')}",
        ),
    }
    if kind in templates:
        zh, en = templates[kind]
        return tr(zh, en)
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return tr(f"取值无效：{error['msg']}", f"invalid value: {error['msg']}")


def _describe(value: Any) -> str:
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
