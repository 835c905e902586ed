"""The domain's words in both languages: one vocabulary for the scorer, the drill and the exports.

Coded values of a transcript (role, mode, end reason, decision), the objection
kinds of the iceberg model (冰山原理) and the handling each calls for, and the
client's moods: each is a ``(Chinese, English)`` pair, named the same way on the
end card, in the replay, in the score and in every export. An unknown value (a
newer transcript) is shown as it is written.
"""

from __future__ import annotations

from finsim.i18n import tr

MODE_NAMES: dict[str, tuple[str, str]] = {
    "solo": ("单人", "solo"),
    "pair": ("双人", "pair"),
    "script": ("脚本", "scripted"),
}

END_REASON_NAMES: dict[str, tuple[str, str]] = {
    "finished": ("演练完成", "finished"),
    "time_up": ("时间到", "time up"),
    "quit": ("提前退出", "quit early"),
    "interrupted": ("中断", "interrupted"),
    "walked_out": ("客户离开", "the client walked out"),
}

OBJECTION_KINDS: dict[str, tuple[str, str]] = {
    "misunderstanding": ("误解", "misunderstanding"),
    "doubt": ("怀疑", "doubt"),
    "shortcoming": ("实际缺点", "real shortcoming"),
    "complaint": ("投诉", "complaint"),
    "price": ("价格", "price"),
}
"""The objection kinds of the iceberg model, as a scenario names them."""

OBJECTION_HANDLING: dict[str, tuple[str, str]] = {
    "misunderstanding": ("澄清事实", "clarify"),
    "doubt": ("拿出证据证明", "prove it with evidence"),
    "shortcoming": ("承认不足并显示整体价值", "concede and show the whole value"),
    "complaint": ("以行动补救", "put it right with action"),
    "price": ("讲清价值、化解价格顾虑", "show the value behind the price"),
}
"""What each objection kind calls for (误解 → 澄清, 怀疑 → 证明, …)."""

MOODS: dict[str, tuple[str, str]] = {
    "trusting": ("信任", "trusting"),
    "warm": ("友好", "warm"),
    "neutral": ("平静", "neutral"),
    "wary": ("戒备", "wary"),
    "hostile": ("反感", "hostile"),
}

STANDINGS: dict[str, tuple[str, str]] = {
    "open": ("尚未决定", "undecided"),
    "bought": ("已经购买", "bought"),
    "declined": ("已经拒绝", "declined"),
}
"""Where the client stands during the drill (a line's ``when: {decision: …}``)."""

DECISION_NAMES: dict[str, tuple[str, str]] = {
    "bought": ("同意购买", "bought"),
    "declined": ("没有购买", "declined"),
    "undecided": ("尚未决定", "undecided"),
}


def name_in(table: dict[str, tuple[str, str]], key: str) -> str:
    """Return ``key``'s name from a (Chinese, English) table, or ``key`` itself if unknown."""
    zh, en = table.get(key, (key, key))
    return tr(zh, en)


def role_name(role: str) -> str:
    """Name a role: 客户经理 / 客户 in the current language."""
    return tr("客户经理", "Manager") if role == "manager" else tr("客户", "Client")


def mode_name(mode: str) -> str:
    """Name a drill mode (``solo``, ``pair``, ``script``)."""
    return name_in(MODE_NAMES, mode)


def end_reason_name(reason: str) -> str:
    """Say why the drill ended (``finished``, ``time_up``, ``quit``, ``walked_out``…)."""
    return name_in(END_REASON_NAMES, reason)


def decision_name(decision: str) -> str:
    """Name a decision (``bought``, ``declined``, ``undecided``) in the user's language."""
    return name_in(DECISION_NAMES, decision)


def objection_kind_name(kind: str) -> str:
    """Name an objection kind (``doubt`` → 怀疑) in the user's language."""
    return name_in(OBJECTION_KINDS, kind)


def objection_handling(kind: str) -> str:
    """Say what an objection kind calls for (``doubt`` → 拿出证据证明)."""
    return name_in(OBJECTION_HANDLING, kind)


def mood_name(mood: str) -> str:
    """Say the client's mood in words."""
    return name_in(MOODS, mood)


def group_zh(group: str) -> str:
    """Say a group in Chinese: ``G1 组``, but ``第一组`` as it is (no ``第一组 组``)."""
    return group if group.endswith("组") else f"{group} 组"
