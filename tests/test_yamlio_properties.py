"""Property tests of the YAML reader: no input escapes the error family; positions are real."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsim.errors import FinsimError, Location
from finsim.scenario.loader import load_versioned, read_scenario
from finsim.scenario.models import SCENARIO_SCHEMA, Scenario
from finsim.yamlio import YamlDocument, load_yaml, parse_yaml

HERE = Path("p.yaml")

TOKENS = [
    "a", "名字", "1", "-1.5", "2024-13-45", "~", "true", ":", ": ", " ", "  ", "\n", "\r\n",
    "\t", "- ", "'", '"', "&x ", "*x", "[", "]", "{", "}", ", ", "# c", "!!int ", "!x ",
    "!!python/object:os.system ", "? ", "<<: ", "|", ">", "%YAML 1.1\n", "---", "...", "\\",
    "\ufeff", "\x00", "\u2028",
]  # fmt: skip
yamlish = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=200), yamlish)


def inside(text: str, location: Location | None) -> bool:
    """A location points at a line of the text, and a column on it or just past its end."""
    if location is None or location.line is None:
        return True
    lines = re.split("\r\n|[\r\n\x85\u2028\u2029]", text)  # YAML's line breaks
    if not 1 <= location.line <= len(lines):
        return False
    return location.column is None or 1 <= location.column <= len(lines[location.line - 1]) + 1


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_text_either_parses_or_fails_in_the_family(text: str) -> None:
    try:
        doc = parse_yaml(text, HERE)
    except FinsimError as exc:
        assert inside(text, exc.location), (text, exc.location)
        assert "\n" not in str(exc), "an error is one line"
        return
    for line, column in doc.positions.values():
        assert inside(text, Location(HERE, line, column)), (text, line, column)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.binary(max_size=300), yamlish.map(lambda t: t.encode("utf-8"))))
def test_bytes_through_every_load_path(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(raw)
    for load in (load_yaml, lambda p: load_versioned(p, Scenario, SCENARIO_SCHEMA)):
        try:
            load(path)
        except FinsimError as exc:
            assert str(exc).startswith(str(path))


keys = st.from_regex(r"k[a-z0-9_\u4e00-\u4e20]{0,6}", fullmatch=True)
# PyYAML itself does not round-trip control characters and line separators in plain text
printable = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(printable, max_size=20))
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(keys, inner, min_size=1, max_size=4)
    ),
    max_leaves=20,
)


def key_paths(data: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every key and item path in ``data``."""
    found = [prefix]
    if isinstance(data, dict | list):
        items = data.items() if isinstance(data, dict) else enumerate(data)
        for key, value in items:
            found.extend(key_paths(value, (*prefix, key)))
    return found


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, trees, min_size=1, max_size=5), st.booleans())
def test_dumped_data_round_trips_with_each_key_at_its_position(
    data: dict[str, Any], flow: bool
) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    doc = parse_yaml(text, HERE)
    assert doc.data == data
    lines = text.split("\n")
    for path in key_paths(data):
        assert path in doc.positions
        line, column = doc.positions[path]
        if path and isinstance(path[-1], str):
            assert lines[line - 1][column - 1 :].startswith(path[-1]), (text, path)


@given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=2, max_size=6))
def test_locate_never_fails(path: list[str]) -> None:
    doc = YamlDocument(HERE, {}, {("a",): (2, 3)})
    location = doc.locate(tuple(path))
    assert location.line in {1, 2}


MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.integers(0, len(MINIMAL) - 1),
    st.integers(0, 30),
    st.sampled_from([*TOKENS, "", "x", "0", "[]", "{}", "- a\n", "R9", "C0"]),
)
def test_an_edited_scenario_is_read_or_refused_in_one_family(
    tmp_path: Path, position: int, cut: int, token: str
) -> None:
    path = tmp_path / "edited.yaml"
    path.write_text(MINIMAL[:position] + token + MINIMAL[position + cut :], encoding="utf-8")
    try:
        read_scenario(path)
    except FinsimError as exc:
        for line in str(exc).splitlines():
            assert line.startswith(f"{path}:"), line
