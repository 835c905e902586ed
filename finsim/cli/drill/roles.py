"""Who plays what: ``--student`` and ``--roles`` into the transcript's participants.

``--roles`` is a comma-separated list of ``NAME=ROLE`` or ``NAME=ROLE@STEP+STEP``;
ROLE is ``manager``/``客户经理``/``经理`` or ``client``/``客户``; the steps (ids)
limit the role to those steps, as when the five managers of a group each play
one step. Without ``--roles``, solo students all play the manager; in pair mode
``--student`` alternates: the first plays the manager, the second the client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from finsim.errors import UsageError
from finsim.i18n import tr
from finsim.scenario.models import Scenario
from finsim.transcript.model import Mode, Participant

Role = Literal["manager", "client"]

_ROLE_WORDS: dict[str, Role] = {
    "manager": "manager",
    "m": "manager",
    "客户经理": "manager",
    "经理": "manager",
    "client": "client",
    "c": "client",
    "客户": "client",
}


def parse_roles(spec: str, scenario: Scenario) -> list[Participant]:
    """Parse a ``--roles`` value; any mistake raises :class:`UsageError` naming the part."""
    step_ids = [s.id for s in scenario.steps]
    result: list[Participant] = []
    for part in (p.strip() for p in spec.replace("，", ",").split(",")):
        if not part:
            continue
        name, eq, rest = part.partition("=")
        role_word, _, steps_text = rest.partition("@")
        role = _ROLE_WORDS.get(role_word.strip().lower())
        if not eq or not name.strip() or role is None:
            raise UsageError(
                tr(
                    f"--roles 中的 “{part}” 看不懂：应写成 姓名=客户经理 或 姓名=客户"
                    "（可加 @步骤编号+步骤编号）",
                    f"--roles: cannot read '{part}': write NAME=manager or NAME=client"
                    " (optionally @STEP+STEP)",
                )
            )
        steps = [s.strip() for s in steps_text.split("+") if s.strip()]
        unknown = [s for s in steps if s not in step_ids]
        if unknown:
            raise UsageError(
                tr(
                    f"--roles 中的步骤 “{'、'.join(unknown)}” 不在本场景中；"
                    f"可用：{'、'.join(step_ids)}",
                    f"--roles: unknown step(s) {', '.join(unknown)}; known: {', '.join(step_ids)}",
                )
            )
        result.append(Participant(id=name.strip(), name=name.strip(), role=role, steps=steps))
    return result


def participants_for(
    students: Sequence[str], roles: str | None, mode: Mode, scenario: Scenario
) -> list[Participant]:
    """Build the participants from ``--student`` and ``--roles`` (each student once)."""
    named = parse_roles(roles, scenario) if roles else []
    taken = {p.id for p in named}
    rest = [s.strip() for s in students if s.strip() and s.strip() not in taken]
    if roles:
        return named + [Participant(id=s, name=s, role="manager") for s in rest]
    if mode == "pair":
        order: list[Role] = ["manager", "client"]
        return [Participant(id=s, name=s, role=order[i % 2]) for i, s in enumerate(rest)]
    return [Participant(id=s, name=s, role="manager") for s in rest]


def player(participants: Sequence[Participant], role: Role, step_id: str) -> str | None:
    """Return who plays ``role`` at ``step_id`` (a step-specific entry wins)."""
    for p in participants:
        if p.role == role and step_id in p.steps:
            return p.name or p.id
    for p in participants:
        if p.role == role and not p.steps:
            return p.name or p.id
    return None
