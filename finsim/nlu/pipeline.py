"""The recogniser's pipeline: its stages, one interface, and their weights as configuration.

A line is prepared once (:class:`Line`: folded forms, clause spans, example
cover, the learned model's probabilities); then, for every intent, each
:class:`Stage` in :data:`STAGES` reads the line and the :class:`Signals`
gathered so far and either adds evidence or drops the intent. The weights live
in ``pipeline.yaml`` (format ``finsim/nlu-pipeline@1``), read once and hashed
into the judge, so that a transcript names the configuration that read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from pydantic import Field

from finsim.i18n import tr
from finsim.nlu.features import clause_spans
from finsim.nlu.guards import cancelled, disclaims
from finsim.scenario.models import Intent
from finsim.scenario.types import Strict

PIPELINE_SCHEMA = "finsim/nlu-pipeline@1"
PIPELINE_FILE = Path(__file__).parent / "pipeline.yaml"


class RuleWeights(Strict):
    """Scores of keyword and pattern hits."""

    keyword: float = Field(ge=0, le=1)
    pattern: float = Field(ge=0, le=1)
    extra_hit: float = Field(ge=0, le=1)
    max: float = Field(ge=0, le=1)


class ExampleWeights(Strict):
    """How likeness to an example is measured."""

    kind_weights: dict[int, float]
    precision: float = Field(ge=0, le=1)


class LearnedWeights(Strict):
    """How far the learned model counts."""

    weight: float = Field(ge=0, le=1)
    min: float = Field(ge=0, le=1)
    red_line: float = Field(ge=0, le=1)


class MoodWeights(Strict):
    """The question/statement prior of an intent."""

    mismatch: float = Field(ge=0, le=1)
    min_examples: int = Field(ge=1)


class PipelineConfig(Strict):
    """The recogniser's weights (``pipeline.yaml``)."""

    schema_: str = Field(alias="schema")
    threshold: float = Field(ge=0, le=1)
    rules: RuleWeights
    examples: ExampleWeights
    learned: LearnedWeights
    red_line_bonus: float = Field(ge=0, le=1)
    mood: MoodWeights


def load_pipeline(path: Path) -> PipelineConfig:
    """Read and check a pipeline configuration (one located error line when broken)."""
    from finsim.scenario.loader import load_versioned

    config, _ = load_versioned(path, PipelineConfig, PIPELINE_SCHEMA)
    return config


@lru_cache(maxsize=1)
def shipped_pipeline() -> PipelineConfig:
    """Return the shipped configuration, read once per process."""
    return load_pipeline(PIPELINE_FILE)


class Text:
    """One form of the line (folded, or synonym-folded) with its clause boundaries."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = list(clause_spans(text))

    def clause_around(self, start: int, end: int) -> tuple[int, int]:
        """Return the clauses that a match from ``start`` to ``end`` touches, as one span."""
        return _clause_of(self.spans, start)[0], _clause_of(self.spans, end - 1)[1]


def _clause_of(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= position < end:
            return start, end
    return position, position + 1


@dataclass
class Line:
    """A line prepared once for every intent's stages."""

    plain: Text
    canonical: Text
    question: bool
    covers: dict[int, tuple[float, int]]
    learned: dict[str, float]

    def either(self, patterns: list[re.Pattern[str]]) -> bool:
        """Whether any pattern holds in the folded or the synonym-folded line."""
        return any(p.search(t.text) for p in patterns for t in (self.plain, self.canonical))


@dataclass
class Signals:
    """What the stages found for one intent in one line."""

    n: int
    intent: Intent
    rule: float = 0.0
    similarity: float = 0.0
    learned: float = 0.0
    denied: bool = False
    grounded: bool = True
    evidence: list[str] = field(default_factory=list)
    score: float = 0.0


@dataclass
class IntentRules:
    """The compiled keywords, patterns and ``unless`` expressions of one intent."""

    keywords: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    unless: list[re.Pattern[str]] = field(default_factory=list)
    unless_anywhere: list[re.Pattern[str]] = field(default_factory=list)
    requires: list[re.Pattern[str]] = field(default_factory=list)
    model_needs: list[re.Pattern[str]] = field(default_factory=list)


class Reader(Protocol):
    """What a stage may ask of the recogniser running it."""

    config: PipelineConfig

    def rules_of(self, n: int) -> IntentRules:
        """Return the compiled rules of the ``n``-th intent."""
        ...

    def example_text(self, doc_no: int) -> str:
        """Return the text of an example by its number in the index."""
        ...

    def mood_mismatch(self, n: int, question: bool) -> bool:
        """Whether a statement meets the ``n``-th intent that asks, or a question one that tells."""
        ...


class Stage(Protocol):
    """One step of the pipeline: add evidence to ``signals``, or return False to drop the intent."""

    def process(self, recogniser: Reader, line: Line, signals: Signals) -> bool:
        """Read the line and the evidence so far; return whether the intent stays."""
        ...


