"""Where the class lives: rosters, groups, sessions, ratings and overrides.

:func:`open_store` opens the store named by ``--db``, ``FINSIM_DB`` or, by
default, ``finsim.db`` in the data directory: a file path is a SQLite file
(:mod:`finsim.store.sqlite`), a ``postgresql://`` URL a PostgreSQL database
(:mod:`finsim.store.postgres`, for a lab of terminals on one server).
"""

from __future__ import annotations

import os
from pathlib import Path

from finsim.clock import now_iso
from finsim.errors import NotFoundError, StorageError
from finsim.i18n import tr
from finsim.resources import data_dir
from finsim.store.base import (
    ClassInfo,
    ClassStore,
    FormName,
    Member,
    NewSession,
    Override,
    Rating,
    Role,
    Session,
    Student,
)
from finsim.store.postgres import is_postgres_url
from finsim.store.sqlite import SCHEMA_VERSION, SqliteStore

DB_ENV = "FINSIM_DB"
"""Overrides the class database (a file path or a ``postgresql://`` URL)."""

DB_FILE = "finsim.db"


def default_db_target(option: str | Path | None = None) -> str:
    """Name the store to use: ``--db``, else ``FINSIM_DB``, else the data directory's file."""
    if option:
        return str(option)
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return env
    return str(data_dir() / DB_FILE)


def open_store(target: str | Path | None = None, *, create: bool = True) -> ClassStore:
    """Open (and migrate, if needed) the class store at ``target``.

    With ``create`` false a missing database is an error (exit 3) rather than
    a new empty file: only ``finsim class init`` creates one.
    """
    text = default_db_target(target)
    if is_postgres_url(text):
        from finsim.store.postgres import PostgresStore

        return PostgresStore(text)
    if "://" in text:
        raise StorageError(tr(f"不认识的数据库地址：{text}", f"unknown database address: {text}"))
    path = Path(text).expanduser()
    if not create and not path.exists():
        raise NotFoundError(
            tr(
                f"没有班级数据库 {path}；先运行 finsim class init 名单.csv（或用 --db 指定文件）",
                f"no class database at {path}: run finsim class init ROSTER.csv first "
                "(or name the file with --db)",
            )
        )
    return SqliteStore(path)


__all__ = [
    "DB_ENV",
    "SCHEMA_VERSION",
    "ClassInfo",
    "ClassStore",
    "FormName",
    "Member",
    "NewSession",
    "Override",
    "Rating",
    "Role",
    "Session",
    "SqliteStore",
    "Student",
    "default_db_target",
    "is_postgres_url",
    "now_iso",
    "open_store",
]
