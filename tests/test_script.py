"""Drill scripts: the format, its errors (file:line), and scripted play."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsim.drill import parse_script, run_script
from finsim.drill.script import read_script
from finsim.errors import InputFileError
from finsim.scenario.loader import load_scenario_file
from finsim.transcript import read_transcript

DATA = Path(__file__).parent / "data"
MINIMAL = load_scenario_file(DATA / "minimal.yaml").scenario


def test_format() -> None:
    text = "# comment\n\n您好\nM: 我是小王\nm：全角冒号\nC: 客户说\n  /next  \n/END\n"
    parsed = [(x.kind, x.text, x.line) for x in parse_script(text)]
    assert parsed == [
        ("manager", "您好", 3),
        ("manager", "我是小王", 4),
        ("manager", "全角冒号", 5),
        ("client", "客户说", 6),
        ("next", "", 7),
        ("end", "", 8),
    ]


def test_colon_later_in_a_line_is_just_text() -> None:
    assert parse_script("提醒：明天到期")[0].text == "提醒：明天到期"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("您好\n/quit\n", 2),
        ("您好\n/next now\n", 2),
        ("您好\nM:\n", 2),
        ("您好\nC：  \n", 2),
    ],
)
def test_bad_line_names_file_and_line(text: str, line: int) -> None:
    with pytest.raises(InputFileError) as info:
        parse_script(text, "s.txt")
    assert str(info.value).startswith(f"s.txt:{line}: ")


def test_script_without_manager_lines() -> None:
    with pytest.raises(InputFileError, match="s.txt"):
        parse_script("# nothing\nC: 我是客户\n", "s.txt")


def test_next_past_the_last_step_fails_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    with pytest.raises(InputFileError, match=r"^s.txt:3: "):
        run_script(MINIMAL, "您好\n/next\n/next\n", out_path=out, source="s.txt")
    assert not out.exists()


def test_lines_after_end_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"^s.txt:3: "):
        run_script(MINIMAL, "您好\n/end\n再见\n", out_path=tmp_path / "t.jsonl", source="s.txt")


def test_read_script_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("您好\n再见\n".encode("gbk"))
    with pytest.raises(InputFileError, match=r"gbk.txt:1:1: .*UTF-8"):
        read_script(path)


def test_read_script_strips_bom_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff您好\n".encode())
    assert read_script(path) == "您好\n"
    with pytest.raises(InputFileError):
        read_script(tmp_path / "none.txt")


def test_run_script_writes_a_finished_transcript(tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    seen: list[str] = []
    script_lines = ["您好，我是测试银行的客户经理", "/next", "这是去年的业绩报告，您可以看一下"]
    script_lines += ["那我们今天就帮您办理吧", "/end"]
    outcome = run_script(
        MINIMAL,
        "\n".join(script_lines),
        seed=3,
        out_path=out,
        source="dir/s.txt",
        on_reply=lambda line, reply: seen.append(line),
    )
    assert outcome.decision == "bought" and outcome.product == "deposit"
    transcript = read_transcript(out)
    assert transcript.header.mode == "script" and transcript.header.script == "s.txt"
    assert transcript.end is not None and transcript.end.reason == "finished"
    assert seen == ["", "您好，我是测试银行的客户经理", "", *script_lines[2:4], ""]


def test_script_with_client_lines_is_played_in_pair_mode(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    run_script(MINIMAL, "M: 您好\nC: 你好，什么事？\n", out_path=out)
    transcript = read_transcript(out)
    assert transcript.header.mode == "pair"
    assert [(t.speaker, t.text) for t in transcript.turns()] == [
        ("manager", "您好"),
        ("client", "你好，什么事？"),
    ]


def test_same_script_and_seed_give_the_same_dialogue(tmp_path: Path) -> None:
    script = "您好，我是测试银行的客户经理\n您好\n您好\n/next\n那我们今天就帮您办理吧\n"

    def dialogue(name: str, seed: int) -> list[str]:
        run_script(MINIMAL, script, seed=seed, out_path=tmp_path / name)
        return [t.text for t in read_transcript(tmp_path / name).turns()]

    assert dialogue("a.jsonl", 1) == dialogue("b.jsonl", 1)


def test_on_end_sees_the_ended_session(tmp_path: Path) -> None:
    ended: list[tuple[bool, int]] = []
    run_script(
        MINIMAL,
        "您好，我是测试银行的客户经理\n",
        out_path=tmp_path / "t.jsonl",
        on_end=lambda session: ended.append((session.finished, session.summary().manager_turns)),
    )
    assert ended == [(True, 1)]
