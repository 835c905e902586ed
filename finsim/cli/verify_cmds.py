"""``finsim verify`` (transcript seals), ``finsim import`` (hand-ins), ``finsim class key``.

``verify`` prints one line per file: ``✓`` and the status for a file that
passes, ``✗`` with ``file:line``, the event and what is wrong for one that
does not. Exit codes: 0 when every file passes (``intact`` or ``chained``),
1 when any does not (``incomplete`` passes with ``--allow-incomplete``).

``import`` verifies each hand-in and stores it in the class archive and
database; a refused file is named with the reason on stderr, the others are
still imported, and the exit code is 1 when any file was refused.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from finsim.batch.run import check_roots, find_transcripts
from finsim.classroom.classes import class_settings
from finsim.cli.class_cmds import open_class
from finsim.cli.context import app_context, problem_prefix
from finsim.cli.options import ClassOption, DbOption, ForceKeyOption, RubricOption
from finsim.errors import ExitCode, FinsimError
from finsim.i18n import tr
from finsim.seal.hand_in import import_transcript
from finsim.seal.verify import STATUS_NAMES, Verdict, verify_file
from finsim.transcript.keys import create_key_pair, trusted_key
from finsim.vocabulary import group_zh

KeyOption = Annotated[
    Path | None,
    typer.Option(
        "--key",
        metavar="PUB",
        help="本班公钥 class.pub（默认：数据目录 keys/class.pub）。Class public key.",
    ),
]
AllowIncompleteOption = Annotated[
    bool,
    typer.Option(
        "--allow-incomplete",
        help="也接受中途中断、但已写部分完好的记录。Accept an interrupted, authentic-so-far drill.",
    ),
]


def verify(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="演练记录文件或文件夹。Transcripts or folders."),
    ],
    key: KeyOption = None,
    allow_incomplete: AllowIncompleteOption = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="每个文件输出一行 JSON。One JSON object per file.")
    ] = False,
) -> None:
    """核验演练记录的封印：哪些完好，其余哪里被改动。Verify transcript seals."""
    state = app_context(ctx)
    trusted = trusted_key(key)
    if trusted is None and not as_json:
        state.error_console.print(
            problem_prefix(warning=True)
            + tr(
                "没有本班公钥（--key 或数据目录 keys/class.pub），只能核对哈希链，无法核对签名",
                "no class public key (--key or keys/class.pub in the data directory): only the "
                "hash chain is checked, not the signatures",
            ),
            markup=False,
        )
    failed = 0
    for path in _expand(files):
        verdict = verify_file(path, trusted)
        passes = verdict.ok or (allow_incomplete and verdict.status == "incomplete")
        failed += not passes
        if as_json:
            state.console.print_json(data=_verdict_json(verdict, passes), indent=None)
        else:
            mark = "✓" if passes else "✗"
            label = tr(*STATUS_NAMES[verdict.status])
            text = f"{mark} [{label}] {verdict.describe()}"
            (state.console if passes else state.error_console).print(text, markup=False)
    if failed:
        raise typer.Exit(ExitCode.CHECK_FAILED)


def _expand(files: list[Path]) -> list[Path]:
    """Files as given (a missing one fails on its own line); folders by their transcripts.

    A folder without any transcript is an error: nothing in it could be checked.
    """
    found: list[Path] = []
    for item in files:
        if item.is_dir():
            check_roots([item])
            found.extend(find_transcripts([item]))
        else:
            found.append(item)
    return found


def _verdict_json(verdict: Verdict, passes: bool) -> dict[str, object]:
    data = asdict(verdict)
    data["path"] = str(verdict.path)
    data["passes"] = passes
    return data


def import_transcripts(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="学生交来的演练记录或文件夹。Transcripts handed in, or folders.",
        ),
    ],
    group: Annotated[
        str | None, typer.Option("--group", help="小组（记录里没有写明小组时使用）。Group.")
    ] = None,
    rubric: RubricOption = None,
    key: KeyOption = None,
    allow_incomplete: AllowIncompleteOption = False,
    class_id: ClassOption = None,
    db: DbOption = None,
) -> None:
    """核验后导入学生交来的演练记录，登记为小组会话。Verify and import hand-ins."""
    state = app_context(ctx)
    trusted = trusted_key(key)
    if trusted is None:
        state.error_console.print(
            problem_prefix(warning=True)
            + tr(
                "没有本班公钥：只核对哈希链（证明记录前后一致，不能证明出自本班的 finsim）",
                "no class public key: only the hash chain is checked (it proves internal "
                "consistency, not that the class's finsim wrote the file)",
            ),
            markup=False,
        )
    refused = 0
    with open_class(db, class_id) as (store, info):
        chosen = rubric or class_settings(info).rubric
        loaded = state.rubrics().resolve(chosen)
        for path in _expand(files):
            try:
                done = import_transcript(
                    store,
                    info.id,
                    path,
                    loaded,
                    trusted=trusted,
                    group=group,
                    allow_incomplete=allow_incomplete,
                )
            except FinsimError as error:  # one refused file does not stop the others
                refused += 1
                state.error_console.print(problem_prefix() + str(error), markup=False)
                continue
            s = done.session
            auto = f"{s.auto_total:g}/{s.auto_max:g}" if s.auto_max else "—"
            status = tr(*STATUS_NAMES[done.verdict.status])
            state.console.print(
                tr(
                    f"✓ {path}：{status}；会话 {s.id}（{group_zh(s.group_id)}），自动评分 {auto}；"
                    f"存档于 {done.stored}",
                    f"✓ {path}: {status}; session {s.id} (group {s.group_id}), auto score "
                    f"{auto}; archived as {done.stored}",
                ),
                markup=False,
            )
    if refused:
        raise typer.Exit(ExitCode.CHECK_FAILED)


def class_key(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="PATH",
            help="放密钥的文件夹或 .key 文件名（默认：数据目录 keys/）。Folder or .key file.",
        ),
    ] = None,
    force: ForceKeyOption = False,
) -> None:
    """创建本班签名密钥（Ed25519）：私钥签名演练记录，公钥用于核验。Create the class key."""
    state = app_context(ctx)
    pair = create_key_pair(out, force=force)
    state.console.print(
        tr(
            f"已创建本班密钥 {pair.fingerprint}\n"
            f"  私钥（签名用，妥善保管，只装在实训室电脑上）：{pair.private_path}\n"
            f"  公钥（核验用，可以公开）：{pair.public_path}\n"
            "数据目录里有私钥的 finsim 会给写出的每份演练记录签名；"
            "在其他电脑上可用环境变量 FINSIM_CLASS_KEY 指向私钥。",
            f"Created the class key {pair.fingerprint}\n"
            f"  private (signs; keep it safe, install it on lab machines only): "
            f"{pair.private_path}\n"
            f"  public (verifies; may be shared): {pair.public_path}\n"
            "A finsim whose data directory holds the private key signs every transcript it "
            "writes; elsewhere point FINSIM_CLASS_KEY at the private key.",
        ),
        markup=False,
    )
