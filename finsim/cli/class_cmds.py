"""``finsim class``: roster, groups and roles, settings, sessions.

Also the options that ``rate``, ``grade`` and ``report`` share (``--db``, ``--class``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from finsim.classroom.classes import class_settings, init_class, resolve_class, set_groups
from finsim.classroom.groups import (
    DEFAULT_STEPS,
    assign_groups,
    members_from_assignment,
    read_groups,
)
from finsim.classroom.sessions import register_session
from finsim.classroom.settings import ClassSettings, load_settings
from finsim.cli.context import AppContext, app_context, problem_prefix
from finsim.cli.lazy import LazyCommand, LazyGroup, lazy_group
from finsim.cli.options import (
    ClassOption,
    DbOption,
    PeerAggOption,
    RubricOption,
    StepWeightOption,
    WeightsOption,
)
from finsim.cli.tables import new_table
from finsim.errors import FinsimError, UsageError, ValidationFailed
from finsim.i18n import tr
from finsim.store import ClassInfo, ClassStore, Member, open_store
from finsim.validation import plain_errors
from finsim.vocabulary import group_zh

#: ``class key`` lives with the other key and seal commands.
_KEY = LazyCommand(
    "key",
    "finsim.cli.verify_cmds:class_key",
    "创建本班签名密钥（Ed25519）：私钥签名演练记录，公钥用于核验。Create the class key.",
)

_INIT_DB = LazyCommand(
    "init-db",
    "finsim.cli.lab_cmds:init_db",
    "在 PostgreSQL 服务器上建库并创建教师、机房两个角色。Set up a lab database and its roles.",
)

_MIGRATE = LazyCommand(
    "migrate",
    "finsim.cli.lab_cmds:migrate",
    "把班级数据库整体迁移到 PostgreSQL 并核对行数。Copy the class database to a server.",
)

_STATUS = LazyCommand(
    "status",
    "finsim.cli.lesson_cmds:status",
    "课堂进度：各组演练、互评与教师评分的情况。The lesson's progress.",
)

app = typer.Typer(
    cls=lazy_group(LazyGroup, [_KEY, _INIT_DB, _MIGRATE, _STATUS]),
    help="班级：名单、分组与角色、评分设置、演练会话。Class: roster, groups, settings, sessions.",
    no_args_is_help=True,
)


@contextmanager
def open_class(db: str | None, class_id: str | None) -> Iterator[tuple[ClassStore, ClassInfo]]:
    """Open the store and find the class; close the store afterwards."""
    store = open_store(db, create=False)
    try:
        yield store, resolve_class(store, class_id)
    finally:
        store.close()


def settings_from_options(
    base: ClassSettings,
    peer_agg: str | None,
    weights: str | None,
    step_weight: float | None,
) -> ClassSettings:
    """Return ``base`` with the command-line overrides applied (validated)."""
    parsed = None
    if weights is not None:
        parts = [p.strip() for p in weights.replace("/", ",").split(",")]
        try:
            auto, peer, teacher = (float(p) for p in parts)
        except ValueError:
            raise UsageError(
                tr(
                    f"--weights 应为三个数：自动,互评,教师（如 20,30,50），而不是 “{weights}”",
                    "--weights takes three numbers auto,peer,teacher (e.g. 20,30,50), "
                    f"not '{weights}'",
                )
            ) from None
        parsed = {"auto": auto, "peer": peer, "teacher": teacher}
    try:
        return base.with_options(peer_aggregation=peer_agg, weights=parsed, step_weight=step_weight)
    except ValidationError as exc:
        problems = [tr(f"设置有误：{line}", f"bad setting: {line}") for line in plain_errors(exc)]
        raise ValidationFailed(problems) from None


def effective_settings(
    info: ClassInfo,
    settings_file: Path | None,
    peer_agg: str | None,
    weights: str | None,
    step_weight: float | None,
) -> ClassSettings:
    """Return the settings file's (or the class's) settings with the option overrides."""
    base = load_settings(settings_file) if settings_file else class_settings(info)
    return settings_from_options(base, peer_agg, weights, step_weight)


@app.command("init")
def init(
    ctx: typer.Context,
    roster: Annotated[
        Path,
        typer.Argument(metavar="ROSTER", help="名单 CSV 或 .xlsx（列：学号,姓名,邮箱）。Roster."),
    ],
    class_id: ClassOption = None,
    name: Annotated[
        str | None, typer.Option("--name", help="班级名称（默认与编号相同）。Class name.")
    ] = None,
    settings_file: Annotated[
        Path | None,
        typer.Option("--settings", help="评分设置 YAML（finsim/class-settings@1）。Settings."),
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="班级已存在时合并新名单。Merge into an existing class.")
    ] = False,
    db: DbOption = None,
) -> None:
    """从名单创建班级（CSV/Excel；表头 学号/姓名/邮箱 或 id/name/email）。Create a class."""
    state = app_context(ctx)
    settings = load_settings(settings_file) if settings_file else None
    store = open_store(db)
    try:
        done = init_class(
            store, class_id or roster.stem, roster, name=name, settings=settings, update=update
        )
    finally:
        store.close()
    verb = tr("已创建", "created") if done.created else tr("已更新", "updated")
    state.console.print(
        tr(
            f"{verb}班级 {done.info.id}（{done.info.name}）："
            f"新增 {done.added} 名学生，更新 {done.updated} 名。"
            f"\n数据库：{store.location}",
            f"Class {done.info.id} ({done.info.name}) {verb}: {done.added} students added, "
            f"{done.updated} updated.\nDatabase: {store.location}",
        ),
        markup=False,
    )


@app.command("groups")
def groups(
    ctx: typer.Context,
    size: Annotated[
        int, typer.Option("--size", min=1, max=10, help="每组人数上限。Group size.")
    ] = 10,
    method: Annotated[
        str,
        typer.Option(
            "--method", help="分组方式：random 随机（默认）或 balanced 按名单顺序轮流分。Method."
        ),
    ] = "random",
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="随机分组的种子（同一种子分组结果相同）。Random seed."),
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option("--import", help="导入分组文件（列：组,学号[,角色,步骤]）。Groups file."),
    ] = None,
    steps: Annotated[
        str | None,
        typer.Option(
            "--steps",
            metavar="IDS",
            help="要分配角色的步骤编号，逗号分隔（默认 1,2,3,4,5）。Steps.",
        ),
    ] = None,
    class_id: ClassOption = None,
    db: DbOption = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help="班级已有会话或评分时也重新分组，不再确认。Regroup anyway."
        ),
    ] = False,
) -> None:
    """分组并分配角色（每步一名客户经理、一名客户；可导入文件实现互换）。Assign groups and roles."""
    state = app_context(ctx)
    step_ids = tuple(s.strip() for s in steps.split(",") if s.strip()) if steps else DEFAULT_STEPS
    if not step_ids:
        raise UsageError(
            tr(
                f"--steps 应为逗号分隔的步骤编号（如 1,2,3,4,5），而不是 “{steps}”",
                f"--steps takes step ids separated by commas (e.g. 1,2,3,4,5), not '{steps}'",
            )
        )
    with open_class(db, class_id) as (store, info):
        roster = store.list_students(info.id)
        if from_file is not None:  # a broken file is reported as such, before the question
            members = read_groups(from_file, roster, step_ids)
        else:
            members = members_from_assignment(
                assign_groups(roster, size, method=method, seed=seed), step_ids
            )
        effect = _confirm_regroup(store, info.id, yes)
        set_groups(store, info, members)
    render_groups(state, members, {s.student_id: s.name for s in roster})
    if effect is not None:
        state.error_console.print(problem_prefix(warning=True) + effect, markup=False)


def _confirm_regroup(store: ClassStore, class_id: str, yes: bool) -> str | None:
    """Refuse to redraw the groups of a class that has sessions or ratings unless ``--yes``.

    Return what the sessions and ratings refer to after the regrouping (``None``: nothing).
    """
    sessions = len(store.list_sessions(class_id))
    ratings = len(store.list_ratings(class_id))
    if not sessions and not ratings:
        return None
    effect = tr(
        f"班级已有 {sessions} 次会话、{ratings} 份评分；它们按小组编号记录，重新分组后，"
        "新分组中的某组（如第一组）会得到原来同编号小组的会话和评分",
        f"the class has {sessions} sessions and {ratings} ratings; they are recorded by group "
        "id, so after regrouping each new group (e.g. G1) gets the sessions and ratings of the "
        "old group with that id",
    )
    if not yes:
        raise UsageError(effect + tr("；确需重新分组请加 --yes", "; add --yes to regroup anyway"))
    return effect


def render_groups(state: AppContext, members: list[Member], names: dict[str, str]) -> None:
    """Print groups with each member's parts."""
    table = new_table(
        tr("分组与角色", "Groups and roles"),
        tr("小组", "group"),
        tr("学号", "id"),
        tr("姓名", "name"),
        tr("客户经理（步骤）", "manager of steps"),
        tr("客户（步骤）", "client of steps"),
    )
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for m in members:
        rows.setdefault((m.group_id, m.student_id), {})[m.role] = ",".join(m.steps) or "—"
    for (group, student), parts in rows.items():
        table.add_row(
            group,
            student,
            names.get(student, ""),
            parts.get("manager", ""),
            parts.get("client", ""),
        )
    state.console.print(table)


