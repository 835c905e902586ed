"""``finsim export`` (one session as md, html, json or an asciicast recording) and ``showcase``.

Every export goes to ``--out`` (written atomically: a temporary file in the same
folder, then renamed) or, without it, to stdout. Peer and teacher comments come
from the class database (``--db``, ``FINSIM_DB`` or the default one) when it
exists and has the transcript; otherwise the export simply has none.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from finsim.cli.context import AppContext, app_context, problem_prefix
from finsim.cli.options import DbOption, ForceOption, RubricOption
from finsim.cli.replay_cmds import ReplayView
from finsim.errors import FinsimError, UsageError
from finsim.export import (
    Comment,
    Frame,
    Pseudonyms,
    build_document,
    cast_text,
    export_json,
    load_comments,
    render_html,
    render_markdown,
    render_showcase,
    write_atomic,
)
from finsim.export.cast import unix_time
from finsim.i18n import tr
from finsim.outputs import check_output
from finsim.replay import plan_replay
from finsim.scoring.auto import auto_score
from finsim.transcript.reader import Transcript, read_transcript

FORMATS = ("md", "html", "json", "cast")
_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
_SUFFIXES |= {".json": "json", ".cast": "cast"}

TranscriptArg = Annotated[
    Path, typer.Argument(metavar="TRANSCRIPT", help="演练记录文件（.jsonl）。Transcript.")
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="md|html|json|cast",
        help="导出格式（默认按 --out 的扩展名）。Export format.",
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", metavar="FILE", help="输出文件（默认输出到屏幕）。Output file."),
]
AnonymizeOpt = Annotated[
    bool,
    typer.Option("--anonymize", help="用化名（学生A、学生B…）代替学生姓名和学号。Pseudonyms."),
]
KeyOpt = Annotated[
    str | None,
    typer.Option(
        "--key",
        metavar="TEXT",
        help="化名密钥：同一密钥得到同样的化名（默认每次随机）。Pseudonym key.",
    ),
]


def export(
    ctx: typer.Context,
    transcript: TranscriptArg,
    format_: FormatOpt = None,
    out: OutOpt = None,
    rubric: RubricOption = None,
    db: DbOption = None,
    anonymize: AnonymizeOpt = False,
    key: KeyOpt = None,
    force: ForceOption = False,
    width: Annotated[
        int, typer.Option("--width", min=40, max=400, help="录像的终端宽度（列）。Cast width.")
    ] = 100,
    height: Annotated[
        int, typer.Option("--height", min=10, max=200, help="录像的终端高度（行）。Cast height.")
    ] = 30,
    max_pause: Annotated[
        float | None,
        typer.Option(
            "--max-pause", metavar="SECONDS", help="录像中两句之间的最长停顿（秒）。Cap silences."
        ),
    ] = None,
) -> None:
    """导出演练记录：md / html 供阅读打印，json 供程序处理，cast 为终端录像。Export a drill."""
    state = app_context(ctx)
    kind = _format(format_, out)
    if out is not None:
        check_output(out, reads=[transcript], force=force)
    if anonymize and kind not in {"md", "html"}:
        raise UsageError(
            tr("--anonymize 只用于 md 和 html 导出", "--anonymize applies to md and html only")
        )
    read = _read([transcript], state)[0]
    if kind == "cast":
        text = record_cast(read, width=width, height=height, max_pause=max_pause)
    else:
        chosen = state.rubrics().resolve(rubric)
        comments = _comments(state, [read], db).get(read.path, [])
        if kind == "json":
            text = export_json(read, auto_score(read, chosen), comments)
        else:
            pseudonyms = _pseudonyms([read], comments, key) if anonymize else None
            doc = build_document(read, auto_score(read, chosen), comments, pseudonyms)
            text = render_markdown(doc) if kind == "md" else render_html(doc)
    _emit(state, text, out)


def showcase(
    ctx: typer.Context,
    transcripts: Annotated[
        list[Path], typer.Argument(metavar="TRANSCRIPT...", help="要展示的演练记录。Transcripts.")
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", metavar="FILE.html", help="输出的 HTML 文件。Output file."),
    ],
    anonymize: AnonymizeOpt = False,
    key: KeyOpt = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="页面标题。Page title.")
    ] = None,
    rubric: RubricOption = None,
    db: DbOption = None,
    force: ForceOption = False,
) -> None:
    """把选出的几次演练做成一个静态 HTML 页面，用于成果展示。Build a showcase page."""
    state = app_context(ctx)
    check_output(out, reads=transcripts, force=force)
    reads = _read(transcripts, state)
    chosen = state.rubrics().resolve(rubric)
    comments = _comments(state, reads, db)
    pseudonyms = None
    if anonymize:
        pseudonyms = _pseudonyms(reads, [c for cs in comments.values() for c in cs], key)
    docs = [
        build_document(r, auto_score(r, chosen), comments.get(r.path, []), pseudonyms)
        for r in reads
    ]
    heading = title or tr("金融服务营销演练成果展示", "Financial services marketing drills")
    notes = [tr("学生姓名已用化名代替。", "Student names are replaced by pseudonyms.")]
    page = render_showcase(docs, heading, notes if anonymize else [])
    _emit(state, page, out)


def record_cast(
    transcript: Transcript, *, width: int, height: int, max_pause: float | None = None
) -> str:
    """Render the drill as the replay draws it, frame by frame, into an asciicast v2 file."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="standard",
        width=width,
        height=height,
        highlight=False,
        soft_wrap=True,
        legacy_windows=False,
        _environ={},
    )
    view = ReplayView(console, transcript)
    plan = plan_replay(transcript, max_pause=max_pause)
    frames: list[Frame] = []

    def take(time: float) -> None:
        frames.append(Frame(time, buffer.getvalue()))
        buffer.seek(0)
        buffer.truncate()

    view.intro(controls=False)
    take(0.0)
    for cue in plan.cues:
        view.show(cue.event)
        take(cue.at)
    view.finish()
    take(plan.duration)
    header = transcript.header
    title = f"{view.scenario.title} · {header.created_at}"
    return cast_text(
        frames, width=width, height=height, title=title, timestamp=unix_time(header.created_at)
    )


