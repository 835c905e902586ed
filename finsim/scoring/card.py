"""The rows of a score card: one per step and per overall criterion, with a note on each.

The ``finsim score`` table and the exported score card show the same rows; the table
names each criterion short of full marks with the points it lost (the detail follows
below it), the export says what was missing (it has no detail beside it).
"""

from __future__ import annotations

from dataclasses import dataclass

from finsim.i18n import tr
from finsim.scoring.auto import fmt
from finsim.scoring.report import CriterionScore, ScoreReport, StepScore, turn_aside
from finsim.scoring.rubric import level_label


@dataclass(frozen=True)
class CardRow:
    """One row: what is scored, its points out of the maximum, the level, the notes."""

    label: str
    points: str
    level: str
    notes: list[str]

    def note(self) -> str:
        """Join the notes into one line."""
        return tr("；", "; ").join(self.notes)


def short_of_full(criteria: list[CriterionScore]) -> list[CriterionScore]:
    """Return the criteria below full marks."""
    return [c for c in criteria if c.max > 0 and c.points < c.max]


def card_rows(report: ScoreReport, *, say_what_was_missing: bool) -> list[CardRow]:
    """Every step, then every overall criterion, as a row of the card."""
    rows = [_step_row(step, say_what_was_missing) for step in report.steps]
    for c in report.overall:
        notes = [c.missing] if c.missing else []  # set only below full marks
        rows.append(CardRow(c.name, f"{fmt(c.points)}/{fmt(c.max)}", level_label(c.level), notes))
    return rows


def _step_row(step: StepScore, say_what_was_missing: bool) -> CardRow:
    notes = [f"-{fmt(d.points)} {d.name}{turn_aside(d.turn)}" for d in step.deductions]
    if step.capped_at is not None:
        notes.append(tr(f"封顶 {fmt(step.capped_at)}", f"capped at {fmt(step.capped_at)}"))
    for c in short_of_full(step.criteria):
        if say_what_was_missing:
            notes += [c.name + tr("：", ": ") + c.missing] if c.missing else []
        else:
            notes.append(f"{c.name} -{fmt(c.max - c.points)}")
    if step.curved is not None:
        cut = fmt(step.earned - step.curved)
        notes.append(tr(f"按完成度折算 -{cut}", f"partly done: -{cut}"))
    label = tr(f"第{step.number}步 {step.name}", f"Step {step.number} {step.name}")
    return CardRow(label, f"{fmt(step.points)}/{fmt(step.max)}", level_label(step.level), notes)
