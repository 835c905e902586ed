"""The roles intents play in the virtual client and the scorer, declared as data.

The engine and the scorer never name an intent: they ask which intents play
a role (``rapport``, ``commit``, ``handles.doubt``…). The base intent library
declares the roles under ``roles:``; a scenario may add its own intents to a
role under its own ``roles:`` (merged with the library's, never replacing).
Renaming an intent is then a change of one YAML file, and the cross-reference
checks report a role that names an intent that does not exist.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from finsim.scenario.types import Identifier, ObjectionKindId, ProductKind, Strict

Disclosure = Literal["risk", "fees"]


class Handling(Strict):
    """The iceberg model (冰山原理): the intents that answer each kind of objection."""

    misunderstanding: list[Identifier] = Field(default_factory=list, description="误解 → 澄清")
    doubt: list[Identifier] = Field(default_factory=list, description="怀疑 → 证明")
    shortcoming: list[Identifier] = Field(
        default_factory=list, description="实际缺点 → 显示整体价值"
    )
    complaint: list[Identifier] = Field(default_factory=list, description="实际投诉 → 以行动补救")
    price: list[Identifier] = Field(default_factory=list, description="价格异议")

    def of(self, kind: ObjectionKindId) -> list[str]:
        """Return the intents that answer an objection of ``kind``."""
        return list(getattr(self, kind))

    def every(self) -> list[str]:
        """Return every handling intent, of any kind."""
        return [i for kind in _KINDS for i in self.of(kind)]


_KINDS: tuple[ObjectionKindId, ...] = (
    "misunderstanding",
    "doubt",
    "shortcoming",
    "complaint",
    "price",
)


def _risk_and_fees() -> list[Disclosure]:
    return ["risk", "fees"]


class DisclosureRules(Strict):
    """What must be disclosed about a product before the client commits to it."""

    by_kind: dict[ProductKind, list[Disclosure]] = Field(
        default_factory=dict,
        description="for these product kinds, whatever the guarantee (a loan: its risk and fees)",
    )
    guaranteed: list[Disclosure] = Field(
        default_factory=list, description="for a guaranteed product of any other kind"
    )
    otherwise: list[Disclosure] = Field(
        default_factory=_risk_and_fees, description="for every other product"
    )

    def needed(self, kind: str, guaranteed: bool) -> tuple[Disclosure, ...]:
        """Return what must be disclosed for a product of ``kind``."""
        if kind in self.by_kind:
            return tuple(self.by_kind[kind])
        return tuple(self.guaranteed if guaranteed else self.otherwise)


_KIND_LISTS = frozenset({"paid_for_kinds"})
"""Lists of product kinds, not intent ids, among the roles."""


class ViolationUnless(Strict):
    """Red lines that are no violation when the product under discussion is of a kind."""

    guaranteed: list[Identifier] = Field(
        default_factory=list,
        description="true of a guaranteed product (a deposit cannot lose): a violation only "
        "for a product without a guarantee",
    )
    deposit: list[Identifier] = Field(
        default_factory=list,
        description="true of a deposit (deposit insurance): a violation for any other kind",
    )
    paid_for: list[Identifier] = Field(
        default_factory=list,
        description="true of a product the client pays for (``paid_for_kinds``: a loan, a "
        "card…): its rate is a cost, not a return quoted",
    )
    paid_for_kinds: list[ProductKind] = Field(
        default_factory=list, description="the product kinds the client pays for"
    )


class Roles(Strict):
    """Which intents play each role; every list names intents of the library or scenario."""

    rapport: list[Identifier] = Field(
        default_factory=list, description="builds rapport: greeting, purpose, small talk…"
    )
    money_question: list[Identifier] = Field(
        default_factory=list, description="asks about money: intrusive before any rapport"
    )
    question: list[Identifier] = Field(
        default_factory=list, description="asks the client something (counted as a question)"
    )
    offer: list[Identifier] = Field(
        default_factory=list, description="puts the products named in the line forward"
    )
    recommend: list[Identifier] = Field(
        default_factory=list,
        description="recommends the products named: suitability is judged on it",
    )
    commit: list[Identifier] = Field(
        default_factory=list, description="asks the client for the decision (the close)"
    )
    after_yes: list[Identifier] = Field(
        default_factory=list, description="closing formalities that follow the client's yes"
    )
    pressure: list[Identifier] = Field(
        default_factory=list, description="red lines the client feels as pressure"
    )
    guarantee_claim: list[Identifier] = Field(
        default_factory=list,
        description="claims the product cannot lose: a line with it earns no risk disclosure",
    )
    risk_disclosure: list[Identifier] = Field(
        default_factory=list, description="discloses the product's risk"
    )
    fee_disclosure: list[Identifier] = Field(
        default_factory=list, description="discloses the product's fees"
    )
    family_involvement: list[Identifier] = Field(
        default_factory=list,
        description="brings the family in (who decides at home): an elderly client's risky "
        "product is unsuitable before it",
    )
    word_rules: dict[Identifier, Identifier] = Field(
        default_factory=dict,
        description="a scorer word rule → the red-line intent its finding is reported as "
        "(a rule not listed reports under its own id)",
    )
    handles: Handling = Field(default_factory=Handling)
    violation_unless: ViolationUnless = Field(default_factory=ViolationUnless)
    disclosures: DisclosureRules = Field(default_factory=DisclosureRules)

    def merged(self, extra: Roles | None) -> Roles:
        """Return these roles with a scenario's additions (lists joined, rules kept)."""
        if extra is None:
            return self
        data = self.model_dump()
        more = extra.model_dump(exclude_defaults=True)
        for key, value in more.items():
            if key == "disclosures":
                continue  # the rules of disclosure are the library's
            if key == "word_rules":
                data[key] = {**value, **data[key]}  # the library's mapping of a rule stands
            elif isinstance(value, dict):
                for sub, ids in value.items():
                    data[key][sub] = list(dict.fromkeys([*data[key][sub], *ids]))
            else:
                data[key] = list(dict.fromkeys([*data[key], *value]))
        return Roles.model_validate(data)

    def references(self) -> list[tuple[tuple[str, ...], list[str]]]:
        """Every list of intent ids with its key path, for the cross-reference checks."""
        refs: list[tuple[tuple[str, ...], list[str]]] = []
        for key, value in self.model_dump().items():
            if key == "disclosures":
                continue
            if key == "word_rules":
                refs.extend(((key, rule), [intent]) for rule, intent in value.items())
            elif isinstance(value, dict):
                refs.extend(
                    ((key, sub), ids) for sub, ids in value.items() if sub not in _KIND_LISTS
                )
            else:
                refs.append(((key,), value))
        return refs

    def has(self, role: str, intent_id: str) -> bool:
        """Whether ``intent_id`` plays the plain (list) role named ``role``."""
        return intent_id in getattr(self, role)

    def any_of(self, role: str, intent_ids: object) -> bool:
        """Whether one of ``intent_ids`` plays ``role``."""
        members = set(getattr(self, role))
        return any(i in members for i in intent_ids)  # type: ignore[attr-defined]

    def reported_as(self, rule_id: str) -> str:
        """Return the violation a scorer word rule's finding is reported as (``word_rules``)."""
        return self.word_rules.get(rule_id, rule_id)

    def violation_exempt(self, intent_id: str, guaranteed: bool, kind: str) -> bool:
        """Whether a red line is true of this product, hence no violation."""
        rules = self.violation_unless
        if intent_id in rules.guaranteed and guaranteed:
            return True
        if intent_id in rules.paid_for and kind in rules.paid_for_kinds:
            return True
        return intent_id in rules.deposit and kind == "deposit"

    def product_dependent(self, intent_id: str) -> bool:
        """Whether a red line is judged against the product under discussion."""
        rules = self.violation_unless
        return intent_id in {*rules.guaranteed, *rules.deposit, *rules.paid_for}
