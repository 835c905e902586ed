"""Property: any flipped byte, a dropped last event or two swapped events fail ``finsim verify``.

The failure names the file and the line (``file:line:``) and says what is
wrong. The sealed transcript is written once per module, signed with a class
key of its own; every example works on a fresh copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_seal_support import play
from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.transcript.keys import SIGNING_KEY_ENV, create_key_pair

PROFILE = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[bytes, Path]]:
    """A signed, complete transcript's bytes and the public key file."""
    folder = tmp_path_factory.mktemp("sealed")
    pair = create_key_pair(folder / "keys")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SIGNING_KEY_ENV, str(pair.private_path))
        patch.setenv("FINSIM_DATA_DIR", str(folder / "data"))
        path = play(folder / "t.jsonl", "careless")
    yield path.read_bytes(), pair.public_path


def verify(tmp_path: Path, data: bytes, key: Path) -> tuple[int, str, Path]:
    path = tmp_path / "hand-in.jsonl"
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["verify", "--key", str(key), str(path)])
    return result.exit_code, result.stderr, path


def test_the_untouched_file_passes(tmp_path: Path, sealed: tuple[bytes, Path]) -> None:
    data, key = sealed
    code, err, _ = verify(tmp_path, data, key)
    assert code == 0 and err == ""


@PROFILE
@given(choice=st.data())
def test_any_flipped_byte_fails_with_file_and_line(
    tmp_path: Path, sealed: tuple[bytes, Path], choice: st.DataObject
) -> None:
    data, key = sealed
    lines = data.splitlines(keepends=True)
    index = choice.draw(st.integers(0, len(lines) - 1), label="line")
    offset = choice.draw(st.integers(0, len(lines[index]) - 1), label="byte in line")
    mask = choice.draw(st.integers(1, 255), label="xor mask")
    at = sum(len(line) for line in lines[:index]) + offset
    flipped = data[:at] + bytes([data[at] ^ mask]) + data[at + 1 :]
    code, err, path = verify(tmp_path, flipped, key)
    assert code == 1
    assert "✗ " in err and f"{path}:{index + 1}: " in err
    assert len(err.split(f"{path}:{index + 1}: ", 1)[1].strip()) > 10  # says what is wrong


@PROFILE
@given(cut=st.integers(1, 3))
def test_dropping_the_last_events_fails_naming_the_end(
    tmp_path: Path, sealed: tuple[bytes, Path], cut: int
) -> None:
    data, key = sealed
    lines = data.splitlines(keepends=True)
    code, err, path = verify(tmp_path, b"".join(lines[:-cut]), key)
    assert code == 1
    assert f"{path}:{len(lines) - cut}:" in err and "没有结束事件" in err


@PROFILE
@given(choice=st.data())
def test_swapping_two_events_fails_at_the_first_of_them(
    tmp_path: Path, sealed: tuple[bytes, Path], choice: st.DataObject
) -> None:
    data, key = sealed
    lines = data.splitlines(keepends=True)
    first = choice.draw(st.integers(0, len(lines) - 2), label="first")
    second = choice.draw(st.integers(first + 1, len(lines) - 1), label="second")
    lines[first], lines[second] = lines[second], lines[first]
    code, err, path = verify(tmp_path, b"".join(lines), key)
    assert code == 1
    assert f"{path}:{first + 1}:" in err
    assert any(words in err for words in ("次序被打乱", "应为第", "拼接", "封印不符"))
