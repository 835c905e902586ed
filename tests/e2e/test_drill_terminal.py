"""A student at a terminal: solo and pair drills, Ctrl-C, a closed terminal, the clock."""

from __future__ import annotations

import signal
from collections.abc import Callable

import pytest
from pty_terminal import Terminal

from finsim.scenario import ScenarioCatalog
from finsim.transcript import read_transcript

Start = Callable[..., Terminal]


def _topic_revealed_by(intent: str) -> str:
    """The card topic of the default scenario's fact that ``intent`` reveals."""
    persona = ScenarioCatalog().resolve(None).scenario.persona
    return next(f.topic for f in persona.facts if intent in f.revealed_by and not f.sensitive)


def _next_then_quit(term: Terminal) -> None:
    """/next to step 2, then /quit (confirmed): the summary shows and the program exits 0."""
    term.say("/next")
    term.expect("第 2/5 步")
    term.expect("客户经理（张三）›")
    term.say("/quit")
    term.expect("确定提前退出吗")
    term.say("y")
    term.expect("演练小结")
    term.expect("提前退出")
    assert term.finish() == 0


def test_solo_drill_from_the_menus(terminal: Start) -> None:
    term = terminal("drill")
    term.expect("选择演练场景")
    term.say("")  # the default scenario is preselected
    term.expect("选择演练模式")
    term.say("")  # solo
    term.expect("你的姓名或学号")
    term.say("张三")
    term.expect("第 1/5 步")
    term.expect("客户经理（张三）›")

    term.say("您好，我是城东农商银行的客户经理小林")
    term.expect("问候与自我介绍")
    term.expect("客户经理（张三）›")
    term.say("您平时在哪家银行办业务？")
    term.expect("客户卡片")
    term.expect(_topic_revealed_by("ask_current_bank"))
    term.expect("客户经理（张三）›")
    term.say("您现在手上有理财产品吗？")
    term.expect(_topic_revealed_by("ask_product_usage"))
    term.expect("客户经理（张三）›")

    _next_then_quit(term)

    [path] = term.transcripts()
    transcript = read_transcript(path)
    assert transcript.header.scenario_id == "retired-teacher"
    assert transcript.header.mode == "solo"
    assert [p.name for p in transcript.header.participants] == ["张三"]
    managers = [t for t in transcript.turns() if t.speaker == "manager"]
    assert len(managers) == 3
    assert all(t.annotations is not None for t in managers)
    assert [e.step for e in transcript.events if e.type == "step"] == ["research", "targeting"]
    assert transcript.end is not None and transcript.end.reason == "quit"


def test_pair_drill_alternates_prompts(terminal: Start) -> None:
    term = terminal("drill", "--mode", "pair", "--student", "张三", "--student", "李四")
    term.expect("模式：双人")
    term.expect("情景提示（客户）")
    term.expect("客户经理（张三）›")
    term.say("您好，我是城东农商银行的客户经理小林")
    term.expect("问候与自我介绍")  # the engine still reads the manager
    term.expect("客户（李四）›")
    term.say("你好，小林，我那笔定期是不是快到期了？")
    term.expect("客户经理（张三）›")
    term.say("您平时在哪家银行办业务？")
    term.expect(_topic_revealed_by("ask_current_bank"))
    term.expect("客户（李四）›")
    term.say("我退休金在大银行，这笔放你们这儿是因为离家近。")
    term.expect("客户经理（张三）›")
    _next_then_quit(term)

    transcript = read_transcript(term.transcripts()[0])
    assert transcript.header.mode == "pair"
    assert [(p.name, p.role) for p in transcript.header.participants] == [
        ("张三", "manager"),
        ("李四", "client"),
    ]
    turns = [(t.speaker, t.text) for t in transcript.turns()]
    assert turns == [
        ("manager", "您好，我是城东农商银行的客户经理小林"),
        ("client", "你好，小林，我那笔定期是不是快到期了？"),
        ("manager", "您平时在哪家银行办业务？"),
        ("client", "我退休金在大银行，这笔放你们这儿是因为离家近。"),
    ]


