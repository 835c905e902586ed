"""Peer and teacher comments on a transcript, from the class database when there is one.

A transcript is found in the class store by the sha256 of its valid bytes (as
``finsim class add-session`` recorded it) or by its path. No database is no
error: the export then simply has no comments. The default database is never
created by looking for comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from finsim.errors import NotFoundError
from finsim.i18n import tr
from finsim.store import ClassStore, default_db_target, open_store
from finsim.transcript.reader import Transcript

_FORM_ORDER = {"teacher": 0, "peer": 1, "client_roleplay": 2}


@dataclass(frozen=True)
class Comment:
    """One filled rating form: who rated, on which form, the points and the comment."""

    form: str
    rater_id: str
    rater_name: str
    total: float
    max_total: float
    text: str


def find_comments(store: ClassStore, transcript: Transcript) -> list[Comment]:
    """Return the ratings of every session registered for this transcript, teacher first."""
    digest = transcript.sha256()
    where = str(transcript.path.resolve())
    found: list[Comment] = []
    for info in store.list_classes():
        sessions = {
            s.id
            for s in store.list_sessions(info.id)
            if s.transcript_sha256 == digest or s.transcript_path == where
        }
        if not sessions:
            continue
        names = {s.student_id: s.name for s in store.list_students(info.id)}
        for rating in store.list_ratings(info.id):
            if rating.session_id in sessions:
                found.append(
                    Comment(
                        form=rating.form,
                        rater_id=rating.rater_id,
                        rater_name=names.get(rating.rater_id, ""),
                        total=rating.total,
                        max_total=rating.max_total,
                        text=rating.comment,
                    )
                )
    return sorted(found, key=lambda c: _FORM_ORDER.get(c.form, 9))


def load_comments(transcripts: list[Transcript], db: str | None) -> dict[Path, list[Comment]]:
    """Return the comments on each transcript; ``{}`` when there is no class database.

    ``db`` names the database (``--db``); a named database that does not exist
    is an error, the default one (``FINSIM_DB`` or the data directory's) is not.
    """
    target = default_db_target(db)
    if "://" not in target and not Path(target).expanduser().exists():
        if db:
            raise NotFoundError(tr(f"找不到班级数据库 {db}", f"no class database at {db}"))
        return {}
    store = open_store(target)
    try:
        return {t.path: find_comments(store, t) for t in transcripts}
    finally:
        store.close()
