"""The root ``finsim`` command, its global options, and the one place errors become exit codes."""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ClassVar

import typer
from typer.core import TyperOption
from typer.exceptions import TyperException

from finsim import __version__
from finsim.cli.context import AppContext, app_context, make_context, problem_prefix
from finsim.cli.lazy import LazyCommand, LazyGroup, lazy_group
from finsim.errors import ExitCode, FinsimError, StorageError, UsageError
from finsim.i18n import (
    Language,
    current_language,
    environment_language,
    os_reason,
    parse_language,
    tr,
    using_language,
)

_ARGUMENTS = "finsim.arguments"
"""Where :class:`FinsimGroup` keeps the command line it parsed (``ctx.meta``)."""


class PlainOption(TyperOption):
    """A root option whose value is a string, a path or a flag, converted without pydantic.

    Typer checks every option value with pydantic, even an absent one; for the root's
    options, which every command passes through, importing it would cost
    ``finsim X --help`` more than everything else it does.
    """

    convert: Callable[[Any], Any] = str

    def process_value(self, ctx: Any, value: Any) -> Any:
        """Convert the given value(s) with :attr:`convert`; absent stays ``None``."""
        if self.multiple:
            value = [self.convert(item) for item in value or ()] or None
        elif value is not None:
            value = self.convert(value)
        return self.callback(ctx, self, value) if self.callback is not None else value


def _plain(param: Any, convert: Callable[[Any], Any]) -> Any:
    """Make a Typer option a :class:`PlainOption` converting with ``convert``; return it."""
    if isinstance(param, TyperOption):
        param.__class__ = PlainOption
        param.convert = convert  # type: ignore[attr-defined]
    return param


