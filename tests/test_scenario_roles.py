"""The roles of the intent library (finsim/scenario/roles.py): merged, referenced, checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsim.errors import ValidationFailed
from finsim.scenario.loader import _load_library_cached, base_library_path
from finsim.scenario.roles import Roles


def test_a_scenario_adds_to_a_role_and_to_the_word_rules_without_replacing() -> None:
    library = Roles(family_involvement=["a"], word_rules={"rule_a": "x"})
    extra = Roles(family_involvement=["b"], word_rules={"rule_a": "y", "rule_b": "z"})
    merged = library.merged(extra)
    assert merged.family_involvement == ["a", "b"]
    assert merged.word_rules == {"rule_a": "x", "rule_b": "z"}


def test_a_word_rule_reports_as_its_red_line_or_as_itself() -> None:
    roles = Roles(word_rules={"rule_a": "red_a"})
    assert roles.reported_as("rule_a") == "red_a"
    assert roles.reported_as("rule_b") == "rule_b"


def test_the_word_rules_are_referenced_for_the_checks() -> None:
    refs = dict(Roles(word_rules={"rule_a": "red_a"}).references())
    assert refs[("word_rules", "rule_a")] == ["red_a"]


@pytest.mark.parametrize(
    ("line", "broken"),
    [
        ("  risk_disclosure: [disclose_risk]", "  risk_disclosure: [no_such_intent]"),
        ("  family_involvement: [ask_decision_maker]", "  family_involvement: [no_such_intent]"),
        (
            "    deposit_insurance_limit: misstate_deposit_insurance",
            "    deposit_insurance_limit: no_such_intent",
        ),
    ],
)
def test_a_role_naming_no_intent_is_reported_at_its_line(
    line: str, broken: str, tmp_path: Path
) -> None:
    text = base_library_path().read_text(encoding="utf-8")
    assert text.count(line + "\n") == 1, line
    number = text[: text.index(line + "\n")].count("\n") + 1
    path = tmp_path / "intents.yaml"
    path.write_text(text.replace(line + "\n", broken + "\n"), encoding="utf-8")
    with pytest.raises(ValidationFailed) as raised:
        _load_library_cached(path)
    assert "no_such_intent" in str(raised.value)
    assert f"intents.yaml:{number}:" in str(raised.value)
