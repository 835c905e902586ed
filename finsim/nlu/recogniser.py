"""The recogniser: every act in one line of the manager's speech, with a score and evidence.

The line is prepared once, then every intent passes through the stages of
:mod:`finsim.nlu.pipeline` (weights in ``pipeline.yaml``), whose evidence is
combined per intent (noisy-or, so each adds):

* **examples** — weighted character n-gram overlap (words for English) of the
  line with each example, after traditional→simplified folding and synonym
  folding; the score is how much of the best example the line covers, so a
  line carrying several acts still covers each act's example fully;
* **keywords** — words that signal the intent wherever they occur;
* **patterns** — regular expressions for the intent's typical phrasing;
* **learned** — the shipped linear model's probability for the intent.

An intent's ``unless`` expressions cancel a keyword or pattern hit in the same
clause, and likeness to its examples wherever one holds in a line with no
other hit (I can't recommend it is not a recommendation); its ``excluded_by``
intents, recognised anywhere in the line, cancel it altogether (disclose_risk
is not reported beside a promise of no loss).
Red-line intents fire only on a keyword or pattern hit that is not quoted,
negated, reported or rejected (:mod:`finsim.nlu.guards`), or on a near-certain
model; similarity to an example alone never accuses a student.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass

from finsim.errors import InputFileError
from finsim.i18n import tr
from finsim.nlu.features import features, is_question
from finsim.nlu.jargon import JargonSpotter
from finsim.nlu.learned import LinearModel, model_features, shipped_model
from finsim.nlu.normalize import SynonymFolder, fold
from finsim.nlu.pipeline import (
    STAGES,
    IntentRules,
    Line,
    PipelineConfig,
    Signals,
    Text,
    shipped_pipeline,
)
from finsim.scenario.models import Intent, IntentLibrary, Product, Scenario

_LATIN_WORD = re.compile(r"^[a-z0-9 '\-]+$")


RECOGNISER_VERSION = "finsim-recogniser@2"
"""The recogniser's own rules (stages, guards); bumped whenever they change verdicts.

The weights are configuration (``pipeline.yaml``) and enter the judge's hash instead."""


@dataclass(frozen=True)
class Judge:
    """Which judge reads the lines: the recogniser's version, the library's hash, the model."""

    recogniser: str
    library: str
    model: str | None


@dataclass(frozen=True)
class IntentMatch:
    """One recognised intent: its id, a score in [0, 1] and what matched (for ``--explain``)."""

    id: str
    score: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Analysis:
    """Everything the recogniser found in one line."""

    text: str
    intents: tuple[IntentMatch, ...]
    products: tuple[str, ...]
    jargon: tuple[str, ...]
    is_question: bool

    def ids(self) -> frozenset[str]:
        """Return the ids of the recognised intents."""
        return frozenset(m.id for m in self.intents)


def compile_pattern(source: str, owner_zh: str, owner_en: str) -> re.Pattern[str]:
    """Compile a library regular expression; a bad one is an input error naming its owner."""
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise InputFileError(
            tr(
                f"{owner_zh}的正则表达式 “{source}” 写错了：{exc}",
                f"{owner_en}: bad regular expression '{source}': {exc}",
            )
        ) from None


def _compile(intent_id: str, source: str) -> re.Pattern[str]:
    return compile_pattern(source, f"意图 {intent_id} ", f"intent {intent_id}")


def _keyword_regex(word: str) -> re.Pattern[str]:
    """Match a keyword as a substring in Chinese and as whole words in English."""
    escaped = re.escape(word)
    if _LATIN_WORD.match(word):
        return re.compile(rf"(?<![a-z]){escaped}(?![a-z])")
    return re.compile(escaped)


def _keyword_rules(
    keywords: list[str], synonyms: SynonymFolder
) -> list[tuple[str, re.Pattern[str]]]:
    """Compile keywords in their synonym-folded form, once per distinct form."""
    seen: dict[str, str] = {}
    for keyword in keywords:
        seen.setdefault(synonyms(fold(keyword)), keyword)
    return [(keyword, _keyword_regex(form)) for form, keyword in seen.items()]


def _word_kind(feature: str) -> int:
    if feature.startswith("w:"):
        return 3 if "_" in feature else 2
    return len(feature)


