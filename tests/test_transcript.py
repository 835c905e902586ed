"""Transcripts: round trip, torn-line repair, clear errors for broken or newer files."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsim.drill import DrillSession
from finsim.errors import InputFileError, StorageError, UsageError
from finsim.scenario.loader import load_scenario_file
from finsim.scenario.models import Scenario
from finsim.transcript import (
    EndEvent,
    Header,
    StepEvent,
    TranscriptWriter,
    TurnEvent,
    read_transcript,
    scenario_hash,
)

DATA = Path(__file__).parent / "data"
SCENARIO = load_scenario_file(DATA / "minimal.yaml").scenario
LINES = ["您好，我是测试银行的客户经理", "您现在手上有理财产品吗", "家里孩子多大了"]


def write_drill(path: Path, scenario: Scenario = SCENARIO, end: bool = True) -> DrillSession:
    session = DrillSession(scenario, seed=5, transcript_path=path, group="g1")
    session.opening()
    for line in LINES:
        session.manager_says(line)
    session.next_step()
    session.manager_says("那我们今天就帮您办理吧")
    if end:
        session.end("finished")
    else:
        session.close()
    return session


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    session = write_drill(path)
    transcript = read_transcript(path)
    header = transcript.header
    assert isinstance(header, Header) and header.schema_ == "finsim/transcript@3"
    assert header.scenario_id == "minimal" and header.seed == 5 and header.group == "g1"
    assert header.scenario_hash == scenario_hash(SCENARIO)
    assert transcript.scenario() == SCENARIO
    assert not transcript.scenario_changed(SCENARIO)
    assert transcript.warnings == [] and not transcript.interrupted
    assert isinstance(transcript.end, EndEvent)
    assert transcript.end.outcome == session.outcome
    manager = [t.text for t in transcript.turns() if t.speaker == "manager"]
    assert manager == [*LINES, "那我们今天就帮您办理吧"]
    steps = [e.step for e in transcript.events if isinstance(e, StepEvent)]
    assert steps == ["research", "close"]
    assert [e.seq for e in transcript.events] == list(range(1, len(transcript.events) + 1))
    raw = path.read_text(encoding="utf-8")
    assert "客户经理" in raw  # stored as UTF-8 text, not \u escapes


def test_changed_scenario_is_detected(tmp_path: Path) -> None:
    write_drill(tmp_path / "t.jsonl")
    edited = SCENARIO.model_copy(update={"title": "改过的标题"})
    assert read_transcript(tmp_path / "t.jsonl").scenario_changed(edited)


def test_missing_end_means_interrupted(tmp_path: Path) -> None:
    write_drill(tmp_path / "t.jsonl", end=False)
    transcript = read_transcript(tmp_path / "t.jsonl")
    assert transcript.end is None and transcript.interrupted


def test_torn_last_line_is_dropped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_drill(path)
    data = path.read_bytes()
    path.write_bytes(data[:-25])  # cut into the end event
    transcript = read_transcript(path)
    assert transcript.end is None and transcript.interrupted
    assert len(transcript.warnings) == 1 and "不完整" in transcript.warnings[0]
    assert transcript.warnings[0].startswith(f"{path}:")


def test_nul_padding_after_a_crash_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_drill(path, end=False)
    full = read_transcript(path)
    with path.open("ab") as handle:
        handle.write(b'{"seq": 99, "ty' + b"\x00" * 40)
    repaired = read_transcript(path)
    assert repaired.events == full.events and repaired.warnings


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(min_value=0, max_value=10_000))
def test_any_truncation_reads_back_a_prefix(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "full.jsonl"
    if not path.exists():
        write_drill(path)
    data = path.read_bytes()
    header_end = data.index(b"\n") + 1
    cut = header_end + cut % (len(data) - header_end + 1)
    torn = tmp_path / "torn.jsonl"
    torn.write_bytes(data[:cut])
    events = read_transcript(torn).events
    assert events == read_transcript(path).events[: len(events)]
    complete_lines = data[:cut].count(b"\n") - 1
    assert len(events) in (complete_lines, complete_lines + 1)


def test_broken_middle_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_drill(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3][:20] + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_transcript(path)
    assert str(info.value).startswith(f"{path}:4: ")


def test_invalid_event_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_drill(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    event = json.loads(lines[2])
    event["speaker"] = "teacher"
    lines[2] = json.dumps(event, ensure_ascii=False) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputFileError, match=r":3: .*speaker"):
        read_transcript(path)


def test_missing_line_is_detected_by_sequence(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_drill(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    del lines[4]
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputFileError, match=r":5: .*应为 4"):
        read_transcript(path)


def test_a_step_beyond_the_scenario_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_drill(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines) if '"type":"step"' in line and n > 1)
    lines[number] = re.sub(r'"index":\d+', '"index":99', lines[number])
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputFileError, match=rf":{number + 1}: 步骤序号 99 超出"):
        read_transcript(path)


def test_newer_format_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_drill(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].replace("finsim/transcript@3", "finsim/transcript@4")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_transcript(path)
    assert "finsim/transcript@4" in str(info.value) and "升级" in str(info.value)


@pytest.mark.parametrize("content", [b"", b"\n\n", b"hello\n", b'{"schema": "other"}\n'])
def test_not_a_transcript(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputFileError):
        read_transcript(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="t.jsonl"):
        read_transcript(tmp_path / "t.jsonl")


def test_events_after_a_normal_end_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_drill(path)
    count = len(path.read_text(encoding="utf-8").splitlines())
    with path.open("a", encoding="utf-8") as handle:
        extra = TurnEvent(seq=count, turn=9, speaker="manager", step="close", text="还有吗")
        handle.write(extra.model_dump_json(by_alias=True) + "\n")
    with pytest.raises(InputFileError, match=f":{count + 1}: "):
        read_transcript(path)


def test_writer_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(UsageError, match="t.jsonl"):  # a wrong --out: bad input (2)
        write_drill(path)
    assert path.read_text(encoding="utf-8") == "keep me"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_is_a_storage_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(StorageError):
        write_drill(folder / "t.jsonl")


def test_unwritable_path_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StorageError):
        write_drill(blocker / "sub" / "t.jsonl")


def test_default_location_is_the_data_dir(tmp_path: Path) -> None:
    session = DrillSession(SCENARIO)
    session.close()
    assert session.path.parent == tmp_path / "finsim-data" / "transcripts"
    assert session.path.name.endswith("-minimal-" + session.path.name.split("-")[-1])
    assert read_transcript(session.path).header.scenario_id == "minimal"


def test_writer_stamps_sequence_numbers(tmp_path: Path) -> None:
    header = read_header(tmp_path)
    writer = TranscriptWriter.create(tmp_path / "w.jsonl", header)
    stamped = writer.write(StepEvent(seq=0, step="research", index=0))
    writer.close()
    assert stamped.seq == 1 and writer.closed
    with pytest.raises(StorageError):
        writer.write(StepEvent(seq=0, step="research", index=0))


def read_header(tmp_path: Path) -> Header:
    write_drill(tmp_path / "src.jsonl")
    return read_transcript(tmp_path / "src.jsonl").header


def test_a_format_2_transcript_reads_as_a_normal_level_drill(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_drill(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = json.loads(lines[0])
    header["schema"] = "finsim/transcript@2"
    del header["level"]
    lines[0] = json.dumps(header, ensure_ascii=False) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    transcript = read_transcript(path)
    assert transcript.header.schema_ == "finsim/transcript@2"
    assert transcript.header.level == "normal"


def test_the_level_is_recorded_in_the_header(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    session = DrillSession(SCENARIO, seed=5, transcript_path=path, level="hard")
    session.opening()
    session.end("finished")
    assert read_transcript(path).header.level == "hard"
