"""Batch work on saved transcripts: rescoring one, or a whole archive in parallel.

* :func:`rescore` — one transcript through today's engine and rubric, old and
  new side by side (:class:`RescoreResult`).
* :func:`run_batch` — every transcript under some folders, on all cores,
  streamed into a CSV or JSON summary (:class:`RescoreRow` per file).
"""

from finsim.batch.rescore import RESCORE_SCHEMA, PointsChange, RescoreResult, TurnChange, rescore
from finsim.batch.run import (
    SUMMARY_SCHEMA,
    BatchOptions,
    BatchTotals,
    RescoreRow,
    count_transcripts,
    find_transcripts,
    rescore_all,
    run_batch,
)

__all__ = [
    "RESCORE_SCHEMA",
    "SUMMARY_SCHEMA",
    "BatchOptions",
    "BatchTotals",
    "PointsChange",
    "RescoreResult",
    "RescoreRow",
    "TurnChange",
    "count_transcripts",
    "find_transcripts",
    "rescore",
    "rescore_all",
    "run_batch",
]
