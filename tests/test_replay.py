"""``finsim replay``: the schedule, the player (pause, stop), the state, and the command."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from test_export_support import (
    SCRIPTS,
    StepClock,
    in_order,
    play,
    play_careful,
    scenario,
    turn_texts,
)
from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.drill import DrillSession, parse_script, run_script
from finsim.errors import UsageError
from finsim.replay import Cue, NoKeys, Player, ReplayPlan, ReplayState, plan_replay
from finsim.scenario import ScenarioCatalog
from finsim.transcript.model import Participant, StepEvent
from finsim.transcript.reader import read_transcript


@pytest.fixture(scope="module")
def careful(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The careful retired-teacher drill, 2.5 s between clock reads."""
    folder = tmp_path_factory.mktemp("replay")
    people = [Participant(id="2024001", name="张三", role="manager")]
    return play_careful(folder / "careful.jsonl", participants=people, group="第1组")


# ── the schedule ───────────────────────────────────────────────────────
def test_plan_follows_the_recorded_times_divided_by_speed(careful: Path) -> None:
    transcript = read_transcript(careful)
    events = transcript.events
    normal = plan_replay(transcript)
    fast = plan_replay(transcript, speed=4)
    assert [c.event for c in normal.cues] == events
    start = events[0].t
    assert [c.at for c in normal.cues] == pytest.approx([e.t - start for e in events])
    assert [c.at * 4 for c in fast.cues] == pytest.approx([c.at for c in normal.cues])
    assert all(a.at <= b.at for a, b in zip(normal.cues, normal.cues[1:], strict=False))


def test_max_pause_caps_each_silence_and_keeps_the_order(careful: Path) -> None:
    transcript = read_transcript(careful)
    capped = plan_replay(transcript, max_pause=1.0)
    gaps = [b.at - a.at for a, b in zip(capped.cues, capped.cues[1:], strict=False)]
    assert max(gaps) <= 1.0 + 1e-6
    assert [c.event for c in capped.cues] == transcript.events