class FinsimGroup(LazyGroup):
    """Maps every expected error to one message on stderr and its documented exit code."""

    #: the root options converted by :class:`PlainOption`, and how
    plain_options: ClassVar[dict[str, Callable[[Any], Any]]] = {
        "lang": str,
        "scenarios": Path,
        "version": bool,
    }

    def __init__(self, **attrs: Any) -> None:
        """Build the root group; its string and path options skip Typer's pydantic check."""
        super().__init__(**attrs)
        for param in self.params:
            convert = self.plain_options.get(param.name or "")
            if convert is not None:
                _plain(param, convert)

    def get_help_option(self, ctx: Any) -> Any:
        """Return ``--help``, a flag converted without pydantic (it is processed on every run)."""
        return _plain(super().get_help_option(ctx), bool)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Remember the arguments, so that :meth:`invoke` can refuse any that is not UTF-8."""
        ctx.meta.setdefault(_ARGUMENTS, list(args))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        """Run the command; turn errors, Ctrl-C, Ctrl-D and a closed pipe into clean exits."""
        try:
            refuse_undecodable(ctx.meta.get(_ARGUMENTS, []))
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except BaseException as exc:  # noqa: B036 - the one place errors become exit codes
            code = exit_code_for(exc)
            if code is None:
                raise
            raise typer.Exit(code) from None


def exit_code_for(exc: BaseException) -> int | None:
    """Report ``exc`` on stderr (one line each problem) and return its exit code.

    ``None`` for what must propagate (``SystemExit``). Ctrl-C and the end of input
    (Ctrl-D) are interruptions; a reader that went away (``| head``) ends quietly;
    any other failure to read or write is a storage error; text that cannot be
    encoded came from a terminal that is not UTF-8; anything else is a bug, told in
    one line with the traceback saved to a file.
    """
    if isinstance(exc, FinsimError):
        report_error(exc)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt | EOFError):
        _write_stderr(tr("\n已中断。\n", "\nInterrupted.\n"))
        return ExitCode.INTERRUPTED
    if isinstance(exc, BrokenPipeError):
        _silence_stdout()
        return ExitCode.BROKEN_PIPE
    if isinstance(exc, OSError):
        _silence_stdout()
        report_error(StorageError(_os_error_text(exc)))
        return ExitCode.STORAGE
    if isinstance(exc, UnicodeEncodeError) and "surrogate" in str(exc.reason):
        report_error(UsageError(_undecodable_text(exc)))
        return ExitCode.BAD_INPUT
    if isinstance(exc, Exception):
        return _internal_error(exc)
    return None


def _os_error_text(exc: OSError) -> str:
    reason = os_reason(exc)
    if exc.filename is None:  # a stream: almost always standard output redirected to a file
        return tr(
            f"输出失败：{reason}（检查输出所写入的磁盘空间和权限后重试）",
            f"writing the output failed: {reason} (check the disk space and permissions "
            "where it goes, then retry)",
        )
    return tr(
        f"无法读写 {exc.filename}：{reason}（检查路径、磁盘空间和权限后重试）",
        f"cannot read or write {exc.filename}: {reason} (check the path, the disk space "
        "and permissions, then retry)",
    )


def refuse_undecodable(arguments: list[str]) -> None:
    """Refuse, before any work, an argument holding bytes that are not UTF-8 (exit 2).

    Such text (a Latin-1 ``--student`` name) would otherwise reach a file or the
    database half-way through the command.
    """
    for argument in arguments:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(_undecodable_argument(argument)) from None


def _undecodable_text(exc: UnicodeEncodeError) -> str:
    bad = exc.object[exc.start : exc.end] if isinstance(exc.object, str) else ""
    given = next((arg for arg in sys.argv[1:] if bad and bad in arg), "")
    return _undecodable_argument(given)


def _undecodable_argument(given: str) -> str:
    shown = given.encode("utf-8", "backslashreplace").decode("utf-8") if given else ""
    return tr(
        f"参数 “{shown}” 含有不是 UTF-8 的字节；请把终端的编码设为 UTF-8 后重新输入",
        f"the argument '{shown}' holds bytes that are not UTF-8: set the terminal to UTF-8 "
        "and type it again",
    )


def _internal_error(exc: Exception) -> int:
    """Report a bug in one line; save the traceback to a file (or show it: ``FINSIM_DEBUG=1``)."""
    if os.environ.get("FINSIM_DEBUG"):
        traceback.print_exception(exc)
        return ExitCode.INTERNAL
    saved = _save_traceback(exc)
    where = (
        tr(f"详细信息已保存到 {saved}", f"details saved to {saved}")
        if saved
        else tr("设 FINSIM_DEBUG=1 可看详细信息", "set FINSIM_DEBUG=1 for details")
    )
    message = f"{type(exc).__name__}: {exc}".splitlines()[0]
    report_error(
        FinsimError(
            tr(
                f"内部错误（程序缺陷）：{message}；{where}，请把它和所用的命令报告给开发者",
                f"internal error (a bug): {message}; {where}: please report it with the "
                "command you ran",
            )
        )
    )
    return ExitCode.INTERNAL


def _save_traceback(exc: Exception) -> Path | None:
    from datetime import datetime

    from finsim.resources import data_dir

    try:
        folder = data_dir() / "crash"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.txt"
        text = f"finsim {__version__}\nargv: {sys.argv!r}\n\n" + "".join(
            traceback.format_exception(exc)
        )
        path.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError:
        return None
    return path


def _silence_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _write_stderr(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def report_error(exc: FinsimError) -> None:
    """Print an expected error: one line per problem, each prefixed ``finsim: 错误:``."""
    prefix = problem_prefix()
    for line in str(exc).splitlines() or [""]:
        _write_stderr(f"{prefix}{line}\n")


#: The command tree, declared without importing it: ``finsim --help`` lists these,
#: ``finsim X`` imports the module of ``X`` alone.
COMMANDS: tuple[LazyCommand, ...] = (
    LazyCommand(
        "drill",
        "finsim.cli.drill_cmds:drill",
        "开始一次演练：单人对虚拟客户，或两人同机轮流扮演。Run a drill.",
    ),
    LazyCommand(
        "demo",
        "finsim.cli.drill_cmds:demo",
        "播放一段示范演练，先看看一次演练是什么样子。Watch an example drill.",
    ),
    LazyCommand(
        "score",
        "finsim.cli.score_cmds:score",
        "按评分标准给演练记录自动评分，每一分都注明轮次。Score transcripts automatically.",
    ),
    LazyCommand(
        "lesson",
        "finsim.cli.lesson_cmds:lesson",
        "开展一节演练课：各组轮流演练、全班互评、教师评分，生成成绩册与成果展示。Run the lesson.",
    ),
    LazyCommand(
        "rate",
        "finsim.cli.rating_cmds:rate",
        "同学互评：给其他小组的演练打分并点评（不能评本组）。Rate another group's session.",
    ),
    LazyCommand(
        "grade",
        "finsim.cli.rating_cmds:grade",
        "教师评分：参照自动评分与互评汇总填写教师表；可改分（记录在案）。Teacher grading.",
    ),
    LazyCommand(
        "report",
        "finsim.cli.report_cmds:report",
        "成绩册：小组与学生的自动/互评/教师/最终成绩、各项条形图、评分者标记。The grade book.",
    ),
    LazyCommand(
        "replay",
        "finsim.cli.replay_cmds:replay",
        "按原来的节奏回放一次演练，供课堂展示。Replay a saved drill as it happened.",
    ),
    LazyCommand(
        "export",
        "finsim.cli.export_cmds:export",
        "导出演练记录：md / html 供阅读打印，json 供程序处理，cast 为终端录像。Export a drill.",
    ),
    LazyCommand(
        "showcase",
        "finsim.cli.export_cmds:showcase",
        "把选出的几次演练做成一个静态 HTML 页面，用于成果展示。Build a showcase page.",
    ),
    LazyCommand(
        "verify",
        "finsim.cli.verify_cmds:verify",
        "核验演练记录的封印：哪些完好，其余哪里被改动。Verify transcript seals.",
    ),
    LazyCommand(
        "import",
        "finsim.cli.verify_cmds:import_transcripts",
        "核验后导入学生交来的演练记录，登记为小组会话。Verify and import hand-ins.",
    ),
    LazyCommand(
        "rescore",
        "finsim.cli.batch_cmds:rescore_command",
        "按当前版本的识别引擎和评分标准重新评分一份记录，新旧对照。Rescore one transcript.",
    ),
    LazyCommand(
        "scenario",
        "finsim.cli.scenario_cmds:app",
        "场景：列出、查看、校验、导出格式。Scenarios: list, show, validate, schema.",
    ),
    LazyCommand(
        "intent",
        "finsim.cli.intent_cmds:app",
        "意图识别：分类、检查意图库、评测。Intent recognition: classify, check, eval.",
    ),
    LazyCommand(
        "rubric",
        "finsim.cli.score_cmds:rubric_app",
        "评分标准：校验、查看表单。Rubrics: validate, forms.",
    ),
    LazyCommand(
        "class",
        "finsim.cli.class_cmds:app",
        "班级：名单、分组与角色、评分设置、演练会话。Class: roster, groups, settings, sessions.",
    ),
    LazyCommand(
        "batch",
        "finsim.cli.batch_cmds:app",
        "批量处理演练记录：按当前版本的识别引擎和评分标准重新评分。Batch work on transcripts.",
    ),
)


app = typer.Typer(
    cls=lazy_group(FinsimGroup, COMMANDS),
    name="finsim",
    help="金融服务营销情景演练模拟器 — financial-services marketing drill simulator.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"finsim {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="zh|en",
            help="界面语言 zh 或 en（默认读 FINSIM_LANG，否则中文）。Language: zh or en.",
        ),
    ] = None,
    scenarios: Annotated[
        list[Path] | None,
        typer.Option(
            "--scenarios",
            metavar="DIR",
            help="额外的场景目录（可重复；也可用环境变量 FINSIM_SCENARIOS）。"
            "Extra scenario folder (repeatable).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            metavar="",  # a flag takes no value; typer would show "<bool>"
            help="显示版本并退出。Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Set the language and the scenario search path for every command."""
    language = _language_option(lang) if lang is not None else environment_language()
    ctx.obj = make_context(scenarios or [], language)
    # the command speaks this language while it runs; the next invocation starts afresh
    ctx.with_resource(using_language(language))


