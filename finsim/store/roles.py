"""Who may do what on a lab server: a teacher role that owns the tables, a lab role that adds.

:func:`init_database` (``finsim class init-db``) connects with an administrator's
URL and creates (or updates) two login roles and the database:

* the **teacher** role owns the database and every table: it migrates, grades,
  changes settings and replaces ratings;
* the **lab** role, for students' terminals, may read the class, the roster's
  names (not the e-mail addresses), the groups, sessions, the lesson and the peer
  ratings, may add sessions and add peer
  ratings, and nothing else: no teacher grade (a row-level policy), no
  override, no setting, no change to any saved rating, no regrouping.

Running it again is safe: roles get the new passwords, privileges are reset.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from finsim.errors import StorageError, UsageError
from finsim.i18n import tr
from finsim.store.postgres import check_url, connect_error, safe_url
from finsim.store.sql import COLUMNS

TEACHER_ROLE = "finsim_teacher"
LAB_ROLE = "finsim_lab"
DEFAULT_DATABASE = "finsim"

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

FINSIM_TABLES = {*COLUMNS, "schema_version"}
"""The tables a finsim database holds (any other means the database is not finsim's alone)."""

LAB_READS = ("schema_version", "classes", "members", "sessions", "lessons")
"""What a student's terminal reads besides the roster's names and the peer ratings."""


@dataclass(frozen=True)
class LabAccounts:
    """The two URLs ``init-db`` made: the teacher's and the lab terminals'."""

    teacher_url: str
    lab_url: str


def new_password() -> str:
    """Return a random password that needs no escaping in a URL."""
    return secrets.token_urlsafe(15)


def check_name(kind: str, name: str) -> str:
    """Return ``name`` if it is a plain lower-case SQL name; fail otherwise."""
    if not _NAME.match(name):
        raise UsageError(
            tr(
                f"{kind}名 “{name}” 只能由小写字母、数字和下划线组成（字母或下划线开头）",
                f"the {kind} name '{name}' may hold only lower-case letters, digits and _"
                " (starting with a letter or _)",
            )
        )
    return name


def account_url(admin_url: str, user: str, password: str, database: str) -> str:
    """Return the admin URL's host and port with another user, password and database."""
    parts = urlsplit(admin_url)
    host = parts.hostname or "localhost"
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    query = f"?{parts.query}" if parts.query else ""
    return f"postgresql://{quote(user)}:{quote(password)}@{host}{port}/{database}{query}"


def init_database(
    admin_url: str,
    *,
    teacher_role: str = TEACHER_ROLE,
    lab_role: str = LAB_ROLE,
    teacher_password: str | None = None,
    lab_password: str | None = None,
) -> LabAccounts:
    """Create the roles and the database named in ``admin_url``, migrate it, grant the lab."""
    import psycopg

    try:
        return _init_database(admin_url, teacher_role, lab_role, teacher_password, lab_password)
    except psycopg.Error as exc:
        raise StorageError(
            tr(
                f"在 {safe_url(admin_url)} 上建立机房数据库失败：{str(exc).strip().splitlines()[0]}"
                "（地址应是管理员账户的，如 postgres，或有 CREATEROLE 与 CREATEDB 权限的角色）",
                f"setting up the lab database on {safe_url(admin_url)} failed:"
                f" {str(exc).strip().splitlines()[0]} (the URL must be an administrator's, e.g."
                " postgres, or a role with CREATEROLE and CREATEDB)",
            )
        ) from None


def _init_database(
    admin_url: str,
    teacher_role: str,
    lab_role: str,
    teacher_password: str | None,
    lab_password: str | None,
) -> LabAccounts:
    from psycopg import sql

    parts = check_url(admin_url)
    database = check_name(tr("数据库", "database"), parts.path.lstrip("/") or DEFAULT_DATABASE)
    teacher = check_name(tr("角色", "role"), teacher_role)
    lab = check_name(tr("角色", "role"), lab_role)
    if teacher == lab:
        raise UsageError(tr("教师角色与机房角色不能同名", "the teacher and lab roles must differ"))
    accounts = LabAccounts(
        account_url(admin_url, teacher, teacher_password or new_password(), database),
        account_url(admin_url, lab, lab_password or new_password(), database),
    )
    with _connect(admin_url, "postgres") as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
    tables = _public_tables(admin_url, database) if exists else []
    foreign = sorted(set(tables) - FINSIM_TABLES)
    if foreign:
        raise UsageError(
            tr(
                f"数据库 {database} 里有不属于 finsim 的表（{', '.join(foreign[:5])}）；"
                "请给 finsim 一个单独的数据库（地址里换一个库名）",
                f"the database {database} holds tables that are not finsim's"
                f" ({', '.join(foreign[:5])}): give finsim a database of its own (another"
                " name in the URL)",
            )
        )
    name, owner = sql.Identifier(database), sql.Identifier(teacher)
    with _connect(admin_url, "postgres") as conn:
        for role, url in ((teacher, accounts.teacher_url), (lab, accounts.lab_url)):
            _ensure_role(conn, role, urlsplit(url).password or "")
        if exists:
            conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(name, owner))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {} ENCODING 'UTF8'").format(name, owner))
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(name))
        conn.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}, {}").format(
                name, owner, sql.Identifier(lab)
            )
        )
    with _connect(admin_url, database) as conn:  # finsim tables made before pass to the teacher
        for table in tables:
            conn.execute(sql.SQL("ALTER TABLE {} OWNER TO {}").format(sql.Identifier(table), owner))
    from finsim.store.postgres import PostgresStore

    PostgresStore(accounts.teacher_url).close()  # creates or migrates the tables, as the teacher
    with _connect(accounts.teacher_url, database) as conn:
        grant_lab(conn, lab)
    return accounts


