"""Cross-reference checks shared by the YAML formats (scenario, rubric).

After the model has validated, what is left is references between its parts:
an id named somewhere must exist, and ids must not repeat. :class:`CrossRefs`
records each problem as a ``file:line:col: path: message`` line.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from finsim.i18n import tr
from finsim.validation import problem_line
from finsim.yamlio import PathKey, YamlDocument

What = tuple[str, str]
"""What the ids are, in Chinese and English (``("意图", "intent")``)."""


class CrossRefs:
    """Collect the reference problems of one YAML document in ``errors``."""

    def __init__(self, doc: YamlDocument, errors: list[str] | None = None) -> None:
        self.doc = doc
        self.errors: list[str] = [] if errors is None else errors

    def error(self, key_path: PathKey, zh: str, en: str) -> None:
        """Record a problem at ``key_path``, in the user's language."""
        self.errors.append(problem_line(self.doc, key_path, tr(zh, en)))

    def ref(self, key_path: PathKey, value: str, known: Collection[str], what: What) -> None:
        """Check that ``value`` (the node at ``key_path``) is in ``known``."""
        if value not in known:
            self.error(
                key_path,
                f"引用了不存在的{what[0]} “{value}”",
                f"refers to an unknown {what[1]} '{value}'",
            )

    def refs(
        self, key_path: PathKey, values: Sequence[str], known: Iterable[str], what: What
    ) -> None:
        """Check that each of ``values`` (a list at ``key_path``) is in ``known``."""
        known_set = set(known)
        for i, value in enumerate(values):
            self.ref((*key_path, i), value, known_set, what)

    def unique(self, key_path: PathKey, ids: Sequence[str], what: What | None = None) -> None:
        """Check that no id in the list at ``key_path`` repeats (``what`` names the ids)."""
        zh, en = (f"{what[0]} ", f"{what[1]} ") if what else ("", "")
        seen: set[str] = set()
        for i, value in enumerate(ids):
            if value in seen:
                self.error(
                    (*key_path, i, "id"), f"{zh}id “{value}” 重复", f"duplicate {en}id '{value}'"
                )
            seen.add(value)
