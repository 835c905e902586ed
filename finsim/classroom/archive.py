"""What a lesson leaves behind: the grade book and the showcase of the groups' drills.

At the end of ``finsim lesson`` the lesson's folder holds the transcripts the
drills wrote (``transcripts/``), the grade book (``成绩册.xlsx``, ``.csv``,
``.html``) and one static page of every group's latest drill with the peer and
teacher comments (``成果展示.html``) for 成果展示.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from finsim.classroom.classes import class_settings
from finsim.classroom.export import export
from finsim.classroom.gradebook import build_gradebook, latest_sessions
from finsim.errors import UsageError
from finsim.export import build_document, find_comments, render_showcase, write_atomic
from finsim.i18n import tr
from finsim.scoring import Rubric
from finsim.scoring.auto import auto_score
from finsim.store import ClassInfo, ClassStore
from finsim.transcript.reader import read_transcript

GRADEBOOK = "成绩册"
SHOWCASE = "成果展示.html"


def lesson_folder(out: Path | None, default: Path) -> Path:
    """Choose a new lesson's folder: ``out`` if it holds no lesson yet, else a fresh ``default``.

    A lesson's folder is never shared: ``out`` that holds a grade book or a
    showcase already is refused; the default gets ``-2``, ``-3`` … when taken.
    """
    if out is not None:
        taken = [p for p in (out / f"{GRADEBOOK}.xlsx", out / SHOWCASE) if p.exists()]
        if taken:
            raise UsageError(
                tr(
                    f"{out} 里已有一节课的存档（{taken[0].name}）；请用 --out 另选一个文件夹",
                    f"{out} holds a lesson already ({taken[0].name}): choose another --out",
                )
            )
        return out
    folder, n = default, 1
    while folder.exists():
        n += 1
        folder = default.with_name(f"{default.name}-{n}")
    return folder


@dataclass(frozen=True)
class Archive:
    """The files :func:`archive_lesson` wrote."""

    folder: Path
    files: list[Path]
    sessions: int


def archive_lesson(store: ClassStore, info: ClassInfo, folder: Path, rubric: Rubric) -> Archive:
    """Write the grade book and the showcase of each group's latest session into ``folder``."""
    book = build_gradebook(store, info, class_settings(info))
    files = []
    for fmt in ("xlsx", "csv", "html"):
        path = folder / f"{GRADEBOOK}.{fmt}"
        export(book, fmt, path)
        files.append(path)
    sessions = sorted(latest_sessions(store.list_sessions(info.id)).values(), key=lambda s: s.id)
    reads = [read_transcript(Path(s.transcript_path)) for s in sessions]
    docs = [build_document(r, auto_score(r, rubric), find_comments(store, r)) for r in reads]
    title = tr(f"{info.name} · 金融服务营销演练成果展示", f"{info.name} · drills showcase")
    write_atomic(folder / SHOWCASE, render_showcase(docs, title), make_parents=True)
    files.append(folder / SHOWCASE)
    return Archive(folder, files, len(sessions))
