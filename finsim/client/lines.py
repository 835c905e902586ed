"""The client's built-in lines and decision texts, read from ``lines.yaml`` beside this module.

A scenario's ``lines`` and ``responses`` always win; these fill what it lacks.
The lines are data: each is a string or ``{text, when, tells}``
(:mod:`finsim.scenario.lines`), so a built-in line is chosen from the client's
state like a scenario's own. The engine replaces ``{term}``, ``{product}``,
``{topic}``, ``{names}``, ``{missing}`` and ``{why}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from finsim.scenario.lines import Line, LineModel

Lang = Literal["zh", "en"]
LINES_FILE = Path(__file__).with_name("lines.yaml")


class BuiltinLines(BaseModel):
    """The file ``finsim/client-lines@1``: lines by situation and by intent, texts, by language."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["finsim/client-lines@1"]
    situations: dict[Lang, dict[str, list[Line]]]
    intents: dict[Lang, dict[str, list[Line]]]
    texts: dict[Lang, dict[str, str]]
    missing_intent: dict[Lang, dict[str, str]]
    violation_words: dict[Lang, dict[str, str]]


def _load() -> BuiltinLines:
    data = yaml.safe_load(LINES_FILE.read_text(encoding="utf-8"))
    data["schema_"] = data.pop("schema")
    return BuiltinLines.model_validate(data)


BUILTIN = _load()

SITUATION_LINES: dict[Lang, dict[str, list[LineModel]]] = BUILTIN.situations
"""Built-in lines by situation (``unrecognised``, ``jargon``, ``parting``…)."""

INTENT_LINES: dict[Lang, dict[str, list[LineModel]]] = BUILTIN.intents
"""Generic replies by intent, used when neither the step nor the scenario gives one."""

DECISION_TEXT: dict[Lang, dict[str, str]] = BUILTIN.texts
"""Templates of the decision reasons, the client's words when declining, violation details."""


def texts(lines: list[LineModel]) -> list[str]:
    """Return the words of some lines, without their conditions."""
    return [line.text for line in lines]
