"""Checking an intent library for authors (like Rasa's data validation).

Problems (errors) make recognition wrong: the same example under two intents,
a regular expression that does not compile. Warnings make it weak: an intent
with too few examples, an example that the recogniser reads as another intent,
a keyword that fires on another intent's example.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from finsim.errors import FinsimError
from finsim.i18n import tr
from finsim.nlu.normalize import fold
from finsim.nlu.recogniser import Recogniser
from finsim.scenario.models import Intent, IntentLibrary, Scenario

MIN_EXAMPLES = 3
"""An intent with fewer examples than this is reported."""


@dataclass
class LibraryReport:
    """What :func:`check_intents` found: errors break recognition, warnings weaken it."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    intents: int = 0
    examples: int = 0


def check_intents(library: IntentLibrary, scenario: Scenario | None = None) -> LibraryReport:
    """Check the library (and a scenario's own intents) for collisions and thin data."""
    report = LibraryReport()
    try:
        recogniser = Recogniser(library, scenario)
    except FinsimError as exc:
        report.errors.append(str(exc))
        return report
    intents = recogniser.intents
    report.intents = len(intents)
    report.examples = sum(len(i.examples) for i in intents)
    _duplicates(intents, report)
    for intent in intents:
        if len(intent.examples) < MIN_EXAMPLES:
            report.warnings.append(
                tr(
                    f"{intent.id}: 只有 {len(intent.examples)} 条例句，建议至少 {MIN_EXAMPLES} 条",
                    f"{intent.id}: only {len(intent.examples)} example(s); "
                    f"at least {MIN_EXAMPLES} recommended",
                )
            )
        _misread_examples(recogniser, intent, report)
    _keyword_collisions(recogniser, intents, report)
    return report


def _duplicates(intents: list[Intent], report: LibraryReport) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for intent in intents:
        for example in intent.examples:
            owners[fold(example)].add(intent.id)
    for text, ids in sorted(owners.items()):
        if len(ids) > 1:
            names = "、".join(sorted(ids))
            report.errors.append(
                tr(
                    f"例句 “{text}” 同时属于 {names}",
                    f"example '{text}' belongs to several intents: {', '.join(sorted(ids))}",
                )
            )


def _misread_examples(recogniser: Recogniser, intent: Intent, report: LibraryReport) -> None:
    for example in intent.examples:
        found = recogniser.recognise(example)
        if not found:
            report.warnings.append(
                tr(
                    f"{intent.id}: 例句 “{example}” 识别不出任何意图",
                    f"{intent.id}: example '{example}' is recognised as nothing",
                )
            )
        elif found[0].id != intent.id and not any(m.id == intent.id for m in found):
            report.warnings.append(
                tr(
                    f"{intent.id}: 例句 “{example}” 被识别为 {found[0].id}",
                    f"{intent.id}: example '{example}' is recognised as {found[0].id}",
                )
            )


def _keyword_collisions(
    recogniser: Recogniser, intents: list[Intent], report: LibraryReport
) -> None:
    keywords = {i.id: set(i.keywords) for i in intents}
    for intent in intents:
        for example in intent.examples:
            for match in recogniser.recognise(example):
                if match.id == intent.id:
                    continue
                for word in sorted(keywords.get(match.id, set()) & set(match.evidence)):
                    report.warnings.append(
                        tr(
                            f"{match.id}: 关键词 “{word}” 出现在 {intent.id} 的例句 “{example}” 中",
                            f"{match.id}: keyword '{word}' fires on {intent.id}'s "
                            f"example '{example}'",
                        )
                    )