def _language_option(value: str) -> Language:
    """Check the ``--lang`` value: ``zh`` or ``en``, with an optional region (``zh_CN``)."""
    if value.strip().lower().replace("-", "_").split("_")[0] not in {"zh", "en"}:
        raise typer.BadParameter(
            tr(f"“{value}” 不是可用的语言；可用：zh（中文）、en（英文）", f"'{value}': zh | en"),
            param_hint="--lang",
        )
    return parse_language(value)


def main() -> None:
    """Console-script entry point: every outcome leaves through one documented exit code.

    Usage errors (a wrong option or value) are printed as one line with the command's
    help hint, instead of Typer's framed box; Ctrl-C before a command runs (while
    loading) exits 130.
    """
    try:
        code = app(prog_name="finsim", standalone_mode=False)
    except TyperException as exc:  # Typer's parsing errors (its vendored click's)
        with using_language(_language_of(exc)):
            if type(exc).__name__ == "NoArgsIsHelpError":  # no arguments: the help, as is
                _write_stderr(exc.format_message() + "\n")
            else:
                _write_stderr(problem_prefix() + usage_error_text(exc) + "\n")
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        _write_stderr(tr("\n已中断。\n", "\nInterrupted.\n"))
        code = ExitCode.INTERRUPTED
    raise SystemExit(code if isinstance(code, int) else ExitCode.OK)


