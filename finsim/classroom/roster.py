"""Reading a class roster from CSV or Excel.

Accepted headers (any order, case and spaces ignored): 学号 / id / student id,
姓名 / name, and optionally 邮箱 / email. CSV files may be UTF-8 (with or
without BOM) or GBK/GB18030 as saved by a Chinese Excel; ``.xlsx`` is read with
openpyxl (first sheet). Every bad row is reported as ``file:line: problem``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from finsim.errors import InputFileError, Location, ValidationFailed
from finsim.i18n import os_reason, tr
from finsim.reading import read_bytes
from finsim.store import Student

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("学号", "id", "studentid", "学生编号", "编号", "idnumber", "sisuserid"),
    "name": ("姓名", "name", "studentname", "名字", "student", "fullname"),
    "email": ("邮箱", "email", "e-mail", "电子邮箱", "电子邮件", "邮件", "emailaddress"),
    "group": ("组", "小组", "组别", "组号", "group", "groupid", "team"),
    "role": ("角色", "role"),
    "steps": ("步骤", "环节", "step", "steps"),
}

MAX_ROWS = 2000
"""A roster longer than this is surely the wrong file."""

Row = tuple[int, list[str]]
"""A data row: its 1-based line (CSV) or row number (Excel), and its cells as text."""


def normalise_header(cell: str) -> str:
    """Lower-case a header cell and drop spaces, underscores and a trailing colon."""
    text = cell.strip().lower().replace(" ", "").replace("_", "").replace("\u3000", "")
    return text.rstrip(":：")


def cell_text(value: Any) -> str:
    """Text of a spreadsheet cell: ``2023001.0`` becomes ``2023001``; ``None`` becomes ``''``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decode_csv(path: Path, data: bytes) -> str:
    """Decode a CSV file: UTF-8 (BOM or not), else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as error:  # marked UTF-8, yet not: cut or mixed encodings
            line = data[: error.start + 3].count(b"\n") + 1
            message = tr(
                "文件标明是 UTF-8，这一行却有不是 UTF-8 的字节（文件可能被截断或混用了编码）；"
                "请在 Excel 中“另存为 CSV UTF-8”后重试",
                "the file says it is UTF-8 but this line has bytes that are not (cut short or "
                "mixed encodings): save it from Excel as 'CSV UTF-8' and retry",
            )
            raise InputFileError(message, _loc(path, line)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError(
        tr(
            "无法识别文件编码；请在 Excel 中“另存为 CSV UTF-8”后重试",
            "cannot tell the file's encoding: save it from Excel as 'CSV UTF-8' and retry",
        ),
        _loc(path),
    )


def read_table(path: Path) -> tuple[list[str], list[Row]]:
    """Read the header and data rows of a CSV or ``.xlsx`` file."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputFileError(
            tr(
                "不支持旧版 .xls 文件；请在 Excel 或 WPS 中另存为 .xlsx 或 CSV",
                "old .xls files are not supported: save as .xlsx or CSV in Excel or WPS",
            ),
            _loc(path),
        )
    rows = list(_xlsx_rows(path) if suffix in {".xlsx", ".xlsm"} else _csv_rows(path))
    rows = [(line, cells) for line, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise InputFileError(tr("文件是空的", "the file is empty"), _loc(path))
    if len(rows) > MAX_ROWS:
        raise InputFileError(
            tr(
                f"有 {len(rows)} 行，超过 {MAX_ROWS} 行，不像是一个班的名单；请确认选对了文件",
                f"{len(rows)} rows, more than {MAX_ROWS}: not one class's roster; check that "
                "this is the right file",
            ),
            _loc(path),
        )
    return rows[0][1], rows[1:]


def _loc(path: Path, line: int | None = None) -> Location:
    return Location(path, line)


def _csv_rows(path: Path) -> Iterator[Row]:
    try:
        data = read_bytes(path)
    except OSError as exc:
        message = tr(f"无法读取：{os_reason(exc)}", f"cannot read: {exc.strerror}")
        raise InputFileError(message, _loc(path)) from None
    text = decode_csv(path, data)
    first = text.splitlines()[0] if text else ""
    delimiter = max(",\t;，", key=first.count) if first else ","
    if delimiter == "，":  # a full-width comma is not a CSV delimiter csv can use
        text, delimiter = text.replace("，", ","), ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        ended = 0
        for cells in reader:  # a row starts on the line after the one where the last ended
            yield ended + 1, [c.strip() for c in cells]
            ended = reader.line_num
    except csv.Error as exc:
        raise InputFileError(str(exc), _loc(path, reader.line_num)) from None


def _xlsx_rows(path: Path) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        data = read_bytes(path)
    except OSError as exc:
        message = tr(f"无法读取：{os_reason(exc)}", f"cannot read: {exc.strerror}")
        raise InputFileError(message, _loc(path)) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        message = tr(
            f"无法作为 Excel 文件读取（{exc}）；请在 Excel 或 WPS 中打开后另存为 .xlsx，"
            "若它其实是 CSV 文件，请把扩展名改为 .csv",
            f"cannot read it as an Excel file ({exc}): save it again as .xlsx in Excel or "
            "WPS, or, if it is really a CSV file, rename it to .csv",
        )
        raise InputFileError(message, _loc(path)) from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(v) for v in values]
    finally:
        book.close()


