"""The virtual client engine: reads the analysis of a manager line, answers, keeps state.

For each manager line, in order (the scenario contract, README "How the
virtual client reads a scenario"): red lines, rapport, facts, jargon, product
suitability, objections, disclosure, replies by intent, decision. Every change
of trust is one of the :data:`TRUST` steps, and trust stays within 0..100.

Replies are chosen among variants with a hash of (seed, turn, situation), so a
drill replays identically for the same seed and lines, and never gives the
same variant of a situation twice in a row.

Where the contract leaves room, the engine decides so:

- the product "under discussion" is the last one mentioned, else the one the
  decision rule wants; a guarantee claim and a disclosure are judged against it;
- a close that names no product is about the last one put forward (introduced,
  compared, explained, cross-sold or closed on), else the one the decision rule
  wants: a product named only to warn the client off it is not what a bare
  "shall we go ahead?" asks the client to buy;
- an objection with no ``resolved_by`` is resolved by the iceberg model's
  handling for its kind;
- objections are paced: the first of a step is raised with its opening (or at
  the first manager turn of the step), the next one only once the last one
  raised is resolved or mishandled, has waited :data:`PATIENCE` manager turns
  without being handled, or belongs to an earlier step than the one entered.
  Handling a concern the client has not voiced yet resolves it (raised and
  resolved on the same turn); each is annotated ``raised`` on the turn that
  raises it. After a purchase, concerns of that step and earlier are dropped;
- the disclosures a close needs depend on the product (:func:`disclosures_needed`):
  an investment (deposit, wealth, fund, bond, insurance, other) that is not
  ``guaranteed`` needs risk and fees, a loan needs risk (repayment duty,
  overdue consequences) and fees, a card, account or settlement product
  needs fees, a guaranteed investment nothing;
- asking to close before those disclosures: when the client would otherwise
  buy it asks to hear them first (no decision; the turn's ``reasons`` say so;
  asking again without disclosing costs trust); ``missing_disclosure`` is
  recorded only when a sale is concluded without them, which can only happen
  at the end of a drill whose rule does not demand ``no_violations`` (with it,
  the client declines at the end instead);
- a line that promises a non-guaranteed product cannot lose earns no risk
  disclosure, whatever else it says;
- a term in ``persona.known_terms`` (or an alias of it) is never asked about
  and not annotated as jargon: this client understands it;
- asking to close on another suitable product than the one the client wants
  is declined, with that as the reason;
- an unsuitable recommendation is recorded once per product (declined each time);
- a reaction (red line, intrusive question, unsuitable product, wrong handling)
  or a decision is the whole answer: no friendly reply by intent beside it;
- a red-line intent never meets a key point.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from finsim.client.decision import Verdict, intent_label, judge
from finsim.client.lines import DECISION_TEXT, INTENT_LINES, SITUATION_LINES
from finsim.client.reply import AnalysisLike, ClientReply
from finsim.client.state import ClientState
from finsim.scenario.loader import load_base_library
from finsim.scenario.models import (
    HiddenFact,
    IntentLibrary,
    KeyPoint,
    Objection,
    Product,
    Roles,
    Scenario,
    risk_rank,
)
from finsim.transcript.model import Annotations, ClientDecision, IntentScore, Outcome, Violation

TRUST: dict[str, int] = {
    "rapport_first": 5,
    "rapport_again": 1,
    "intrusive": -10,
    "red_line": -20,
    "pressure": -15,
    "jargon": -2,
    "unsuitable": -10,
    "resolved": 8,
    "mishandled": -5,
    "disclosure_ignored": -5,
}
"""How much each event moves the client's trust."""

UNSUITABLE = "unsuitable_recommendation"
MISSING_DISCLOSURE = "missing_disclosure"
MAX_INTENT_REPLIES = 2
PATIENCE = 2
"""Manager turns a voiced objection waits, unhandled, before the client raises the next one."""


def disclosures_needed(product: Product, roles: Roles) -> tuple[str, ...]:
    """Return what must be disclosed before closing on ``product``: ``risk`` and/or ``fees``."""
    return roles.disclosures.needed(product.kind, product.guaranteed)


@dataclass
class _Turn:
    """What one manager line did, collected while the rules run."""

    ids: list[str]
    parts: list[str] = field(default_factory=list)
    answered: set[str] = field(default_factory=set)
    revealed: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    raised: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    mishandled: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    decision: ClientDecision | None = None
    reasons: list[str] = field(default_factory=list)
    trust_before: int = 0
    reacted: bool = False


