"""No Python module under finsim/ names an intent: the code asks the library for a role.

An intent id is the ``id`` of an intent of the base library or of a shipped
scenario. A string constant in finsim/ fails the check when it *is* an id, or,
outside documentation, when one of its words is an id with an underscore in
it (``"ask_decision_maker"``, ``f"… disclose_risk …"``): a one-word id such as
``greet`` is an English word a message may say. Documentation (a docstring, or
any string that is a statement on its own) may discuss an intent in prose.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

import finsim
from finsim.resources import shipped_dir
from finsim.scenario.loader import load_base_library, load_scenario_file

ROOT = Path(finsim.__file__).resolve().parent
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@cache
def intent_ids() -> frozenset[str]:
    """Every intent id of the base library and of the shipped scenarios' own intents."""
    ids = {i.id for i in load_base_library().intents}
    for path in sorted(shipped_dir("scenarios").glob("*.yaml")):
        ids.update(i.id for i in load_scenario_file(path).scenario.intents)
    return frozenset(ids)


def named_intents(source: str, ids: frozenset[str]) -> Iterator[tuple[int, str]]:
    """Each (line, intent id) that a string constant of ``source`` names in code."""
    tree = ast.parse(source)
    prose = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        text = node.value.strip()
        if text in ids:
            yield node.lineno, text
        elif id(node) not in prose:
            for word in WORD.findall(text):
                if "_" in word and word in ids:
                    yield node.lineno, word


def test_the_ids_are_read() -> None:
    ids = intent_ids()
    assert {"disclose_risk", "ask_decision_maker", "misstate_deposit_insurance"} <= ids
    assert "af_ask_residence" in ids  # a scenario's own intent


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('roles.any_of("disclose_risk", ids)', [(1, "disclose_risk")]),
        ('x = f"said {n} ask_decision_maker"', [(1, "ask_decision_maker")]),
        ('x = "greet"', [(1, "greet")]),
        ('x = "greet the client"', []),
        ('def f():\n    """Asks ``ask_decision_maker`` first."""', []),
        ('"""A module on disclose_risk."""', []),
        ('"""disclose_risk"""', [(1, "disclose_risk")]),
        ("# disclose_risk in a comment\nx = 1", []),
        ('x = "disclose_riskier"', []),
    ],
)
def test_the_check_tells_code_from_prose(source: str, found: list[tuple[int, str]]) -> None:
    assert list(named_intents(source, intent_ids())) == found


def test_no_module_names_an_intent() -> None:
    ids = intent_ids()
    found = [
        f"{path.relative_to(ROOT.parent)}:{line}: {intent!r}"
        for path in sorted(ROOT.rglob("*.py"))
        for line, intent in named_intents(path.read_text(encoding="utf-8"), ids)
    ]
    assert not found, "ask the intent library for a role instead:\n" + "\n".join(found)