def map_columns(path: Path, header: Sequence[str], required: Sequence[str]) -> dict[str, int]:
    """Find each known column in ``header``; fail naming the missing required ones."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = normalise_header(cell)
        for field, aliases in HEADER_ALIASES.items():
            if key in aliases and field not in found:
                found[field] = index
    missing = [field for field in required if field not in found]
    if missing:
        names = "、".join("/".join(HEADER_ALIASES[f][:2]) for f in missing)
        raise InputFileError(
            tr(
                f"表头缺少 {names} 列（第一行应为列名，如：学号,姓名,邮箱）",
                f"the header lacks the column(s) {names} (the first row names the columns, "
                "e.g. id,name,email)",
            ),
            _loc(path, 1),
        )
    return found


def read_roster(path: Path) -> list[Student]:
    """Read a roster; every problem (missing id or name, duplicate id, bad email) at once."""
    header, rows = read_table(path)
    columns = map_columns(path, header, ("id", "name"))
    students: list[Student] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for line, cells in rows:
        student_id, name, email = (
            cells[columns[f]].strip() if f in columns and columns[f] < len(cells) else ""
            for f in ("id", "name", "email")
        )
        problem = _row_problem(student_id, name, email, first_line)
        if problem:
            problems.append(f"{path}:{line}: {problem}")
            continue
        first_line[student_id] = line
        students.append(Student(student_id, name, email))
    if problems:
        raise ValidationFailed(problems)
    if not students:
        raise InputFileError(tr("名单里没有学生", "the roster lists no students"), _loc(path))
    return students


def quote_problem(cells: Sequence[str]) -> str:
    """Name a cell that runs over a line break: an opening quote never closed, in a CSV."""
    for cell in cells:
        if "\n" in cell or "\r" in cell:
            start = cell.splitlines()[0] if cell.strip() else ""
            return tr(
                f"引号没有配对：从 “{start[:20]}” 起，后面几行都并进了这一格；"
                "请删掉多余的引号（或补上后引号）",
                f"an unmatched quote: from '{start[:20]}' on, the lines below ran into this "
                "cell; remove the stray quote (or close it)",
            )
    return ""


def _row_problem(student_id: str, name: str, email: str, seen: dict[str, int]) -> str:
    problem = quote_problem((student_id, name, email))
    if problem:
        return problem
    if not student_id:
        return tr("缺少学号", "no student id")
    if not name:
        return tr(f"学号 {student_id} 缺少姓名", f"student {student_id} has no name")
    if student_id in seen:
        return tr(
            f"学号 {student_id} 与第 {seen[student_id]} 行重复",
            f"student id {student_id} repeats line {seen[student_id]}",
        )
    if email and ("@" not in email or " " in email):
        return tr(f"邮箱 “{email}” 格式不对", f"email '{email}' is not an address")
    return ""
