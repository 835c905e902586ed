"""The JSON export ``finsim/export@1``: one document with the transcript's events and its score.

Layout::

    {"schema": "finsim/export@1", "program_version": "…", "source": "file name",
     "events": [header, event, …],          # the transcript, as its lines hold it
     "warnings": ["…"],                     # what the reader repaired (a torn line)
     "score": {…finsim/score@1…} | null,
     "comments": [{"form", "rater_id", "rater_name", "total", "max_total", "text"}]}

:func:`read_export` reads it back (the events and the score validated), so a
program can rescore or re-render an export without the ``.jsonl``. A newer
export version is refused with a message naming both versions.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from pydantic import TypeAdapter, ValidationError

from finsim import __version__
from finsim.errors import InputFileError, Location
from finsim.export.comments import Comment
from finsim.i18n import tr
from finsim.scoring.report import ScoreReport
from finsim.transcript.model import Event, Header
from finsim.transcript.reader import BodyEvent, Transcript

EXPORT_SCHEMA: Final = "finsim/export@1"

_EVENTS: TypeAdapter[list[Event]] = TypeAdapter(list[Event])


@dataclass(frozen=True)
class ExportedSession:
    """An export read back: the header, the events, the score and the comments."""

    header: Header
    events: list[BodyEvent]
    score: ScoreReport | None
    comments: list[Comment] = field(default_factory=list)


def export_data(
    transcript: Transcript, report: ScoreReport | None, comments: list[Comment]
) -> dict[str, Any]:
    """Return the export document as plain JSON data."""
    events = [transcript.header, *transcript.events]
    return {
        "schema": EXPORT_SCHEMA,
        "program_version": __version__,
        "source": transcript.path.name,
        "events": [e.model_dump(mode="json", by_alias=True) for e in events],
        "warnings": list(transcript.warnings),
        "score": None if report is None else report.model_dump(mode="json", by_alias=True),
        "comments": [asdict(c) for c in comments],
    }


def export_json(transcript: Transcript, report: ScoreReport | None, comments: list[Comment]) -> str:
    """Return the export as indented UTF-8 JSON text (Chinese kept as is)."""
    data = export_data(transcript, report, comments)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def read_export(text: str, source: str = "<export>") -> ExportedSession:
    """Parse an export; anything malformed raises InputFileError naming ``source``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFileError(
            tr(f"不是有效的 JSON：{error.msg}", f"not valid JSON: {error.msg}"),
            Location(source, error.lineno, error.colno),
        ) from error
    except (ValueError, RecursionError) as error:  # a 5,000-digit number; nesting too deep
        raise InputFileError(
            tr("不是有效的 JSON：数字位数过多或嵌套过深", "not valid JSON: a huge number or deep"),
            Location(source),
        ) from error
    declared = data.get("schema") if isinstance(data, dict) else None
    if declared != EXPORT_SCHEMA:
        raise InputFileError(
            tr(
                f"不是 {EXPORT_SCHEMA} 导出文件（schema 为 {declared!r}）",
                f"not a {EXPORT_SCHEMA} export (schema is {declared!r})",
            ),
            Location(source),
        )
    try:
        events = _EVENTS.validate_python(data.get("events"))
        score = data.get("score")
        report = None if score is None else ScoreReport.model_validate(score)
        comments = [Comment(**c) for c in data.get("comments", [])]
    except (ValidationError, TypeError) as error:
        raise InputFileError(
            tr(f"导出文件内容不对：{error}", f"malformed export: {error}"), Location(source)
        ) from error
    header, body = (events[0], events[1:]) if events else (None, [])
    if not isinstance(header, Header) or any(isinstance(e, Header) for e in body):
        raise InputFileError(
            tr("events 必须以记录头开始", "events must start with the header"), Location(source)
        )
    return ExportedSession(header, [e for e in body if not isinstance(e, Header)], report, comments)
