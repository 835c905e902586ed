"""The virtual client engine: reads the analysis of a manager line, answers, keeps state.

For each manager line the engine runs the rules of :data:`finsim.client.rules.RULES`
in their listed order (README "The drill"): red lines, rapport, facts,
suitability, objections, disclosure, replies by intent, the close, jargon, a
clarification when nothing was understood, patience (walking out), the pacing
of objections, key points. Every change of trust is one of the :data:`TRUST`
steps, scaled by the drill level and the persona's traits
(:mod:`finsim.client.temper`), and trust stays within 0..100.

Every line is chosen among the variants whose conditions hold in the client's
state (:mod:`finsim.client.conditions`); a reply that quotes a figure nobody
gave it is not a candidate (:mod:`finsim.scenario.figures`). Among the
candidates one is chosen with a hash of (seed, turn, situation), so a drill
replays identically for the same seed and lines, and never gives the same
variant of a situation twice in a row.

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
  Handling a concern the client has not voiced yet only pre-empts it
  (annotated ``preempted``; with ``preempt: true`` it then never comes up); a
  concern is resolved only once voiced, each handling act answering the last
  voiced concern it fits; each is annotated ``raised`` on the turn that raises
  it. Objections above the drill's level never come up. After a purchase,
  concerns of that step and earlier are dropped;
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

from finsim.client.conditions import holds
from finsim.client.decision import Verdict, judge
from finsim.client.dismissal import Dismissal
from finsim.client.lines import DECISION_TEXT, INTENT_LINES, SITUATION_LINES
from finsim.client.reply import AnalysisLike, ClientReply
from finsim.client.rules import RULES
from finsim.client.state import ClientState
from finsim.client.temper import in_play, temper_for
from finsim.client.turn import Turn
from finsim.scenario.advice import in_passing
from finsim.scenario.figures import ungrounded
from finsim.scenario.lines import LineModel
from finsim.scenario.loader import load_base_library
from finsim.scenario.models import (
    HiddenFact,
    IntentLibrary,
    KeyPoint,
    Level,
    Objection,
    Product,
    Roles,
    Scenario,
)
from finsim.transcript.model import Annotations, IntentScore, Outcome, Violation

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
PATIENCE = 2
"""Manager turns a voiced objection waits, unhandled, before the client raises the next one."""


def disclosures_needed(product: Product, roles: Roles) -> tuple[str, ...]:
    """Return what must be disclosed before closing on ``product``: ``risk`` and/or ``fees``."""
    return roles.disclosures.needed(product.kind, product.guaranteed)


class ClientEngine:
    """The persona of one scenario, played deterministically for a seed.

    ``respond`` and ``enter_step`` mutate the engine's :class:`ClientState`;
    the same calls in the same order with the same seed give the same replies.
    ``library`` is the base intent library (read from the shipped file when
    not given); it tells which intents are red lines and names them in reasons.
    ``level`` is the drill's difficulty (:mod:`finsim.client.temper`).
    """

    UNSUITABLE = UNSUITABLE

    def __init__(
        self,
        scenario: Scenario,
        seed: int = 0,
        library: IntentLibrary | None = None,
        level: Level = "normal",
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.level: Level = level
        self.temper = temper_for(scenario.persona, level)
        self.lang = scenario.language
        library = library or load_base_library()
        every = [*library.intents, *scenario.intents]
        self.intent_names = {i.id: i.name for i in every}
        self.red_lines = {i.id for i in every if i.red_line}
        self.roles = library.roles.merged(scenario.roles)
        self.dismissal = Dismissal(library.dismissals)
        known = set(scenario.persona.known_terms)
        self._known_terms = known | {
            t.term for t in [*library.jargon, *scenario.jargon] if known & {t.term, *t.aliases}
        }
        self._state = ClientState(
            trust=scenario.persona.starting_trust,
            patience=self.temper.patience,
            dropped=[o.id for o in scenario.persona.objections if not in_play(o.level, level)],
        )
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
        turn = Turn(ids=[], step=step_id, trust_before=st.trust)
        # An opening is the client's own statement of its situation, not a quote.
        opening = self.choose(f"opening:{step_id}", step.opening, turn, quotes=False)
        turn.parts.append(opening or self.line("step_opening", turn))
        self._queue_objections(step_id)
        self.pace_objections(turn, entering=True)
        return self._reply(turn, [])

    def _queue_objections(self, step_id: str) -> None:
        """On first entering a step, queue its objections (voiced later, one at a time)."""
        st = self._state
        if step_id in st.steps_entered:
            return
        st.steps_entered.append(step_id)
        for objection in self.scenario.persona.objections:
            if objection.step == step_id and objection.id not in [*st.raised, *st.dropped]:
                st.queued.append(objection.id)

    def pace_objections(self, turn: Turn, entering: bool = False) -> None:
        """Raise the next queued objection once the last one raised is settled."""
        st = self._state
        if not st.queued or (st.raised and not self._settled(st.raised[-1], entering)):
            return
        objection = self.objection(st.queued.pop(0))
        self.mark_raised(objection.id, turn)
        turn.parts.append(objection.text)

    def _settled(self, objection_id: str, entering: bool) -> bool:
        """Whether the client is done waiting on an objection it raised."""
        st = self._state
        if objection_id in st.resolved or objection_id in st.mishandled:
            return True
        if entering and self.objection(objection_id).step != st.step:
            return True
        return st.turn - st.raised_turn.get(objection_id, st.turn) >= PATIENCE

    def mark_raised(self, objection_id: str, turn: Turn) -> None:
        """Record that the client voices an objection at this turn."""
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
        mentioned = [p for p in dict.fromkeys(analysis.products) if self._has_product(p)]
        turn = Turn(
            ids=ids,
            step=step_id,
            products=mentioned,
            jargon=[t for t in dict.fromkeys(analysis.jargon) if t not in self._known_terms],
            is_question=analysis.is_question,
            text=analysis.text,
            entering=step_id not in st.steps_entered,
            trust_before=st.trust,
        )
        st.heard.append(analysis.text)
        self._queue_objections(step_id)
        for intent_id in ids:
            if intent_id not in st.intents_seen:
                st.intents_seen.append(intent_id)
        if mentioned:
            st.focus = mentioned
            offered = [
                p for p in mentioned if not in_passing(self.scenario.product(p), analysis.text)
            ]
            if offered and self.roles.any_of("offer", ids):
                st.offered = offered
                st.put_forward.extend(p for p in offered if p not in st.put_forward)
            st.discussed.extend(p for p in mentioned if p not in st.discussed)
        if st.left:  # it has walked out: nothing more happens
            turn.parts.append(self.line("gone", turn))
        else:
            for rule in RULES:
                rule.apply(turn, self)
        scores = [IntentScore(id=m.id, score=round(float(m.score), 4)) for m in analysis.intents]
        return self._reply(turn, scores)

    def may_tell(self, fact_id: str) -> bool:
        """Whether the client would tell this fact now (a sensitive one needs trust)."""
        persona = self.scenario.persona
        fact = self.fact(fact_id)
        needed = persona.sensitive_trust + self.temper.sensitive_extra
        return not fact.sensitive or self._state.trust >= needed

    def _has_product(self, product_id: str) -> bool:
        return any(p.id == product_id for p in self.scenario.products)

    def focus(self) -> list[Product]:
        """Return the products under discussion: the last mentioned, else the wanted one."""
        ids = self._state.focus or [self.scenario.persona.decision.product]
        return [self.scenario.product(p) for p in ids]

    def objection(self, objection_id: str) -> Objection:
        """Return the objection with this id."""
        return next(o for o in self.scenario.persona.objections if o.id == objection_id)

    def decline_other(self, turn: Turn, product_id: str) -> None:
        """Decline a close on a suitable product the client does not want; say so."""
        decision = self.scenario.persona.decision
        other = self.scenario.product(product_id).name
        reason = self.text("reason_product").format(
            product=self.scenario.product(decision.product).name, other=other
        )
        turn.decision, turn.reasons = "decline", [reason]
        self._state.decision = "decline"
        line = self.line("not_wanted", turn)
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
        words = [self.text(f"{d}_word_loan" if loan else f"{d}_word") for d in missing]
        return self.text("join").join(words)

    def _request_disclosure(self, turn: Turn, product_id: str, missing: list[str]) -> None:
        """Ask to hear the missing disclosures first (the client would buy): no decision yet."""
        st = self._state
        product = self.scenario.product(product_id)
        if product_id in st.disclosure_asked:
            self.adjust("disclosure_ignored")
        st.disclosure_asked.add(product_id)
        words = self._missing_words(product_id, missing)
        asked = self.text("reason_disclosure_asked")
        turn.reasons = [asked.format(product=product.name, missing=words)]
        loan = "_loan" if product.kind == "loan" else ""
        asks = [self.text(f"ask_{d}{loan}") for d in missing]
        line = self.line("disclosure_requested", turn)
        turn.parts.append(line.replace("{missing}", self.text("ask_join").join(asks)))

    def _disclosure_reason(self, product_id: str, missing: list[str]) -> str:
        product = self.scenario.product(product_id)
        words = self._missing_words(product_id, missing)
        return self.text("reason_disclosure").format(product=product.name, missing=words)

    def _record_missing_disclosure(self, turn: Turn, product_id: str, missing: list[str]) -> None:
        """Record the violation of a sale concluded without the disclosures it needs."""
        detail = self.text("violation_disclosure").format(
            product=self.scenario.product(product_id).name,
            missing=self._missing_words(product_id, missing),
        )
        self.violate(turn, MISSING_DISCLOSURE, detail, product_id)

    def decide_now(self, turn: Turn, product_id: str) -> None:
        """Decide on a close now: buy, ask for the missing disclosures, or decline."""
        st = self._state
        decision = self.scenario.persona.decision
        verdict = judge(self.scenario, st, self.intent_names)
        missing = self._missing_disclosures(product_id)
        if verdict.decision == "accept" and missing:
            self._request_disclosure(turn, product_id, missing)
            return
        turn.decision, turn.reasons = verdict.decision, verdict.reasons
        st.decision = verdict.decision
        if verdict.decision == "accept":
            self._buy(decision.product)
            turn.parts.append(self.closing_line("accept", turn))
            return
        if missing:
            turn.reasons = [*verdict.reasons, self._disclosure_reason(product_id, missing)]
        turn.parts.append(self.closing_line("decline", turn) + verdict.say)

    def _buy(self, product_id: str) -> None:
        """Record the purchase; the concerns of this step and earlier no longer come up."""
        st = self._state
        st.bought, st.bought_turn = product_id, st.turn
        here = self.scenario.step_index(st.step) if st.step else len(self.scenario.steps) - 1
        st.queued = [
            o for o in st.queued if self.scenario.step_index(self.objection(o).step) > here
        ]

    def fallback(self, intent_id: str, turn: Turn) -> str | None:
        """Return a generic line for an intent: a fact told before, a built-in line, or None."""
        told = [
            f
            for f in self.scenario.persona.facts
            if intent_id in f.revealed_by and f.id in self._state.revealed
        ]
        if told:
            line = self.line("already_told", turn)
            return line.replace("{topic}", told[0].topic)
        return self.choose(f"intent:{intent_id}", INTENT_LINES[self.lang].get(intent_id, []), turn)

    # ── the end ────────────────────────────────────────────────────────
    def decide(self, reason: str = "finished") -> Outcome:
        """Decide at the end of the drill (an earlier purchase stands).

        May record a missing-disclosure violation (returned in
        :attr:`final_violations`); :attr:`final_words` is what the client says
        last: a parting line after an earlier purchase, its decision otherwise,
        after a word about the time when ``reason`` is ``time_up``; nothing
        more once it has walked out (it said why as it left).
        """
        outcome = self._decide()
        if reason == "time_up" and not self._state.left:
            self.final_words = self.line("time_up") + self._joiner() + self.final_words
        return outcome

    def _joiner(self) -> str:
        return " " if self.lang == "en" else ""

    def _decide(self) -> Outcome:
        st = self._state
        decision = self.scenario.persona.decision
        # Declined at a close already: it said why then; at the end it only takes its leave.
        already = st.decision == "decline"
        self.final_words = ""
        self.final_violations = []
        if st.left:
            st.decision = "decline"
            return Outcome(decision="declined", product=None, reasons=[self.left_reason()])
        if st.bought:
            reason = self.text("reason_bought").format(
                turn=st.bought_turn, product=self.scenario.product(st.bought).name
            )
            self.final_words = self.line("parting")
            return Outcome(decision="bought", product=st.bought, reasons=[reason])
        verdict = judge(self.scenario, st, self.intent_names)
        missing = self._missing_disclosures(decision.product)
        if verdict.decision == "accept" and missing:
            reason = self._disclosure_reason(decision.product, missing)
            if decision.no_violations:  # the client will not buy blind: no sale, no violation
                st.decision = "decline"
                self.final_words = self.closing_line("decline") + self._say("say_disclosure")
                return Outcome(decision="declined", product=None, reasons=[reason])
            turn = Turn(ids=[], trust_before=st.trust)
            self._record_missing_disclosure(turn, decision.product, missing)
            self.final_violations = turn.violations
            verdict = Verdict("accept", [*verdict.reasons, reason], "")
        elif missing:
            reason = self._disclosure_reason(decision.product, missing)
            verdict = Verdict(verdict.decision, [*verdict.reasons, reason], verdict.say)
        st.decision = verdict.decision
        if verdict.decision == "accept":
            self._buy(decision.product)
            self.final_words = self.closing_line("accept")
            return Outcome(decision="bought", product=decision.product, reasons=verdict.reasons)
        self.final_words = (
            self.line("parting") if already else self.closing_line("decline") + verdict.say
        )
        return Outcome(decision="declined", product=None, reasons=verdict.reasons)

    def closing_line(self, which: str, turn: Turn | None = None) -> str:
        """Return the client's words when it buys (``accept``) or declines (``decline``).

        A closing states the client's own decision, so its figures need not
        have been heard; when no variant's conditions hold, the first is said.
        """
        lines = getattr(self.scenario.persona.decision, which)
        return self.choose(f"closing:{which}", lines, turn, quotes=False) or lines[0].text

    def left_reason(self) -> str:
        """Why the client walked out, for the record (empty when it did not)."""
        st = self._state
        if not st.left:
            return ""
        return self.text(f"reason_left_{st.left}").format(trust=st.trust, turn=st.left_turn)

    def open_key_points(self, step_id: str) -> list[KeyPoint]:
        """Return the key points of a step not yet met."""
        step = self.scenario.steps[self.scenario.step_index(step_id)]
        covered = self._state.covered_in(step_id)
        return [k for k in step.key_points if k.id not in covered]

    def fact(self, fact_id: str) -> HiddenFact:
        """Return the hidden fact with this id."""
        return next(f for f in self.scenario.persona.facts if f.id == fact_id)

    # ── helpers ────────────────────────────────────────────────────────
    def violate(self, turn: Turn, vid: str, detail: str, product: str | None) -> None:
        """Record a violation on the turn and in the state."""
        violation = Violation(id=vid, detail=detail, product=product)
        self._state.violations.append(violation)
        turn.violations.append(violation)

    def adjust(self, event: str) -> None:
        """Move trust by the :data:`TRUST` step of ``event`` (scaled by the temper), 0..100."""
        delta = TRUST[event]
        delta = round(delta * (self.temper.gain if delta > 0 else self.temper.loss))
        self._state.trust = max(0, min(100, self._state.trust + delta))

    def leave(self, turn: Turn, why: str) -> None:
        """Walk out of the meeting: say why; the drill ends with no sale."""
        st = self._state
        st.left, st.left_turn = why, st.turn
        turn.decision, turn.reasons = "decline", [self.left_reason()]
        words = self.line(f"walk_out_{why}", turn)
        turn.parts.append(self.line("walk_out", turn).replace("{why}", words))

    def line(self, situation: str, turn: Turn | None = None) -> str:
        """Pick the client's line for a situation: the scenario's own, else a built-in one.

        Only lines whose conditions hold are candidates; when none of the
        built-in ones does either, the first built-in line is said.
        """
        own: list[LineModel] = getattr(self.scenario.lines, situation, None) or []
        builtin = SITUATION_LINES[self.lang][situation]
        chosen = self.choose(situation, own, turn) or self.choose(situation, builtin, turn)
        return chosen if chosen is not None else builtin[0].text

    def choose(
        self, key: str, lines: Sequence[LineModel], turn: Turn | None, *, quotes: bool = True
    ) -> str | None:
        """Choose among the lines whose conditions hold (None when none does).

        A line that carries facts along tells them (on ``turn``) as it is said.
        ``quotes`` ``False``: the lines state the client's own situation, so
        their figures need not have been heard.
        """
        eligible = [line for line in lines if self.may_say(line, quotes=quotes)]
        if not eligible:
            return None
        line = eligible[self._index(key, len(eligible))]
        if turn is not None:
            for fact_id in line.tells:
                if fact_id not in self._state.revealed:
                    self._state.revealed.append(fact_id)
                    turn.revealed.append(fact_id)
        return line.text

    def may_say(self, line: LineModel, *, quotes: bool = True) -> bool:
        """Whether a line fits the state.

        Its conditions hold, it quotes no figure unheard, and every fact it
        carries may be told now.
        """
        st = self._state
        if not holds(line.when, st, self.heard_text().lower()):
            return False
        if any(not self.may_tell(f) for f in line.tells if f not in st.revealed):
            return False
        return not quotes or not ungrounded(line.text, self.heard_text())

    def heard_text(self) -> str:
        """Return what the client may quote.

        The manager's lines, the facts it told, its own concerns and the
        names of the products discussed.
        """
        st = self._state
        told = [self.fact(f).text for f in st.revealed]
        voiced = [self.objection(o).text for o in st.raised]
        names = [self.scenario.product(p).name for p in st.discussed]
        return "\n".join([*st.heard, *told, *voiced, *names])

    def text(self, key: str) -> str:
        """Return a template of the decision texts in the scenario's language."""
        return DECISION_TEXT[self.lang][key]

    def _say(self, key: str) -> str:
        """Return a line added to a decline (after a space in English)."""
        say = self.text(key)
        return " " + say if say and self.lang == "en" else say

    def _index(self, key: str, count: int) -> int:
        """Choose one of ``count`` variants by (seed, turn, key), never the last one for ``key``."""
        st = self._state
        digest = hashlib.sha256(f"{self.seed}:{st.turn}:{key}".encode()).digest()
        index = int.from_bytes(digest[:8], "big") % count
        if count > 1 and index == st.last_variant.get(key):
            index = (index + 1) % count
        st.last_variant[key] = index
        return index

    def _reply(self, turn: Turn, scores: list[IntentScore]) -> ClientReply:
        st = self._state
        text = self._joiner().join(dict.fromkeys(p.strip() for p in turn.parts if p.strip()))
        st.last_text = text
        notes = Annotations(
            intents=scores,
            products=turn.products,
            revealed=turn.revealed,
            withheld=turn.withheld,
            raised=turn.raised,
            resolved=turn.resolved,
            preempted=turn.preempted,
            mishandled=turn.mishandled,
            violations=turn.violations,
            jargon=turn.jargon,
            key_points=turn.key_points,
            decision=turn.decision,
            reasons=turn.reasons,
            unrecognised=turn.unrecognised,
            trust=st.trust,
            trust_delta=st.trust - turn.trust_before,
            mood=st.mood,
        )
        return ClientReply(text=text, annotations=notes)