@app.command("show")
def show(ctx: typer.Context, class_id: ClassOption = None, db: DbOption = None) -> None:
    """查看班级：名单、分组、会话与设置。Show the class."""
    state = app_context(ctx)
    with open_class(db, class_id) as (store, info):
        roster = store.list_students(info.id)
        members = store.list_members(info.id)
        sessions = store.list_sessions(info.id)
    state.console.print(
        tr(
            f"班级 {info.id}（{info.name}）：{len(roster)} 名学生，数据库 {store.location}",
            f"Class {info.id} ({info.name}): {len(roster)} students, database {store.location}",
        ),
        markup=False,
    )
    render_groups(state, members, {s.student_id: s.name for s in roster})
    table = new_table(
        tr("演练会话", "Sessions"),
        tr("会话", "session"),
        tr("小组", "group"),
        tr("场景", "scenario"),
        tr("自动评分", "auto"),
        tr("记录文件", "transcript"),
    )
    for s in sessions:
        auto = (
            f"{s.auto_total:g}/{s.auto_max:g}" if s.auto_total is not None and s.auto_max else "—"
        )
        table.add_row(str(s.id), s.group_id, s.scenario_id, auto, s.transcript_path)
    state.console.print(table)
    state.console.print_json(data=class_settings(info).to_store())


