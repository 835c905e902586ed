"""Seals: the chain on every line, signatures with the class key, and what verify says."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from test_seal_support import lines_of, play, scenario

from finsim.drill.session import DrillSession
from finsim.errors import InputFileError, UsageError
from finsim.seal.verify import verify_file
from finsim.transcript import read_transcript
from finsim.transcript.chain import GENESIS, chain_value, split_line
from finsim.transcript.keys import SIGNING_KEY_ENV, create_key_pair, keys_dir, load_public_key


@pytest.fixture
def key(tmp_path: Path) -> Path:
    """The class key in the (per-test) data directory; returns the public key file."""
    return create_key_pair().public_path


def test_key_pair_files_and_permissions(tmp_path: Path) -> None:
    pair = create_key_pair()
    assert pair.private_path == keys_dir() / "class.key"
    assert stat.S_IMODE(pair.private_path.stat().st_mode) == 0o600
    assert b"BEGIN PRIVATE KEY" in pair.private_path.read_bytes()
    assert b"BEGIN PUBLIC KEY" in pair.public_path.read_bytes()
    assert len(pair.fingerprint) == 16
    with pytest.raises(UsageError, match="--force"):
        create_key_pair()
    again = create_key_pair(force=True)
    assert again.fingerprint != pair.fingerprint


def test_key_pair_at_a_chosen_file_name(tmp_path: Path) -> None:
    pair = create_key_pair(tmp_path / "lab" / "term1.key")
    assert pair.public_path == tmp_path / "lab" / "term1.pub"
    # a private key file given where a public one is expected yields its public half
    assert load_public_key(pair.private_path) == load_public_key(pair.public_path)


def test_every_line_is_chained_and_the_reader_ignores_the_seal(tmp_path: Path) -> None:
    path = play(tmp_path / "t.jsonl")
    previous = GENESIS
    for line in lines_of(path):
        sealed = split_line(line.rstrip(b"\n"))
        assert sealed is not None and sealed.signature is None
        assert sealed.chain == chain_value(previous, sealed.event)
        assert "seal" not in json.loads(sealed.event)
        previous = sealed.chain
    assert read_transcript(path).end is not None


def test_unsigned_transcript_verifies_as_chained(tmp_path: Path) -> None:
    verdict = verify_file(play(tmp_path / "t.jsonl"))
    assert verdict.ok and verdict.status == "chained" and verdict.signer is None
    assert "未签名" in verdict.message


def test_signed_transcript_is_intact_with_the_class_key(tmp_path: Path, key: Path) -> None:
    path = play(tmp_path / "t.jsonl")
    first = split_line(lines_of(path)[0].rstrip(b"\n"))
    assert first is not None and first.signature is not None and first.key is not None
    verdict = verify_file(path, load_public_key(key))
    assert verdict.status == "intact" and verdict.authentic_lines == len(lines_of(path))
    # without a class key the signatures are checked against the named key only
    assert verify_file(path).status == "chained"


def test_signed_with_another_key_is_broken(tmp_path: Path, key: Path) -> None:
    path = play(tmp_path / "t.jsonl")
    other = create_key_pair(tmp_path / "other")
    verdict = verify_file(path, load_public_key(other.public_path))
    assert verdict.status == "broken" and verdict.line == 1
    assert "另一把密钥" in verdict.message and other.fingerprint in verdict.message


def test_unsigned_file_fails_when_a_class_key_is_required(tmp_path: Path) -> None:
    path = play(tmp_path / "t.jsonl")
    pair = create_key_pair(tmp_path / "keys")
    verdict = verify_file(path, load_public_key(pair.public_path))
    assert verdict.status == "broken" and verdict.line == 1 and "没有签名" in verdict.message


def test_signing_key_named_by_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = create_key_pair(tmp_path / "elsewhere")
    monkeypatch.setenv(SIGNING_KEY_ENV, str(pair.private_path))
    path = play(tmp_path / "t.jsonl")
    assert verify_file(path, load_public_key(pair.public_path)).status == "intact"


def test_a_broken_key_file_stops_before_the_transcript_exists(tmp_path: Path) -> None:
    keys_dir().mkdir(parents=True)
    (keys_dir() / "class.key").write_text("not a key", encoding="utf-8")
    with pytest.raises(InputFileError, match="class.key.*Ed25519"):
        play(tmp_path / "t.jsonl")
    assert not (tmp_path / "t.jsonl").exists()


def test_interrupted_drill_is_incomplete_but_authentic(tmp_path: Path, key: Path) -> None:
    path = tmp_path / "t.jsonl"
    session = DrillSession(scenario(), seed=3, transcript_path=path)
    session.opening()
    session.manager_says("陈老师您好，我是城南支行的客户经理小李。")
    session.close()  # what a kill leaves: every line written, no end event
    verdict = verify_file(path, load_public_key(key))
    assert verdict.status == "incomplete" and not verdict.ok
    assert verdict.authentic_lines == len(lines_of(path)) == verdict.line
    assert "没有结束事件" in verdict.message


def test_torn_last_line_is_incomplete(tmp_path: Path, key: Path) -> None:
    path = play(tmp_path / "t.jsonl")
    data = path.read_bytes()
    path.write_bytes(data[:-30])
    verdict = verify_file(path, load_public_key(key))
    count = data.count(b"\n")
    assert verdict.status == "incomplete" and verdict.line == count
    assert verdict.authentic_lines == count - 1 and "不完整" in verdict.message


def test_resumed_drill_continues_the_chain(tmp_path: Path, key: Path) -> None:
    path = tmp_path / "t.jsonl"
    session = DrillSession(scenario(), seed=3, transcript_path=path)
    session.opening()
    session.manager_says("陈老师您好，我是城南支行的客户经理小李。")
    session.close()
    resumed = DrillSession.resume(path)
    resumed.manager_says("今天请您来，是想帮您安排好到期的定期。")
    resumed.end("finished")
    assert verify_file(path, load_public_key(key)).status == "intact"


def test_resumed_with_another_key_is_reported_at_the_first_line_it_signed(
    tmp_path: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.jsonl"
    session = DrillSession(scenario(), seed=3, transcript_path=path)
    session.opening()
    session.close()
    written = len(lines_of(path))
    other = create_key_pair(tmp_path / "other")
    monkeypatch.setenv(SIGNING_KEY_ENV, str(other.private_path))
    DrillSession.resume(path).end("finished")
    verdict = verify_file(path, load_public_key(key))
    assert verdict.status == "broken" and verdict.line == written + 1
    assert "另一把密钥" in verdict.message
    # each part verifies with its own key, so the file is consistent but not the class's
    assert verify_file(path).status == "chained"


def test_unsealed_file_of_an_older_finsim(tmp_path: Path) -> None:
    sealed = play(tmp_path / "t.jsonl")
    old = tmp_path / "old.jsonl"
    old.write_bytes(
        b"".join(
            b"{" + split_line(line.rstrip(b"\n")).event[1:] + b"\n"  # type: ignore[union-attr]
            for line in lines_of(sealed)
        )
    )
    assert read_transcript(old).events == read_transcript(sealed).events
    verdict = verify_file(old)
    assert verdict.status == "unsealed" and not verdict.ok and "旧版" in verdict.message


@pytest.mark.parametrize(
    ("edit", "where", "words"),
    [
        ("content", 4, "内容与封印不符"),
        ("reorder", 4, "次序被打乱"),
        ("remove", 4, "此处应为第 3 号"),
        ("splice", 4, "拼接"),
        ("strip", 4, "没有封印"),
        ("sig", 3, "签名不符"),
    ],
)
def test_tampering_is_named_with_its_line(
    tmp_path: Path, key: Path, edit: str, where: int, words: str
) -> None:
    path = play(tmp_path / "t.jsonl", "careful")
    lines = lines_of(path)
    if edit == "content":
        lines[3] = lines[3].replace("陈老师您好".encode(), "王老师您好".encode())
    elif edit == "reorder":
        lines[3], lines[5] = lines[5], lines[3]
    elif edit == "remove":
        del lines[3]
    elif edit == "splice":
        other = lines_of(play(tmp_path / "other.jsonl", "careful", seed=9))
        lines[3] = other[3]
    elif edit == "strip":
        lines[3] = b"{" + split_line(lines[3].rstrip(b"\n")).event[1:] + b"\n"  # type: ignore[union-attr]
    elif edit == "sig":
        sealed = lines[2]
        at = sealed.index(b'"sig":"') + 7
        lines[2] = sealed[:at] + (b"0" if sealed[at : at + 1] != b"0" else b"1") + sealed[at + 1 :]
    path.write_bytes(b"".join(lines))
    verdict = verify_file(path, load_public_key(key))
    assert verdict.status == "broken" and verdict.line == where, verdict
    assert words in verdict.message and verdict.event
