"""``finsim showcase`` and pseudonyms: one static page, names replaced stably, text escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_export_support import HOSTILE_LINE, in_order, play
from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.export.anonymize import Pseudonyms, letters
from finsim.transcript.model import Participant

ZHANG = Participant(id="2024001", name="张三丰", role="manager")
LI = Participant(id="2024002", name="李四海", role="manager")
WANG = Participant(id="2024003", name="王五洲", role="client")


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three drills: 张三丰 twice (once with 王五洲 as the client), 李四海 once."""
    folder = tmp_path_factory.mktemp("showcase")
    return [
        play(
            folder / "a.jsonl",
            "陈老师您好，我是张三丰，城南支行的客户经理。\n/end\n",
            participants=[ZHANG],
            group="第1组",
        ),
        play(folder / "b.jsonl", f"{HOSTILE_LINE}\n/end\n", participants=[LI], group="第2组"),
        play(
            folder / "c.jsonl",
            "M: 陈老师您好，我是客户经理。\nC: 你好，我是王五洲扮演的客户。\n/end\n",
            participants=[ZHANG, WANG],
            group="第1组",
        ),
    ]


def _showcase(runner: CliRunner, paths: list[Path], out: Path, *args: str) -> str:
    result = runner.invoke(app, ["showcase", *map(str, paths), "--out", str(out), *args])
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_showcase_is_one_self_contained_page_of_every_session(
    runner: CliRunner, sessions: list[Path], tmp_path: Path
) -> None:
    page = _showcase(runner, sessions, tmp_path / "show.html", "--title", "2401班 成果展示")
    assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
    assert page.count('<section class="session"') == 3
    assert "<title>2401班 成果展示</title>" in page
    assert not re.search(r"<script|<link|src=|@import|url\(", page, re.IGNORECASE)
    assert in_order(page, ["张三丰，城南支行", "&lt;script&gt;", "王五洲扮演的客户"])
    assert page.count("总分 ") == 3


def test_anonymize_replaces_every_name_and_id_stably(
    runner: CliRunner, sessions: list[Path], tmp_path: Path
) -> None:
    page = _showcase(runner, sessions, tmp_path / "anon.html", "--anonymize")
    for person in (ZHANG, LI, WANG):
        assert person.name not in page and person.id not in page
    assert "学生姓名已用化名代替。" in page
    pseudonyms = set(re.findall(r"学生[A-Z]+", page))
    assert pseudonyms == {"学生A", "学生B", "学生C"}
    zhang_in_a = re.search(r"我是(学生[A-Z])，城南支行", page)
    assert zhang_in_a is not None
    zhang = zhang_in_a.group(1)
    # the same student, the same pseudonym: in the participants of sessions 1 and 3
    sections = page.split('<section class="session"')[1:]
    assert f"{zhang}（客户经理）" in sections[0] and f"{zhang}（客户经理）" in sections[2]
    assert f"{zhang}（客户经理）" not in sections[1]


def test_the_same_key_gives_the_same_page(
    runner: CliRunner, sessions: list[Path], tmp_path: Path
) -> None:
    first = _showcase(runner, sessions, tmp_path / "1.html", "--anonymize", "--key", "2401")
    second = _showcase(runner, sessions, tmp_path / "2.html", "--anonymize", "--key", "2401")
    assert first == second


def test_a_broken_transcript_stops_before_writing(
    runner: CliRunner, sessions: list[Path], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{}\n", encoding="utf-8")
    out = tmp_path / "show.html"
    result = runner.invoke(app, ["showcase", str(sessions[0]), str(broken), "--out", str(out)])
    assert result.exit_code == 2 and str(broken) in result.stderr
    assert not out.exists()


# ── pseudonyms ─────────────────────────────────────────────────────────
def test_letters_count_like_spreadsheet_columns() -> None:
    assert [letters(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_scrub_replaces_names_and_ids_in_text_but_not_single_characters() -> None:
    names = Pseudonyms(b"k", [("2024001", "张三丰"), ("2024002", "王")])
    one, two = names.of("2024001"), names.of("2024002")
    assert names.scrub("张三丰（2024001）向王老师问好") == f"{one}（{one}）向王老师问好"
    assert names.of("", "张三丰") == one and two != one
    assert names.of("nobody") == "某同学"


ids = st.lists(st.from_regex(r"20[0-9]{5}", fullmatch=True), min_size=1, max_size=30, unique=True)


@given(ids, st.randoms(), st.binary(min_size=1, max_size=16))
def test_pseudonyms_are_distinct_and_do_not_depend_on_the_order(
    student_ids: list[str], rng: object, key: bytes
) -> None:
    people = [(i, f"名{i}") for i in student_ids]
    shuffled = list(people)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    a, b = Pseudonyms(key, people), Pseudonyms(key, shuffled)
    assert [a.of(i) for i in student_ids] == [b.of(i) for i in student_ids]
    assert len({a.of(i) for i in student_ids}) == len(student_ids)
    for i in student_ids:
        assert i not in a.scrub(f"我是{i}，名{i}")
