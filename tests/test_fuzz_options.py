"""Fuzz: the options and arguments of every command, drawn at random.

The commands are read from the application itself, so a new command or option
is fuzzed without a change here. A case gives a random subset of a command's
options, each a value of its kind or not (numbers beyond any range, ``nan``,
text with bytes that are not UTF-8, empty or huge text, every kind of seed
file, a folder, a missing path, ``/dev/null``), and asserts what must hold:
no traceback, no exit 70, no hang, and no file changed but the intended output
(``--out``, the database of a command that writes one, a resumed transcript).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_tree import leaf_commands
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_support import Seeds, fuzz_settings, instant_time, new_case, run_checked, seeds
from typer.testing import CliRunner

__all__ = ["instant_time", "seeds"]  # fixtures, used by name

FILES = [
    "{transcript}",
    "{unfinished}",
    "{session}",
    "{db}",
    "{roster}",
    "{groups}",
    "{settings}",
    "{script}",
    "{scenario}",
    "{rubric}",
    "{private}",
    "{public}",
    "{notes}",
    "{empty}",
    "{folder}",
    "{missing}",
    "{new}",
    "/dev/null",
    "-",
]
TEXTS = [
    "",
    " ",
    "retired-teacher",
    "english-demo",
    "c1",
    "G1",
    "G2",
    "第一组",
    "2024001",
    "2024015",
    "1",
    "peer",
    "teacher",
    "md",
    "html",
    "json",
    "csv",
    "xlsx",
    "cast",
    "solo",
    "pair",
    "mean",
    "moodle",
    "20,30,50",
    "1=客户经理",
    "research=6,closing=8",
    "research=1e999",
    "caf\udce9",
    "\x00",
    "\u202e",
    "x" * 5000,
    "=",
    ",",
    "-1",
]
INTEGERS = ["0", "1", "2", "3", "-1", "40", "400", str(2**63), str(-(2**63) - 1), "9" * 5000]
INTEGERS += ["1e3", "0x10", "٣", "nan", ""]
FLOATS = ["0", "-1", "0.001", "1e-300", "1000", "1e308", "inf", "-inf", "nan", "9" * 5000, "x"]

DATABASE_WRITERS = {"rate", "grade", "import", "class", "lesson"}
"""Commands (by first word) whose database is an intended output."""


@dataclass(frozen=True)
class Param:
    """One parameter of a command: its option names (none: positional) and its kind."""

    name: str
    opts: tuple[str, ...]
    kind: str
    """``flag``, ``int``, ``float`` or ``text`` (paths and ids alike)."""
    many: bool


def _kind(param: Any) -> str:
    if getattr(param, "is_flag", False):
        return "flag"
    annotation = getattr(param.type_descriptor, "annotation", None)
    for kind in (int, float):
        if annotation is kind or kind in getattr(annotation, "__args__", ()):
            return kind.__name__
    return "text"


def command_params() -> dict[str, list[Param]]:
    """Every command that runs (``class groups``, ``score``, …) → its parameters."""
    return {
        " ".join(path): [
            Param(
                p.name,
                tuple(o for o in p.opts if o.startswith("-")),
                _kind(p),
                p.nargs != 1 or bool(getattr(p, "multiple", False)),
            )
            for p in command.params
        ]
        for path, command in leaf_commands()
    }


COMMANDS = command_params()

_text = st.sampled_from(FILES + TEXTS)
_values = {
    "int": st.sampled_from(INTEGERS) | _text,
    "float": st.sampled_from(FLOATS),
    "text": _text,
}


@st.composite
def command_lines(draw: st.DrawFn, params: list[Param]) -> list[str]:
    """A command line: each positional given (one to three values), a random subset of options."""
    words: list[str] = []
    for param in params:
        if not param.opts:
            count = draw(st.integers(1, 3)) if param.many else 1
            words += [draw(_values[param.kind]) for _ in range(count)]
        elif draw(st.booleans()):
            option = draw(st.sampled_from(param.opts))
            words += [option] if param.kind == "flag" else [option, draw(_values[param.kind])]
    return draw(st.permutations(words)) if draw(st.booleans()) else words


def _outputs(command: str, args: list[str], folder: Path) -> list[Path]:
    """What a run may write: ``--out``, a writer's database, a resumed transcript, default names."""
    named = {"--out", "-o", "--resume"}
    if command.split()[0] in DATABASE_WRITERS:
        named.add("--db")
    paths = [folder / args[i + 1] for i, word in enumerate(args[:-1]) if word in named]
    paths += [p.with_suffix(".pub") for p in paths]  # class key --out NAME.key
    return [*paths, folder / "rescore-summary.csv"]


def _fill(word: str, files: dict[str, str]) -> str:
    return word.format(**files) if word.startswith("{") else word


@pytest.mark.usefixtures("instant_time")
@pytest.mark.parametrize("command", sorted(COMMANDS))
@fuzz_settings(8)
@given(data=st.data())
def test_any_options_end_in_a_result_or_one_clear_error(
    runner: CliRunner,
    tmp_path: Path,
    seeds: Seeds,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    data: st.DataObject,
) -> None:
    """Any options to any command: no traceback, no exit 70, no hang, no stray change."""
    drawn = data.draw(command_lines(COMMANDS[command]), label="arguments")
    folder, files = new_case(tmp_path, seeds)
    monkeypatch.chdir(folder)
    args = [*command.split(), *(_fill(word, files) for word in drawn)]
    run_checked(
        runner,
        args,
        watch=[folder, seeds.root],
        allowed=_outputs(command, args, folder),
        data_dir=tmp_path / "finsim-data",
    )


def test_every_command_is_fuzzed() -> None:
    """The table of commands is the application's: all of them, with their options."""
    assert {"drill", "score", "report", "class groups", "batch rescore", "verify"} <= set(COMMANDS)
    assert any(p.kind == "int" for p in COMMANDS["rate"])
    assert any(p.kind == "float" for p in COMMANDS["replay"])
