"""Exports of the grade book: CSV (generic, Moodle, Canvas), Excel, JSON and HTML.

Every export is written atomically (:func:`finsim.atomic.write_atomic`), so a
reader never sees half a file and a crash leaves the old file intact.
Missing scores are empty cells (``null`` in JSON, “—” in HTML), never zero.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from finsim.atomic import write_atomic
from finsim.classroom.gradebook import GRADEBOOK_SCHEMA, GradeBook, GroupGrade
from finsim.classroom.settings import aggregation_name
from finsim.errors import UsageError
from finsim.i18n import current_language, tr
from finsim.vocabulary import role_name

CsvStyle = Literal["generic", "moodle", "canvas"]
ExportFormat = Literal["csv", "xlsx", "json", "html"]

FLAG_TEXT: dict[str, tuple[str, str]] = {
    "no_session": ("无演练记录", "no session"),
    "no_auto": ("无自动评分", "no auto score"),
    "no_peer": ("无互评", "no peer ratings"),
    "no_teacher": ("无教师评分", "no teacher grade"),
    "override": ("教师改分", "overridden"),
    "flat": ("评分无区分", "flat rater"),
    "outlier": ("偏离共识", "far from consensus"),
    "no_group": ("未分组", "no group"),
}


def flag_text(flags: Sequence[str]) -> str:
    """Return flags in the user's language, separated by ``；`` (``; `` in English)."""
    return tr("；", "; ").join(tr(*FLAG_TEXT[f]) if f in FLAG_TEXT else f for f in flags)


def parts_text(parts: str) -> str:
    """Say the parts a student played (``manager:1,2; client:3``) in the user's language.

    Chinese: ``客户经理 1,2；客户 3`` (``*``: 全部); English keeps the stored form.
    """
    if not parts or current_language() == "en":
        return parts
    said = []
    for part in parts.split("; "):
        role, _, steps = part.partition(":")
        steps = "全部" if steps == "*" else steps
        said.append(f"{role_name(role) if role in ('manager', 'client') else role} {steps}")
    return "；".join(said)


def headers(*pairs: tuple[str, str]) -> list[Any]:
    """Return column headers in the user's language from (Chinese, English) pairs."""
    return [tr(zh, en) for zh, en in pairs]


def num(value: float | None) -> float | None:
    """Return a score rounded to two decimals (``None`` stays missing)."""
    return None if value is None else round(value, 2)


# CSV ---------------------------------------------------------------------------


def csv_rows(book: GradeBook, style: CsvStyle) -> list[list[Any]]:
    """Return the CSV table (header first) in the layout of ``style`` (see docs/grading.md)."""
    by_group = {g.group_id: g for g in book.groups}
    if style == "canvas":
        rows: list[list[Any]] = [
            ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "finsim"]
        ]
        rows.append(["Points Possible", "", "", "", "", 100])
        rows += [
            [s.name, "", s.student_id, "", s.group_id or "", num(s.final)] for s in book.students
        ]
        return rows
    if style == "moodle":
        rows = [
            ["ID number", "Email address", "Full name", "Group", "finsim final", "finsim group"]
        ]
        rows += [
            [s.student_id, s.email, s.name, s.group_id or "", num(s.final), num(s.group_score)]
            for s in book.students
        ]
        return rows
    rows = [
        [
            "student_id",
            "name",
            "email",
            "group",
            "parts",
            "auto",
            "peer",
            "teacher",
            "group_score",
            "steps_score",
            "final",
            "rated",
            "can_rate",
            "flags",
        ]
    ]
    for s in book.students:
        g = by_group.get(s.group_id or "")
        rows.append(
            [
                s.student_id,
                s.name,
                s.email,
                s.group_id or "",
                s.parts,
                num(g.auto) if g else None,
                num(g.peer) if g else None,
                num(g.teacher) if g else None,
                num(s.group_score),
                num(s.steps_score),
                num(s.final),
                s.rated,
                s.can_rate,
                ",".join(s.flags),
            ]
        )
    return rows


