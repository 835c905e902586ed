"""Transcripts ``finsim/transcript@1``: the model, a crash-safe writer and a repairing reader."""

from finsim.transcript.model import (
    TRANSCRIPT_SCHEMA,
    Annotations,
    EndEvent,
    Event,
    Header,
    IntentScore,
    Outcome,
    Participant,
    ResumeEvent,
    StepEvent,
    TurnEvent,
    Violation,
)
from finsim.transcript.reader import Transcript, read_transcript
from finsim.transcript.writer import (
    TranscriptWriter,
    new_transcript_path,
    scenario_document,
    scenario_hash,
)

__all__ = [
    "TRANSCRIPT_SCHEMA",
    "Annotations",
    "EndEvent",
    "Event",
    "Header",
    "IntentScore",
    "Outcome",
    "Participant",
    "ResumeEvent",
    "StepEvent",
    "Transcript",
    "TranscriptWriter",
    "TurnEvent",
    "Violation",
    "new_transcript_path",
    "read_transcript",
    "scenario_document",
    "scenario_hash",
]
