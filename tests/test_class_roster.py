"""Rosters (CSV in UTF-8, UTF-8 with BOM, GBK; xlsx) and groups files."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from finsim.classroom.groups import assign_groups, default_roles, group_sizes, read_groups
from finsim.classroom.roster import read_roster
from finsim.cli.app import app
from finsim.errors import InputFileError, UsageError, ValidationFailed
from finsim.store import Member, Student

ROWS = "学号,姓名,邮箱\n2024001,张三,z@x.cn\n2024002,李四,\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_every_encoding_excel_writes(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(ROWS.encode(encoding))
    assert read_roster(path) == [
        Student("2024001", "张三", "z@x.cn"),
        Student("2024002", "李四", ""),
    ]


def test_english_headers_any_order_and_tabs(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("Email\tName\tStudent ID\nw@x.cn\tWang Wu\tA7\n", encoding="utf-8")
    assert read_roster(path) == [Student("A7", "Wang Wu", "w@x.cn")]


def test_xlsx_roster_with_numeric_ids(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["学号", "姓名"])
    sheet.append([2024001, "赵六"])
    sheet.append([None, None])
    sheet.append(["2024002", "钱七"])
    book.save(tmp_path / "r.xlsx")
    assert [s.student_id for s in read_roster(tmp_path / "r.xlsx")] == ["2024001", "2024002"]


def test_bad_rows_are_all_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "学号,姓名,邮箱\n1,甲,\n,乙,\n2,,\n1,丙,\n3,丁,not-an-email\n", encoding="utf-8"
    )
    with pytest.raises(ValidationFailed) as caught:
        read_roster(path)
    assert caught.value.problems == [
        f"{path}:3: 缺少学号",
        f"{path}:4: 学号 2 缺少姓名",
        f"{path}:5: 学号 1 与第 2 行重复",
        f"{path}:6: 邮箱 “not-an-email” 格式不对",
    ]


def test_missing_header_and_old_excel(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("编号\n1\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="r.csv:1: 表头缺少 姓名/name"):
        read_roster(tmp_path / "r.csv")
    (tmp_path / "r.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputFileError, match="另存为 .xlsx"):
        read_roster(tmp_path / "r.xls")


def test_group_sizes_and_assignment() -> None:
    assert group_sizes(30, 10) == [10, 10, 10]
    assert group_sizes(25, 10) == [9, 8, 8]
    with pytest.raises(UsageError):
        group_sizes(30, 11)
    students = [Student(str(i), f"s{i}") for i in range(30)]
    once = assign_groups(students, 10, seed=3)
    assert once == assign_groups(students, 10, seed=3)
    assert sorted(sum(once.values(), [])) == sorted(s.student_id for s in students)
    dealt = assign_groups(students, 10, method="balanced")
    assert dealt["G1"][:3] == ["0", "3", "6"]


def test_default_roles_give_ten_students_one_part_each() -> None:
    members = default_roles("G1", [str(i) for i in range(10)])
    assert [(m.student_id, m.role, m.steps) for m in members][:6] == [
        ("0", "manager", ("1",)),
        ("1", "manager", ("2",)),
        ("2", "manager", ("3",)),
        ("3", "manager", ("4",)),
        ("4", "manager", ("5",)),
        ("5", "client", ("1",)),
    ]
    small = default_roles("G2", ["a", "b", "c"])
    assert Member("G2", "a", "manager", ("1", "4")) in small  # fewer than ten: some play two parts


def test_groups_file_with_swaps_and_errors(tmp_path: Path) -> None:
    roster = [Student(f"s{i}", f"学生{i}") for i in range(12)]
    good = tmp_path / "g.csv"
    good.write_text(
        "组,学号,角色,步骤\nA,s0,客户经理,1、2\nA,s0,客户,3\nA,s1,client,1;2\nA,s2,,\n",
        encoding="utf-8",
    )
    members = read_groups(good, roster)
    assert Member("A", "s0", "manager", ("1", "2")) in members
    assert Member("A", "s0", "client", ("3",)) in members  # a swap: manager of 1–2, client of 3
    assert Member("A", "s2", "client", ()) in members
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "group,id,role,step\nA,s0,boss,1\nA,zz,manager,1\nB,s0,,\nA,s3,manager,9\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        read_groups(bad, roster)
    text = "\n".join(caught.value.problems)
    assert f"{bad}:2: 角色 “boss” 不认识" in text
    assert f"{bad}:3: 学号 zz 不在班级名单中" in text
    assert f"{bad}:5: 步骤 9 不存在" in text
    big = tmp_path / "big.csv"
    big.write_text("组,学号\n" + "".join(f"A,s{i}\n" for i in range(12)), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="每组最多 10 人"):
        read_groups(big, roster)


def test_class_init_and_groups_cli(tmp_path: Path, runner: CliRunner) -> None:
    roster = tmp_path / "一班.csv"
    roster.write_bytes(
        ("学号,姓名\n" + "".join(f"{i},学生{i}\n" for i in range(1, 21))).encode("gbk")
    )
    db = ["--db", str(tmp_path / "c.db")]
    first = runner.invoke(app, ["class", "init", str(roster), *db])
    assert first.exit_code == 0 and "新增 20 名学生" in first.stdout
    again = runner.invoke(app, ["class", "init", str(roster), *db])
    assert again.exit_code == 2 and "--update" in again.stderr
    assert runner.invoke(app, ["class", "init", str(roster), "--update", *db]).exit_code == 0
    groups = runner.invoke(app, ["class", "groups", "--size", "10", "--seed", "1", *db])
    assert groups.exit_code == 0 and "G2" in groups.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("学号,姓名\n1,\n", encoding="utf-8")
    result = runner.invoke(app, ["class", "init", str(bad), "--class", "x", *db])
    assert result.exit_code == 2 and f"{bad}:2: 学号 1 缺少姓名" in result.stderr
    ambiguous = runner.invoke(app, ["class", "show", *db])
    assert ambiguous.exit_code == 0  # class x was not created: the bad roster changed nothing
