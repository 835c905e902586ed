"""Options that several commands share, declared once with one help text.

A command imports the ``Annotated`` alias and names its parameter; the option's
spelling, metavar and help are the same wherever it appears.
"""

from __future__ import annotations

from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help="班级数据库：SQLite 文件，或机房服务器的 postgresql://用户:密码@主机/库名"
        "（默认：环境变量 FINSIM_DB，否则数据目录下的 finsim.db）。Class database.",
    ),
]
ClassOption = Annotated[
    str | None,
    typer.Option(
        "--class", metavar="ID", help="班级编号（数据库里只有一个班级时可省略）。Class id."
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="替换已有的输出文件。Replace an existing output file."),
]
ForceKeyOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="替换已有密钥（旧密钥签名的记录要用旧公钥核验）。Replace an existing key.",
    ),
]
RubricOption = Annotated[
    str | None,
    typer.Option(
        "--rubric",
        metavar="R",
        help="评分标准：文件路径或自带编号（默认 default；班级命令默认按班级设置）。"
        "Rubric file or shipped id.",
    ),
]
PeerAggOption = Annotated[
    str | None,
    typer.Option(
        "--peer-agg",
        help="互评汇总方式：trimmed_mean 截尾平均（默认）、mean 平均分、median 中位数。"
        "Peer aggregation.",
    ),
]
WeightsOption = Annotated[
    str | None,
    typer.Option(
        "--weights",
        metavar="A,P,T",
        help="自动评分、互评、教师评分三者的权重，如 20,30,50。Weights.",
    ),
]
StepWeightOption = Annotated[
    float | None,
    typer.Option(
        "--step-weight",
        metavar="β",
        help="个人成绩中本人负责步骤所占比重，0–1（默认 0.3）。Step weight.",
    ),
]

__all__ = [
    "ClassOption",
    "DbOption",
    "ForceKeyOption",
    "ForceOption",
    "PeerAggOption",
    "RubricOption",
    "StepWeightOption",
    "WeightsOption",
]
