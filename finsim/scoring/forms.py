"""The peer, teacher and client-role-play forms, drawn from a rubric."""

from __future__ import annotations

from finsim.i18n import tr
from finsim.scenario.models import Scenario
from finsim.scoring.matching import match_steps
from finsim.scoring.rubric import Form, FormItem, FormItemSpec, FormKind, Levels, Rubric


def build_form(rubric: Rubric, kind: FormKind, scenario: Scenario | None = None) -> Form:
    """Resolve the form ``kind`` of ``rubric`` into ready-to-show items."""
    spec = getattr(rubric.forms, kind)
    items: list[FormItem] = []
    steps_done = False
    step_ids = {s.id for s in rubric.steps}
    for item in spec.items:
        if scenario is not None and item.ref in step_ids:
            if not steps_done:
                items.extend(_scenario_step_items(rubric, scenario))
                steps_done = True
            continue
        items.append(_resolve(rubric, item))
    return Form(
        kind=kind,
        title=tr(spec.title, spec.title_en or spec.title),
        instructions=spec.instructions,
        items=items,
        comment=spec.comment,
        comment_prompt=spec.comment_prompt if spec.comment else "",
    )


def _resolve(rubric: Rubric, item: FormItemSpec) -> FormItem:
    if item.ref is None:
        assert item.key and item.max_points and item.levels  # checked on load
        label = tr(item.label, item.label_en or item.label)
        return FormItem(
            key=item.key, label=label, max_points=item.max_points, levels=item.levels.as_dict()
        )
    for template in rubric.steps:
        if template.id == item.ref:
            label = tr(template.name, template.name_en or template.name)
            return _item(item, template.id, label, template.points, template.levels)
    criterion = next(c for c in rubric.overall if c.id == item.ref)  # checked on load
    label = tr(criterion.name, criterion.name_en or criterion.name)
    return _item(item, criterion.id, label, criterion.points, criterion.levels)


def _item(
    spec: FormItemSpec, key: str, label: str, points: float, levels: Levels | None
) -> FormItem:
    chosen = spec.levels or levels
    assert chosen is not None  # checked on load
    return FormItem(
        key=spec.key or key,
        label=tr(spec.label, spec.label_en or spec.label) if spec.label else label,
        max_points=spec.max_points or points,
        levels=chosen.as_dict(),
    )


def _scenario_step_items(rubric: Rubric, scenario: Scenario) -> list[FormItem]:
    items: list[FormItem] = []
    for match in match_steps(rubric, scenario):
        levels = match.template.levels or rubric.generic.levels
        assert levels is not None  # checked on load
        items.append(
            FormItem(
                key=match.step.id,
                label=tr(
                    f"第{match.number}步 {match.step.name}",
                    f"Step {match.number} {match.step.name}",
                ),
                max_points=match.template.points,
                levels=levels.as_dict(),
            )
        )
    return items