class _ExampleIndex:
    """An inverted index of example features, weighted by how few intents share them."""

    def __init__(
        self,
        examples: list[tuple[int, str, frozenset[str]]],
        n_intents: int,
        kind_weights: dict[int, float],
        precision: float,
    ) -> None:
        self.kind_weights = kind_weights
        self.precision = precision
        owners: dict[str, set[int]] = defaultdict(set)
        for intent_no, _, feats in examples:
            for feat in feats:
                owners[feat].add(intent_no)
        self.weight = {
            feat: kind_weights[_word_kind(feat)] * math.log(1 + n_intents / len(who))
            for feat, who in owners.items()
        }
        self.max_idf = math.log(1 + n_intents)
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.examples = examples
        self.norms: list[float] = []
        for doc_no, (_, _, feats) in enumerate(examples):
            for feat in feats:
                self.postings[feat].append(doc_no)
            self.norms.append(sum(self.weight[f] for f in feats) or 1.0)

    def best_cover(self, query: set[str]) -> dict[int, tuple[float, int]]:
        """Per intent: the best similarity of the query to one example, and which example.

        The similarity is the share of the example's weight the query covers,
        tempered by the share of the query the example explains (``precision``).
        """
        acc: dict[int, float] = defaultdict(float)
        query_weight = 0.0
        for feat in query:
            weight = self.weight.get(feat)
            if weight is None:
                query_weight += self.kind_weights[_word_kind(feat)] * self.max_idf
                continue
            query_weight += weight
            for doc_no in self.postings[feat]:
                acc[doc_no] += weight
        best: dict[int, tuple[float, int]] = {}
        for doc_no, total in acc.items():
            intent_no = self.examples[doc_no][0]
            cover = total / self.norms[doc_no]
            precision = total / query_weight
            similarity = cover * (1 - self.precision + self.precision * precision)
            if intent_no not in best or similarity > best[intent_no][0]:
                best[intent_no] = (similarity, doc_no)
        return best


class Recogniser:
    """Recognises the intents, products and jargon in the manager's lines for one scenario."""

    def __init__(
        self,
        library: IntentLibrary,
        scenario: Scenario | None = None,
        model: LinearModel | None = None,
        config: PipelineConfig | None = None,
    ) -> None:
        self.model = model
        self.config = config or shipped_pipeline()
        own = list(scenario.intents) if scenario else []
        own_ids = {i.id for i in own}
        self.intents: list[Intent] = [i for i in library.intents if i.id not in own_ids] + own
        self._synonyms = SynonymFolder((s.canonical, s.variants) for s in library.synonyms)
        self._rules = [self._compile_rules(i, self._synonyms) for i in self.intents]
        self._excluded = {i.id: frozenset(i.excluded_by) for i in self.intents}
        examples = [
            (n, text, frozenset(features(self._synonyms(fold(text)))))
            for n, intent in enumerate(self.intents)
            for text in intent.examples
        ]
        self._index = _ExampleIndex(
            examples,
            len(self.intents),
            self.config.examples.kind_weights,
            self.config.examples.precision,
        )
        self._asks = [
            _question_share(i.examples, self.config.mood.min_examples) for i in self.intents
        ]
        self._products: list[Product] = list(scenario.products) if scenario else []
        self._product_forms = [
            (p.id, [_keyword_regex(fold(form)) for form in p.forms]) for p in self._products
        ]
        self._jargon = JargonSpotter([*library.jargon, *(scenario.jargon if scenario else [])])
        self.judge = Judge(
            recogniser=RECOGNISER_VERSION,
            library=_rules_digest(self.intents, library, scenario, self.config),
            model=model.model_id if model else None,
        )

    @staticmethod
    def _compile_rules(intent: Intent, synonyms: SynonymFolder) -> IntentRules:
        return IntentRules(
            keywords=_keyword_rules(intent.keywords, synonyms),
            patterns=[_compile(intent.id, p) for p in intent.patterns],
            unless=[_compile(intent.id, p) for p in intent.unless],
            unless_anywhere=[_compile(intent.id, p) for p in intent.unless_anywhere],
            model_needs=[_compile(intent.id, p) for p in intent.model_needs],
            requires=[_compile(intent.id, p) for p in intent.requires],
        )

    def analyse(self, text: str) -> Analysis:
        """Everything found in one line: intents best first, products, unexplained jargon."""
        folded = fold(text)
        canonical = Text(self._synonyms(folded))
        question = is_question(folded)
        line = Line(
            plain=Text(folded),
            canonical=canonical,
            question=question,
            covers=self._index.best_cover(features(canonical.text)),
            learned=(
                self.model.probabilities(model_features(canonical.text, question))
                if self.model
                else {}
            ),
        )
        matches = [m for n, i in enumerate(self.intents) if (m := self._run(n, i, line))]
        found = {m.id for m in matches}
        matches = [m for m in matches if not self._excluded[m.id] & found]
        matches.sort(key=lambda m: (-m.score, m.id))
        return Analysis(
            text=text,
            intents=tuple(matches),
            products=self._find_products(folded),
            jargon=self._jargon.unexplained(folded),
            is_question=question,
        )

    def _run(self, n: int, intent: Intent, line: Line) -> IntentMatch | None:
        """Pass one intent through every stage; ``None`` when a stage drops it."""
        signals = Signals(n, intent)
        for stage in STAGES:
            if not stage.process(self, line, signals):
                return None
        return IntentMatch(intent.id, round(signals.score, 4), tuple(signals.evidence))

    def rules_of(self, n: int) -> IntentRules:
        """Return the compiled rules of the ``n``-th intent."""
        return self._rules[n]

    def example_text(self, doc_no: int) -> str:
        """Return the text of an example by its number in the index."""
        return self._index.examples[doc_no][1]

    def mood_mismatch(self, n: int, question: bool) -> bool:
        """Whether a statement meets the ``n``-th intent that asks, or a question one that tells."""
        return _mood_mismatch(self._asks[n], question)

    def canonical(self, text: str) -> str:
        """Return ``text`` folded as keywords see it (simplified, synonyms replaced)."""
        return self._synonyms(fold(text))

    def recognise(self, text: str) -> list[IntentMatch]:
        """Return the recognised intents of one line, best first."""
        return list(self.analyse(text).intents)

    def _find_products(self, folded: str) -> tuple[str, ...]:
        found: list[tuple[int, str]] = []
        for product_id, forms in self._product_forms:
            positions = [m.start() for r in forms for m in [r.search(folded)] if m]
            if positions:
                found.append((min(positions), product_id))
        return tuple(pid for _, pid in sorted(found))