class Requires:
    """``unless_anywhere`` cancels the intent; ``requires`` grounds its keywords and examples.

    A line without what ``requires`` asks for (the subject a red line's words are about)
    keeps only the model's evidence, which the red-line guard then holds to its own bar
    (in the shipped library only red lines have ``requires``).
    """

    def process(self, recogniser: Reader, line: Line, signals: Signals) -> bool:
        """Drop the intent when a line-wide condition fails."""
        rules = recogniser.rules_of(signals.n)
        if line.either(rules.unless_anywhere):
            return False
        signals.denied = line.either(rules.unless)
        signals.grounded = not rules.requires or line.either(rules.requires)
        return True


class Rules:
    """Keywords (synonym-folded line) and patterns (folded line) outside cancelled clauses."""

    def process(self, recogniser: Reader, line: Line, signals: Signals) -> bool:
        """Score the keyword and pattern hits."""
        if not signals.grounded:
            return True
        weights = recogniser.config.rules
        rules = recogniser.rules_of(signals.n)
        keywords = _hits(signals, rules.unless, line.canonical, rules.keywords)
        patterns = _hits(
            signals, rules.unless, line.plain, [(p.pattern, p) for p in rules.patterns]
        )
        score = 0.0
        if patterns:
            score = weights.pattern + weights.extra_hit * (patterns - 1 + keywords)
        elif keywords:
            score = weights.keyword + weights.extra_hit * (keywords - 1)
        signals.rule = min(score, weights.max)
        return True


def _hits(
    signals: Signals,
    unless: list[re.Pattern[str]],
    text: Text,
    candidates: list[tuple[str, re.Pattern[str]]],
) -> int:
    """Count the candidates that match outside cancelled places; note them as evidence."""
    count = 0
    for label, regex in candidates:
        for match in regex.finditer(text.text):
            if match.end() == match.start():
                continue
            start, end = text.clause_around(match.start(), match.end())
            if any(u.search(text.text[start:end]) for u in unless):
                continue
            intent = signals.intent
            if intent.red_line and cancelled(
                text.text, match.start(), match.end(), start, warning_cancels=intent.warning_cancels
            ):
                continue
            signals.evidence.append(match.group(0) if match.group(0) == label else label)
            count += 1
            break
    return count


class Examples:
    """Likeness to the intent's best example, unless the line says what the intent is not."""

    def process(self, recogniser: Reader, line: Line, signals: Signals) -> bool:
        """Take the cover of the best example as evidence."""
        cover = line.covers.get(signals.n)
        if cover is None or not signals.grounded or (signals.denied and not signals.rule):
            return True
        signals.similarity = min(cover[0], 1.0)
        if signals.similarity >= recogniser.config.threshold / 2:
            example = recogniser.example_text(cover[1])
            signals.evidence.append(tr(f"像例句 “{example}”", f"like example '{example}'"))
        return True


class Learned:
    """The shipped model's probability, when it is evidence at all."""

    def process(self, recogniser: Reader, line: Line, signals: Signals) -> bool:
        """Keep the model's probability when above its floor and not denied."""
        probability = line.learned.get(signals.intent.id, 0.0)
        if probability >= recogniser.config.learned.min and not (
            signals.denied and not signals.rule
        ):
            signals.evidence.append(tr(f"模型 {probability:.2f}", f"model {probability:.2f}"))
            signals.learned = probability
        return True


class RedLineGuard:
    """A red line needs a keyword or pattern hit, or a near-certain model, and no disclaimer.

    The model alone also needs what the intent's ``model_needs`` asks for in the line.
    """

    def process(self, recogniser: Reader, line: Line, signals: Signals) -> bool:
        """Drop an uncharged red line; likeness alone never accuses a student."""
        if not signals.intent.red_line:
            return True
        needs = recogniser.rules_of(signals.n).model_needs
        if not signals.rule and (
            signals.learned < recogniser.config.learned.red_line
            or disclaims(line.plain.text, warning_cancels=signals.intent.warning_cancels)
            or (needs and not line.either(needs))
        ):
            return False
        if not signals.rule:
            signals.similarity = 0.0
        return True


class Combine:
    """Noisy-or of the evidence, a bonus for a charged red line, the mood prior, the threshold."""

    def process(self, recogniser: Reader, line: Line, signals: Signals) -> bool:
        """Compute the score and keep the intent when it reaches the threshold."""
        config = recogniser.config
        score = 1.0 - (1.0 - signals.rule) * (1.0 - signals.similarity) * (
            1.0 - config.learned.weight * signals.learned
        )
        if signals.intent.red_line:
            score = min(1.0, score + config.red_line_bonus)
        elif recogniser.mood_mismatch(signals.n, line.question):
            score *= config.mood.mismatch
        signals.score = score
        return score >= config.threshold


STAGES: tuple[Stage, ...] = (Requires(), Rules(), Examples(), Learned(), RedLineGuard(), Combine())
"""The stages every intent passes through, in order (exclusion follows over the whole line)."""
