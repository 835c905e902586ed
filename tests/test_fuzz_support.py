"""What the fuzz suites share: damaged files, a sandbox of seed files, and the check of one run.

A fuzz case writes a damaged file (bytes cut, flipped or inserted; or a value
of its YAML/JSON tree replaced by a hostile one) or draws a command line, runs
the command through Typer's runner and asserts what must hold whatever the
input: no traceback, no exit 70, no hang beyond :data:`HANG_SECONDS`, and no
file changed but the command's intended output.

``FINSIM_FUZZ_SCALE`` multiplies every example count (the default, 1, keeps the
suites well under the 3 minutes CI allows; a long local hunt sets e.g. 20).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import os
import shutil
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from test_bad_input_a import drill_file, unfinished
from test_class_support import two_group_class, write_roster
from typer.testing import CliRunner, Result

from finsim.cli import app
from finsim.errors import ExitCode
from finsim.transcript.keys import create_key_pair

HANG_SECONDS = 30
"""A run still going after this long is a hang (the slowest sound run takes about a second)."""

SCALE = max(1, int(os.environ.get("FINSIM_FUZZ_SCALE", "1")))


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings for one fuzz test: ``examples`` cases (times the scale), no deadline."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# ── hostile content ───────────────────────────────────────────────────

NASTY_BYTES: tuple[bytes, ...] = (
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc0\x80",
    b"\xe4\xb8",
    b"\r",
    b"\n",
    b"\r\n",
    b"\t",
    b" ",
    b"9" * 5000,
    b"-9" + b"9" * 30,
    b"1e999",
    b"NaN",
    b"Infinity",
    b"[" * 3000,
    b"{" * 3000,
    b'"',
    b"'",
    b":",
    b": ",
    b"- ",
    b"#",
    b",",
    b"=",
    b"&a [1]",
    b"*a",
    b"<<: *a",
    b"!!python/object/apply:os.system ['true']",
    b"%YAML 1.1\n---\n",
    b"\n---\n",
    b"\n...\n",
    "²".encode(),
    "𠀀".encode(),
    "\u202e".encode(),
    b"\x1b[31m",
)
"""Fragments that have broken parsers: encodings, huge numbers, nesting, YAML tags and anchors."""

_DEEP: Any = []
for _ in range(200):
    _DEEP = [_DEEP]

NASTY_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    2**31,
    2**63,
    -(2**63) - 1,
    10**40,
    0.5,
    -1e308,
    1e308,
    float("inf"),
    float("nan"),
    "",
    " ",
    "\u0000",
    "\ufeff",
    "x" * 20_000,
    "9" * 5000,
    "²",
    "٣",
    "finsim/scenario@" + "9" * 5000,
    "finsim/transcript@²",
    "finsim/rubric@2",
    "{name}{0}%s",
    "../../../etc/passwd",
    "第一组",
    "G1",
    "2024001",
    "2026-13-45T25:61:00",
    "R9",
    "C0",
    [],
    {},
    [None],
    {"": None},
    {"id": None},
    list(range(500)),
    _DEEP,
)
"""Values of the wrong type, range, size or form for any field of any format."""

_op = st.tuples(
    st.sampled_from(["cut", "insert", "delete", "flip", "repeat"]),
    st.floats(0, 1),
    st.integers(0, len(NASTY_BYTES) - 1),
    st.integers(1, 64),
)
byte_edits = st.lists(_op, min_size=1, max_size=4)
"""A few edits of a file's bytes (see :func:`edit_bytes`)."""

_path = st.lists(st.integers(0, 10**6), max_size=8)
tree_edits = st.lists(
    st.tuples(
        st.sampled_from(["replace", "delete", "duplicate", "version"]),
        _path,
        st.integers(0, len(NASTY_VALUES) - 1),
    ),
    min_size=1,
    max_size=3,
)
"""A few edits of a parsed document (see :func:`edit_tree`)."""


def edit_bytes(data: bytes, edits: Sequence[tuple[str, float, int, int]]) -> bytes:
    """Apply byte edits: cut the file, insert a nasty fragment, delete, flip a bit, repeat."""
    for kind, where, nasty, size in edits:
        at = int(where * len(data))
        if kind == "cut":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + NASTY_BYTES[nasty] + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + size :]
        elif kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 << size % 8)]) + data[at + 1 :]
        elif kind == "repeat":
            data = data[:at] + data[at : at + size] * (size % 7 + 2) + data[at + size :]
    return data