def test_start_step_skips_the_earlier_events(careful: Path) -> None:
    transcript = read_transcript(careful)
    plan = plan_replay(transcript, start_step=3)
    first = plan.cues[0].event
    assert isinstance(first, StepEvent) and first.index == 2
    assert plan.cues[0].at == 0
    assert plan.skipped + [c.event for c in plan.cues] == transcript.events


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"speed": 0}, "--speed"),
        ({"speed": -2}, "--speed"),
        ({"max_pause": -1}, "--max-pause"),
        ({"start_step": 6}, "共 5 步"),
    ],
)
def test_bad_options_are_usage_errors(careful: Path, options: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(UsageError, match=message):
        plan_replay(read_transcript(careful), **options)


# ── the player ─────────────────────────────────────────────────────────
class FakeTime:
    """A clock that moves only when the fake keyboard waits."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FakeKeys:
    """Keys pressed at given clock times; waiting advances the clock."""

    def __init__(self, clock: FakeTime, presses: list[tuple[float, str]]) -> None:
        self.clock = clock
        self.presses = sorted(presses)

    def wait(self, timeout: float) -> str | None:
        due = self.clock.now + timeout
        if self.presses and self.presses[0][0] <= due:
            at, key = self.presses.pop(0)
            self.clock.now = max(self.clock.now, at)
            return key
        self.clock.now = due
        return None


def _plan(*times: float) -> ReplayPlan:
    return ReplayPlan(
        [], [Cue(StepEvent(seq=i + 1, step="s", index=i), t) for i, t in enumerate(times)]
    )


def test_player_shows_each_cue_at_its_time() -> None:
    clock = FakeTime()
    shown: list[float] = []
    player = Player(
        _plan(0, 10, 20), lambda e: shown.append(clock.now), FakeKeys(clock, []), clock=clock
    )
    assert player.run() == "finished"
    assert shown == [100, 110, 120]


def test_space_pauses_and_the_replay_clock_stops_while_paused() -> None:
    clock = FakeTime()
    shown: list[float] = []
    toggles: list[bool] = []
    keys = FakeKeys(clock, [(105, " "), (135, " ")])  # paused for 30 s
    player = Player(
        _plan(0, 10, 20),
        lambda e: shown.append(clock.now),
        keys,
        clock=clock,
        on_pause=toggles.append,
    )
    assert player.run() == "finished"
    assert toggles == [True, False]
    assert shown[0] == 100
    assert shown[1] == pytest.approx(140)  # 10 s of replay + 30 s paused
    assert shown[2] == pytest.approx(150)


def test_q_stops_the_replay() -> None:
    clock = FakeTime()
    shown: list[float] = []
    keys = FakeKeys(clock, [(112, "q")])
    player = Player(_plan(0, 10, 20), lambda e: shown.append(clock.now), keys, clock=clock)
    assert player.run() == "stopped"
    assert len(shown) == 2


def test_without_a_keyboard_the_player_only_sleeps() -> None:
    clock = FakeTime()

    def sleep(seconds: float) -> None:
        clock.now += seconds

    shown: list[float] = []
    Player(_plan(0, 2.5, 7), lambda e: shown.append(clock.now), NoKeys(sleep), clock=clock).run()
    assert shown == pytest.approx([100, 102.5, 107])


# ── the state folded from the record equals the live session's ─────────
@pytest.mark.parametrize("name", ["careful", "careless"])
def test_replayed_summary_and_card_equal_the_live_ones(tmp_path: Path, name: str) -> None:
    text = (SCRIPTS / f"retired-teacher-{name}.txt").read_text(encoding="utf-8")
    path = tmp_path / "live.jsonl"
    session = DrillSession(
        scenario(), seed=3, mode="script", transcript_path=path, clock=StepClock(1.5)
    )
    with session:
        session.opening()
        for line in parse_script(text):
            if line.kind == "manager":
                session.manager_says(line.text)
            elif line.kind == "next":
                session.next_step()
        session.end("finished")
    state = ReplayState(scenario())
    for event in read_transcript(path).events:
        state.apply(event)
    live, replayed = session.summary(), state.summary()
    assert state.card() == session.card()
    fields = [f.name for f in dataclasses.fields(live) if f.name != "elapsed_s"]
    assert {f: getattr(replayed, f) for f in fields} == {f: getattr(live, f) for f in fields}


# ── the command ────────────────────────────────────────────────────────
def _replay(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["replay", *args])
    return result.exit_code, result.stdout, result.stderr


def test_replay_prints_the_whole_dialogue_in_order(runner: CliRunner, careful: Path) -> None:
    code, out, err = _replay(runner, str(careful), "--speed", "100000")
    assert code == 0, err
    turns = turn_texts(careful)
    assert in_order(out, [t.text for t in turns])
    assert in_order(
        out,
        ["第 1/5 步", "第 2/5 步", "第 3/5 步", "第 4/5 步", "第 5/5 步", "演练小结", "自动评分"],
    )
    assert "客户经理（张三）› " in out and "客户·陈玉兰：" in out
    assert "客户卡片" in out and "↳ 识别：" in out  # the engine's notes, as live


def test_step_jumps_to_that_step(runner: CliRunner, careful: Path) -> None:
    code, out, _ = _replay(runner, str(careful), "--speed", "100000", "--step", "4")
    assert code == 0
    turns = turn_texts(careful)
    step_ids = [s.id for s in scenario().steps]
    before = [t.text for t in turns if step_ids.index(t.step) < 3 and t.speaker == "manager"]
    after = [t.text for t in turns if step_ids.index(t.step) >= 3]
    assert before and not any(text in out for text in before)
    assert in_order(out, ["已跳过前 3 步", "第 4/5 步", *after])
    assert "第 1/5 步" not in out


def test_step_beyond_the_record_is_one_clear_error(runner: CliRunner, careful: Path) -> None:
    code, out, err = _replay(runner, str(careful), "--step", "7")
    assert code == 2
    assert err.count("\n") == 1 and "--step 7" in err and "共 5 步" in err
    assert "Traceback" not in err + out


def test_a_broken_line_is_one_message_with_file_and_line(
    runner: CliRunner, careful: Path, tmp_path: Path
) -> None:
    lines = careful.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5][: len(lines[5]) // 2] + "\n"  # a complete line cut in half
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(lines), encoding="utf-8")
    code, out, err = _replay(runner, str(broken), "--speed", "100000")
    assert code == 2
    assert err.count("\n") == 1 and f"{broken}:6:" in err
    assert "Traceback" not in err + out


@pytest.mark.parametrize("content", [b"", b'{"seq":0,"type":"hea', b"not json\n"])
def test_empty_or_headless_files_exit_2(runner: CliRunner, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    code, _, err = _replay(runner, str(bad))
    assert code == 2 and err.count("\n") == 1 and str(bad) in err


def test_a_missing_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = _replay(runner, str(tmp_path / "none.jsonl"))
    assert code == 2 and "找不到演练记录" in err


def test_a_torn_last_line_is_repaired_not_an_error(
    runner: CliRunner, careful: Path, tmp_path: Path
) -> None:
    data = careful.read_bytes()
    torn = tmp_path / "torn.jsonl"
    torn.write_bytes(data[: len(data) - 40])  # the end event cut off while written
    code, out, err = _replay(runner, str(torn), "--speed", "100000")
    assert code == 0
    assert "最后一行不完整" in err
    assert in_order(out, [t.text for t in turn_texts(careful)])
    assert "没有正常结束" in out


def test_replay_needs_no_scenario_file(runner: CliRunner, tmp_path: Path) -> None:
    source = Path(__file__).parent / "data" / "minimal.yaml"
    copy = tmp_path / "own.yaml"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    own = ScenarioCatalog([]).resolve(str(copy)).scenario
    path = tmp_path / "own.jsonl"
    run_script(own, "您好，我是小王。\n/end\n", seed=1, out_path=path, clock=StepClock(1))
    copy.unlink()
    code, out, err = _replay(runner, str(path), "--speed", "100000")
    assert code == 0, err
    assert "您好，我是小王。" in out and own.title in out


def test_pair_drills_show_both_students_at_their_prompts(runner: CliRunner, tmp_path: Path) -> None:
    people = [
        Participant(id="s1", name="王芳", role="manager"),
        Participant(id="s2", name="李雷", role="client"),
    ]
    script = "M: 陈老师您好，我是客户经理小王。\nC: 你好，我来看看定期的事。\n/end\n"
    path = play(tmp_path / "pair.jsonl", script, participants=people)
    code, out, _ = _replay(runner, str(path), "--speed", "100000")
    assert code == 0
    assert in_order(out, ["客户经理（王芳）› 陈老师您好", "客户（李雷）› 你好，我来看看定期的事。"])