def render_csv(book: GradeBook, style: CsvStyle = "generic") -> bytes:
    """Return CSV bytes: UTF-8 with BOM for ``generic`` (so Excel shows Chinese), else plain."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in csv_rows(book, style):
        writer.writerow(["" if cell is None else cell for cell in row])
    prefix = "\ufeff" if style == "generic" else ""
    return (prefix + buffer.getvalue()).encode("utf-8")


# JSON --------------------------------------------------------------------------


def to_json(book: GradeBook) -> dict[str, Any]:
    """Return the grade book as a JSON-ready dict stamped with schema and program version."""
    data = dataclasses.asdict(book)
    data["settings"] = book.settings.to_store()
    return {"schema": GRADEBOOK_SCHEMA, **data}


def render_json(book: GradeBook) -> bytes:
    """Return the grade book as indented UTF-8 JSON."""
    return (json.dumps(to_json(book), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# Excel -------------------------------------------------------------------------


def render_xlsx(book: GradeBook) -> bytes:
    """Return an ``.xlsx`` workbook: students, groups, criteria, raters, comments, about."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheets = _xlsx_tables(book)
    first = True
    for title, rows in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = title
        for row in rows:
            sheet.append([_xlsx_value(value) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    workbook.properties.creator = f"finsim {book.program_version}"
    workbook.properties.title = tr(f"{book.class_name} 成绩册", f"{book.class_name} grade book")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    """Return a value Excel accepts: control characters in text become U+FFFD."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def _xlsx_tables(book: GradeBook) -> list[tuple[str, list[list[Any]]]]:
    students = csv_rows(book, "generic")
    students[0] = headers(
        ("学号", "Student ID"),
        ("姓名", "Name"),
        ("邮箱", "Email"),
        ("小组", "Group"),
        ("角色", "Parts"),
        ("自动评分", "Auto"),
        ("互评", "Peer"),
        ("教师评分", "Teacher"),
        ("小组成绩", "Group score"),
        ("本人步骤得分", "Steps score"),
        ("最终成绩", "Final"),
        ("已评组数", "Rated"),
        ("应评组数", "To rate"),
        ("标记", "Flags"),
    )
    for row in students[1:]:
        row[-1] = flag_text([f for f in str(row[-1]).split(",") if f])
    groups: list[list[Any]] = [
        headers(
            ("小组", "Group"),
            ("会话", "Session"),
            ("自动评分", "Auto"),
            ("互评", "Peer"),
            ("互评人数", "Peer raters"),
            ("教师评分", "Teacher"),
            ("计算成绩", "Computed"),
            ("改分", "Override"),
            ("改分理由", "Reason"),
            ("最终成绩", "Final"),
            ("标记", "Flags"),
        )
    ]
    criteria: list[list[Any]] = [
        headers(
            ("小组", "Group"),
            ("项目", "Item"),
            ("满分", "Max"),
            ("互评 %", "Peer %"),
            ("教师 %", "Teacher %"),
        )
    ]
    comments: list[list[Any]] = [
        headers(("小组", "Group"), ("评分人", "Rater"), ("表单", "Form"), ("点评", "Comment"))
    ]
    for g in book.groups:
        o = g.override
        groups.append(
            [
                g.group_id,
                g.session_id,
                num(g.auto),
                num(g.peer),
                g.peer_raters,
                num(g.teacher),
                num(g.computed),
                o.points if o else None,
                o.reason if o else "",
                num(g.final),
                flag_text(g.flags),
            ]
        )
        criteria += [
            [g.group_id, c.label, c.max_points, num(c.peer), num(c.teacher)] for c in g.criteria
        ]
        comments += [[g.group_id, c.rater_id, c.form, c.text] for c in g.comments]
    raters: list[list[Any]] = [
        headers(
            ("评分人", "Rater"),
            ("评组数", "Sessions"),
            ("平均分", "Mean"),
            ("留一偏差", "Leave-one-out distance"),
            ("标记", "Flags"),
        )
    ]
    raters += [
        [r.rater_id, r.sessions, num(r.mean), num(r.distance), flag_text(r.flags)]
        for r in book.raters
    ]
    return [
        (tr("学生成绩", "Students"), students),
        (tr("小组成绩", "Groups"), groups),
        (tr("评分项目", "Criteria"), criteria),
        (tr("评分者", "Raters"), raters),
        (tr("点评", "Comments"), comments),
        (tr("说明", "About"), _about_rows(book)),
    ]


def _about_rows(book: GradeBook) -> list[list[Any]]:
    a, s = book.agreement, book.settings
    return [
        [tr("项目", "Item"), tr("值", "Value")],
        [tr("班级", "Class"), tr("{}（{}）", "{} ({})").format(book.class_name, book.class_id)],
        [tr("生成时间", "Generated"), book.generated_at],
        [tr("程序版本", "Program"), f"finsim {book.program_version}"],
        [tr("互评汇总方式", "Peer aggregation"), aggregation_name(s.peer_aggregation)],
        [
            tr("权重 自动/互评/教师", "Weights auto/peer/teacher"),
            f"{s.weights.auto:g}/{s.weights.peer:g}/{s.weights.teacher:g}",
        ],
        [tr("个人步骤权重 β", "Step weight β"), s.step_weight],
        ["Krippendorff α (totals)", num(a.alpha_totals)],
        ["Krippendorff α (items)", num(a.alpha_items)],
        ["Pearson r (auto, teacher)", num(a.auto_teacher_pearson)],
        ["Spearman ρ (auto, teacher)", num(a.auto_teacher_spearman)],
    ]


# HTML --------------------------------------------------------------------------

_CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em}
th{background:#f3f3f3}td.n{text-align:right}.miss{color:#999}
.bar{background:#eee;width:240px;height:.9em;display:inline-block;vertical-align:middle}
.bar span{display:block;height:100%}.p{background:#4c78a8}.t{background:#f58518}
.flag{color:#b00}section{margin-bottom:2em}
"""


def _cell(value: float | None) -> str:
    return '<td class="n miss">—</td>' if value is None else f'<td class="n">{value:.1f}</td>'


def _bar(value: float | None, css: str) -> str:
    if value is None:
        return '<span class="miss">—</span>'
    width = max(0.0, min(100.0, value))
    inner = f'<span class="{css}" style="width:{width:.1f}%"></span>'
    return f'<span class="bar">{inner}</span> {value:.0f}%'


def _group_section(g: GroupGrade) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(c.label)}</td><td class='n'>{c.max_points:g}</td>"
        f"<td>{_bar(c.peer, 'p')}</td><td>{_bar(c.teacher, 't')}</td></tr>"
        for c in g.criteria
    )
    comments = "".join(
        f"<li><b>{e(c.rater_id)}</b>（{e(c.form)}）：{e(c.text)}</li>" for c in g.comments
    )
    override = ""
    if g.override:
        label = e(tr("教师改分", "Override"))
        override = f"<p class='flag'>{label}：{g.override.points:g}（{e(g.override.reason)}）</p>"
    return (
        f"<section><h3>{e(tr('小组', 'Group'))} {e(g.group_id)}</h3>{override}"
        f"<table><tr><th>{e(tr('评分项目', 'Criterion'))}</th><th>{e(tr('满分', 'Max'))}</th>"
        f"<th>{e(tr('互评', 'Peer'))}</th><th>{e(tr('教师', 'Teacher'))}</th></tr>{rows}</table>"
        f"<h4>{e(tr('点评', 'Comments'))}</h4>"
        f"<ul>{comments or '<li class=miss>—</li>'}</ul></section>"
    )


