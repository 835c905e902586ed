"""Cross-reference errors and lint warnings, each at the right place."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsim.errors import FinsimError
from finsim.scenario import read_scenario

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
SOURCE = MINIMAL.read_text(encoding="utf-8")
RED_LINE = "promise_guaranteed_return"
Edit = tuple[str, str]


def report_for(tmp_path: Path, *edits: Edit) -> tuple[list[str], list[str]]:
    """Errors and warnings of the minimal scenario after text edits."""
    text = SOURCE
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    _, report = read_scenario(path)
    return report.errors, report.warnings


def test_minimal_is_clean(tmp_path: Path) -> None:
    assert report_for(tmp_path) == ([], [])


REFERENCE_ERRORS = [
    (("step: close", "step: closing"), ":49:7: persona.objections[0].step", "步骤 “closing”"),
    (
        ("    required_intents:", "    required_facts: [wealth]\n    required_intents:"),
        ":55:22: persona.decision.required_facts[0]",
        "隐藏事实 “wealth”",
    ),
    (
        ("steps:\n", "responses:\n  ask_nothing: [嗯。]\nsteps:\n"),
        ":59:3: responses.ask_nothing",
        "意图 “ask_nothing”",
    ),
    (("- id: maturing", "- id: health"), ":41:7: persona.facts[1].id", "id “health” 重复"),
    (
        (
            "steps:\n",
            "intents:\n  - {id: ask_family, name: 问家庭, examples: [家里几口人]}\nsteps:\n",
        ),
        ":59:6: intents[0].id",
        "与基础意图库重名",
    ),
]


@pytest.mark.parametrize(("edit", "where", "message"), REFERENCE_ERRORS)
def test_reference_errors(tmp_path: Path, edit: Edit, where: str, message: str) -> None:
    errors, _ = report_for(tmp_path, edit)
    assert len(errors) == 1, errors
    assert where in errors[0] and message in errors[0]


WARNINGS = [
    (("revealed_by: [ask_family]", f"revealed_by: [{RED_LINE}]"), "意图能揭示这个事实"),
    (("resolved_by: [handle_doubt]", f"resolved_by: [{RED_LINE}]"), "意图能化解这个异议"),
    (("  decision:\n", "  known_terms: [定投, 大额存单]\n  decision:\n"), "known_terms[1]"),
    (
        (
            "{id: commit, text: 促成交易, intents: [ask_for_commitment]}",
            "{id: commit, text: 促成交易}",
        ),
        "永远无法达成",
    ),
    (("    product: deposit", "    product: equity-fund"), "风险等级高于客户"),
    (("    accept:", "    min_facts: 3\n    accept:"), "只有 2 个能够揭示"),
    (("[ask_for_commitment]\n", f"[ask_for_commitment, {RED_LINE}]\n"), "要求一个违规意图"),
    (
        (
            "    key_points:\n      - {id: purpose, text: 说明来意, intents: [explain_purpose]}\n",
            "",
        ),
        "steps[0]: 这个步骤没有要点",
    ),
]


@pytest.mark.parametrize(("edit", "message"), WARNINGS)
def test_lint_warnings(tmp_path: Path, edit: Edit, message: str) -> None:
    errors, warnings = report_for(tmp_path, edit)
    assert errors == []
    assert any(message in w for w in warnings), warnings


def test_required_fact_that_cannot_be_revealed(tmp_path: Path) -> None:
    errors, warnings = report_for(
        tmp_path,
        ("revealed_by: [ask_family]", f"revealed_by: [{RED_LINE}]"),
        ("    required_intents:", "    required_facts: [health]\n    required_intents:"),
    )
    assert errors == []
    assert any("persona.decision.required_facts[0]" in w and "“health”" in w for w in warnings)


def test_misspelt_key_is_a_format_error_before_the_checks(tmp_path: Path) -> None:
    with pytest.raises(FinsimError, match="key_point"):
        report_for(tmp_path, ("    key_points:\n", "    key_point:\n"))


def test_objection_without_resolvers_falls_back_to_the_iceberg_model(tmp_path: Path) -> None:
    """The engine resolves it by its kind's handling, so the check does not warn."""
    assert report_for(tmp_path, ("resolved_by: [handle_doubt]", "resolved_by: []")) == ([], [])


def test_known_terms_may_name_a_term_or_an_alias(tmp_path: Path) -> None:
    edit = ("  decision:\n", "  known_terms: [定投, 净值型, 刚兑]\n  decision:\n")
    assert report_for(tmp_path, edit) == ([], [])


def test_a_formality_after_the_yes_as_a_condition_of_buying_is_warned(tmp_path: Path) -> None:
    source = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")
    changed = source.replace(
        "required_intents: [ask_for_commitment]",
        "required_intents: [ask_for_commitment, confirm_details]",
    )
    assert changed != source
    path = tmp_path / "s.yaml"
    path.write_text(changed, encoding="utf-8")
    _, report = read_scenario(path)
    assert not report.errors
    assert any("confirm_details" in w and "required_intents[1]" in w for w in report.warnings)


def test_an_opening_that_fits_only_a_purchase_is_warned_about(tmp_path: Path) -> None:
    errors, warnings = report_for(
        tmp_path,
        (
            "    opening: 那你说说吧。\n",
            "    opening:\n      - text: 今天这事算是办妥了。\n"
            "        when: {decision: [bought]}\n",
        ),
    )
    assert errors == []
    assert len(warnings) == 1 and "steps[1].opening" in warnings[0]
    assert "尚未决定且平静" in warnings[0] and "已经拒绝且反感" in warnings[0]
    assert "已经购买" not in warnings[0]


def test_a_line_condition_naming_an_unknown_id_is_an_error(tmp_path: Path) -> None:
    errors, _ = report_for(
        tmp_path,
        (
            "    opening: 那你说说吧。\n",
            "    opening:\n      - text: 那你说说吧。\n        when: {told: [nobody]}\n"
            "      - 嗯。\n",
        ),
    )
    assert len(errors) == 1 and "隐藏事实 “nobody”" in errors[0]
