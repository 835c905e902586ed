"""Reading a transcript: every line validated, a torn last line repaired.

A crash can leave the last line cut short (or padded with NUL bytes by the
file system). Such a line is dropped with a warning; any other broken line is
an :class:`~finsim.errors.InputFileError` naming ``file:line``. A transcript of
a newer format version is refused with a message naming both versions.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from finsim.errors import InputFileError, Location
from finsim.i18n import os_reason, tr
from finsim.reading import read_bytes
from finsim.scenario.models import Scenario
from finsim.transcript.model import (
    READABLE_SCHEMAS,
    TRANSCRIPT_SCHEMA,
    EndEvent,
    Event,
    Header,
    ResumeEvent,
    StepEvent,
    TurnEvent,
)
from finsim.transcript.writer import scenario_hash
from finsim.validation import format_key_path, plain_errors

_EVENT: TypeAdapter[Event] = TypeAdapter(Event)
_FORMAT_NAME, _, _FORMAT_VERSION = TRANSCRIPT_SCHEMA.partition("@")

BodyEvent = TurnEvent | StepEvent | EndEvent | ResumeEvent

MAX_TRANSCRIPT_BYTES = 64 << 20
"""A three-hour drill is a few megabytes; a larger file (or ``/dev/zero``) is the wrong one."""


@dataclass
class Transcript:
    """A transcript as read: the header, the events after it, and what was repaired."""

    path: Path
    header: Header
    events: list[BodyEvent]
    warnings: list[str] = field(default_factory=list)
    valid_bytes: int = 0
    needs_newline: bool = False

    @property
    def end(self) -> EndEvent | None:
        """The end event, when the last event is one."""
        last = self.events[-1] if self.events else None
        return last if isinstance(last, EndEvent) else None

    @property
    def interrupted(self) -> bool:
        """Whether the drill stopped without a normal end (no end event, or ``interrupted``)."""
        return self.end is None or self.end.reason == "interrupted"

    @property
    def next_seq(self) -> int:
        """The sequence number the next appended event gets."""
        return len(self.events) + 1

    @property
    def last_t(self) -> float:
        """Drill time of the last event (0 when there is none)."""
        return self.events[-1].t if self.events else 0.0

    def sha256(self) -> str:
        """Return the sha256 (hex) of the file's valid bytes: what the class store records."""
        return hashlib.sha256(self.path.read_bytes()[: self.valid_bytes]).hexdigest()

    def turns(self) -> list[TurnEvent]:
        """Every utterance, in order."""
        return [e for e in self.events if isinstance(e, TurnEvent)]

    def scenario(self) -> Scenario:
        """Rebuild the scenario as played from the header."""
        try:
            return Scenario.model_validate(self.header.scenario)
        except ValidationError as error:
            raise InputFileError(
                tr("记录里嵌入的场景无效：", "the embedded scenario is invalid: ")
                + _first_error(error),
                Location(self.path, 1),
            ) from error

    def scenario_changed(self, current: Scenario) -> bool:
        """Whether ``current`` differs from the scenario the drill was played with."""
        return scenario_hash(current) != self.header.scenario_hash


def read_transcript(path: Path) -> Transcript:
    """Read and validate a transcript file (see the module docs for what is repaired)."""
    try:
        data = read_bytes(path, MAX_TRANSCRIPT_BYTES)  # a pipe (<(...)) is read too
    except FileNotFoundError:
        raise InputFileError(
            tr("找不到演练记录文件；请检查路径", "no such transcript file; check the path"),
            Location(path),
        ) from None
    except IsADirectoryError:
        raise InputFileError(
            tr(
                "这是一个目录，不是演练记录；请给出 .jsonl 文件的路径",
                "is a directory, not a transcript; give the path of a .jsonl file",
            ),
            Location(path),
        ) from None
    except TimeoutError as error:  # a named pipe nobody writes into: the text says what to do
        raise InputFileError(str(error.strerror), Location(path)) from None
    except OSError as error:
        raise InputFileError(
            tr(
                f"无法读取演练记录：{os_reason(error)}；请检查文件的权限",
                f"cannot read the transcript: {error.strerror}; check the file's permissions",
            ),
            Location(path),
        ) from None
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise InputFileError(
            tr(
                f"文件太大（超过 {MAX_TRANSCRIPT_BYTES >> 20} MB），不像演练记录；"
                "请检查是否选错了文件",
                f"too large (over {MAX_TRANSCRIPT_BYTES >> 20} MB) for a transcript: is it the"
                " right file?",
            ),
            Location(path),
        )
    return _parse(path, data)


def _parse(path: Path, data: bytes) -> Transcript:
    lines = data.split(b"\n")
    complete = lines[:-1]  # each ended by a newline
    tail = lines[-1]  # empty when the file ends with a newline
    raw = [(n, line, True) for n, line in enumerate(complete, 1)]
    if tail:
        raw.append((len(complete) + 1, tail, False))
    while raw and not raw[-1][1].strip(b"\x00 \r\t"):
        raw.pop()  # trailing blank or NUL-only lines: padding left by a crash
    if not raw:
        raise InputFileError(tr("演练记录是空的", "the transcript is empty"), Location(path))
    header = _header(path, raw[0])
    result = Transcript(path, header, [], valid_bytes=len(raw[0][1]) + 1)
    offset = result.valid_bytes
    for index, (number, line, ended) in enumerate(raw[1:], 1):
        is_last = index == len(raw) - 1
        try:
            event = _event(path, number, line)
        except InputFileError as error:
            if is_last and (not ended or b"\x00" in line):
                result.warnings.append(_torn_warning(path, number))
                break
            raise error
        result.events.append(_check_order(path, number, result, event))
        offset += len(line) + (1 if ended else 0)
        result.valid_bytes = offset
        result.needs_newline = not ended
    if not raw[0][2]:
        result.valid_bytes, result.needs_newline = len(raw[0][1]), True
    return result