def edit_tree(tree: Any, edits: Sequence[tuple[str, list[int], int]]) -> Any:
    """Apply tree edits: at a node picked by ``path``, replace, delete or duplicate a child."""
    for kind, path, nasty in edits:
        if kind == "version":
            tree = _edit_version(tree, nasty)
        else:
            tree = _edit_at(tree, list(path), kind, copy.deepcopy(NASTY_VALUES[nasty]))
    return tree


VERSIONS = ("0", "2", "999999999", "9" * 5000, "²", "٣", "1.0", "-1", "", "1 ")
"""What may follow the ``@`` of a ``schema:`` line instead of the version finsim reads."""


def _edit_version(tree: Any, nasty: int) -> Any:
    """Keep the format's name in ``schema:`` and put another version after its ``@``."""
    if isinstance(tree, dict) and isinstance(tree.get("schema"), str):
        name = tree["schema"].partition("@")[0]
        tree["schema"] = f"{name}@{VERSIONS[nasty % len(VERSIONS)]}"
    return tree


def _edit_at(node: Any, path: list[int], kind: str, value: Any) -> Any:
    keys = (
        list(node)
        if isinstance(node, dict)
        else list(range(len(node)))
        if isinstance(node, list)
        else []
    )
    if not keys:
        return value if kind == "replace" else node
    key = keys[path[0] % len(keys)] if path else keys[0]
    child = node[key]
    if len(path) > 1 and isinstance(child, dict | list) and child:
        node[key] = _edit_at(child, path[1:], kind, value)
    elif kind == "replace":
        node[key] = value
    elif kind == "delete":
        del node[key]
    elif isinstance(node, list):
        node.insert(key, copy.deepcopy(child))
    else:
        node[f"{key}_"] = copy.deepcopy(child)
    return node


def dump_yaml(tree: Any) -> bytes:
    """The YAML text of an edited tree (a value YAML cannot write is written as its repr)."""
    try:
        return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode("utf-8")
    except (yaml.YAMLError, ValueError, RecursionError):
        return repr(tree).encode("utf-8", "surrogateescape")


def dump_json(tree: Any) -> bytes:
    """One JSON line for an edited tree (``NaN``/``Infinity`` as Python writes them)."""
    try:
        return json.dumps(tree, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):
        return repr(tree).encode("utf-8")


def edit_jsonl(data: bytes, edits: Sequence[tuple[str, list[int], int]]) -> bytes:
    """Edit a JSON Lines file: each edit's first path step picks the line, the rest its tree."""
    lines = data.split(b"\n")
    for kind, path, nasty in edits:
        index = (path[0] if path else 0) % max(1, len(lines) - 1)
        try:
            tree = json.loads(lines[index])
        except ValueError:
            continue
        lines[index] = dump_json(edit_tree(tree, [(kind, path[1:], nasty)]))
    return b"\n".join(lines)


# ── the sandbox of seed files ─────────────────────────────────────────

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "tests" / "scripts" / "retired-teacher-careless.txt"


@dataclass
class Seeds:
    """A folder of valid files of every kind, built once per module and copied for each case."""

    root: Path
    files: dict[str, str] = field(default_factory=dict)
    """Name (``transcript``, ``db``, …) → file name inside the folder."""

    def copy(self, target: Path) -> dict[str, str]:
        """Copy the seeds into ``target``; return name → absolute path of each copy."""
        shutil.copytree(self.root, target)
        return {name: str(target / file) for name, file in self.files.items()}


