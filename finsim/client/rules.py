"""The rules the virtual client applies to each manager line, one object each.

Every rule has the same interface: ``apply(turn, client)`` reads the line
(:class:`~finsim.client.turn.Turn`) and the client's state
(``client.state``) and adds its effects to the turn (words, facts, objections,
violations, a decision) and to the state. :data:`RULES` lists them once, in
the order they run; the engine only coordinates. Adding a rule is adding an
entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from finsim.client.decision import intent_label
from finsim.client.dismissal import Dismissal
from finsim.client.state import ClientState
from finsim.client.temper import Temper
from finsim.client.turn import Turn
from finsim.scenario.advice import in_passing
from finsim.scenario.lines import LineModel
from finsim.scenario.models import Objection, Product, Roles, Scenario, risk_rank


class Client(Protocol):
    """What a rule may read and do: the engine as the rules see it."""

    UNSUITABLE: str
    scenario: Scenario
    roles: Roles
    dismissal: Dismissal
    lang: Literal["zh", "en"]
    temper: Temper
    intent_names: dict[str, str]
    red_lines: set[str]

    @property
    def state(self) -> ClientState:
        """The client's state."""
        ...

    def adjust(self, event: str) -> None:
        """Move trust by an event's step."""
        ...

    def line(self, situation: str, turn: Turn | None = None) -> str:
        """Return the client's line for a situation."""
        ...

    def choose(
        self, key: str, lines: Sequence[LineModel], turn: Turn | None, *, quotes: bool = True
    ) -> str | None:
        """Return one of the lines whose conditions hold, or None."""
        ...

    def fallback(self, intent_id: str, turn: Turn) -> str | None:
        """Return a generic line for an intent."""
        ...

    def focus(self) -> list[Product]:
        """Return the products under discussion."""
        ...

    def objection(self, objection_id: str) -> Objection:
        """Return the objection with this id."""
        ...

    def may_tell(self, fact_id: str) -> bool:
        """Whether a fact may be told now."""
        ...

    def violate(self, turn: Turn, vid: str, detail: str, product: str | None) -> None:
        """Record a violation."""
        ...

    def text(self, key: str) -> str:
        """Return a decision text template."""
        ...

    def decline_other(self, turn: Turn, product_id: str) -> None:
        """Decline a close on a product the client does not want."""
        ...

    def decide_now(self, turn: Turn, product_id: str) -> None:
        """Decide on a close."""
        ...

    def pace_objections(self, turn: Turn, entering: bool = False) -> None:
        """Raise the next objection when it is due."""
        ...

    def leave(self, turn: Turn, why: str) -> None:
        """Walk out of the meeting."""
        ...

    def mark_raised(self, objection_id: str, turn: Turn) -> None:
        """Record that an objection is voiced."""
        ...


MAX_INTENT_REPLIES = 2


class Rule(Protocol):
    """One rule of the client: turn and state in, effects on both out."""

    name: str

    def apply(self, turn: Turn, client: Client) -> None:
        """Read the line and the state; add this rule's effects."""
        ...


class RedLines:
    """A red-line intent costs trust (pressure or another red line) and is recorded."""

    name = "red_lines"

    def apply(self, turn: Turn, client: Client) -> None:
        """Record each red line the line crosses (unless true of the product discussed)."""
        roles = client.roles
        for intent_id in turn.ids:
            if intent_id not in client.red_lines:
                continue
            turn.answered.add(intent_id)
            product: str | None = None
            if roles.product_dependent(intent_id):
                untrue = [
                    p
                    for p in client.focus()
                    if not roles.violation_exempt(intent_id, p.guaranteed, p.kind)
                ]
                if not untrue:
                    continue  # true of this product (a deposit cannot lose): no violation
                product = untrue[0].id
            key = "pressure" if roles.has("pressure", intent_id) else "red_line"
            turn.reacted = True
            label = intent_label(intent_id, client.intent_names, client.lang)
            client.violate(turn, intent_id, label, product)
            client.adjust(key)
            turn.parts.append(client.line(key))