class ClientEngine:
    """The persona of one scenario, played deterministically for a seed.

    ``respond`` and ``enter_step`` mutate the engine's :class:`ClientState`;
    the same calls in the same order with the same seed give the same replies.
    ``library`` is the base intent library (read from the shipped file when
    not given); it tells which intents are red lines and names them in reasons.
    """

    def __init__(
        self, scenario: Scenario, seed: int = 0, library: IntentLibrary | None = None
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.lang = scenario.language
        library = library or load_base_library()
        every = [*library.intents, *scenario.intents]
        self._intent_names = {i.id: i.name for i in every}
        self._red_lines = {i.id for i in every if i.red_line}
        self.roles = library.roles.merged(scenario.roles)
        known = set(scenario.persona.known_terms)
        self._known_terms = known | {
            t.term for t in [*library.jargon, *scenario.jargon] if known & {t.term, *t.aliases}
        }
        self._state = ClientState(trust=scenario.persona.starting_trust)
        self.final_words = ""
        self.final_violations: list[Violation] = []

    @property
    def state(self) -> ClientState:
        """The client's state (read it, do not change it)."""
        return self._state

    # ── steps ──────────────────────────────────────────────────────────
    def enter_step(self, step_id: str) -> ClientReply:
        """Enter a step: the step's opening line, then its first objection (if any) raised."""
        st = self._state
        step = self.scenario.steps[self.scenario.step_index(step_id)]
        st.step = step_id
        turn = _Turn(ids=[], trust_before=st.trust)
        turn.parts.append(step.opening)
        self._queue_objections(step_id)
        self._pace_objections(turn, entering=True)
        return self._reply(turn, [], [], [], [])

    def _queue_objections(self, step_id: str) -> None:
        """On first entering a step, queue its objections (voiced later, one at a time)."""
        st = self._state
        if step_id in st.steps_entered:
            return
        st.steps_entered.append(step_id)
        for objection in self.scenario.persona.objections:
            if objection.step == step_id and objection.id not in st.raised:
                st.queued.append(objection.id)

    def _pace_objections(self, turn: _Turn, entering: bool = False) -> None:
        """Raise the next queued objection once the last one raised is settled."""
        st = self._state
        if not st.queued or (st.raised and not self._settled(st.raised[-1], entering)):
            return
        objection = self._objection(st.queued.pop(0))
        self._mark_raised(objection.id, turn)
        turn.parts.append(objection.text)

    def _settled(self, objection_id: str, entering: bool) -> bool:
        """Whether the client is done waiting on an objection it raised."""
        st = self._state
        if objection_id in st.resolved or objection_id in st.mishandled:
            return True
        if entering and self._objection(objection_id).step != st.step:
            return True
        return st.turn - st.raised_turn.get(objection_id, st.turn) >= PATIENCE

    def _mark_raised(self, objection_id: str, turn: _Turn) -> None:
        st = self._state
        if objection_id in st.queued:
            st.queued.remove(objection_id)
        st.raised.append(objection_id)
        st.raised_turn[objection_id] = st.turn
        turn.raised.append(objection_id)

    # ── a manager line ─────────────────────────────────────────────────
    def respond(self, analysis: AnalysisLike, step_id: str) -> ClientReply:
        """Answer one manager line (already analysed) said during ``step_id``."""
        st = self._state
        st.turn += 1
        st.step = step_id
        ids = list(dict.fromkeys(m.id for m in analysis.intents))
        turn = _Turn(ids=ids, trust_before=st.trust)
        entering = step_id not in st.steps_entered
        self._queue_objections(step_id)
        for intent_id in ids:
            if intent_id not in st.intents_seen:
                st.intents_seen.append(intent_id)
        mentioned = [p for p in dict.fromkeys(analysis.products) if self._has_product(p)]
        if mentioned:
            st.focus = mentioned
            if self.roles.any_of("offer", ids):
                st.offered = mentioned
            st.discussed.extend(p for p in mentioned if p not in st.discussed)
        self._red_line_rule(turn)
        intrusive = self._rapport_rule(turn)
        if not intrusive:
            self._fact_rule(turn)
        self._suitability_rule(turn, mentioned)
        self._objection_rule(turn)
        self._disclosure_rule(turn)
        self._intent_replies(turn, step_id, analysis.is_question)
        self._commitment_rule(turn, mentioned)
        jargon = [t for t in dict.fromkeys(analysis.jargon) if t not in self._known_terms]
        self._jargon_rule(turn, jargon)
        unrecognised = not turn.parts
        if unrecognised:
            turn.parts.append(self._line("unrecognised"))
        self._pace_objections(turn, entering)
        scores = [IntentScore(id=m.id, score=round(float(m.score), 4)) for m in analysis.intents]
        met = self._cover_key_points(step_id, ids)
        return self._reply(turn, scores, mentioned, jargon, met, unrecognised)

    def _has_product(self, product_id: str) -> bool:
        return any(p.id == product_id for p in self.scenario.products)

    def _focus(self) -> list[Product]:
        """Return the products under discussion: the last mentioned, else the wanted one."""
        ids = self._state.focus or [self.scenario.persona.decision.product]
        return [self.scenario.product(p) for p in ids]

    def _red_line_rule(self, turn: _Turn) -> None:
        for intent_id in turn.ids:
            if intent_id not in self._red_lines:
                continue
            turn.answered.add(intent_id)
            product: str | None = None
            if self.roles.product_dependent(intent_id):
                untrue = [
                    p
                    for p in self._focus()
                    if not self.roles.violation_exempt(intent_id, p.guaranteed, p.kind)
                ]
                if not untrue:
                    continue  # true of this product (a deposit cannot lose): no violation
                product = untrue[0].id
            pressure = self.roles.has("pressure", intent_id)
            turn.reacted = True
            label = intent_label(intent_id, self._intent_names, self.lang)
            self._violate(turn, intent_id, label, product)
            self._adjust(TRUST["pressure" if pressure else "red_line"])
            key = "pressure" if pressure else "red_line"
            turn.parts.append(self._line(key))

    def _rapport_rule(self, turn: _Turn) -> bool:
        """Apply rapport; return whether the line asked about money before any rapport."""
        st = self._state
        had_rapport = st.rapport
        for intent_id in turn.ids:
            if self.roles.has("rapport", intent_id):
                first = intent_id not in st.rapport_used
                self._adjust(TRUST["rapport_first" if first else "rapport_again"])
                st.rapport_used.add(intent_id)
                st.rapport = True
        if had_rapport or not self.roles.any_of("money_question", turn.ids):
            return False
        self._adjust(TRUST["intrusive"])
        turn.reacted = True
        turn.answered.update(i for i in turn.ids if self.roles.has("money_question", i))
        turn.parts.append(self._line("intrusive"))
        return True

    def _fact_rule(self, turn: _Turn) -> None:
        st = self._state
        persona = self.scenario.persona
        guarded = False
        for fact in persona.facts:
            askers = [i for i in fact.revealed_by if i in turn.ids and i not in self._red_lines]
            if not askers or fact.id in st.revealed:
                continue
            turn.answered.update(askers)
            if fact.sensitive and st.trust < persona.sensitive_trust:
                st.withheld.add(fact.id)
                turn.withheld.append(fact.id)
                guarded = True
                continue
            st.revealed.append(fact.id)
            turn.revealed.append(fact.id)
            turn.parts.append(fact.text)
        if guarded:
            turn.parts.append(self._line("guarded"))

    def _suitability_rule(self, turn: _Turn, mentioned: list[str]) -> None:
        if not self.roles.any_of("recommend", turn.ids):
            return
        st = self._state
        client_rank = risk_rank(self.scenario.persona.risk_level)
        closing = self.roles.any_of("commit", turn.ids)
        candidates = mentioned if mentioned else (st.offered if closing else [])
        for product_id in candidates:
            product = self.scenario.product(product_id)
            if risk_rank(product.risk) <= client_rank:
                continue
            turn.answered.update(i for i in turn.ids if self.roles.has("recommend", i))
            turn.reacted = True
            if product_id not in st.declined_products:
                st.declined_products.append(product_id)
                detail = self._text("violation_unsuitable").format(
                    risk=self.scenario.persona.risk_level, level=product.risk, product=product.name
                )
                self._violate(turn, UNSUITABLE, detail, product_id)
                self._adjust(TRUST["unsuitable"])
            line = self._line("unsuitable")
            turn.parts.append(line.replace("{product}", product.name))

    def _objection_rule(self, turn: _Turn) -> None:
        """Resolve what the line handles rightly (voiced or queued); else note a mishandling."""
        st = self._state
        open_ = [self._objection(o) for o in [*st.pending, *st.queued]]
        for objection in open_:
            resolvers = objection.resolvers(self.roles)
            if set(resolvers) & set(turn.ids):
                if objection.id in st.queued:
                    self._mark_raised(objection.id, turn)  # handled before the client said it
                st.resolved.append(objection.id)
                turn.resolved.append(objection.id)
                turn.answered.update(resolvers)
                turn.parts.append(objection.resolved_reply)
                self._adjust(TRUST["resolved"])
        every_handling = set(self.roles.handles.every())
        # Only the line's main act counts as a (wrong) answer to the concern: a handling
        # act read as a side note of a line about something else is not one.
        handling = [i for i in turn.ids[:1] if i in every_handling]
        still = [self._objection(o) for o in st.pending]
        if turn.resolved or not handling or not still:
            return
        wrong = still[-1]  # the concern the client voiced last
        turn.reacted = True
        st.mishandled.append(wrong.id)
        turn.mishandled.append(wrong.id)
        turn.answered.update(handling)
        line = wrong.wrong_reply
        turn.parts.append(line or self._line("wrong_handling"))
        self._adjust(TRUST["mishandled"])

    def _objection(self, objection_id: str) -> Objection:
        return next(o for o in self.scenario.persona.objections if o.id == objection_id)

    def _disclosure_rule(self, turn: _Turn) -> None:
        st = self._state
        focus = [p.id for p in self._focus()]
        promised = any(self.roles.has("guarantee_claim", v.id) for v in turn.violations)
        if self.roles.any_of("disclose_risk", turn.ids) and not promised:
            st.disclosed_risk.update(focus)
        if self.roles.any_of("disclose_fees", turn.ids):
            st.disclosed_fees.update(focus)

    def _commitment_rule(self, turn: _Turn, mentioned: list[str]) -> None:
        st = self._state
        closes = [i for i in turn.ids if self.roles.has("commit", i)]
        if not closes:
            return
        turn.answered.update(closes)
        if st.bought:
            turn.parts.append(self._line("already_bought"))
            return
        wanted = self.scenario.persona.decision.product
        asked = mentioned or st.offered or [wanted]
        suitable = [p for p in asked if p not in st.declined_products]
        if not suitable:
            return  # already declined by the suitability rule in this turn
        if wanted not in suitable:
            self._decline_other(turn, suitable[0])
            return
        self._decide_now(turn, wanted)

    def _decline_other(self, turn: _Turn, product_id: str) -> None:
        decision = self.scenario.persona.decision
        other = self.scenario.product(product_id).name
        reason = self._text("reason_product").format(
            product=self.scenario.product(decision.product).name, other=other
        )
        turn.decision, turn.reasons = "decline", [reason]
        self._state.decision = "decline"
        line = self._line("not_wanted")
        turn.parts.append(line.replace("{product}", other))

    def _missing_disclosures(self, product_id: str) -> list[str]:
        """Return what is still to be disclosed about a product (``risk``, ``fees``)."""
        st = self._state
        done = {"risk": st.disclosed_risk, "fees": st.disclosed_fees}
        product = self.scenario.product(product_id)
        return [d for d in disclosures_needed(product, self.roles) if product_id not in done[d]]

    def _missing_words(self, product_id: str, missing: list[str]) -> str:
        """Name what is missing in a reason: 风险和费用, or for a loan the repayment duty."""
        loan = self.scenario.product(product_id).kind == "loan"
        words = [self._text(f"{d}_word_loan" if loan else f"{d}_word") for d in missing]
        return self._text("join").join(words)

    def _request_disclosure(self, turn: _Turn, product_id: str, missing: list[str]) -> None:
        """Ask to hear the missing disclosures first (the client would buy): no decision yet."""
        st = self._state
        product = self.scenario.product(product_id)
        if product_id in st.disclosure_asked:
            self._adjust(TRUST["disclosure_ignored"])
        st.disclosure_asked.add(product_id)
        words = self._missing_words(product_id, missing)
        asked = self._text("reason_disclosure_asked")
        turn.reasons = [asked.format(product=product.name, missing=words)]
        loan = "_loan" if product.kind == "loan" else ""
        asks = [self._text(f"ask_{d}{loan}") for d in missing]
        line = self._line("disclosure_requested")
        turn.parts.append(line.replace("{missing}", self._text("ask_join").join(asks)))

    def _disclosure_reason(self, product_id: str, missing: list[str]) -> str:
        product = self.scenario.product(product_id)
        words = self._missing_words(product_id, missing)
        return self._text("reason_disclosure").format(product=product.name, missing=words)

    def _record_missing_disclosure(self, turn: _Turn, product_id: str, missing: list[str]) -> None:
        """Record the violation of a sale concluded without the disclosures it needs."""
        detail = self._text("violation_disclosure").format(
            product=self.scenario.product(product_id).name,
            missing=self._missing_words(product_id, missing),
        )
        self._violate(turn, MISSING_DISCLOSURE, detail, product_id)

    def _decide_now(self, turn: _Turn, product_id: str) -> None:
        st = self._state
        decision = self.scenario.persona.decision
        verdict = judge(self.scenario, st, self._intent_names)
        missing = self._missing_disclosures(product_id)
        if verdict.decision == "accept" and missing:
            self._request_disclosure(turn, product_id, missing)
            return
        turn.decision, turn.reasons = verdict.decision, verdict.reasons
        st.decision = verdict.decision
        if verdict.decision == "accept":
            self._buy(decision.product)
            turn.parts.append(decision.accept)
            return
        if missing:
            turn.reasons = [*verdict.reasons, self._disclosure_reason(product_id, missing)]
        turn.parts.append(decision.decline + verdict.say)

    def _buy(self, product_id: str) -> None:
        """Record the purchase; the concerns of this step and earlier no longer come up."""
        st = self._state
        st.bought, st.bought_turn = product_id, st.turn
        here = self.scenario.step_index(st.step) if st.step else len(self.scenario.steps) - 1
        st.queued = [
            o for o in st.queued if self.scenario.step_index(self._objection(o).step) > here
        ]

    def _intent_replies(self, turn: _Turn, step_id: str, is_question: bool) -> None:
        """Reply by intent; a reaction or a decision this turn says it all.

        When the turn already has something to say (a fact, a resolved
        objection) one scenario reply at most is added; otherwise up to
        :data:`MAX_INTENT_REPLIES`, and a built-in line only while nothing
        has been said (a generic line after a real one reads as noise).
        """
        if turn.reacted or self.roles.any_of("commit", turn.ids):
            return
        step = self.scenario.steps[self.scenario.step_index(step_id)]
        budget = 1 if turn.parts else MAX_INTENT_REPLIES
        for intent_id in turn.ids:
            if intent_id in turn.answered or budget == 0:
                continue
            variants = step.responses.get(intent_id) or self.scenario.responses.get(intent_id)
            line = self._pick(f"intent:{intent_id}", variants) if variants else None
            line = line or (None if turn.parts else self._fallback(intent_id))
            if line:
                turn.parts.append(line)
                budget -= 1
        if turn.ids and not turn.parts:
            key = "nothing_to_add" if is_question else "acknowledge"
            turn.parts.append(self._line(key))

    def _fallback(self, intent_id: str) -> str | None:
        """Return a generic line for an intent: a fact told before, a built-in line, or None."""
        told = [
            f
            for f in self.scenario.persona.facts
            if intent_id in f.revealed_by and f.id in self._state.revealed
        ]
        if told:
            line = self._line("already_told")
            return line.replace("{topic}", told[0].topic)
        variants = INTENT_LINES[self.lang].get(intent_id)
        return self._pick(f"intent:{intent_id}", variants) if variants else None

    def _jargon_rule(self, turn: _Turn, jargon: list[str]) -> None:
        if not jargon:
            return
        line = self._line("jargon")
        turn.parts.append(line.replace("{term}", jargon[0]))
        self._adjust(TRUST["jargon"])

    def _cover_key_points(self, step_id: str, ids: Sequence[str]) -> list[str]:
        st = self._state
        step = self.scenario.steps[self.scenario.step_index(step_id)]
        covered = st.covered.setdefault(step_id, [])
        clean = {i for i in ids if i not in self._red_lines}
        met = []
        for point in step.key_points:
            if point.id in covered:
                continue
            if (
                clean & set(point.intents)
                or set(st.revealed) & set(point.facts)
                or set(st.resolved) & set(point.objections)
            ):
                covered.append(point.id)
                met.append(point.id)
        return met

    # ── the end ────────────────────────────────────────────────────────
    def decide(self) -> Outcome:
        """Decide at the end of the drill (an earlier purchase stands).

        May record a missing-disclosure violation (returned in
        :attr:`final_violations`); :attr:`final_words` is what the client says
        (empty when it had bought already).
        """
        st = self._state
        decision = self.scenario.persona.decision
        self.final_words = ""
        self.final_violations = []
        if st.bought:
            reason = self._text("reason_bought").format(
                turn=st.bought_turn, product=self.scenario.product(st.bought).name
            )
            return Outcome(decision="bought", product=st.bought, reasons=[reason])
        verdict = judge(self.scenario, st, self._intent_names)
        missing = self._missing_disclosures(decision.product)
        if verdict.decision == "accept" and missing:
            reason = self._disclosure_reason(decision.product, missing)
            if decision.no_violations:  # the client will not buy blind: no sale, no violation
                st.decision = "decline"
                self.final_words = decision.decline + self._say("say_disclosure")
                return Outcome(decision="declined", product=None, reasons=[reason])
            turn = _Turn(ids=[], trust_before=st.trust)
            self._record_missing_disclosure(turn, decision.product, missing)
            self.final_violations = turn.violations
            verdict = Verdict("accept", [*verdict.reasons, reason], "")
        elif missing:
            reason = self._disclosure_reason(decision.product, missing)
            verdict = Verdict(verdict.decision, [*verdict.reasons, reason], verdict.say)
        st.decision = verdict.decision
        if verdict.decision == "accept":
            self._buy(decision.product)
            self.final_words = decision.accept
            return Outcome(decision="bought", product=decision.product, reasons=verdict.reasons)
        self.final_words = decision.decline + verdict.say
        return Outcome(decision="declined", product=None, reasons=verdict.reasons)

    def open_key_points(self, step_id: str) -> list[KeyPoint]:
        """Return the key points of a step not yet met."""
        step = self.scenario.steps[self.scenario.step_index(step_id)]
        covered = self._state.covered_in(step_id)
        return [k for k in step.key_points if k.id not in covered]

    def fact(self, fact_id: str) -> HiddenFact:
        """Return the hidden fact with this id."""
        return next(f for f in self.scenario.persona.facts if f.id == fact_id)

    # ── helpers ────────────────────────────────────────────────────────
    def _violate(self, turn: _Turn, vid: str, detail: str, product: str | None) -> None:
        violation = Violation(id=vid, detail=detail, product=product)
        self._state.violations.append(violation)
        turn.violations.append(violation)

    def _adjust(self, delta: int) -> None:
        self._state.trust = max(0, min(100, self._state.trust + delta))

    def _line(self, situation: str) -> str:
        """Pick the client's line for a situation: the scenario's own, else a built-in one."""
        own: list[str] = getattr(self.scenario.lines, situation, None) or []
        return self._pick(situation, own or SITUATION_LINES[self.lang][situation])

    def _text(self, key: str) -> str:
        return DECISION_TEXT[self.lang][key]

    def _say(self, key: str) -> str:
        """Return a line added to a decline (after a space in English)."""
        say = self._text(key)
        return " " + say if say and self.lang == "en" else say

    def _pick(self, key: str, variants: Sequence[str]) -> str:
        """Choose a variant by (seed, turn, key), never the one used last time for ``key``."""
        st = self._state
        digest = hashlib.sha256(f"{self.seed}:{st.turn}:{key}".encode()).digest()
        index = int.from_bytes(digest[:8], "big") % len(variants)
        if len(variants) > 1 and index == st.last_variant.get(key):
            index = (index + 1) % len(variants)
        st.last_variant[key] = index
        return variants[index]

    def _reply(
        self,
        turn: _Turn,
        scores: list[IntentScore],
        mentioned: list[str],
        jargon: list[str],
        met: list[str],
        unrecognised: bool = False,
    ) -> ClientReply:
        st = self._state
        joiner = " " if self.lang == "en" else ""
        text = joiner.join(dict.fromkeys(p.strip() for p in turn.parts if p.strip()))
        st.last_text = text
        notes = Annotations(
            intents=scores,
            products=mentioned,
            revealed=turn.revealed,
            withheld=turn.withheld,
            raised=turn.raised,
            resolved=turn.resolved,
            mishandled=turn.mishandled,
            violations=turn.violations,
            jargon=jargon,
            key_points=met,
            decision=turn.decision,
            reasons=turn.reasons,
            unrecognised=unrecognised,
            trust=st.trust,
            trust_delta=st.trust - turn.trust_before,
            mood=st.mood,
        )
        return ClientReply(text=text, annotations=notes)
