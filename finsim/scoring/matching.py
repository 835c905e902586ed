"""Which step template of a rubric scores which step of a scenario.

The rules (the template's ``match`` ids, then position when the step counts
agree, else the generic template) are described in :mod:`finsim.scoring.rubric`.
"""

from __future__ import annotations

from dataclasses import dataclass

from finsim.scenario.models import Scenario, Step
from finsim.scoring.rubric import Rubric, StepTemplate


@dataclass(frozen=True)
class StepMatch:
    """A scenario step (with its 1-based number) and the template that scores it."""

    number: int
    step: Step
    template: StepTemplate
    how: str


def match_steps(rubric: Rubric, scenario: Scenario) -> list[StepMatch]:
    """Pair every step of ``scenario`` with a template of ``rubric``, in order."""
    same_count = len(scenario.steps) == len(rubric.steps)
    matches: list[StepMatch] = []
    for index, step in enumerate(scenario.steps):
        template, how = _choose(rubric, step, index if same_count else None)
        matches.append(StepMatch(index + 1, step, template, how))
    return matches


def _choose(rubric: Rubric, step: Step, position: int | None) -> tuple[StepTemplate, str]:
    for template in rubric.steps:
        if step.id in template.match:
            return template, "id"
    if position is not None:
        return rubric.steps[position], "position"
    return rubric.generic, "generic"