def render_html(book: GradeBook) -> bytes:
    """Return a self-contained HTML report (inline CSS bars, no external assets)."""
    e = html.escape
    heads = headers(
        ("小组", "Group"),
        ("自动", "Auto"),
        ("互评", "Peer"),
        ("教师", "Teacher"),
        ("最终", "Final"),
        ("标记", "Flags"),
    )
    group_rows = "".join(
        f"<tr><td>{e(g.group_id)}</td>{_cell(g.auto)}{_cell(g.peer)}{_cell(g.teacher)}"
        f"{_cell(g.final)}<td class='flag'>{e(flag_text(g.flags))}</td></tr>"
        for g in book.groups
    )
    student_heads = headers(
        ("学号", "ID"),
        ("姓名", "Name"),
        ("小组", "Group"),
        ("角色", "Parts"),
        ("小组成绩", "Group"),
        ("步骤得分", "Steps"),
        ("最终", "Final"),
        ("标记", "Flags"),
    )
    student_rows = "".join(
        f"<tr><td>{e(s.student_id)}</td><td>{e(s.name)}</td><td>{e(s.group_id or '—')}</td>"
        f"<td>{e(parts_text(s.parts))}</td>{_cell(s.group_score)}{_cell(s.steps_score)}{_cell(s.final)}"
        f"<td class='flag'>{e(flag_text(s.flags))}</td></tr>"
        for s in book.students
    )
    about = "".join(
        f"<tr><td>{e(str(k))}</td><td>{e('—' if v is None else str(v))}</td></tr>"
        for k, v in _about_rows(book)[1:]
    )
    title = e(tr(f"{book.class_name} 课堂成绩册", f"{book.class_name} grade book"))
    page = (
        f"<!DOCTYPE html><html lang='{e(tr('zh-CN', 'en'))}'><head><meta charset='utf-8'>"
        f"<meta name='generator' content='finsim {e(book.program_version)}'>"
        f"<title>{title}</title><style>{_CSS}</style></head><body><h1>{title}</h1>"
        f"<h2>{e(tr('小组', 'Groups'))}</h2>"
        f"<table><tr>{''.join(f'<th>{e(h)}</th>' for h in heads)}</tr>"
        f"{group_rows}</table>{''.join(_group_section(g) for g in book.groups)}"
        f"<h2>{e(tr('学生', 'Students'))}</h2><table><tr>"
        f"{''.join(f'<th>{e(h)}</th>' for h in student_heads)}</tr>{student_rows}</table>"
        f"<h2>{e(tr('说明', 'About'))}</h2><table>{about}</table></body></html>\n"
    )
    return page.encode("utf-8")


def export(book: GradeBook, fmt: str, out: Path, csv_style: CsvStyle = "generic") -> None:
    """Write the grade book to ``out`` in ``fmt`` (csv, xlsx, json or html), atomically."""
    renderers: dict[str, Callable[[], bytes]] = {
        "csv": lambda: render_csv(book, csv_style),
        "xlsx": lambda: render_xlsx(book),
        "json": lambda: render_json(book),
        "html": lambda: render_html(book),
    }
    if fmt not in renderers:
        raise UsageError(
            tr(
                f"不支持的格式：{fmt}（csv、xlsx、json、html）",
                f"unknown format {fmt}: csv, xlsx, json, html",
            )
        )
    write_atomic(out, renderers[fmt](), make_parents=True)
