"""A session as Markdown: facts, the dialogue under step headings, the score card, comments.

Every piece of user text is escaped, so that a line of dialogue can neither
start a heading or a list nor smuggle in HTML when the Markdown is rendered.
"""

from __future__ import annotations

import re

from finsim.export.document import DocLine, ScoreCard, SessionDoc
from finsim.i18n import tr

_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
"""Markdown syntax that can act inside a line (user text never starts one of our lines)."""


def md_escape(text: str) -> str:
    r"""Escape text for Markdown: HTML characters as entities, Markdown syntax with ``\``."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())  # one paragraph: a newline could start a block


def render_markdown(doc: SessionDoc) -> str:
    """Return the Markdown document of one session."""
    out = [f"# {md_escape(doc.title)}", ""]
    out += _table([tr("项目", "Item"), tr("内容", "Detail")], [list(row) for row in doc.facts])
    for step in doc.steps:
        out += ["", f"## {md_escape(step.heading)}", ""]
        if step.objective:
            out += [f"*{md_escape(tr('目标：', 'Objective: ') + step.objective)}*", ""]
        for line in step.lines:
            out += _line(line) if isinstance(line, DocLine) else [f"*{md_escape(line)}*", ""]
    if doc.score is not None:
        out += _score(doc.score)
    if doc.comments:
        out += ["", f"## {tr('互评与教师点评', 'Peer and teacher comments')}", ""]
        for c in doc.comments:
            text = f"：{md_escape(c.text)}" if c.text else ""
            out.append(f"- **{md_escape(c.heading)}**（{md_escape(c.points)}）{text}")
    return "\n".join(out).rstrip() + "\n"


def _line(line: DocLine) -> list[str]:
    out = [f"**{md_escape(line.label)}** [{line.clock}]：{md_escape(line.text)}", ""]
    for violation in line.violations:
        out += [f"> ⚠ {tr('违规：', 'Violation: ')}{md_escape(violation)}", ""]
    return out


def _score(card: ScoreCard) -> list[str]:
    out = ["", f"## {tr('评分', 'Score')}", "", f"**{md_escape(card.headline)}**", ""]
    out += _table(card.columns, card.rows)
    for title, items in card.sections():
        out += ["", f"### {title}", ""]
        out += [f"- {md_escape(item)}" for item in items]
    return out


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(md_escape(c) for c in columns) + " |"]
    out.append("|" + "---|" * len(columns))
    out += ["| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in rows]
    return out
