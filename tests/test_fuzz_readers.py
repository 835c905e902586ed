"""Fuzz: every file finsim reads, damaged at random, through the commands that read it.

Scenario, rubric, intents, transcript, roster, groups, settings, drill script,
hand-in, key and JSON export: each case damages a valid file (its bytes, or a
value of its tree) and runs every command that reads that kind of file. Whatever
the damage, the run ends with an expected error or a result: no traceback, no
exit 70, no hang, and no file changed but the command's own output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_support import (
    Seeds,
    byte_edits,
    dump_json,
    dump_yaml,
    edit_bytes,
    edit_jsonl,
    edit_tree,
    fuzz_settings,
    hang_bound,
    instant_time,
    new_case,
    run_checked,
    seeds,
    tree_edits,
)
from typer.testing import CliRunner

from finsim.errors import FinsimError
from finsim.export.jsondoc import export_json, read_export
from finsim.scenario.loader import _load_library_cached, base_library_path
from finsim.transcript.reader import read_transcript

__all__ = ["instant_time", "seeds"]  # fixtures, used by name

damage = st.one_of(st.tuples(st.just("bytes"), byte_edits), st.tuples(st.just("tree"), tree_edits))
"""Damage to a file: a few byte edits, or a few edits of its parsed tree."""


def damaged(path: Path, how: tuple[str, list], form: str = "yaml") -> bytes:
    """Damage the file at ``path`` (``form``: yaml, jsonl or json) in place; return its bytes."""
    kind, edits = how
    data = path.read_bytes()
    if kind == "bytes":
        data = edit_bytes(data, edits)
    elif form == "jsonl":
        data = edit_jsonl(data, edits)
    elif form == "json":
        data = dump_json(edit_tree(json.loads(data), edits))
    elif path.suffix in (".yaml", ".yml"):
        data = dump_yaml(edit_tree(yaml.safe_load(data), edits))
    else:  # a table or a text: edit its lines and cells as a list of lists
        rows = [line.split(",") for line in data.decode("utf-8-sig").splitlines()]
        edited = edit_tree(rows, edits)
        data = (
            "\n".join(
                ",".join(map(str, row)) if isinstance(row, list) else str(row) for row in edited
            ).encode("utf-8", "surrogateescape")
            if isinstance(edited, list)
            else str(edited).encode()
        )
    path.write_bytes(data)
    return data


def _commands(files: dict[str, str], kind: str) -> list[tuple[list[str], list[str]]]:
    """The commands that read a file of ``kind``, each with the outputs it may write."""
    f = files
    out = str(Path(f["folder"]) / "out")
    table: dict[str, list[tuple[list[str], list[str]]]] = {
        "scenario": [
            (["scenario", "validate", "--strict", f["scenario"]], []),
            (["intent", "check", f["scenario"]], []),
            (["drill", f["scenario"], "--script", f["script"], "--out", out], [out]),
        ],
        "rubric": [
            (["rubric", "validate", f["rubric"]], []),
            (["rubric", "form", "peer", "--rubric", f["rubric"]], []),
            (["score", f["transcript"], "--rubric", f["rubric"]], []),
            (["rescore", f["transcript"], "--old-rubric", f["rubric"]], []),
        ],
        "transcript": [
            (["score", "--json", f["transcript"]], []),
            (["verify", "--key", f["public"], f["transcript"]], []),
            (["replay", "--rescore", f["transcript"]], []),
            (["rescore", "--check", f["transcript"]], []),
            (["export", "-f", "json", f["transcript"], "--out", out], [out]),
            (["export", "-f", "cast", f["transcript"], "--out", out, "--force"], [out]),
            (["export", "-f", "html", "--anonymize", f["transcript"]], []),
            (["drill", "--resume", f["transcript"]], [f["transcript"]]),
        ],
        "roster": [
            (["class", "init", f["roster"], "--db", out], [out]),
            (
                ["class", "init", f["roster"], "--db", f["db"], "--update", "--class", "c1"],
                [f["db"]],
            ),
        ],
        "groups": [
            (["class", "groups", "--import", f["groups"], "--db", f["db"], "--yes"], [f["db"]])
        ],
        "settings": [
            (["class", "settings", f["settings"], "--db", f["db"]], [f["db"]]),
            (["report", "--settings", f["settings"], "--db", f["db"], "-f", "json"], []),
        ],
        "script": [(["drill", "--script", f["script"], "--out", out], [out])],
        "hand-in": [(["import", f["transcript"], "--db", f["db"], "--group", "G2"], [f["db"]])],
        "key": [(["verify", "--key", f["public"], f["transcript"]], [])],
    }
    return table[kind]


def _fuzz_file(
    runner: CliRunner, tmp_path: Path, seeds: Seeds, kind: str, name: str, how: tuple[str, list]
) -> None:
    folder, files = new_case(tmp_path, seeds)
    damaged(Path(files[name]), how, "jsonl" if name == "transcript" else "yaml")
    data_dir = tmp_path / "finsim-data"
    for args, outputs in _commands(files, kind):
        run_checked(
            runner,
            args,
            watch=[folder],
            allowed=[Path(p) for p in outputs],
            data_dir=data_dir,
        )


READERS = [
    ("scenario", "scenario", 12),
    ("rubric", "rubric", 12),
    ("transcript", "transcript", 25),
    ("roster", "roster", 12),
    ("groups", "groups", 12),
    ("settings", "settings", 12),
    ("script", "script", 10),
    ("hand-in", "transcript", 12),
    ("key", "public", 8),
]


def _reader_test(kind: str, name: str, examples: int):  # type: ignore[no-untyped-def]
    @pytest.mark.usefixtures("instant_time")
    @fuzz_settings(examples)
    @given(how=damage)
    def test(runner: CliRunner, tmp_path: Path, seeds: Seeds, how: tuple[str, list]) -> None:
        _fuzz_file(runner, tmp_path, seeds, kind, name, how)

    test.__name__ = f"test_a_damaged_{kind.replace('-', '_')}_file_is_read_or_refused"
    test.__doc__ = f"Any damage to a {kind} file: a result or one clear error, never a crash."
    return test


for _kind, _name, _examples in READERS:
    _test = _reader_test(_kind, _name, _examples)
    globals()[_test.__name__] = _test


@fuzz_settings(30)
@given(how=damage)
def test_a_damaged_intent_library_is_read_or_refused(tmp_path_factory, how) -> None:  # type: ignore[no-untyped-def]
    """The intent library (no command reads a user's own): loaded, or a ``FinsimError``."""
    path = tmp_path_factory.mktemp("intents") / "intents.yaml"
    path.write_bytes(base_library_path().read_bytes())
    damaged(path, how)
    with hang_bound():
        try:
            _load_library_cached.__wrapped__(path)  # as the shipped one is read, uncached
        except FinsimError:
            pass


@fuzz_settings(30)
@given(how=damage)
def test_a_damaged_json_export_is_read_or_refused(seeds: Seeds, how) -> None:  # type: ignore[no-untyped-def]
    """A ``finsim/export@1`` document read back: a result, or a ``FinsimError``."""
    text = export_json(read_transcript(seeds.root / "t.jsonl"), None, [])
    path = seeds.root.parent / "export.json"
    path.write_text(text, encoding="utf-8")
    data = damaged(path, how, "json")
    with hang_bound():
        try:
            read_export(data.decode("utf-8", "replace"), str(path))
        except FinsimError:
            pass
