"""Plain help text that wraps Chinese by its width on the terminal (two columns a character).

finsim's help is click's plain layout rather than Typer's rich panels, whose
import alone (markdown, syntax highlighting, tracebacks) costs more than the rest
of ``finsim --help``. Click measures text in characters; this formatter measures
it in terminal columns, so that mixed Chinese and English lines fit the width.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from typer._click.core import Context  # Typer vendors click; its help layout lives there
from typer._click.formatting import HelpFormatter

# no line may start with these: they stay with the character before them
_CLOSING = set("，。、；：！？）》」』】,.;:!?)%")
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"  # CJK, full-width forms
_TOKEN = re.compile(f"[{_WIDE}]|[^\\s{_WIDE}]+|\\s+")


def width(text: str) -> int:
    """Return how many terminal columns ``text`` takes (wide and full-width characters: 2)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _tokens(text: str) -> list[str]:
    """Split into words, single CJK characters and spaces; closing punctuation sticks left."""
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if tokens and not tokens[-1].isspace() and token[0] in _CLOSING:
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def wrap(text: str, columns: int) -> list[str]:
    """Wrap one paragraph to ``columns`` terminal columns; a word never breaks."""
    lines: list[str] = []
    line = ""
    for token in _tokens(" ".join(text.split())):
        if token.isspace():
            token = " "
        if line and width(line) + width(token) > columns:
            lines.append(line.rstrip())
            line = "" if token == " " else token
        elif line or token != " ":
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _paragraphs(text: str) -> Iterable[str]:
    return (part for part in re.split(r"\n\s*\n", text.strip()) if part.strip())


class WideFormatter(HelpFormatter):
    """Click's help formatter, with text measured and wrapped in terminal columns."""

    def write_text(self, text: str) -> None:
        """Write paragraphs indented to the current level, wrapped to the width."""
        indent = " " * self.current_indent
        columns = max(self.width - self.current_indent, 11)
        paragraphs = [wrap(paragraph, columns) for paragraph in _paragraphs(text)]
        self.write("\n\n".join("\n".join(indent + line for line in lines) for lines in paragraphs))
        self.write("\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """Write a definition list (options, commands), the second column wrapped."""
        rows = list(rows)
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        text_columns = max(self.width - first_col - 2 - self.current_indent, 10)
        hanging = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + hanging)
            lines = [
                line for paragraph in _paragraphs(second) for line in wrap(paragraph, text_columns)
            ]
            self.write(("\n" + hanging).join(lines or [""]) + "\n")


class WideContext(Context):
    """A click context whose help is written by :class:`WideFormatter`."""

    formatter_class = WideFormatter


def use_wide_help(command: Any) -> Any:
    """Give ``command`` and every command under it the wide-aware help; return it."""
    command.context_class = WideContext
    for child in getattr(command, "commands", {}).values():
        use_wide_help(child)
    return command