def _format(value: str | None, out: Path | None) -> str:
    if value is not None:
        kind = value.strip().lower().removeprefix(".")
        kind = {"markdown": "md", "htm": "html", "asciicast": "cast"}.get(kind, kind)
        if kind not in FORMATS:
            raise UsageError(
                tr(
                    f"--format 只能是 md、html、json 或 cast，而不是 “{value}”",
                    f"--format must be md, html, json or cast, not '{value}'",
                )
            )
        return kind
    inferred = _SUFFIXES.get(out.suffix.lower()) if out is not None else None
    if inferred is None:
        raise UsageError(
            tr(
                "请用 --format 指定导出格式：md、html、json 或 cast",
                "give the export format with --format: md, html, json or cast",
            )
        )
    return inferred


def _read(paths: Sequence[Path], state: AppContext) -> list[Transcript]:
    """Read every transcript first (a broken one stops before anything is written)."""
    reads = [read_transcript(p) for p in paths]
    for read in reads:
        for warning in read.warnings:
            state.error_console.print(problem_prefix(warning=True) + warning, markup=False)
    return reads


def _comments(
    state: AppContext, reads: list[Transcript], db: str | None
) -> dict[Path, list[Comment]]:
    """Comments from the class database; a default database that fails is only a warning."""
    try:
        return load_comments(reads, db)
    except FinsimError as error:
        if db:
            raise
        state.error_console.print(
            problem_prefix(warning=True)
            + tr(f"未能读取班级数据库，导出中不含点评：{error}", f"no comments: {error}"),
            markup=False,
        )
        return {}


def _pseudonyms(reads: list[Transcript], comments: list[Comment], key: str | None) -> Pseudonyms:
    people = [(p.id, p.name) for r in reads for p in r.header.participants]
    people += [(c.rater_id, c.rater_name) for c in comments if c.form != "teacher"]
    secret = key.encode("utf-8") if key else secrets.token_bytes(32)
    return Pseudonyms(secret, people)


def _emit(state: AppContext, text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    write_atomic(out, text)
    state.console.print(tr(f"已导出：{out}", f"Exported: {out}"), markup=False)


__all__ = ["export", "record_cast", "showcase"]
