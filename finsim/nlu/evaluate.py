"""Measuring the recogniser on a labelled evaluation set ``finsim/nlu-eval@2``.

An evaluation set lists, per intent, lines that mean it (``cases``; a case may
name further acts in ``also``) and lines that must fire no red line (``safe``).
The figures: top-1 accuracy (the best intent is one of the labelled acts),
recall (the intended intent is among those found), per-intent recall, and for
red lines the false alarms (a red line fired that the line does not carry) and
the misses (a labelled red line not found). ``never`` lists, per intent, lines
that must not be recognised as it (a reassurance that is no risk disclosure);
each time it is, that is a wrong find.

Format 2 adds a ``register`` to each line (plain, colloquial, elderly, typo,
compound, traditional, mixed, indirect: how it is said), so the figures can be
broken down by register; format 1 files (no registers) are read as they are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import BeforeValidator, ConfigDict, Field

from finsim.nlu.recogniser import Recogniser
from finsim.scenario.models import Identifier, Strict, Text

EVAL_SCHEMA = "finsim/nlu-eval@2"
_OLDER_SCHEMAS = ("finsim/nlu-eval@1",)
Register = Literal[
    "plain", "colloquial", "elderly", "typo", "compound", "traditional", "mixed", "indirect"
]
"""How a line is said; lines without one count as ``plain``."""
REGISTERS: tuple[str, ...] = get_args(Register)


class EvalCase(Strict):
    """One labelled line: its text and any further acts it carries."""

    text: Text
    also: list[Identifier] = Field(default_factory=list)
    register_: Register = Field(default="plain", alias="register")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _case(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


class SafeLine(Strict):
    """A line that must fire no red line, and how it is said."""

    text: Text
    register_: Register = Field(default="plain", alias="register")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class EvalSet(Strict):
    """A labelled evaluation set."""

    schema_: Literal["finsim/nlu-eval@2"] = Field(alias="schema")
    language: Literal["zh", "en"] = "zh"
    cases: dict[Identifier, list[Annotated[EvalCase, BeforeValidator(_case)]]] = Field(
        default_factory=dict
    )
    safe: list[Annotated[SafeLine, BeforeValidator(_case)]] = Field(
        default_factory=list, description="lines that fire no red line"
    )
    never: dict[Identifier, list[Text]] = Field(
        default_factory=dict, description="per intent, lines that must not be recognised as it"
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def labelled(self) -> list[tuple[str, EvalCase]]:
        """Every case with its intended intent, in file order."""
        return [(intent, case) for intent, cases in self.cases.items() for case in cases]


@dataclass
class EvalReport:
    """The figures of one evaluation run and the lines behind every failure."""

    cases: int = 0
    top1: int = 0
    found: int = 0
    also_total: int = 0
    also_found: int = 0
    per_intent: dict[str, tuple[int, int]] = field(default_factory=dict)
    per_intent_top1: dict[str, int] = field(default_factory=dict)
    per_register: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """Per register: cases whose intent was found, cases it came first, cases."""
    red_line_cases: int = 0
    red_line_caught: int = 0
    red_line_lines: int = 0
    """Lines labelled with at least one red line."""
    red_line_lines_flagged: int = 0
    """Of those, lines on which some red line was raised (the line is charged, maybe as another)."""
    lines_checked: int = 0
    false_alarms: list[tuple[str, str]] = field(default_factory=list)
    """Red lines raised on a line that carries none."""
    other_red_lines: list[tuple[str, str]] = field(default_factory=list)
    """Red lines raised beside a different labelled red line (the line does break a rule)."""
    misses: list[tuple[str, str]] = field(default_factory=list)
    wrong: list[tuple[str, str, str]] = field(default_factory=list)
    never_checked: int = 0
    wrongly_found: list[tuple[str, str]] = field(default_factory=list)

    @property
    def top1_accuracy(self) -> float:
        """Share of cases whose best intent is one of the labelled acts."""
        return self.top1 / self.cases if self.cases else 0.0

    @property
    def recall(self) -> float:
        """Share of cases whose intended intent is among the intents found."""
        return self.found / self.cases if self.cases else 0.0

    @property
    def also_recall(self) -> float:
        """Share of the further labelled acts (``also``) that were found."""
        return self.also_found / self.also_total if self.also_total else 1.0

    def weakest(self, count: int = 10) -> list[tuple[str, float, int]]:
        """Return the intents with the lowest recall: id, recall, number of cases."""
        rows = [(i, hit / total, total) for i, (hit, total) in self.per_intent.items() if total]
        return sorted(rows, key=lambda r: (r[1], r[0]))[:count]


def load_eval_set(path: Path) -> EvalSet:
    """Read and validate an evaluation set file."""
    from finsim.scenario.loader import require_schema
    from finsim.validation import validate_document
    from finsim.yamlio import load_yaml

    doc = load_yaml(path)
    if isinstance(doc.data, dict) and doc.data.get("schema") in _OLDER_SCHEMAS:
        doc.data["schema"] = EVAL_SCHEMA  # format 2 only adds optional fields
    require_schema(doc, EVAL_SCHEMA)
    return validate_document(EvalSet, doc)


def evaluate(recogniser: Recogniser, evalset: EvalSet) -> EvalReport:
    """Run the recogniser over every line of the set and count."""
    red_lines = {i.id for i in recogniser.intents if i.red_line}
    report = EvalReport()
    hits: Counter[str] = Counter()
    firsts: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    by_register: dict[str, Counter[str]] = {}
    for intent, case in evalset.labelled():
        labels = {intent, *case.also}
        ids = [m.id for m in recogniser.recognise(case.text)]
        register = by_register.setdefault(case.register_, Counter())
        report.cases += 1
        totals[intent] += 1
        register["total"] += 1
        if ids and ids[0] in labels:
            report.top1 += 1
            firsts[intent] += 1
            register["top1"] += 1
        if intent in ids:
            report.found += 1
            hits[intent] += 1
            register["found"] += 1
        else:
            report.wrong.append((intent, case.text, ",".join(ids[:3]) or "-"))
        report.also_total += len(case.also)
        report.also_found += sum(a in ids for a in case.also)
        _count_red_lines(report, case.text, set(ids), labels & red_lines, red_lines)
    for line in evalset.safe:
        found = {m.id for m in recogniser.recognise(line.text)}
        _count_red_lines(report, line.text, found, set(), red_lines)
    for intent, texts in evalset.never.items():
        for text in texts:
            report.never_checked += 1
            if intent in {m.id for m in recogniser.recognise(text)}:
                report.wrongly_found.append((intent, text))
    report.per_intent = {i: (hits[i], totals[i]) for i in totals}
    report.per_intent_top1 = {i: firsts[i] for i in totals}
    report.per_register = {
        r: (c["found"], c["top1"], c["total"]) for r, c in sorted(by_register.items())
    }
    return report


def _count_red_lines(
    report: EvalReport, text: str, found: set[str], expected: set[str], red_lines: set[str]
) -> None:
    report.lines_checked += 1
    if expected:
        report.red_line_lines += 1
        report.red_line_lines_flagged += bool(found & red_lines)
    for rid in sorted((found & red_lines) - expected):
        (report.other_red_lines if expected else report.false_alarms).append((rid, text))
    for rid in sorted(expected):
        report.red_line_cases += 1
        if rid in found:
            report.red_line_caught += 1
        else:
            report.misses.append((rid, text))