class Rapport:
    """Rapport earns trust; a money question before any rapport is intrusive."""

    name = "rapport"

    def apply(self, turn: Turn, client: Client) -> None:
        """Apply rapport; mark the turn intrusive when money came first."""
        st = client.state
        roles = client.roles
        had_rapport = st.rapport
        for intent_id in turn.ids:
            if roles.has("rapport", intent_id):
                first = intent_id not in st.rapport_used
                client.adjust("rapport_first" if first else "rapport_again")
                st.rapport_used.add(intent_id)
                st.rapport = True
        if had_rapport or not roles.any_of("money_question", turn.ids):
            return
        client.adjust("intrusive")
        turn.reacted = turn.intrusive = True
        turn.answered.update(i for i in turn.ids if roles.has("money_question", i))
        turn.parts.append(client.line("intrusive", turn))


class Facts:
    """A hidden fact is told when asked; a sensitive one only with enough trust."""

    name = "facts"

    def apply(self, turn: Turn, client: Client) -> None:
        """Tell the facts the line asks about (nothing after an intrusive question)."""
        if turn.intrusive:
            return
        st = client.state
        guarded = False
        for fact in client.scenario.persona.facts:
            askers = [i for i in fact.revealed_by if i in turn.ids and i not in client.red_lines]
            if not askers or fact.id in st.revealed:
                continue
            turn.answered.update(askers)
            if not client.may_tell(fact.id):
                st.withheld.add(fact.id)
                turn.withheld.append(fact.id)
                guarded = True
                continue
            st.revealed.append(fact.id)
            turn.revealed.append(fact.id)
            turn.parts.append(fact.text)
        if guarded:
            turn.parts.append(client.line("guarded", turn))


class Suitability:
    """A product above the client's risk level is declined and recorded once."""

    name = "suitability"

    def apply(self, turn: Turn, client: Client) -> None:
        """Decline each unsuitable product the line recommends."""
        if not client.roles.any_of("recommend", turn.ids):
            return
        st = client.state
        persona = client.scenario.persona
        client_rank = risk_rank(persona.risk_level)
        closing = client.roles.any_of("commit", turn.ids)
        candidates = turn.products if turn.products else (st.offered if closing else [])
        for product_id in candidates:
            product = client.scenario.product(product_id)
            if risk_rank(product.risk) <= client_rank:
                continue
            if in_passing(product, turn.text):
                continue
            turn.answered.update(i for i in turn.ids if client.roles.has("recommend", i))
            turn.reacted = True
            if product_id not in st.declined_products:
                st.declined_products.append(product_id)
                detail = client.text("violation_unsuitable").format(
                    risk=persona.risk_level, level=product.risk, product=product.name
                )
                client.violate(turn, client.UNSUITABLE, detail, product_id)
                client.adjust("unsuitable")
            turn.parts.append(client.line("unsuitable", turn).replace("{product}", product.name))


