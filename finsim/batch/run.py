"""Rescoring an archive: every transcript under some folders, in parallel, streamed.

:func:`run_batch` walks the folders lazily (``*.jsonl``, sorted within each
folder), rescores each file in a pool of worker processes and writes one
summary row per transcript as soon as it is its turn, to a CSV or JSON file
written atomically. At most ``jobs × 4`` files are in flight, and a row is
written and dropped as it comes, so memory stays flat however large the
archive. A file that cannot be read or replayed becomes a ``skipped`` row
with the reason; it never stops the batch. Rows keep the walk's order.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any, BinaryIO, Literal

from finsim import __version__
from finsim.atomic import write_atomic
from finsim.batch.rescore import RescoreResult, rescore
from finsim.errors import FinsimError, NotFoundError, StorageError, UsageError
from finsim.i18n import Language, current_language, set_language, tr
from finsim.scenario.loader import ScenarioCatalog
from finsim.scenario.models import Scenario
from finsim.scoring.loader import read_rubric
from finsim.scoring.rubric import Rubric
from finsim.transcript.reader import read_transcript

SUMMARY_SCHEMA = "finsim/rescore-summary@1"
SummaryFormat = Literal["csv", "json"]
IN_FLIGHT_PER_JOB = 4
"""Files submitted ahead per worker: enough to keep every core busy, few enough to stay flat."""

CSV_COLUMNS = (
    "path",
    "status",
    "scenario",
    "old_total",
    "old_max",
    "new_total",
    "new_max",
    "delta",
    "old_outcome",
    "new_outcome",
    "changed_turns",
    "changed_criteria",
    "error",
)


@dataclass(frozen=True)
class BatchOptions:
    """What every worker needs: the rubrics, the scenario choice, the language."""

    rubric: Rubric | None = None
    """Scores the replay (``None``: the shipped rubric)."""
    old_rubric: Rubric | None = None
    """Scores the recorded events (``None``: the shipped rubric)."""
    current_scenario: bool = False
    """Replay under the current scenario file instead of the embedded one."""
    scenario_dirs: tuple[Path, ...] = ()
    language: Language = "zh"
    replay: bool = False
    """Read every line again even when the recorded judge is the installed one."""


@dataclass(frozen=True)
class RescoreRow:
    """One line of the summary: a transcript's old and new score, or why it was skipped."""

    path: str
    status: Literal["ok", "skipped"]
    scenario: str = ""
    old_total: float | None = None
    old_max: float | None = None
    new_total: float | None = None
    new_max: float | None = None
    delta: float | None = None
    old_outcome: str = ""
    new_outcome: str = ""
    changed_turns: int = 0
    changed_criteria: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def changed(self) -> bool:
        """Whether the score, a criterion, a turn or the decision changed."""
        return self.status == "ok" and bool(
            self.delta
            or self.changed_criteria
            or self.changed_turns
            or self.old_outcome != self.new_outcome
        )


@dataclass
class BatchTotals:
    """What the batch did: rescored, changed and skipped files."""

    rescored: int = 0
    changed: int = 0
    skipped: int = 0

    def add(self, row: RescoreRow) -> None:
        """Count one row."""
        if row.status == "skipped":
            self.skipped += 1
        else:
            self.rescored += 1
            self.changed += row.changed


# ── finding the files ─────────────────────────────────────────────────────


def check_roots(roots: Sequence[Path]) -> None:
    """Refuse a folder or file that does not exist, before any work starts."""
    if not roots:
        raise UsageError(tr("请给出至少一个文件夹", "give at least one folder"))
    for root in roots:
        if not root.exists():
            raise NotFoundError(
                tr(f"找不到文件或文件夹 {root}；请检查路径", f"no such file or folder: {root}")
            )
        if root.is_dir() and next(find_transcripts([root]), None) is None:
            raise NotFoundError(
                tr(
                    f"文件夹 {root} 里没有演练记录（*.jsonl）；请检查路径",
                    f"the folder {root} holds no transcripts (*.jsonl): check the path",
                )
            )


