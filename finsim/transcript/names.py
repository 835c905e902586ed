"""The words for a transcript's coded values (role, mode, end reason, decision) in each language.

The drill's end card, the replay and the exports all name these the same way.
An unknown value (a newer transcript) is shown as it is written.
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


def group_zh(group: str) -> str:
    """Say a group in Chinese: ``G1 组``, but ``第一组`` as it is (no ``第一组 组``)."""
    return group if group.endswith("组") else f"{group} 组"