def build_seeds(root: Path) -> Seeds:
    """Write one valid file of each kind the commands read."""
    root.mkdir(parents=True)
    setup = two_group_class(root)  # c.db, r.csv, g1.jsonl
    drill_file(root / "t.jsonl")
    unfinished(root / "u.jsonl")
    create_key_pair(root / "keys")
    ids = setup["ids"]
    (root / "groups.csv").write_text(
        "组,学号\n" + "".join(f"G{1 + n // 10},{i}\n" for n, i in enumerate(ids)), encoding="utf-8"
    )
    write_roster(root / "r2.csv", 8)
    (root / "settings.yaml").write_text(
        "schema: finsim/class-settings@1\npeer_aggregation: median\n"
        "weights: {auto: 20, peer: 30, teacher: 50}\nstep_weight: 0.3\n",
        encoding="utf-8",
    )
    shutil.copy(SCRIPT, root / "script.txt")
    shutil.copy(REPO / "tests" / "data" / "minimal.yaml", root / "scenario.yaml")
    shutil.copy(REPO / "scoring" / "default.yaml", root / "rubric.yaml")
    (root / "notes.txt").write_text("老师的笔记\n", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "folder").mkdir()
    files = {
        "transcript": "t.jsonl",
        "unfinished": "u.jsonl",
        "session": "g1.jsonl",
        "db": "c.db",
        "roster": "r2.csv",
        "groups": "groups.csv",
        "settings": "settings.yaml",
        "script": "script.txt",
        "scenario": "scenario.yaml",
        "rubric": "rubric.yaml",
        "private": "keys/class.key",
        "public": "keys/class.pub",
        "notes": "notes.txt",
        "empty": "empty.txt",
        "folder": "folder",
        "missing": "missing.jsonl",
        "new": "new/out.html",
    }
    return Seeds(root, files)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeds]:
    """The seed folder, built with this module's own data directory."""
    folder = tmp_path_factory.mktemp("fuzz-seeds")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FINSIM_DATA_DIR", str(folder / "data"))
        yield build_seeds(folder / "seeds")


_cases = itertools.count()


def new_case(tmp_path: Path, seeds: Seeds) -> tuple[Path, dict[str, str]]:
    """A fresh copy of the seeds for one case: its folder and name → path."""
    folder = tmp_path / f"case{next(_cases)}"
    return folder, seeds.copy(folder)


# ── one run and what must hold ────────────────────────────────────────


class Hang(BaseException):
    """A run passed :data:`HANG_SECONDS` (a ``BaseException``: no handler may swallow it)."""


@contextmanager
def hang_bound(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Raise :class:`Hang` in the running code when it takes longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


SIDE_FILES = ("-wal", "-shm", "-journal")
"""SQLite's own files beside a database: made and removed by any reader, never user data."""


def snapshot(*roots: Path) -> dict[Path, str]:
    """Every file under ``roots`` with a hash of its bytes (SQLite side files left out)."""
    found: dict[Path, str] = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.endswith(SIDE_FILES):
                found[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def changed(before: dict[Path, str], after: dict[Path, str]) -> set[Path]:
    """Files added, removed or changed between two snapshots."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def run_checked(
    runner: CliRunner,
    args: Sequence[str],
    *,
    watch: Sequence[Path],
    allowed: Sequence[Path] = (),
    data_dir: Path,
) -> Result:
    """Run ``finsim args``; assert no traceback, no exit 70, no hang, no stray file change.

    ``watch`` are the folders whose files must stay as they were, except the
    ``allowed`` outputs (a file, or every file under a folder).
    """
    before = snapshot(*watch)
    with hang_bound():
        result = runner.invoke(app, list(args), input="")
    shown = f"finsim {' '.join(map(repr, args))}\n{result.stdout}\n{result.stderr}"
    assert result.exit_code != ExitCode.INTERNAL, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    crashes = sorted((data_dir / "crash").glob("*.txt"))
    # the report names the bug; the data folder is shared by a test's cases, so show it here
    assert not crashes, shown + "".join(c.read_text(encoding="utf-8") for c in crashes)
    stray = {
        p
        for p in changed(before, snapshot(*watch))
        if not any(p == a or a in p.parents for a in allowed)
    }
    assert not stray, f"{shown}\nfiles changed outside the output: {sorted(map(str, stray))}"
    return result


@pytest.fixture
def instant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replays, the demo and scripted drills keep their pace by sleeping: here sleep is instant.

    A sleep moves a virtual clock forward instead, so a replay still sees its
    time pass; only a run that never gets anywhere can reach :data:`HANG_SECONDS`.
    """
    import time

    from finsim.cli.drill import demo
    from finsim.replay import player

    skipped = [0.0]

    def sleep(seconds: float) -> None:
        skipped[0] += seconds

    def clock() -> float:
        return time.monotonic() + skipped[0]

    monkeypatch.setattr(time, "sleep", sleep)
    monkeypatch.setitem(player.Player.__init__.__kwdefaults__, "clock", clock)
    monkeypatch.setattr(player.NoKeys.__init__, "__defaults__", (sleep,))
    monkeypatch.setattr(demo.DemoReader.__init__, "__defaults__", (sleep,))
    monkeypatch.setattr(demo.play_demo, "__defaults__", (sleep,))
