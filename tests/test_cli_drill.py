"""``finsim drill`` and ``finsim demo`` through the real CLI (typer's CliRunner: no terminal)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.cli.drill.menus import DrillChoices, ask_choices
from finsim.cli.drill.roles import parse_roles, participants_for, player
from finsim.errors import UsageError
from finsim.scenario import ScenarioCatalog, load_scenario_file
from finsim.transcript import read_transcript

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "minimal.yaml"

CAREFUL = """\
# a short careful manager
您好，我是测试银行的客户经理
您现在手上有理财产品吗？
/next
那我们今天就帮您办理吧
/end
"""


def run(runner: CliRunner, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def transcripts(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "transcripts").glob("*.jsonl"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "finsim-data"  # set by the shared clean_env fixture


# ── help ─────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("command", ["drill", "demo"])
def test_help(runner: CliRunner, command: str) -> None:
    code, out, _ = run(runner, command, "--help")
    assert code == 0
    assert "SCENARIO" in out


def test_drill_help_lists_every_option(runner: CliRunner) -> None:
    _, out, _ = run(runner, "drill", "--help")
    for option in ("--mode", "--time", "--overtime", "--student", "--group", "--roles", "--seed"):
        assert option in out
    for option in ("--out", "--resume", "--script", "--menu"):
        assert option in out


# ── scripted play ────────────────────────────────────────────────────────


def test_script_writes_a_transcript(runner: CliRunner, tmp_path: Path) -> None:
    script = tmp_path / "careful.txt"
    script.write_text(CAREFUL, encoding="utf-8")
    out_file = tmp_path / "t.jsonl"
    code, out, err = run(
        runner, "drill", str(MINIMAL), "--script", str(script), "--out", str(out_file),
        "--seed", "4", "--student", "张三", "--group", "第一组",
    )  # fmt: skip
    assert code == 0, err
    assert "演练小结" in out and "客户决定" in out and str(out_file) in out
    assert "我有笔定期下周到期" in out  # the client's reply, printed as it goes
    transcript = read_transcript(out_file)
    assert transcript.header.mode == "script" and transcript.header.seed == 4
    assert transcript.header.group == "第一组"
    assert [p.name for p in transcript.header.participants] == ["张三"]
    assert transcript.end is not None and transcript.end.reason == "finished"
    managers = [t.text for t in transcript.turns() if t.speaker == "manager"]
    assert managers == [
        "您好，我是测试银行的客户经理",
        "您现在手上有理财产品吗？",
        "那我们今天就帮您办理吧",
    ]


def test_script_same_seed_same_transcript_text(runner: CliRunner, tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text(CAREFUL, encoding="utf-8")
    texts = []
    for name in ("a", "b"):
        out_file = tmp_path / f"{name}.jsonl"
        code, _, _ = run(
            runner, "drill", str(MINIMAL), "--script", str(script), "--out", str(out_file)
        )
        assert code == 0
        texts.append([t.text for t in read_transcript(out_file).turns()])
    assert texts[0] == texts[1]


def test_bad_script_names_file_and_line(runner: CliRunner, tmp_path: Path, data_dir: Path) -> None:
    script = tmp_path / "bad.txt"
    script.write_text("您好\n\n/jump\n", encoding="utf-8")
    code, _, err = run(runner, "drill", str(MINIMAL), "--script", str(script))
    assert code == 2
    assert f"{script}:3" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not transcripts(data_dir)  # nothing written for a script that does not parse


def test_missing_script_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "drill", str(MINIMAL), "--script", str(tmp_path / "none.txt"))
    assert code == 2
    assert "none.txt" in err and "Traceback" not in err


# ── interactive play without a terminal (plain lines) ────────────────────


def test_interactive_quit_saves_the_transcript(runner: CliRunner, data_dir: Path) -> None:
    lines = "您好，我是测试银行的客户经理\n您现在手上有理财产品吗？\n/facts\n/quit\ny\n"
    code, out, err = run(
        runner, "drill", str(MINIMAL), "--seed", "2", "--student", "王五", input=lines
    )
    assert code == 0, err
    assert "客户卡片" in out and "资金到期" in out
    assert "演练小结" in out and "提前退出" in out
    [path] = transcripts(data_dir)
    transcript = read_transcript(path)
    assert transcript.end is not None and transcript.end.reason == "quit"
    assert transcript.header.participants[0].name == "王五"
    assert transcript.header.time_limit_s == 300


def test_eof_interrupts_then_resume_continues(runner: CliRunner, data_dir: Path) -> None:
    code, out, _ = run(runner, "drill", str(MINIMAL), "--seed", "2", input="您好，我是客户经理\n")
    assert code == 130
    assert "--resume" in out
    [path] = transcripts(data_dir)
    assert read_transcript(path).interrupted

    code, out, err = run(
        runner, "drill", "--resume", str(path), input="您现在手上有理财产品吗？\n/end\ny\n"
    )
    assert code == 0, err
    assert "继续上次中断的演练" in out
    transcript = read_transcript(path)
    assert transcript.end is not None and transcript.end.reason == "finished"
    assert any(e.type == "resume" for e in transcript.events)
    managers = [t.text for t in transcript.turns() if t.speaker == "manager"]
    assert managers == ["您好，我是客户经理", "您现在手上有理财产品吗？"]


def test_pair_mode_from_options(runner: CliRunner, data_dir: Path) -> None:
    lines = "您好，我是客户经理\n你好，有事吗？\n/quit\ny\n"
    code, out, err = run(
        runner, "drill", str(MINIMAL), "--mode", "pair", "--student", "张三", "--student", "李四",
        input=lines,
    )  # fmt: skip
    assert code == 0, err
    assert "客户经理（张三）›" in out and "客户（李四）›" in out
    transcript = read_transcript(transcripts(data_dir)[0])
    assert transcript.header.mode == "pair"
    assert [(p.name, p.role) for p in transcript.header.participants] == [
        ("张三", "manager"),
        ("李四", "client"),
    ]
    assert [t.speaker for t in transcript.turns()] == ["manager", "client"]


def test_out_option_chooses_the_file(runner: CliRunner, tmp_path: Path) -> None:
    out_file = tmp_path / "mine.jsonl"
    code, _, _ = run(runner, "drill", str(MINIMAL), "--out", str(out_file), input="/quit\ny\n")
    assert code == 0
    assert read_transcript(out_file).end is not None


def test_time_option_sets_the_limit(runner: CliRunner, data_dir: Path) -> None:
    code, _, _ = run(runner, "drill", str(MINIMAL), "--time", "2.5", input="/quit\ny\n")
    assert code == 0
    assert read_transcript(transcripts(data_dir)[0]).header.time_limit_s == 150


# ── bad input ────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mode", "trio"], "--mode"),
        (["--time", "0"], "--time"),
        (["--time", "-3"], "--time"),
        (["--roles", "张三"], "--roles"),
        (["--roles", "张三=老板"], "--roles"),
        (["--roles", "张三=客户经理@nowhere"], "nowhere"),
        (["--menu"], "--menu"),
        (["--level", "extreme"], "--level"),
        (["--level", "hard", "--mode", "pair", "--student", "甲", "--student", "乙"], "--level"),
    ],
)
def test_bad_options_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    code, _, err = run(runner, "drill", str(MINIMAL), *args, input="")
    assert code == 2
    assert message in err and "Traceback" not in err


def test_a_scripted_drill_at_hard_records_the_level_and_the_walk_out(
    runner: CliRunner, tmp_path: Path
) -> None:
    script = Path(__file__).parent / "scripts" / "retired-teacher-careless.txt"
    out = tmp_path / "t.jsonl"
    code, stdout, err = run(
        runner, "drill", "retired-teacher", "--script", str(script), "--level", "困难",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "客户离开" in stdout
    transcript = read_transcript(out)
    assert transcript.header.level == "hard"
    assert transcript.end is not None and transcript.end.reason == "walked_out"


def test_resume_refuses_other_choices(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "drill", str(MINIMAL), "--resume", str(tmp_path / "x.jsonl"))
    assert code == 2
    assert "--resume" in err and "SCENARIO" in err


def test_script_refuses_mode(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "drill", "--script", "x.txt", "--mode", "pair")
    assert code == 2 and "--mode" in err


def test_resume_of_a_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "drill", "--resume", str(tmp_path / "gone.jsonl"))
    assert code != 0 and "gone.jsonl" in err and "Traceback" not in err


def test_unknown_scenario_exits_3(runner: CliRunner) -> None:
    code, _, err = run(runner, "drill", "no-such-scenario", input="")
    assert code == 3 and "no-such-scenario" in err


# ── the demo ─────────────────────────────────────────────────────────────


def test_demo_plays_the_bundled_script_fast(runner: CliRunner, data_dir: Path) -> None:
    code, out, err = run(runner, "demo", "--speed", "10000")
    assert code == 0, err
    assert "示范演练" in out and "演练小结" in out
    assert "第 5/5 步" in out
    assert not transcripts(data_dir)  # a demo leaves no student record behind


def test_demo_of_a_scenario_without_one(runner: CliRunner) -> None:
    code, _, err = run(runner, "demo", str(MINIMAL), "--speed", "1000")
    assert code == 3 and "minimal" in err


def test_demo_bad_speed(runner: CliRunner) -> None:
    code, _, err = run(runner, "demo", "--speed", "0")
    assert code == 2 and "--speed" in err


# ── roles and menus (pure) ───────────────────────────────────────────────


def test_roles_by_name_role_and_steps() -> None:
    scenario = load_scenario_file(MINIMAL).scenario
    people = parse_roles("张三=客户经理@research, 李四=客户，王五=manager@close", scenario)
    assert [(p.name, p.role, p.steps) for p in people] == [
        ("张三", "manager", ["research"]),
        ("李四", "client", []),
        ("王五", "manager", ["close"]),
    ]
    assert player(people, "manager", "close") == "王五"
    assert player(people, "manager", "research") == "张三"
    assert player(people, "client", "close") == "李四"


def test_students_without_roles() -> None:
    scenario = load_scenario_file(MINIMAL).scenario
    pair = participants_for(["甲", "乙"], None, "pair", scenario)
    assert [(p.name, p.role) for p in pair] == [("甲", "manager"), ("乙", "client")]
    solo = participants_for(["甲"], None, "solo", scenario)
    assert [(p.name, p.role) for p in solo] == [("甲", "manager")]
    mixed = participants_for(["甲", "乙"], "甲=客户", "solo", scenario)
    assert [(p.name, p.role) for p in mixed] == [("甲", "client"), ("乙", "manager")]


def test_bad_roles_raise_usage_error() -> None:
    scenario = load_scenario_file(MINIMAL).scenario
    with pytest.raises(UsageError):
        parse_roles("=客户", scenario)


class FakeChooser:
    def __init__(self, selections: list[str], texts: list[str]) -> None:
        self.selections = selections
        self.texts = texts
        self.defaults: list[str] = []

    def select(self, message: str, choices: list[tuple[str, str]], default: str) -> str:
        assert default in [value for value, _ in choices]
        self.defaults.append(default)
        return self.selections.pop(0)

    def text(self, message: str) -> str:
        return self.texts.pop(0)


def test_menus_ask_only_what_is_missing() -> None:
    catalog = ScenarioCatalog([DATA])
    chooser = FakeChooser(["minimal", "pair"], ["张三", "李四"])
    chosen = ask_choices(chooser, catalog, DrillChoices())
    assert chosen == DrillChoices("minimal", "pair", ["张三", "李四"])
    assert chooser.defaults == ["retired-teacher", "solo"]

    chooser = FakeChooser([], [])
    given = DrillChoices("minimal", "solo", ["王五"])
    assert ask_choices(chooser, catalog, given) == given


def test_resume_shows_a_repaired_torn_line(runner: CliRunner, data_dir: Path) -> None:
    code, _, _ = run(runner, "drill", str(MINIMAL), input="您好，我是客户经理\n")
    assert code == 130
    [path] = transcripts(data_dir)
    with path.open("ab") as handle:
        handle.write(b'{"seq": 99, "type": "tu')  # a line torn by a crash
    code, out, err = run(runner, "drill", "--resume", str(path), input="/quit\ny\n")
    assert code == 0, err
    assert "⚠" in out
    assert read_transcript(path).end is not None


def test_resumed_pair_drill_gives_the_client_the_turn_it_was_owed(
    runner: CliRunner, data_dir: Path
) -> None:
    args = ["drill", str(MINIMAL), "--mode", "pair", "--student", "甲", "--student", "乙"]
    code, _, _ = run(runner, *args, input="您好，我是客户经理\n")
    assert code == 130
    [path] = transcripts(data_dir)
    code, out, _ = run(runner, "drill", "--resume", str(path), input="你好，什么事？\n/quit\ny\n")
    assert code == 0
    assert "客户（乙）› 你好，什么事？" in out
    turns = read_transcript(path).turns()
    assert [t.speaker for t in turns] == ["manager", "client"]