def find_transcripts(roots: Sequence[Path]) -> Iterator[Path]:
    """Yield every ``*.jsonl`` under ``roots`` (a file root is yielded as is), lazily, sorted."""
    for root in roots:
        if root.is_file():
            yield root
            continue
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".jsonl") and not name.startswith("."):
                    yield Path(folder) / name


def count_transcripts(roots: Sequence[Path]) -> int:
    """Count the files :func:`find_transcripts` yields (names only; nothing is read)."""
    return sum(1 for _ in find_transcripts(roots))


# ── one file ──────────────────────────────────────────────────────────────


def rescore_row(path: Path, options: BatchOptions) -> RescoreRow:
    """Rescore one file into a summary row; any failure becomes a ``skipped`` row."""
    try:
        transcript = read_transcript(path)
        scenario = (
            _current_scenario(options.scenario_dirs, transcript.header.scenario_id)
            if options.current_scenario
            else None
        )
        default = _default_rubric() if not (options.rubric and options.old_rubric) else None
        result = rescore(
            transcript,
            options.rubric or default,
            old_rubric=options.old_rubric or default,
            scenario=scenario,
            reuse=not options.replay,
        )
    except FinsimError as error:
        return RescoreRow(str(path), "skipped", error=str(error))
    except Exception as error:  # a bug on one file must not stop the batch
        return RescoreRow(
            str(path), "skipped", error=tr("内部错误：", "internal error: ") + repr(error)
        )
    return row_of(str(path), result)


def row_of(path: str, result: RescoreResult) -> RescoreRow:
    """Sum a rescoring up as a summary row."""
    criteria = {c.key.partition("/")[0] for c in result.points if "/" in c.key}
    changed = [
        f"{c.key} {_pts(c.old_points)}→{_pts(c.new_points)}"
        for c in result.points
        if "/" in c.key or c.key not in criteria
    ]
    return RescoreRow(
        path=path,
        status="ok",
        scenario=result.scenario_id,
        old_total=result.old.total,
        old_max=result.old.max,
        new_total=result.new.total,
        new_max=result.new.max,
        delta=result.delta,
        old_outcome=result.old.outcome,
        new_outcome=result.new.outcome,
        changed_turns=len(result.turns),
        changed_criteria=changed,
    )