def test_ctrl_c_saves_and_exits_130_then_resume(terminal: Start) -> None:
    term = terminal("drill", "--mode", "solo", "--seed", "5")
    term.expect("客户经理 ›")
    term.say("您好，我是城东农商银行的客户经理小林")
    term.expect("问候与自我介绍")
    term.expect("客户经理 ›")
    term.child.send("您平时")  # half a line, then Ctrl-C
    term.child.sendcontrol("c")
    term.expect("--resume")
    assert term.finish() == 130

    [path] = term.transcripts()
    transcript = read_transcript(path)
    assert transcript.end is not None and transcript.end.reason == "interrupted"
    assert [t.text for t in transcript.turns() if t.speaker == "manager"] == [
        "您好，我是城东农商银行的客户经理小林"
    ]

    again = terminal("drill", "--resume", str(path))
    again.expect("继续上次中断的演练")
    again.expect("客户经理 ›")
    again.say("您平时在哪家银行办业务？")
    again.expect(_topic_revealed_by("ask_current_bank"))
    again.expect("客户经理 ›")
    again.say("/end")
    again.say("y")
    again.expect("演练小结")
    assert again.finish() == 0
    transcript = read_transcript(path)
    assert transcript.end is not None and transcript.end.reason == "finished"
    assert len([t for t in transcript.turns() if t.speaker == "manager"]) == 2


@pytest.mark.parametrize("how", ["SIGHUP", "window closed while typing"])
def test_closed_terminal_saves_the_drill(terminal: Start, how: str) -> None:
    term = terminal("drill", "--mode", "solo")
    term.expect("客户经理 ›")
    term.say("您好，我是城东农商银行的客户经理小林")
    term.expect("问候与自我介绍")
    term.expect("客户经理 ›")
    if how == "SIGHUP":
        term.child.kill(signal.SIGHUP)
        assert term.finish() == 130
    else:
        term.child.send("您平时在")
        assert term.close_window() == 130
    transcript = read_transcript(term.transcripts()[0])
    assert transcript.end is not None and transcript.end.reason == "interrupted"
    assert len([t for t in transcript.turns() if t.speaker == "manager"]) == 1


def test_time_up_ends_an_idle_drill(terminal: Start) -> None:
    term = terminal("drill", "--mode", "solo", "--time", "0.03")  # 1.8 seconds
    term.expect("客户经理 ›")
    term.child.send("您好我是")  # typing, but never pressing Enter
    term.expect("未发送的内容：您好我是")
    term.expect("时间到，演练结束")
    term.expect("演练小结")
    assert term.finish() == 0
    transcript = read_transcript(term.transcripts()[0])
    assert transcript.end is not None and transcript.end.reason == "time_up"


def test_one_minute_warning_while_idle(terminal: Start) -> None:
    term = terminal("drill", "--mode", "solo", "--time", "1.02")
    term.expect("还剩 1 分钟")  # 1.2 seconds in, shown above the waiting prompt
    term.expect("客户经理 ›")
    term.say("/quit")
    term.say("y")
    term.expect("演练小结")
    assert term.finish() == 0


def test_overtime_goes_on_and_is_recorded(terminal: Start) -> None:
    term = terminal("drill", "--mode", "solo", "--time", "0.02", "--overtime")  # 1.2 seconds
    term.expect("现在进入超时演练")
    term.expect("[超时 ")
    term.say("您好，我是城东农商银行的客户经理小林")
    term.expect("问候与自我介绍")
    term.say("/end")
    term.say("y")
    term.expect("演练小结")
    assert term.finish() == 0
    end = read_transcript(term.transcripts()[0]).end
    assert end is not None and end.reason == "finished" and end.overtime_s > 0


def test_a_pushy_drill_at_hard_ends_with_the_client_leaving_and_saying_why(
    terminal: Start,
) -> None:
    term = terminal(
        "drill", "retired-teacher", "--level", "hard", "--student", "张三", "--seed", "1"
    )
    term.expect("第 1/5 步")
    term.expect("客户经理（张三）›")
    term.say("您一个月退休金多少？手里有多少存款？")
    term.expect("客户经理（张三）›")
    term.say("我们有款远航新兴成长股票型基金，净值涨得很快，您买点吧。")
    term.expect("客户经理（张三）›")
    term.say("放心，这个基金保本保收益，稳赚不赔。")
    term.expect("我实在信不过")  # the client says why it leaves …
    term.expect("客户起身离开，演练结束：信任度降到")  # … and the drill says it ended so
    term.expect("演练小结")
    assert term.finish() == 0

    [path] = term.transcripts()
    transcript = read_transcript(path)
    assert transcript.header.level == "hard"
    assert transcript.end is not None and transcript.end.reason == "walked_out"
    assert transcript.end.outcome.decision == "declined"
    assert "离开" in transcript.end.outcome.reasons[0]
    last = transcript.turns()[-1]
    assert last.speaker == "client" and ("先走了" in last.text or "不谈了" in last.text)
