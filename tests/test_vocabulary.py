"""One bilingual vocabulary: the domain's words are written once, in ``finsim/vocabulary.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsim.i18n import set_language
from finsim.vocabulary import (
    DECISION_NAMES,
    MOODS,
    OBJECTION_HANDLING,
    OBJECTION_KINDS,
    STANDINGS,
    objection_handling,
    objection_kind_name,
)

PACKAGE = Path(__file__).resolve().parents[1] / "finsim"
TABLES = {
    "objection kinds": OBJECTION_KINDS,
    "handling": OBJECTION_HANDLING,
    "moods": MOODS,
    "decisions": DECISION_NAMES,
    "standings": STANDINGS,
}


def _quoted_words() -> list[tuple[str, str]]:
    ids = {key for words in TABLES.values() for key in words}
    return [
        (table, f'"{word}"')
        for table, words in TABLES.items()
        for pair in words.values()
        for word in pair
        if word not in ids and len(word) > 2  # ids and two-character words are ordinary strings
    ]


@pytest.mark.parametrize(("table", "quoted"), _quoted_words())
def test_a_domain_word_is_written_only_in_the_vocabulary(table: str, quoted: str) -> None:
    writers = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if quoted in path.read_text(encoding="utf-8")
    ]
    assert writers == ["vocabulary.py"], (table, quoted)


@pytest.mark.parametrize("kind", sorted(OBJECTION_KINDS))
def test_the_drill_names_an_objection_kind_as_the_vocabulary_does(kind: str) -> None:
    from finsim.cli.drill.names import Names
    from finsim.scenario import ScenarioCatalog

    found = [
        (loaded.scenario, objection)
        for loaded in ScenarioCatalog([]).load_all()
        for objection in loaded.scenario.persona.objections
        if objection.kind == kind
    ]
    if not found:
        pytest.skip(f"no shipped scenario has a {kind} objection")
    scenario, objection = found[0]
    for language, expected in zip(("zh", "en"), OBJECTION_KINDS[kind], strict=True):
        set_language(language)  # type: ignore[arg-type]
        try:
            assert objection_kind_name(kind) == expected
            assert Names(scenario).objection(objection.id) == expected
            assert objection_handling(kind) == OBJECTION_HANDLING[kind][language == "en"]
        finally:
            set_language(None)