class Objections:
    """Handling of the right kind resolves a voiced concern; the wrong kind is a mishandling.

    Each handling act answers one concern: the last voiced one it fits. A
    concern not voiced yet is not resolved by handling offered before: the
    handling is noted as pre-empting it, and a concern marked ``preempt``
    then does not come up at all.
    """

    name = "objections"

    def apply(self, turn: Turn, client: Client) -> None:
        """Resolve what the line handles rightly; note pre-empting; else a mishandling.

        A line that waves the concern away ("不算多，值得") answers none: the concern
        voiced last stays open and counts as mishandled, and nothing is pre-empted. Any
        handling act of the line counts here (not only its main one): the dismissal's
        words themselves say that the line answers the concern.
        """
        st = client.state
        handled = set(turn.ids)
        if handled & set(client.roles.handles.every()) and client.dismissal.waves_away(turn.text):
            if st.pending:
                self._mark(turn, client, client.objection(st.pending[-1]), "waved_away")
            return
        for objection in [client.objection(o) for o in reversed(st.pending)]:
            resolvers = set(objection.resolvers(client.roles)) & handled
            if not resolvers:
                continue
            handled -= resolvers
            self._resolve(turn, client, objection.id, resolvers)
        for objection in [client.objection(o) for o in list(st.queued)]:
            if set(objection.resolvers(client.roles)) & set(turn.ids):
                self._preempt(turn, client, objection.id, objection.preempt)
        self._mishandled(turn, client)

    @staticmethod
    def _preempt(turn: Turn, client: Client, objection_id: str, drop: bool) -> None:
        st = client.state
        if objection_id not in st.preempted:
            st.preempted.append(objection_id)
            turn.preempted.append(objection_id)
        if drop:
            st.queued.remove(objection_id)
            st.dropped.append(objection_id)

    @staticmethod
    def _resolve(turn: Turn, client: Client, objection_id: str, resolvers: set[str]) -> None:
        st = client.state
        objection = client.objection(objection_id)
        st.resolved.append(objection.id)
        turn.resolved.append(objection.id)
        turn.answered.update(resolvers)
        reply = client.choose(f"resolved:{objection.id}", objection.resolved_reply, turn)
        turn.parts.append(reply or client.line("resolved", turn))
        client.adjust("resolved")

    @staticmethod
    def _mishandled(turn: Turn, client: Client) -> None:
        st = client.state
        every_handling = set(client.roles.handles.every())
        # Only the line's main act counts as a (wrong) answer to the concern: a handling
        # act read as a side note of a line about something else is not one.
        handling = [i for i in turn.ids[:1] if i in every_handling]
        still = [client.objection(o) for o in st.pending]
        if turn.resolved or turn.preempted or not handling or not still:
            return
        turn.answered.update(handling)
        Objections._mark(turn, client, still[-1], "wrong_handling")  # the concern voiced last

    @staticmethod
    def _mark(turn: Turn, client: Client, objection: Objection, situation: str) -> None:
        """Note ``objection`` as mishandled at this turn, in the client's words for it."""
        st = client.state
        turn.reacted = True
        st.mishandled.append(objection.id)
        turn.mishandled.append(objection.id)
        reply = objection.wrong_reply if situation == "wrong_handling" else ""
        turn.parts.append(reply or client.line(situation, turn))
        client.adjust("mishandled")


class Disclosure:
    """Risk and fee disclosures count for the products under discussion."""

    name = "disclosure"

    def apply(self, turn: Turn, client: Client) -> None:
        """Note what the line discloses (a promise of no loss is no risk disclosure)."""
        st = client.state
        roles = client.roles
        focus = [p.id for p in client.focus()]
        promised = any(roles.has("guarantee_claim", v.id) for v in turn.violations)
        if roles.any_of("risk_disclosure", turn.ids) and not promised:
            st.disclosed_risk.update(focus)
        if roles.any_of("fee_disclosure", turn.ids):
            st.disclosed_fees.update(focus)


class IntentReplies:
    """Replies by intent; a reaction or a decision this turn says it all.

    When the turn already has something to say (a fact, a resolved objection)
    one scenario reply at most is added; otherwise up to
    :data:`MAX_INTENT_REPLIES`, and a built-in line only while nothing has
    been said (a generic line after a real one reads as noise).
    """

    name = "intent_replies"

    def apply(self, turn: Turn, client: Client) -> None:
        """Add the replies by intent the turn still needs."""
        if turn.reacted or client.roles.any_of("commit", turn.ids):
            return
        scenario = client.scenario
        step = scenario.steps[scenario.step_index(turn.step)]
        budget = 1 if turn.parts else MAX_INTENT_REPLIES
        for intent_id in turn.ids:
            if intent_id in turn.answered or budget == 0:
                continue
            key = f"intent:{intent_id}"
            line = client.choose(key, step.responses.get(intent_id, []), turn)
            line = line or client.choose(key, scenario.responses.get(intent_id, []), turn)
            line = line or (None if turn.parts else client.fallback(intent_id, turn))
            if line:
                turn.parts.append(line)
                budget -= 1
        if turn.ids and not turn.parts:
            turn.parts.append(
                client.line("nothing_to_add" if turn.is_question else "acknowledge", turn)
            )