@app.command("settings")
def settings(
    ctx: typer.Context,
    settings_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="[FILE]", help="评分设置 YAML（finsim/class-settings@1）。Settings file."
        ),
    ] = None,
    peer_agg: PeerAggOption = None,
    weights: WeightsOption = None,
    step_weight: StepWeightOption = None,
    class_id: ClassOption = None,
    db: DbOption = None,
) -> None:
    """设置或查看班级的成绩汇总规则（用文件或选项）。Set or show the grading settings."""
    state = app_context(ctx)
    with open_class(db, class_id) as (store, info):
        new = effective_settings(info, settings_file, peer_agg, weights, step_weight)
        if settings_file or peer_agg or weights or step_weight is not None:
            store.set_settings(info.id, new.to_store())
    state.console.print_json(data=new.to_store())


@app.command("add-session")
def add_session(
    ctx: typer.Context,
    transcripts: Annotated[
        list[Path],
        typer.Argument(metavar="TRANSCRIPT...", help="演练记录文件（.jsonl）。Transcripts."),
    ],
    group: Annotated[
        str | None, typer.Option("--group", help="小组（记录里没有写明小组时使用）。Group.")
    ] = None,
    rubric_ref: RubricOption = None,
    class_id: ClassOption = None,
    db: DbOption = None,
) -> None:
    """把演练记录登记为小组的会话，并计算自动评分。Register transcripts as group sessions."""
    state = app_context(ctx)
    failed = 0
    with open_class(db, class_id) as (store, info):
        rubric = state.rubrics().resolve(rubric_ref or class_settings(info).rubric)
        for path in transcripts:
            try:
                session = register_session(store, info.id, path, rubric, group=group)
            except FinsimError as exc:  # one bad file does not stop the others
                failed += 1
                state.error_console.print(tr("错误：", "error: ") + str(exc), markup=False)
                continue
            auto = f"{session.auto_total:g}/{session.auto_max:g}" if session.auto_max else "—"
            state.console.print(
                tr(
                    f"会话 {session.id}：{group_zh(session.group_id)}，自动评分 {auto}（{path}）",
                    f"session {session.id}: group {session.group_id}, auto score {auto} ({path})",
                ),
                markup=False,
            )
    if failed:
        raise typer.Exit(2)