def _rules_digest(
    intents: list[Intent],
    library: IntentLibrary,
    scenario: Scenario | None,
    config: PipelineConfig,
) -> str:
    """Return the sha256 of all the recogniser reads: library, scenario, pipeline weights."""
    digest = hashlib.sha256()
    for intent in intents:
        digest.update(intent.model_dump_json().encode())
    for synonym in library.synonyms:
        digest.update(synonym.model_dump_json().encode())
    for term in [*library.jargon, *(scenario.jargon if scenario else [])]:
        digest.update(term.model_dump_json().encode())
    for product in scenario.products if scenario else []:
        digest.update(f"{product.id}|{product.name}|{'|'.join(product.aliases)}".encode())
    digest.update(config.model_dump_json().encode())
    return digest.hexdigest()


def _question_share(examples: list[str], min_examples: int) -> float | None:
    """How many of an intent's examples are questions (``None`` with too few examples)."""
    if len(examples) < min_examples:
        return None
    return sum(is_question(fold(e)) for e in examples) / len(examples)


def _mood_mismatch(share: float | None, question: bool) -> bool:
    """Tell whether a statement meets an asking intent, or a question a telling one."""
    if share is None:
        return False
    return (share >= 0.7 and not question) or (share <= 0.3 and question)


_cache: dict[tuple[int, str, str], Recogniser] = {}
_cache_lock = threading.Lock()
_CACHE_SIZE = 16


def _digest(scenario: Scenario | None) -> tuple[str, str]:
    if scenario is None:
        return "", ""
    relevant = scenario.model_dump_json(include={"intents", "jargon", "products", "language"})
    return scenario.id, hashlib.sha256(relevant.encode()).hexdigest()


def recogniser_for(scenario: Scenario | None) -> Recogniser:
    """Return the recogniser for a scenario (or the base library alone), built once, cached."""
    from finsim.scenario.loader import load_base_library

    library = load_base_library()
    key = (id(library), *_digest(scenario))
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    built = Recogniser(library, scenario, shipped_model())
    with _cache_lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[key] = built
    return built
