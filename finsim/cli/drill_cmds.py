"""``finsim drill`` and ``finsim demo``: parse the options, build the session, run the loop.

Interactive play goes through :class:`finsim.cli.drill.loop.DrillLoop` with a
prompt_toolkit reader on a terminal and a plain line reader otherwise (pipes,
tests). ``--script`` plays a drill script through the core's ``run_script``.
``demo`` plays a bundled script through the same loop at reading pace. The
drill machinery is imported only when a drill starts, so that other commands
start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from finsim.cli.context import app_context
from finsim.errors import ExitCode, UsageError
from finsim.i18n import tr

if TYPE_CHECKING:
    from finsim.transcript.model import EndReason, Level, Mode

_MODES: dict[str, Mode] = {"solo": "solo", "单人": "solo", "pair": "pair", "双人": "pair"}
LEVELS: dict[str, Level] = {
    "easy": "easy",
    "容易": "easy",
    "normal": "normal",
    "普通": "normal",
    "hard": "hard",
    "困难": "hard",
}

ScenarioArg = Annotated[
    str | None,
    typer.Argument(
        metavar="SCENARIO",
        help="场景编号或文件路径（默认 retired-teacher）。Scenario id or file.",
        show_default=False,
    ),
]
ModeOpt = Annotated[
    str | None,
    typer.Option(
        "--mode",
        metavar="solo|pair",
        help="solo 单人对虚拟客户（默认）；pair 双人同机轮流。Solo or pair.",
    ),
]
TimeOpt = Annotated[
    float | None,
    typer.Option(
        "--time",
        metavar="MINUTES",
        help="每组限时（分钟；默认按场景，一般 5 分钟）。Time limit in minutes.",
    ),
]
OvertimeOpt = Annotated[
    bool,
    typer.Option(
        "--overtime", help="时间到后继续演练，超时时长记入演练记录。Go on after time is up."
    ),
]
StudentOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--student", metavar="NAME", help="学生姓名或学号（可重复）。Student (repeatable)."
    ),
]
GroupOpt = Annotated[
    str | None, typer.Option("--group", metavar="GROUP", help="小组名称。Group name.")
]
RolesOpt = Annotated[
    str | None,
    typer.Option(
        "--roles",
        metavar="SPEC",
        help="角色分工，如 张三=客户经理,李四=客户@closing。Who plays what.",
    ),
]
SeedOpt = Annotated[
    int | None,
    typer.Option("--seed", metavar="N", help="随机种子：种子相同，客户的应答也相同。Random seed."),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out", metavar="FILE", help="演练记录文件（默认保存在数据目录）。Transcript file."
    ),
]
ResumeOpt = Annotated[
    Path | None,
    typer.Option(
        "--resume",
        metavar="FILE",
        help="继续一次中断的演练（给出其演练记录文件）。Resume an interrupted drill.",
    ),
]
ScriptOpt = Annotated[
    Path | None,
    typer.Option(
        "--script",
        metavar="FILE",
        help="按脚本自动演练（一行一句，见 tests/scripts）。Play a drill script.",
    ),
]
LevelOpt = Annotated[
    str | None,
    typer.Option(
        "--level",
        metavar="easy|normal|hard",
        help="难度：easy 容易、normal 普通（默认）、hard 困难（客户更难赢得信任，"
        "失去信任或耐心会中途离开）。Difficulty.",
        show_default=False,
    ),
]
MenuOpt = Annotated[
    bool | None,
    typer.Option(
        "--menu/--no-menu",
        help="用菜单选择场景、模式和学生（默认：在终端里运行且没有给出场景和模式时）。Menus.",
        show_default=False,
    ),
]


def drill(
    ctx: typer.Context,
    scenario: ScenarioArg = None,
    mode: ModeOpt = None,
    minutes: TimeOpt = None,
    overtime: OvertimeOpt = False,
    student: StudentOpt = None,
    group: GroupOpt = None,
    roles: RolesOpt = None,
    seed: SeedOpt = None,
    out: OutOpt = None,
    resume: ResumeOpt = None,
    script: ScriptOpt = None,
    level: LevelOpt = None,
    menu: MenuOpt = None,
) -> None:
    """开始一次演练：单人对虚拟客户，或两人同机轮流扮演。Run a drill."""
    state = app_context(ctx)
    given = {
        "SCENARIO": scenario is not None,
        "--mode": mode is not None,
        "--time": minutes is not None,
        "--overtime": overtime,
        "--student": bool(student),
        "--group": group is not None,
        "--roles": roles is not None,
        "--seed": seed is not None,
        "--out": out is not None,
        "--menu": menu is True,
        "--level": level is not None,
    }
    chosen = _level(level) if level is not None else "normal"
    if minutes is not None and not 0 < minutes <= 180:
        raise UsageError(
            tr(
                f"--time {minutes:g}：限时应大于 0、不超过 180 分钟（如 --time 5）",
                f"--time {minutes:g}: the limit must be more than 0 and at most 180 minutes"
                " (e.g. --time 5)",
            )
        )
    if resume is not None:
        _refuse_with("--resume", given | {"--script": script is not None}, allowed={"--overtime"})
        from finsim.cli.drill.run import resume_drill

        _exit_with(resume_drill(state, resume, overtime))
        return
    if script is not None:
        _refuse_with(
            "--script",
            given,
            allowed={"SCENARIO", "--student", "--group", "--roles", "--seed", "--out", "--level"},
        )
        from finsim.cli.drill.script import play_script

        play_script(
            state, scenario, script, seed or 0, out, student or [], roles, group, level=chosen
        )
        return
    from finsim.cli.drill.run import DrillOptions, start_drill

    options = DrillOptions(
        scenario=scenario,
        mode=_mode(mode) if mode is not None else None,
        minutes=minutes,
        overtime=overtime,
        students=list(student or []),
        group=group,
        roles=roles,
        seed=seed,
        out=out,
        menu=menu,
        level=chosen,
    )
    _exit_with(start_drill(state, options))


def _exit_with(reason: EndReason) -> None:
    """Exit 130 when the drill was interrupted (Ctrl-C, Ctrl-D, a closed terminal)."""
    if reason == "interrupted":
        raise typer.Exit(ExitCode.INTERRUPTED)


def _level(value: str) -> Level:
    chosen = value.strip().lower()
    if chosen not in LEVELS:
        raise UsageError(
            tr(
                f"--level 只能是 easy（容易）、normal（普通）或 hard（困难），而不是 “{value}”",
                f"--level must be easy, normal or hard, not '{value}'",
            )
        )
    return LEVELS[chosen]


def _mode(value: str) -> Mode:
    mode = _MODES.get(value.strip().lower())
    if mode is None:
        raise UsageError(
            tr(
                f"--mode 只能是 solo（单人）或 pair（双人），而不是 “{value}”",
                f"--mode must be solo or pair, not '{value}'",
            )
        )
    return mode


def _refuse_with(option: str, given: dict[str, bool], allowed: set[str]) -> None:
    clash = [name for name, present in given.items() if present and name not in allowed]
    if clash:
        raise UsageError(
            tr(
                f"{option} 不能与 {'、'.join(clash)} 同时使用",
                f"{option} cannot be combined with {', '.join(clash)}",
            )
        )


def demo(
    ctx: typer.Context,
    scenario: ScenarioArg = None,
    speed: Annotated[
        float,
        typer.Option("--speed", metavar="X", help="播放速度倍数（1 为阅读速度）。Playback speed."),
    ] = 1.0,
) -> None:
    """播放一段示范演练，先看看一次演练是什么样子。Watch an example drill."""
    if not speed > 0:
        raise UsageError(tr("--speed 必须大于 0", "--speed must be greater than 0"))
    from finsim.cli.drill.demo import play_demo

    state = app_context(ctx)
    _exit_with(play_demo(state, state.catalog().resolve(scenario), speed))
