"""``finsim class init-db``, ``class migrate`` and ``class status``: the class on a lab server."""

from __future__ import annotations

from typing import Annotated

import typer

from finsim.cli.context import app_context
from finsim.cli.options import DbOption
from finsim.cli.tables import new_table
from finsim.i18n import tr
from finsim.store import open_store

AdminUrl = Annotated[
    str,
    typer.Argument(
        metavar="URL",
        help="管理员账户的地址，如 postgresql://postgres:密码@服务器/finsim（库名即要建的库）。"
        "An administrator's URL.",
    ),
]


def init_db(
    ctx: typer.Context,
    url: AdminUrl,
    teacher_role: Annotated[
        str, typer.Option("--teacher-role", help="教师角色名。Teacher role name.")
    ] = "finsim_teacher",
    lab_role: Annotated[
        str, typer.Option("--lab-role", help="机房（学生终端）角色名。Lab role name.")
    ] = "finsim_lab",
    teacher_password: Annotated[
        str | None,
        typer.Option("--teacher-password", help="教师角色的密码（默认随机生成）。Password."),
    ] = None,
    lab_password: Annotated[
        str | None,
        typer.Option("--lab-password", help="机房角色的密码（默认随机生成）。Password."),
    ] = None,
) -> None:
    """在 PostgreSQL 服务器上建库并创建教师、机房两个角色。Set up a lab database and its roles."""
    from finsim.store.roles import init_database

    state = app_context(ctx)
    accounts = init_database(
        url,
        teacher_role=teacher_role,
        lab_role=lab_role,
        teacher_password=teacher_password,
        lab_password=lab_password,
    )
    state.console.print(
        tr(
            "机房数据库已就绪。\n"
            f"教师（改分、设置、课堂）：FINSIM_DB={accounts.teacher_url}\n"
            f"学生终端（只能登记演练、提交互评）：FINSIM_DB={accounts.lab_url}\n"
            "教师地址只在教师机上使用；主机名如需改成机房里能访问的地址，请自行替换。",
            "The lab database is ready.\n"
            f"teacher (grades, settings, the lesson): FINSIM_DB={accounts.teacher_url}\n"
            f"students' terminals (add sessions and peer ratings only):"
            f" FINSIM_DB={accounts.lab_url}\n"
            "Keep the teacher's URL on the teacher's machine; replace the host by the address"
            " the lab reaches the server at if it differs.",
        ),
        markup=False,
    )


def migrate(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to", metavar="URL", help="目标：空的 PostgreSQL 数据库（教师地址）。Target URL."
        ),
    ],
    db: DbOption = None,
) -> None:
    """把班级数据库整体迁移到 PostgreSQL 并核对行数。Copy the class database to a server."""
    from finsim.store.copy import copy_database
    from finsim.store.postgres import check_url
    from finsim.store.sql import SqlStore

    state = app_context(ctx)
    check_url(to)  # the target is a server: a file path here would make a new SQLite file
    source = open_store(db, create=False)
    try:
        target = open_store(to)
        try:
            assert isinstance(source, SqlStore) and isinstance(target, SqlStore)
            counts = copy_database(source, target)
        finally:
            target.close()
    finally:
        source.close()
    table = new_table(
        tr(
            f"已迁移到 {target.location}，行数核对一致",
            f"Copied to {target.location}; counts verified",
        ),
        tr("表", "table"),
        tr("行数", "rows"),
    )
    for name, count in counts.items():
        table.add_row(name, str(count))
    state.console.print(table)