class Commitment:
    """Asked to close: buy, ask for the missing disclosures first, or decline and say why."""

    name = "commitment"

    def apply(self, turn: Turn, client: Client) -> None:
        """Decide on the product the close is about."""
        st = client.state
        closes = [i for i in turn.ids if client.roles.has("commit", i)]
        if not closes:
            return
        turn.answered.update(closes)
        if st.bought:
            turn.parts.append(client.line("already_bought", turn))
            return
        wanted = client.scenario.persona.decision.product
        asked = turn.products or st.offered or [wanted]
        suitable = [p for p in asked if p not in st.declined_products]
        if not suitable:
            return  # already declined by the suitability rule in this turn
        if wanted not in suitable:
            client.decline_other(turn, suitable[0])
            return
        client.decide_now(turn, wanted)


class Jargon:
    """An unexplained term the client does not know: it asks what it means."""

    name = "jargon"

    def apply(self, turn: Turn, client: Client) -> None:
        """Ask about the first unexplained term."""
        if not turn.jargon:
            return
        turn.parts.append(client.line("jargon", turn).replace("{term}", turn.jargon[0]))
        client.adjust("jargon")


class Unrecognised:
    """Nothing said so far: the client did not follow and asks again."""

    name = "unrecognised"

    def apply(self, turn: Turn, client: Client) -> None:
        """Ask for a clearer line when no rule had anything to say."""
        if turn.parts:
            return
        turn.unrecognised = True
        turn.parts.append(client.line("unrecognised", turn))


class Patience:
    """Trying turns wear the client's patience; a client that walks out leaves and says why.

    A trying turn costs trust or is not understood. Only a temper that walks
    out (``--level hard``) counts them: with one left the client asks the
    manager to get to the point; at none, or when trust falls to the temper's
    floor, it ends the meeting.
    """

    name = "patience"

    def apply(self, turn: Turn, client: Client) -> None:
        """Count a trying turn; walk out when trust or patience runs out."""
        st = client.state
        temper = client.temper
        if not temper.walks_out or st.left or st.bought:
            return
        trying = st.trust < turn.trust_before or turn.unrecognised
        if trying:
            st.patience -= 1
        if st.trust <= temper.walk_out_trust:
            client.leave(turn, "trust")
        elif st.patience <= 0:
            client.leave(turn, "patience")
        elif trying and st.patience == 1:
            turn.parts.append(client.line("impatient", turn))


class Pacing:
    """The next queued objection is voiced once the last one raised is settled."""

    name = "pacing"

    def apply(self, turn: Turn, client: Client) -> None:
        """Raise the next objection when it is due (not once the client is leaving)."""
        if not client.state.left:
            client.pace_objections(turn, turn.entering)


class KeyPoints:
    """A key point of the step is met by an intent, a fact told or an objection resolved."""

    name = "key_points"

    def apply(self, turn: Turn, client: Client) -> None:
        """Record the key points of the step the line meets."""
        st = client.state
        scenario = client.scenario
        step = scenario.steps[scenario.step_index(turn.step)]
        covered = st.covered.setdefault(turn.step, [])
        clean = {i for i in turn.ids if i not in client.red_lines}
        for point in step.key_points:
            if point.id in covered:
                continue
            if (
                clean & set(point.intents)
                or set(st.revealed) & set(point.facts)
                or set(st.resolved) & set(point.objections)
            ):
                covered.append(point.id)
                turn.key_points.append(point.id)


RULES: tuple[Rule, ...] = (
    RedLines(),
    Rapport(),
    Facts(),
    Suitability(),
    Objections(),
    Disclosure(),
    IntentReplies(),
    Commitment(),
    Jargon(),
    Unrecognised(),
    Patience(),
    Pacing(),
    KeyPoints(),
)
"""The client's rules in the order they run on each manager line."""
