"""The recogniser measured on the evaluation set (tests/nlu_eval), with floors set just below
the figures reached, and a guard against train/test leakage into the intent library."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from finsim.nlu import Recogniser
from finsim.nlu.evaluate import EvalReport, EvalSet, evaluate, load_eval_set
from finsim.nlu.normalize import fold
from finsim.scenario import load_base_library

EVAL_DIR = Path(__file__).parent / "nlu_eval"
CANONICAL = {i.id for i in load_base_library().intents}

# Floors: just below what the recogniser reaches (see the commit log for how they moved).
FLOORS = {
    "zh.yaml": {"top1": 0.93, "recall": 0.99},
    "zh_holdout.yaml": {"top1": 0.93, "recall": 0.96},
    "en.yaml": {"top1": 0.95, "recall": 0.95},
}


def _sets() -> list[str]:
    return sorted(p.name for p in EVAL_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return Recogniser(load_base_library())


def _report(recogniser: Recogniser, name: str) -> tuple[EvalSet, EvalReport]:
    evalset = load_eval_set(EVAL_DIR / name)
    return evalset, evaluate(recogniser, evalset)


def test_main_set_covers_every_canonical_intent() -> None:
    evalset = load_eval_set(EVAL_DIR / "zh.yaml")
    assert set(evalset.cases) == CANONICAL
    assert all(len(cases) >= 8 for cases in evalset.cases.values())
    assert len(evalset.safe) >= 40
    assert len(evalset.never.get("disclose_risk", [])) >= 4


@pytest.mark.parametrize("name", _sets())
def test_accuracy_and_recall_floors(recogniser: Recogniser, name: str) -> None:
    _, report = _report(recogniser, name)
    floor = FLOORS[name]
    assert report.top1_accuracy >= floor["top1"], report.wrong
    assert report.recall >= floor["recall"], report.wrong


@pytest.mark.parametrize("name", _sets())
def test_red_lines_no_false_alarm_and_no_miss(recogniser: Recogniser, name: str) -> None:
    _, report = _report(recogniser, name)
    assert report.false_alarms == []
    assert report.misses == []


@pytest.mark.parametrize("name", _sets())
def test_must_not_lines_are_not_recognised_as_the_intent(recogniser: Recogniser, name: str) -> None:
    _, report = _report(recogniser, name)
    assert report.wrongly_found == []


def _bigrams(text: str) -> set[str]:
    compact = re.sub(r"\W", "", fold(text))
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


CORPUS = Path(__file__).parent.parent / "corpus"
HELD_OUT = [EVAL_DIR / n for n in _sets()] + sorted(
    [*(CORPUS / "dev").glob("*.yaml"), *(CORPUS / "blind").glob("*.yaml")]
)
"""Sets that measure: no library example may be a near-copy of one of their lines."""


@pytest.mark.parametrize("path", HELD_OUT, ids=lambda p: p.name)
def test_no_eval_line_leaks_into_the_library(path: Path) -> None:
    evalset = load_eval_set(path)
    never = [text for texts in evalset.never.values() for text in texts]
    lines = (
        [case.text for _, case in evalset.labelled()] + [line.text for line in evalset.safe] + never
    )
    examples = [e for i in load_base_library().intents for e in i.examples]
    grams = [(_bigrams(e), e) for e in examples]
    for line in lines:
        mine = _bigrams(line)
        for theirs, example in grams:
            overlap = len(mine & theirs) / max(1, len(mine | theirs))
            assert overlap < 0.7, f"eval line {line!r} is too close to example {example!r}"


def test_a_red_line_read_as_another_is_charged_but_not_caught(
    recogniser: Recogniser, tmp_path: Path
) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(
        "schema: finsim/nlu-eval@2\nlanguage: zh\ncases:\n"
        "  quote_expected_return:\n"
        '    - {text: "放心，这只基金稳赚不赔，绝对不会亏。", register: plain}\n',
        encoding="utf-8",
    )
    report = evaluate(recogniser, load_eval_set(path))
    assert report.red_line_lines == 1 and report.red_line_lines_flagged == 1
    assert report.red_line_caught == 0 and report.misses