def _torn_warning(path: Path, number: int) -> str:
    return tr(
        f"{path}:{number}: 最后一行不完整（写入时被中断），已舍弃",
        f"{path}:{number}: the last line is incomplete (cut off while written); dropped",
    )


def _decode(path: Path, number: int, line: bytes) -> Any:
    try:
        # utf-8-sig: a byte-order mark an editor put before line 1 is no content
        value = json.loads(line.decode("utf-8-sig"))
    except json.JSONDecodeError as error:
        raise InputFileError(
            tr(f"不是有效的 JSON：{error.msg}", f"not valid JSON: {error.msg}") + _broken_hint(),
            Location(path, number),
        ) from None
    except (UnicodeDecodeError, RecursionError, ValueError) as error:
        reason = (
            tr("嵌套层数过深", "nested too deeply")
            if isinstance(error, RecursionError)
            else tr("不是 UTF-8 编码", "not UTF-8")
            if isinstance(error, UnicodeDecodeError)
            else tr("数字位数过多", "a number with too many digits")
        )
        raise InputFileError(
            tr(f"不是有效的 JSON：{reason}", f"not valid JSON: {reason}") + _broken_hint(),
            Location(path, number),
        ) from None
    if isinstance(value, dict):
        value.pop("seal", None)  # the line's seal (finsim.seal): checked by finsim verify
    return value


def _header(path: Path, first: tuple[int, bytes, bool]) -> Header:
    number, line, _ = first
    try:
        value = _decode(path, number, line)
    except InputFileError:
        raise InputFileError(
            tr(
                "不是 finsim 演练记录（第一行不是记录头）；请给出 finsim drill 保存的 .jsonl 文件",
                "not a finsim transcript (line 1 is no header); give a .jsonl file finsim drill"
                " saved",
            ),
            Location(path, number),
        ) from None
    declared = value.get("schema") if isinstance(value, dict) else None
    if not isinstance(declared, str) or not declared.startswith(_FORMAT_NAME + "@"):
        raise InputFileError(
            tr("不是 finsim 演练记录（缺少格式声明）", "not a finsim transcript (no format line)"),
            Location(path, number),
        )
    if declared not in READABLE_SCHEMAS:
        raise InputFileError(
            tr(
                f"这份记录是 {declared} 格式，本版只读取 {TRANSCRIPT_SCHEMA}；请升级 finsim",
                f"this transcript is {declared}; this finsim reads {TRANSCRIPT_SCHEMA}; upgrade",
            ),
            Location(path, number),
        )
    event = _event(path, number, line)
    if not isinstance(event, Header) or event.seq != 0:
        raise InputFileError(
            tr("第一行必须是记录头", "line 1 must be the header"), Location(path, number)
        )
    return event


def _event(path: Path, number: int, line: bytes) -> Event:
    value = _decode(path, number, line)
    try:
        return _EVENT.validate_python(value)
    except ValidationError as error:
        raise InputFileError(
            tr("事件格式不对：", "malformed event: ") + _first_error(error), Location(path, number)
        ) from error


def _first_error(error: ValidationError) -> str:
    top = format_key_path(()) + ": "  # a problem of the whole line needs no path
    problems = [problem.removeprefix(top) for problem in plain_errors(error)]
    more = len(problems) - 1
    extra = tr(f"（另有 {more} 处）", f" (and {more} more)") if more else ""
    return problems[0] + extra + _broken_hint()


def _broken_hint() -> str:
    """Say what to do about a damaged line (finsim writes transcripts, people do not)."""
    return tr(
        "；这一行已损坏或被改动：请用原始文件，或用 finsim verify 查看改动之处",
        "; this line is damaged or was edited: use the original file, or see finsim verify",
    )


def _steps_of(transcript: Transcript) -> int:
    """Return how many steps the embedded scenario has.

    Steps that are not a list count as many as any index: the embedded scenario's own
    error says what is wrong with them when it is rebuilt.
    """
    steps = transcript.header.scenario.get("steps")
    return len(steps) if isinstance(steps, list) else sys.maxsize


def _check_order(path: Path, number: int, transcript: Transcript, event: Event) -> BodyEvent:
    """Sequence numbers count up from 1; only a ``resume`` may follow an ``end``; steps exist."""
    expected = transcript.next_seq
    problem = None
    if isinstance(event, Header):
        problem = tr("记录头只能在第一行", "a header may only be line 1")
    elif event.seq != expected:
        problem = tr(
            f"事件序号是 {event.seq}，应为 {expected}：有行缺失或顺序被改动",
            f"event number {event.seq}, expected {expected}: lines are missing or reordered",
        )
    elif transcript.end is not None and not isinstance(event, ResumeEvent):
        problem = tr(
            "结束事件之后只能是继续（resume）事件", "only a resume event may follow an end"
        )
    elif isinstance(event, ResumeEvent) and transcript.end and not transcript.interrupted:
        problem = tr("已正常结束的演练不能继续", "a drill that ended normally cannot be resumed")
    elif isinstance(event, StepEvent) and event.index >= (count := _steps_of(transcript)):
        problem = tr(
            f"步骤序号 {event.index} 超出了场景的 {count} 个步骤：记录被改动过",
            f"step {event.index} is beyond the scenario's {count} steps: the file was altered",
        )
    if problem or isinstance(event, Header):
        raise InputFileError(problem or "", Location(path, number))
    return event
