"""Groups of up to ten students and the roles they play in each step.

In class a group sends ten students: five play the client manager of one step
each and five play the client of that step (DESIGN §1). :func:`default_roles`
deals these 2×steps parts round the members in order, so a group of ten gets
exactly one part each and a smaller group has some members play two. Steps are
named by the scenario's step id or by their 1-based position ("1"…"5"), which
fits any scenario. Swaps (a student managing one step and playing the client of
another) are written in an imported groups file.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from finsim.classroom.roster import map_columns, quote_problem, read_table
from finsim.errors import InputFileError, Location, UsageError, ValidationFailed
from finsim.i18n import tr
from finsim.store import Member, Role, Student
from finsim.vocabulary import group_zh

MAX_GROUP_SIZE = 10
DEFAULT_STEPS: tuple[str, ...] = ("1", "2", "3", "4", "5")

ROLE_WORDS: dict[str, Role] = {
    "客户经理": "manager",
    "经理": "manager",
    "manager": "manager",
    "m": "manager",
    "客户": "client",
    "client": "client",
    "c": "client",
}


def group_sizes(count: int, size: int) -> list[int]:
    """Split ``count`` students into the fewest groups of at most ``size``, as even as possible."""
    if not 1 <= size <= MAX_GROUP_SIZE:
        raise UsageError(
            tr(f"每组人数应在 1 到 {MAX_GROUP_SIZE} 之间", f"group size must be 1…{MAX_GROUP_SIZE}")
        )
    groups = -(-count // size)
    base, extra = divmod(count, groups) if groups else (0, 0)
    return [base + (1 if i < extra else 0) for i in range(groups)]


def assign_groups(
    students: Sequence[Student], size: int, *, method: str = "random", seed: int | None = None
) -> dict[str, list[str]]:
    """Assign students to groups ``G1``, ``G2``…: shuffled (``random``) or dealt (``balanced``).

    ``balanced`` deals the roster in order like cards (1st → G1, 2nd → G2, …), so
    neighbouring student ids — often one dormitory or one previous team — are spread out.
    """
    ids = [s.student_id for s in students]
    sizes = group_sizes(len(ids), size)
    names = [f"G{i + 1}" for i in range(len(sizes))]
    if method == "random":
        random.Random(seed).shuffle(ids)
        groups, start = {}, 0
        for name, n in zip(names, sizes, strict=True):
            groups[name] = ids[start : start + n]
            start += n
        return groups
    if method == "balanced":
        dealt: dict[str, list[str]] = {name: [] for name in names}
        for index, student_id in enumerate(ids):
            dealt[names[index % len(names)]].append(student_id)
        return dealt
    raise UsageError(tr(f"未知的分组方式：{method}", f"unknown grouping method: {method}"))


def default_roles(
    group_id: str, student_ids: Sequence[str], steps: Sequence[str] = DEFAULT_STEPS
) -> list[Member]:
    """Deal the parts (manager of each step, then client of each step) round the members."""
    parts: list[tuple[Role, str]] = [("manager", s) for s in steps] + [("client", s) for s in steps]
    played: dict[tuple[str, Role], list[str]] = {}
    for j in range(max(len(student_ids), len(parts))):
        role, step = parts[j % len(parts)]
        steps_of = played.setdefault((student_ids[j % len(student_ids)], role), [])
        if step not in steps_of:
            steps_of.append(step)
    return [
        Member(group_id, student, role, tuple(steps_of))
        for (student, role), steps_of in played.items()
    ]


def members_from_assignment(
    groups: dict[str, list[str]], steps: Sequence[str] = DEFAULT_STEPS
) -> list[Member]:
    """Members with default roles for every group of an assignment."""
    members: list[Member] = []
    for group_id, ids in groups.items():
        members.extend(default_roles(group_id, ids, steps))
    return members


def parse_steps(text: str) -> tuple[str, ...]:
    """Split ``"1;2"``, ``"1、2"``, ``"research|close"`` or ``"1 2"`` into step references."""
    for separator in ";；、|/ ，,":
        text = text.replace(separator, " ")
    return tuple(part for part in text.split() if part)


def read_groups(
    path: Path, roster: Sequence[Student], steps: Sequence[str] = DEFAULT_STEPS
) -> list[Member]:
    """Read a groups file (columns 组/group, 学号/id, optional 角色/role and 步骤/step)."""
    header, rows = read_table(path)
    columns = map_columns(path, header, ("group", "id"))
    if not rows:  # a header alone would replace every group with none
        raise InputFileError(
            tr(
                "分组文件只有表头，没有学生；原有分组未改动",
                "the groups file has a header but no students; the groups are unchanged",
            ),
            Location(path),
        )
    known = {s.student_id for s in roster}
    problems: list[str] = []
    group_of: dict[str, tuple[str, int]] = {}
    order: dict[str, list[str]] = {}
    parts: dict[tuple[str, str, Role], list[str]] = {}
    for line, cells in rows:

        def cell(field: str, cells: list[str] = cells) -> str:
            index = columns.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        group_id, student_id = cell("group"), cell("id")
        problem = quote_problem(cells) or _group_row_problem(group_id, student_id, known, group_of)
        role, role_problem = _parse_role(cell("role"))
        row_steps = parse_steps(cell("steps"))
        problem = problem or role_problem or _steps_problem(row_steps, role, steps)
        if problem:
            problems.append(f"{path}:{line}: {problem}")
            continue
        group_of[student_id] = (group_id, line)
        if student_id not in order.setdefault(group_id, []):
            order[group_id].append(student_id)
        if role is not None:
            played = parts.setdefault((group_id, student_id, role), [])
            played.extend(s for s in row_steps if s not in played)
    for group_id, ids in order.items():
        if len(ids) > MAX_GROUP_SIZE:
            problems.append(
                f"{path}: "
                + tr(
                    f"{group_zh(group_id)}有 {len(ids)} 人，每组最多 {MAX_GROUP_SIZE} 人",
                    f"group {group_id} has {len(ids)} students; at most {MAX_GROUP_SIZE}",
                )
            )
    if problems:
        raise ValidationFailed(problems)
    return _members(order, parts, steps)


def _members(
    order: dict[str, list[str]],
    parts: dict[tuple[str, str, Role], list[str]],
    steps: Sequence[str],
) -> list[Member]:
    """Roles as written; a group whose file gives no roles at all gets the default ones."""
    members: list[Member] = []
    for group_id, ids in order.items():
        given = [(key, value) for key, value in parts.items() if key[0] == group_id]
        if not given:
            members.extend(default_roles(group_id, ids, steps))
            continue
        with_role = {key[1] for key, _ in given}
        members.extend(Member(g, s, r, tuple(v)) for (g, s, r), v in given)
        # a member listed without a role watches; record as client of no step
        members.extend(Member(group_id, s, "client", ()) for s in ids if s not in with_role)
    return members


def _group_row_problem(
    group_id: str, student_id: str, known: set[str], group_of: dict[str, tuple[str, int]]
) -> str:
    if not group_id:
        return tr("缺少组号", "no group")
    if not student_id:
        return tr("缺少学号", "no student id")
    if student_id not in known:
        return tr(
            f"学号 {student_id} 不在班级名单中（先用 finsim class init --update 导入）",
            f"student {student_id} is not on the roster "
            "(import them with finsim class init --update)",
        )
    previous = group_of.get(student_id)
    if previous and previous[0] != group_id:
        return tr(
            f"学号 {student_id} 已在第 {previous[1]} 行分到 {group_zh(previous[0])}，"
            "一人只能在一个组",
            f"student {student_id} is in group {previous[0]} (line {previous[1]}); one group each",
        )
    return ""


def _parse_role(text: str) -> tuple[Role | None, str]:
    if not text:
        return None, ""
    role = ROLE_WORDS.get(text.strip().lower())
    if role is None:
        return None, tr(
            f"角色 “{text}” 不认识；应为 客户经理/manager 或 客户/client",
            f"role '{text}' is unknown: manager (客户经理) or client (客户)",
        )
    return role, ""


def _steps_problem(row_steps: Sequence[str], role: Role | None, steps: Sequence[str]) -> str:
    if row_steps and role is None:
        return tr("写了步骤就要写角色（客户经理或客户）", "a step needs a role (manager or client)")
    positions = {str(i + 1) for i in range(len(steps))}
    unknown = [s for s in row_steps if s not in steps and s not in positions]
    if unknown:
        return tr(
            f"步骤 {'、'.join(unknown)} 不存在；可用：{'、'.join(steps)}（或序号 1–{len(steps)}）",
            f"unknown step(s) {', '.join(unknown)}; known: {', '.join(steps)} "
            f"(or numbers 1–{len(steps)})",
        )
    return ""