def _pts(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


@lru_cache(maxsize=1)
def _default_rubric() -> Rubric:
    return read_rubric()


@lru_cache(maxsize=32)
def _current_scenario(dirs: tuple[Path, ...], scenario_id: str) -> Scenario:
    return ScenarioCatalog(list(dirs)).resolve(scenario_id).scenario


_worker_options = BatchOptions()
"""The options of the batch this worker process serves (set once, by :func:`_init_worker`)."""


def _init_worker(options: BatchOptions) -> None:
    """Prepare a worker process: the options and the language, once.

    Workers ignore Ctrl-C: the terminal sends it to the whole process group, and
    only the parent should act on it (it cancels what is queued and stops the pool).
    """
    global _worker_options
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_options = options
    set_language(options.language)


def _rescore_in_worker(path: Path) -> RescoreRow:
    return rescore_row(path, _worker_options)


# ── many files ────────────────────────────────────────────────────────────


def rescore_all(
    paths: Iterable[Path], options: BatchOptions, jobs: int = 0
) -> Iterator[RescoreRow]:
    """Yield one row per path, in order; ``jobs`` worker processes (0: one per core, 1: none).

    At most ``jobs × IN_FLIGHT_PER_JOB`` files are submitted ahead of the row
    being yielded. A worker that dies (the operating system killed it) costs
    the file it was working on a ``skipped`` row; the pool is restarted.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1:
        yield from (rescore_row(path, options) for path in paths)
        return
    pool = _Pool(jobs, options)
    try:
        for path in paths:
            pool.submit(path)
            if len(pool.pending) >= jobs * IN_FLIGHT_PER_JOB:
                yield pool.next_row()
        while pool.pending:
            yield pool.next_row()
    finally:
        pool.close()


class _Pool:
    """Worker processes and the files submitted to them, oldest first."""

    MAX_RESTARTS = 3
    """Worker deaths in a row, with no file done between, before the batch gives up."""

    def __init__(self, jobs: int, options: BatchOptions) -> None:
        self.jobs = jobs
        self.options = options
        self.pending: deque[tuple[Path, Future[RescoreRow]]] = deque()
        self.deaths = 0
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # spawn, not fork: the CLI runs a progress-bar thread, and forking a threaded
        # process is unsafe
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.options,),
        )

    def submit(self, path: Path) -> None:
        """Queue one file."""
        self.pending.append((path, self.executor.submit(_rescore_in_worker, path)))

    def next_row(self) -> RescoreRow:
        """Wait for the oldest file's row; a dead worker costs that file a ``skipped`` row."""
        path, future = self.pending.popleft()
        try:
            row = future.result()
        except BrokenProcessPool:
            self._restart()
            lost = tr("处理它的工作进程意外退出", "the worker process handling it died")
            return RescoreRow(str(path), "skipped", error=lost)
        self.deaths = 0
        return row

    def _restart(self) -> None:
        self.deaths += 1
        if self.deaths > self.MAX_RESTARTS:
            raise StorageError(
                tr(
                    "工作进程接连意外退出（内存不足？）；请用 --jobs 1 重试",
                    "the worker processes keep dying (out of memory?); retry with --jobs 1",
                )
            )
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()
        waiting = [path for path, _ in self.pending]
        self.pending.clear()
        for path in waiting:
            self.submit(path)

    def close(self) -> None:
        """Stop the workers (files not yet started are cancelled)."""
        self.executor.shutdown(wait=True, cancel_futures=True)


# ── the summary ───────────────────────────────────────────────────────────


def run_batch(
    roots: Sequence[Path],
    out: Path,
    options: BatchOptions | None = None,
    *,
    fmt: SummaryFormat | None = None,
    jobs: int = 0,
    on_row: Callable[[RescoreRow], None] | None = None,
) -> BatchTotals:
    """Rescore every transcript under ``roots`` and write the summary to ``out``.

    ``fmt`` defaults to the extension of
    ``out`` (``.json`` → JSON, else CSV). ``on_row`` sees each row as it is
    written (the CLI's progress bar).
    """
    options = options or BatchOptions(language=current_language())
    check_roots(roots)
    chosen: SummaryFormat = fmt or ("json" if out.suffix.lower() == ".json" else "csv")
    totals = BatchTotals()

    def rows() -> Iterator[RescoreRow]:
        for row in rescore_all(find_transcripts(roots), options, jobs):
            totals.add(row)
            if on_row is not None:
                on_row(row)
            yield row

    writer = _write_json if chosen == "json" else _write_csv
    write_atomic(out, lambda handle: writer(handle, rows(), options, totals), make_parents=True)
    return totals


def _write_csv(
    handle: BinaryIO, rows: Iterable[RescoreRow], _: BatchOptions, __: BatchTotals
) -> None:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = asdict(row)
        cells["changed_criteria"] = "; ".join(row.changed_criteria)
        writer.writerow(["" if cells[c] is None else cells[c] for c in CSV_COLUMNS])
    text.flush()
    text.detach()


def _write_json(
    handle: BinaryIO,
    rows: Iterable[RescoreRow],
    options: BatchOptions,
    totals: BatchTotals,
) -> None:
    head = {
        "schema": SUMMARY_SCHEMA,
        "program_version": __version__,
        "rubric": options.rubric.id if options.rubric else None,
        "old_rubric": options.old_rubric.id if options.old_rubric else None,
        "current_scenario": options.current_scenario,
    }
    handle.write(_json(head)[:-1].encode("utf-8") + b', "transcripts": [')
    for index, row in enumerate(rows):
        handle.write((",\n  " if index else "\n  ").encode("utf-8") + _json(asdict(row)).encode())
    tail: dict[str, Any] = asdict(totals)
    handle.write(f"\n], {_json(tail)[1:]}\n".encode())


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)