def _language_of(exc: TyperException) -> Language:
    """Return the language of the command a usage error belongs to (its context is closed).

    A wrong option of a command comes after the root callback read ``--lang``; an
    error in the root's own options comes before it, and the environment decides.
    """
    ctx = getattr(exc, "ctx", None)
    state = ctx.find_root().obj if ctx is not None else None
    return state.language if isinstance(state, AppContext) else environment_language()


_USAGE_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"^No such option: (\S+)$"),
        "没有这个选项：{0}",
        "no such option: {0}",
    ),
    (re.compile(r"^No such command '(.+)'\.?$"), "没有这个命令：{0}", "no such command: {0}"),
    (re.compile(r"^Missing argument '(.+)'\.?$"), "缺少参数 {0}", "missing argument {0}"),
    (re.compile(r"^Missing option '(.+)'\.?$"), "缺少选项 {0}", "missing option {0}"),
    (
        re.compile(r"^Got unexpected extra arguments? \((.+)\)$"),
        "多余的参数：{0}",
        "unexpected extra argument(s): {0}",
    ),
    (
        re.compile(r"^Invalid value for (.+?): (.+)$", re.S),
        "{0} 的值不对：{1}",
        "invalid value for {0}: {1}",
    ),
    (
        re.compile(r"^Option '(.+)' requires an argument\.?$"),
        "选项 {0} 后面要给一个值",
        "option {0} needs a value",
    ),
)


# Typer checks typed values with pydantic, whose English reasons end up in the message.
_VALUE_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Input should be a valid integer\b.*$"), "应为整数"),
    (re.compile(r"Input should be a valid number\b.*$"), "应为数字"),
    (re.compile(r"Input should be a valid boolean\b.*$"), "应为 true 或 false"),
    (re.compile(r"Input should be greater than or equal to (\S+?)\.?$"), r"不能小于 \1"),
    (re.compile(r"Input should be less than or equal to (\S+?)\.?$"), r"不能大于 \1"),
    (re.compile(r"Input should be greater than (\S+?)\.?$"), r"应大于 \1"),
    (re.compile(r"Input should be less than (\S+?)\.?$"), r"应小于 \1"),
)


def _chinese_reasons(message: str) -> str:
    """Put pydantic's reason for a refused value into Chinese (the Chinese side only)."""
    if current_language() == "en":
        return message
    for pattern, zh in _VALUE_REASONS:
        message = pattern.sub(zh, message)
    return message


def _did_you_mean(names: str) -> str:
    listed = tr("、", ", ").join(name.strip(" '") for name in names.split(","))
    return tr(f"，是不是要用 {listed}？", f" (did you mean: {listed})")


def usage_error_text(exc: TyperException) -> str:
    """Render a usage error as one line in the user's language, with the help hint."""
    message = " ".join(exc.format_message().split())
    suggestion = ""
    found = re.search(r"(?:\s*\(Possible options: (.+?)\)|\.? Did you mean (.+?)\?)$", message)
    if found:
        message = message[: found.start()]
        suggestion = _did_you_mean(found.group(1) or found.group(2))
    message = _chinese_reasons(message)
    for pattern, zh, en in _USAGE_PATTERNS:
        match = pattern.match(message)
        if match:
            parts = [part.strip() for part in match.groups()]
            parts[0] = parts[0].replace("'", "")  # '--out' / '-o' → --out / -o
            message = tr(zh, en).format(*parts)
            break
    message += suggestion
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "finsim"
    return message + tr(f"（用 {command} --help 查看用法）", f" (see {command} --help)")


__all__ = ["app", "app_context", "main"]
