"""Menus for the choices not given as options (scenario, mode, who plays): questionary.

Only asked on a terminal; every choice also has an option, so scripts and
tests never meet a menu. The chooser is passed in, so tests use a fake one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

from finsim.i18n import tr
from finsim.scenario import DEFAULT_SCENARIO_ID, ScenarioCatalog
from finsim.transcript.model import Mode


@dataclass(frozen=True)
class DrillChoices:
    """What a drill needs to start; ``None`` means not chosen yet."""

    scenario: str | None = None
    mode: Mode | None = None
    students: list[str] = field(default_factory=list)


class Chooser(Protocol):
    """Asks the user: a choice from a list, or a line of text."""

    def select(self, message: str, choices: list[tuple[str, str]], default: str) -> str:
        """Ask for one of ``choices`` (value, title); ``default`` is preselected."""
        ...

    def text(self, message: str) -> str:
        """Ask for a line of text (may be empty)."""
        ...


class QuestionaryChooser:
    """The terminal chooser: questionary menus (Ctrl-C raises KeyboardInterrupt)."""

    def select(self, message: str, choices: list[tuple[str, str]], default: str) -> str:
        """Ask with a menu (arrow keys and Enter)."""
        import questionary

        options = [questionary.Choice(title=title, value=value) for value, title in choices]
        chosen = next((c for c in options if c.value == default), options[0])
        return str(questionary.select(message, choices=options, default=chosen).unsafe_ask())

    def text(self, message: str) -> str:
        """Ask for a line of text."""
        import questionary

        return str(questionary.text(message).unsafe_ask())


def ask_choices(chooser: Chooser, catalog: ScenarioCatalog, given: DrillChoices) -> DrillChoices:
    """Ask for every choice still missing; keep those already given."""
    choices = given
    if choices.scenario is None:
        options = [
            (s.scenario.id, f"{s.scenario.title}（{s.scenario.persona.profile.name}）")
            for s in catalog.load_all()
        ]
        ids = [value for value, _ in options]
        default = DEFAULT_SCENARIO_ID if DEFAULT_SCENARIO_ID in ids else ids[0]
        scenario = chooser.select(tr("选择演练场景：", "Choose a scenario:"), options, default)
        choices = replace(choices, scenario=scenario)
    if choices.mode is None:
        modes = [
            (
                "solo",
                tr(
                    "单人练习：我扮演客户经理，虚拟客户应答",
                    "Solo: I am the manager, the virtual client answers",
                ),
            ),
            (
                "pair",
                tr(
                    "双人演练：两位同学同机轮流扮演客户经理和客户",
                    "Pair: two students take turns at one keyboard",
                ),
            ),
        ]
        mode: Mode = (
            "pair"
            if chooser.select(tr("选择演练模式：", "Choose a mode:"), modes, "solo") == "pair"
            else "solo"
        )
        choices = replace(choices, mode=mode)
    if not choices.students:
        choices = replace(choices, students=_ask_students(chooser, choices.mode or "solo"))
    return choices


def _ask_students(chooser: Chooser, mode: Mode) -> list[str]:
    if mode == "pair":
        questions = [
            tr(
                "扮演客户经理的同学（姓名或学号，可回车跳过）：",
                "Student playing the manager (Enter to skip):",
            ),
            tr(
                "扮演客户的同学（姓名或学号，可回车跳过）：",
                "Student playing the client (Enter to skip):",
            ),
        ]
        answers = [chooser.text(q).strip() for q in questions]
        return answers if all(answers) else [a for a in answers[:1] if a]
    name = chooser.text(
        tr("你的姓名或学号（可回车跳过）：", "Your name or student id (Enter to skip):")
    ).strip()
    return [name] if name else []
