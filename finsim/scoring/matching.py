"""Which step template of a rubric scores which step of a scenario.

The rules (id, then position when the counts agree, then the dominant intent
group of the step, then the generic template) are described in
:mod:`finsim.scoring.rubric`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from finsim.scenario.models import IntentLibrary, Scenario, Step
from finsim.scoring.rubric import Rubric, StepTemplate


@dataclass(frozen=True)
class StepMatch:
    """A scenario step (with its 1-based number) and the template that scores it."""

    number: int
    step: Step
    template: StepTemplate
    how: str


def match_steps(rubric: Rubric, scenario: Scenario, library: IntentLibrary) -> list[StepMatch]:
    """Pair every step of ``scenario`` with a template of ``rubric``, in order."""
    groups = {i.id: i.group for i in [*library.intents, *scenario.intents]}
    same_count = len(scenario.steps) == len(rubric.steps)
    matches: list[StepMatch] = []
    for index, step in enumerate(scenario.steps):
        template, how = _choose(rubric, step, index if same_count else None, groups)
        matches.append(StepMatch(index + 1, step, template, how))
    return matches


def _choose(
    rubric: Rubric, step: Step, position: int | None, groups: dict[str, str]
) -> tuple[StepTemplate, str]:
    for template in rubric.steps:
        if step.id in template.match:
            return template, "id"
    if position is not None:
        return rubric.steps[position], "position"
    dominant = _dominant_group(step, groups)
    for template in rubric.steps:
        if dominant and template.group == dominant:
            return template, "group"
    return rubric.generic, "generic"


def _dominant_group(step: Step, groups: dict[str, str]) -> str:
    named = [i for kp in step.key_points for i in kp.intents] + sorted(step.responses)
    counts = Counter(groups[i] for i in named if groups.get(i, "").startswith("step"))
    if not counts:
        return ""
    best = max(counts.values())
    return min(g for g, n in counts.items() if n == best)
