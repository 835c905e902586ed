"""The interactive drill loop with a fake reader and a fake clock: no terminal, no waiting."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from rich.console import Console

from finsim.cli.drill.countdown import Countdown, format_clock
from finsim.cli.drill.loop import DrillLoop
from finsim.cli.drill.readers import PlainReader, PromptRequest, TimeUp
from finsim.drill import DrillSession
from finsim.scenario import load_scenario_file
from finsim.transcript import Participant, read_transcript

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"


class FakeClock:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


Step = str | Callable[[PromptRequest], str]


class ScriptedReader:
    """Answers prompts from a list: a string is typed, a callable may move time or raise."""

    def __init__(self, steps: Iterable[Step]) -> None:
        self.steps = list(steps)
        self.labels: list[str] = []

    def __call__(self, request: PromptRequest) -> str:
        self.labels.append(request.label)
        if not self.steps:
            raise EOFError
        step = self.steps.pop(0)
        return step(request) if callable(step) else step


def make_loop(
    tmp_path: Path,
    steps: Iterable[Step],
    *,
    mode: str = "solo",
    limit_s: float = 300,
    overtime: bool = False,
    participants: list[Participant] | None = None,
) -> tuple[DrillLoop, ScriptedReader, FakeClock, io.StringIO]:
    clock = FakeClock()
    session = DrillSession(
        load_scenario_file(MINIMAL).scenario,
        seed=1,
        mode=mode,  # type: ignore[arg-type]
        participants=participants or [],
        time_limit_s=limit_s,
        transcript_path=tmp_path / "t.jsonl",
        clock=clock,
    )
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    reader = ScriptedReader(steps)
    loop = DrillLoop(
        session=session,
        console=console,
        read=reader,
        countdown=Countdown(session.time_left, overtime=overtime),
        participants=session.header.participants,
    )
    return loop, reader, clock, out


def test_quit_after_confirmation_records_quit(tmp_path: Path) -> None:
    loop, _, _, out = make_loop(
        tmp_path, ["您好，我是测试银行的客户经理", "您手上有理财产品吗？", "/quit", "y"]
    )
    assert loop.run() == "quit"
    transcript = read_transcript(tmp_path / "t.jsonl")
    assert transcript.end is not None and transcript.end.reason == "quit"
    texts = [t.text for t in transcript.turns() if t.speaker == "manager"]
    assert texts == ["您好，我是测试银行的客户经理", "您手上有理财产品吗？"]
    assert "演练小结" in out.getvalue()


def test_quit_declined_carries_on(tmp_path: Path) -> None:
    loop, _, _, out = make_loop(tmp_path, ["/quit", "n", "/end", "是"])
    assert loop.run() == "finished"
    assert "好的，继续演练" in out.getvalue()


def test_fact_revealed_shows_on_the_card(tmp_path: Path) -> None:
    loop, _, _, out = make_loop(tmp_path, ["您手上有理财产品吗？", "/quit", "y"])
    loop.run()
    text = out.getvalue()
    assert "客户卡片" in text
    assert "资金到期" in text  # the fact's topic
    assert "我有笔定期下周到期" in text


def test_next_hint_facts_help_and_unknown_command(tmp_path: Path) -> None:
    loop, _, _, out = make_loop(
        tmp_path, ["/hint", "/facts", "/help", "/oops", "/next", "/next", "y"]
    )
    assert loop.run() == "finished"
    text = out.getvalue()
    assert "说明来意" in text  # the open key point of step 1 (/hint)
    assert "还没有了解到客户的情况" in text  # the empty card (/facts)
    assert "/quit" in text  # the help
    assert "没有 /oops 这个命令" in text
    assert "第 2/2 步：成交" in text
    assert "已经是最后一步了" in "".join(loop.read.labels)  # type: ignore[attr-defined]
    steps = [e for e in read_transcript(tmp_path / "t.jsonl").events if e.type == "step"]
    assert [s.step for s in steps] == ["research", "close"]


def test_eof_ends_as_interrupted_and_is_resumable(tmp_path: Path) -> None:
    loop, _, _, out = make_loop(tmp_path, ["您好"])
    assert loop.run() == "interrupted"
    transcript = read_transcript(tmp_path / "t.jsonl")
    assert transcript.end is not None and transcript.end.reason == "interrupted"
    assert transcript.interrupted
    assert "--resume" in out.getvalue()


def test_ctrl_c_ends_as_interrupted(tmp_path: Path) -> None:
    def interrupt(request: PromptRequest) -> str:
        raise KeyboardInterrupt

    loop, _, _, _ = make_loop(tmp_path, ["您好", interrupt])
    assert loop.run() == "interrupted"
    end = read_transcript(tmp_path / "t.jsonl").end
    assert end is not None and end.reason == "interrupted"


def test_time_up_between_lines_ends_the_drill(tmp_path: Path) -> None:
    clock_box: list[FakeClock] = []

    def slow(request: PromptRequest) -> str:
        clock_box[0].now += 301
        return "您好"

    loop, reader, clock, out = make_loop(tmp_path, [slow, "never read"])
    clock_box.append(clock)
    assert loop.run() == "time_up"
    assert reader.steps == ["never read"]
    assert "时间到" in out.getvalue()
    end = read_transcript(tmp_path / "t.jsonl").end
    assert end is not None and end.reason == "time_up"


def test_time_up_while_typing_keeps_the_partial_line_visible(tmp_path: Path) -> None:
    def typing(request: PromptRequest) -> str:
        raise TimeUp("您好我是")

    loop, _, _, out = make_loop(tmp_path, [typing])
    assert loop.run() == "time_up"
    assert "未发送的内容：您好我是" in out.getvalue()


def test_warning_at_one_minute_once(tmp_path: Path) -> None:
    box: list[FakeClock] = []

    def wait(seconds: float) -> Callable[[PromptRequest], str]:
        def step(request: PromptRequest) -> str:
            box[0].now += seconds
            return "您好"

        return step

    loop, _, clock, out = make_loop(tmp_path, [wait(250), wait(5), wait(5), "/quit", "y"])
    box.append(clock)
    assert loop.run() == "quit"
    assert out.getvalue().count("还剩 1 分钟") == 1


def test_overtime_goes_on_and_is_recorded(tmp_path: Path) -> None:
    box: list[FakeClock] = []

    def late(request: PromptRequest) -> str:
        box[0].now += 320
        return "您好"

    loop, _, clock, out = make_loop(
        tmp_path, [late, "您手上有理财产品吗？", "/end", "y"], overtime=True
    )
    box.append(clock)
    assert loop.run() == "finished"
    assert "超时演练" in out.getvalue()
    end = read_transcript(tmp_path / "t.jsonl").end
    assert end is not None and end.overtime_s == pytest.approx(20, abs=0.01)


def test_pair_mode_alternates_roles_and_records_the_client(tmp_path: Path) -> None:
    people = [
        Participant(id="张三", name="张三", role="manager"),
        Participant(id="李四", name="李四", role="client"),
    ]
    loop, reader, _, out = make_loop(
        tmp_path,
        ["您好，我是测试银行的客户经理", "你好，有什么事？", "/quit", "y"],
        mode="pair",
        participants=people,
    )
    assert loop.run() == "quit"
    assert reader.labels[:3] == ["客户经理（张三）› ", "客户（李四）› ", "客户经理（张三）› "]
    turns = read_transcript(tmp_path / "t.jsonl").turns()
    assert [(t.speaker, t.text) for t in turns] == [
        ("manager", "您好，我是测试银行的客户经理"),
        ("client", "你好，有什么事？"),
    ]
    assert turns[0].annotations is not None  # the engine still reads the manager
    assert "情景提示（客户）" in out.getvalue()


def test_countdown_warning_and_overtime_notices_fire_once() -> None:
    left = [100.0]
    countdown = Countdown(lambda: left[0], overtime=True)
    assert not countdown.take_warning()
    assert countdown.seconds_to_warning() == pytest.approx(40)
    left[0] = 59
    assert countdown.take_warning() and not countdown.take_warning()
    assert countdown.seconds_to_warning() is None
    assert not countdown.take_overtime_notice()
    left[0] = -3
    assert countdown.expired() and not countdown.ends_drill()
    assert countdown.take_overtime_notice() and not countdown.take_overtime_notice()
    assert countdown.seconds_to_expiry() is None


def test_countdown_started_in_the_last_minute_does_not_warn() -> None:
    countdown = Countdown(lambda: 30.0)
    assert not countdown.take_warning()
    assert countdown.seconds_to_expiry() == 30.0


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(300, "5:00"), (59.2, "1:00"), (0.4, "0:01"), (0, "0:00"), (-61, "-1:01")],
)
def test_format_clock(seconds: float, shown: str) -> None:
    assert format_clock(seconds) == shown


def test_plain_reader_reads_lines_and_signals_eof() -> None:
    out = io.StringIO()
    reader = PlainReader(io.StringIO("第一句\n"), out, echo=True)
    assert reader(PromptRequest("客户经理 › ")) == "第一句"
    assert out.getvalue() == "客户经理 › 第一句\n"
    with pytest.raises(EOFError):
        reader(PromptRequest("客户经理 › "))


def test_plain_reader_refuses_to_read_after_time_is_up() -> None:
    reader = PlainReader(io.StringIO("不会被读到\n"), io.StringIO())
    with pytest.raises(TimeUp):
        reader(PromptRequest("› ", countdown=Countdown(lambda: -1.0)))