def _public_tables(admin_url: str, database: str) -> list[str]:
    with _connect(admin_url, database) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return [str(row[0]) for row in rows.fetchall()]


def grant_lab(conn: Any, lab: str) -> None:
    """Reset the lab role's privileges to reading the class and adding sessions and ratings."""
    from psycopg import sql

    role = sql.Identifier(lab)
    statements = [
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(role),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
        sql.SQL("GRANT SELECT ON {} TO {}").format(
            sql.SQL(", ").join(sql.Identifier(t) for t in LAB_READS), role
        ),
        sql.SQL("GRANT SELECT (class_id, student_id, name) ON students TO {}").format(role),
        sql.SQL("GRANT INSERT ON sessions TO {}").format(role),
        sql.SQL("GRANT SELECT, INSERT ON ratings TO {}").format(role),
        sql.SQL("ALTER TABLE ratings ENABLE ROW LEVEL SECURITY"),
        sql.SQL("DROP POLICY IF EXISTS finsim_lab_read ON ratings"),
        sql.SQL("DROP POLICY IF EXISTS finsim_lab_add ON ratings"),
        sql.SQL(
            "CREATE POLICY finsim_lab_read ON ratings FOR SELECT TO {} USING (form = 'peer')"
        ).format(role),
        sql.SQL(
            "CREATE POLICY finsim_lab_add ON ratings FOR INSERT TO {} WITH CHECK (form = 'peer')"
        ).format(role),
    ]
    with conn.transaction():
        for statement in statements:
            conn.execute(statement)


def _ensure_role(conn: Any, role: str, password: str) -> None:
    from psycopg import sql

    found = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    verb = "ALTER" if found else "CREATE"
    conn.execute(
        sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(password)
        )
    )


def _connect(url: str, database: str) -> Any:
    """Connect (autocommit) to ``database`` on the server of ``url``; one-line errors."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    try:
        return psycopg.connect(
            make_conninfo(url, dbname=database, connect_timeout=5), autocommit=True
        )
    except psycopg.Error as exc:
        raise StorageError(connect_error(safe_url(url), exc)) from None
