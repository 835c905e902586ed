"""Sessions as static, self-contained HTML: one session, or a showcase page of several.

The pages carry their own style sheet (screen and print), no script and no
outside resource, so they open from a USB stick and print as they look. Every
piece of text is escaped with :func:`html.escape`: a ``<script>`` typed in a
drill is shown as text, never run.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from finsim import __version__
from finsim.export.document import DocLine, ScoreCard, SessionDoc
from finsim.i18n import current_language, tr

STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #1f2328; }
h1 { border-bottom: 2px solid #1f6feb; padding-bottom: .3rem; }
h2 { margin-top: 2rem; color: #0b5394; }
section.session { border-top: 3px double #999; margin-top: 3rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
.objective { color: #555; font-style: italic; }
.line { margin: .35rem 0; }
.who { font-weight: bold; }
.manager .who { color: #0e7490; }
.client .who { color: #a21caf; }
.clock { color: #888; font-size: .85em; margin: 0 .4em; }
.violation { color: #b91c1c; font-weight: bold; margin-left: 2em; }
.note { color: #777; font-style: italic; }
.headline { font-size: 1.2em; font-weight: bold; }
footer { margin-top: 3rem; color: #888; font-size: .85em; }
@media print { body { max-width: none; margin: 0; } section.session { break-before: page; }
  a { color: inherit; text-decoration: none; } }
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def render_html(doc: SessionDoc) -> str:
    """Return a complete HTML page of one session."""
    return _page(doc.title, _session(doc, level=1))


def render_showcase(docs: Sequence[SessionDoc], title: str, notes: Sequence[str] = ()) -> str:
    """Return one HTML page with several sessions (成果展示), a table of contents first."""
    parts = [f"<h1>{_e(title)}</h1>"]
    parts += [f'<p class="note">{_e(n)}</p>' for n in notes]
    parts.append("<nav><ol>")
    parts += [f'<li><a href="#s{n}">{_e(_label(doc))}</a></li>' for n, doc in enumerate(docs, 1)]
    parts.append("</ol></nav>")
    for n, doc in enumerate(docs, 1):
        parts.append(f'<section class="session" id="s{n}">')
        parts.append(_session(doc, level=2))
        parts.append("</section>")
    return _page(title, "\n".join(parts))


def _label(doc: SessionDoc) -> str:
    facts = dict(doc.facts)
    extra = [facts.get(tr("小组", "Group"), ""), facts.get(tr("时间", "Date"), "")]
    return " · ".join([doc.title, *[x for x in extra if x]])


def _page(title: str, body: str) -> str:
    lang = "zh-CN" if current_language() == "zh" else "en"
    made = tr(f"由 finsim {__version__} 生成", f"Made by finsim {__version__}")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{body}\n<footer>{_e(made)}</footer>\n</body>\n</html>\n"
    )


def _session(doc: SessionDoc, level: int) -> str:
    h, sub = f"h{level}", f"h{level + 1}"
    parts = [f"<{h}>{_e(doc.title)}</{h}>", "<table>"]
    parts += [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in doc.facts]
    parts.append("</table>")
    for step in doc.steps:
        parts.append(f"<{sub}>{_e(step.heading)}</{sub}>")
        if step.objective:
            objective = tr("目标：", "Objective: ") + step.objective
            parts.append(f'<p class="objective">{_e(objective)}</p>')
        for line in step.lines:
            parts.append(_line(line) if isinstance(line, DocLine) else _note(line))
    if doc.score is not None:
        parts.append(_score(doc.score, sub))
    if doc.comments:
        parts.append(f"<{sub}>{_e(tr('互评与教师点评', 'Peer and teacher comments'))}</{sub}>")
        parts.append("<ul>")
        for c in doc.comments:
            text = f"：{_e(c.text)}" if c.text else ""
            parts.append(f"<li><b>{_e(c.heading)}</b>（{_e(c.points)}）{text}</li>")
        parts.append("</ul>")
    return "\n".join(parts)


def _line(line: DocLine) -> str:
    speaker = line.speaker if line.speaker in {"manager", "client"} else "system"
    html = (
        f'<div class="line {speaker}"><span class="who">{_e(line.label)}</span>'
        f'<span class="clock">{_e(line.clock)}</span>{_e(line.text)}</div>'
    )
    for violation in line.violations:
        html += f'\n<div class="violation">⚠ {_e(tr("违规：", "Violation: ") + violation)}</div>'
    return html


def _note(text: str) -> str:
    return f'<p class="note">{_e(text)}</p>'


def _score(card: ScoreCard, tag: str) -> str:
    parts = [f"<{tag}>{_e(tr('评分', 'Score'))}</{tag}>"]
    parts.append(f'<p class="headline">{_e(card.headline)}</p>')
    parts.append("<table><tr>" + "".join(f"<th>{_e(c)}</th>" for c in card.columns) + "</tr>")
    for row in card.rows:
        parts.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>")
    parts.append("</table>")
    for title, items in card.sections():
        parts.append(f"<p><b>{_e(title)}</b></p><ul>")
        parts += [f"<li>{_e(item)}</li>" for item in items]
        parts.append("</ul>")
    return "\n".join(parts)
