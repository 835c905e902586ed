"""DrillSession: solo and pair play, the card, hints, time, ending, and resume."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsim.drill import DrillSession
from finsim.errors import UsageError
from finsim.scenario.loader import load_scenario_file
from finsim.transcript import EndEvent, ResumeEvent, TurnEvent, read_transcript
from finsim.transcript.model import Participant

DATA = Path(__file__).parent / "data"
MINIMAL = load_scenario_file(DATA / "minimal.yaml").scenario
RICH = load_scenario_file(DATA / "drill-rich.yaml").scenario


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def solo(tmp_path: Path, **options: object) -> DrillSession:
    return DrillSession(MINIMAL, seed=2, transcript_path=tmp_path / "t.jsonl", **options)  # type: ignore[arg-type]


def test_solo_drill_records_both_sides(tmp_path: Path) -> None:
    session = solo(tmp_path)
    assert session.opening().text == "你好，有什么事？"
    reply = session.manager_says("您好，我是测试银行的客户经理")
    assert reply.text and reply.annotations.intents[0].id == "greet"
    session.end()
    turns = read_transcript(session.path).turns()
    assert [(t.speaker, t.turn) for t in turns[:3]] == [
        ("client", 0),
        ("manager", 1),
        ("client", 1),
    ]
    assert turns[1].annotations is not None and turns[2].annotations is None
    assert turns[2].text == reply.text


def test_card_shows_facts_as_they_are_learnt(tmp_path: Path) -> None:
    session = solo(tmp_path)
    session.opening()
    card = session.card()
    assert (card.name, card.age, card.facts) == ("李阿姨", 66, [])
    session.manager_says("您现在手上有理财产品吗")
    facts = session.facts()
    assert [(f.id, f.topic, f.turn) for f in facts] == [("maturing", "资金到期", 1)]
    assert session.card().facts == facts


def test_hint_lists_uncovered_key_points(tmp_path: Path) -> None:
    session = solo(tmp_path)
    session.opening()
    assert [k.id for k in session.hint()] == ["purpose"]
    session.manager_says("我们在做一个理财需求的小调查")
    assert session.hint() == []
    session.next_step()
    assert [k.id for k in session.hint()] == ["commit"]


def test_next_step_returns_opening_and_none_at_the_end(tmp_path: Path) -> None:
    session = solo(tmp_path)
    session.opening()
    reply = session.next_step()
    assert reply is not None and reply.annotations.raised == ["fear"]
    assert reply.text == "那你说说吧。你们说得好听，真的安全吗？"
    assert session.is_last_step and session.next_step() is None
    assert session.step.id == "close"


def test_manager_first_line_opens_the_drill(tmp_path: Path) -> None:
    session = solo(tmp_path)
    session.manager_says("您好，我是测试银行的客户经理")
    kinds = [type(e).__name__ for e in read_transcript(session.path).events]
    assert kinds[:2] == ["StepEvent", "TurnEvent"]


def test_pair_mode_records_the_students_words(tmp_path: Path) -> None:
    people = [Participant(id="s1", role="manager"), Participant(id="s2", role="client")]
    session = DrillSession(
        MINIMAL, mode="pair", participants=people, transcript_path=tmp_path / "p.jsonl"
    )
    cue = session.opening()
    session.client_says("你好，小伙子，找我什么事？")
    reply = session.manager_says("您现在手上有理财产品吗")
    session.client_says("有一笔定期，下周到期。")
    assert reply.annotations.revealed == ["maturing"]  # the engine still annotates
    session.end()
    transcript = read_transcript(session.path)
    assert transcript.header.mode == "pair" and transcript.header.participants == people
    texts = [(t.speaker, t.text) for t in transcript.turns()]
    assert texts[:3] == [
        ("client", "你好，小伙子，找我什么事？"),
        ("manager", "您现在手上有理财产品吗"),
        ("client", "有一笔定期，下周到期。"),
    ]
    assert cue.text not in [t for _, t in texts]


def test_misuse_is_a_usage_error(tmp_path: Path) -> None:
    session = solo(tmp_path)
    with pytest.raises(UsageError):
        session.client_says("我是客户")
    with pytest.raises(UsageError):
        session.manager_says("   ")
    with pytest.raises(UsageError):
        session.manager_says("长" * 5000)
    session.end()
    with pytest.raises(UsageError):
        session.manager_says("还在吗")


def test_end_is_idempotent_and_final_words_recorded(tmp_path: Path) -> None:
    session = solo(tmp_path)
    session.opening()
    outcome = session.end("quit")
    assert outcome.decision == "declined" and session.end() == outcome
    transcript = read_transcript(session.path)
    assert transcript.end is not None and transcript.end.reason == "quit"
    last_turn = transcript.turns()[-1]
    assert last_turn.speaker == "client" and last_turn.text.startswith("我再想想。")


def test_time_left_and_overtime(tmp_path: Path) -> None:
    clock = FakeClock()
    session = solo(tmp_path, clock=clock, time_limit_s=60)
    session.opening()
    clock.now += 45
    assert session.time_left() == pytest.approx(15)
    clock.now += 30
    assert session.time_left() == pytest.approx(-15)
    session.end("time_up")
    end = read_transcript(session.path).end
    assert end is not None and end.overtime_s == pytest.approx(15) and end.t == pytest.approx(75)


def test_default_time_limit_is_the_scenarios(tmp_path: Path) -> None:
    session = DrillSession(RICH, transcript_path=tmp_path / "r.jsonl")
    assert session.header.time_limit_s == 300


def test_exception_inside_ends_as_interrupted(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), solo(tmp_path) as session:
        session.opening()
        raise KeyboardInterrupt
    end = read_transcript(session.path).end
    assert end is not None and end.reason == "interrupted" and end.outcome.decision == "undecided"


# ── resume ─────────────────────────────────────────────────────────────
RICH_LINES = [
    "您好，我是测试银行的客户经理",
    "我们在做一个理财需求的小调查",
    "您手头可以用来投资的钱有多少",
    "家里孩子多大了",
    "/next",
    "给您介绍一款我们的稳健一年理财",
    "您可能误会了，这个不是保险",
]


def play(session: DrillSession, lines: list[str]) -> None:
    session.opening()
    for line in lines:
        if line == "/next":
            session.next_step()
        else:
            session.manager_says(line)


def comparable(path: Path) -> list[tuple[object, ...]]:
    """Events without times and resume markers: what a resumed drill must reproduce."""
    rows: list[tuple[object, ...]] = []
    for event in read_transcript(path).events:
        if isinstance(event, TurnEvent):
            rows.append((event.turn, event.speaker, event.step, event.text, event.annotations))
        elif not isinstance(event, ResumeEvent | EndEvent):
            rows.append((type(event).__name__, event.model_dump(exclude={"seq", "t"})))
    return rows


@pytest.mark.parametrize("split", [0, 2, 5, 7])
def test_resume_continues_exactly(tmp_path: Path, split: int) -> None:
    straight = DrillSession(RICH, seed=9, transcript_path=tmp_path / "a.jsonl")
    play(straight, RICH_LINES)
    straight.end()

    first = DrillSession(RICH, seed=9, transcript_path=tmp_path / "b.jsonl")
    play(first, RICH_LINES[:split])
    first.close()  # as if killed
    resumed = DrillSession.resume(tmp_path / "b.jsonl")
    assert resumed.warnings == []
    assert resumed.state.revealed == first.state.revealed
    assert resumed.state.trust == first.state.trust
    for line in RICH_LINES[split:]:
        resumed.next_step() if line == "/next" else resumed.manager_says(line)
    assert resumed.end() == straight.outcome
    assert comparable(tmp_path / "b.jsonl") == comparable(tmp_path / "a.jsonl")
    kinds = [type(e).__name__ for e in read_transcript(tmp_path / "b.jsonl").events]
    assert kinds.count("ResumeEvent") == 1


def test_resume_after_interrupted_end(tmp_path: Path) -> None:
    session = DrillSession(RICH, seed=1, transcript_path=tmp_path / "i.jsonl")
    play(session, RICH_LINES[:3])
    session.end("interrupted")
    resumed = DrillSession.resume(tmp_path / "i.jsonl")
    assert resumed.manager_turns == 3 and resumed.facts() == session.facts()
    resumed.manager_says("家里孩子多大了")
    resumed.end()
    transcript = read_transcript(tmp_path / "i.jsonl")
    assert transcript.end is not None and transcript.end.reason == "finished"


def test_resume_answers_a_line_left_without_reply(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    session = DrillSession(RICH, seed=4, transcript_path=path)
    play(session, RICH_LINES[:3])
    session.close()
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]))  # killed after the manager line was saved
    resumed = DrillSession.resume(path)
    resumed.close()
    turns = read_transcript(path).turns()
    assert (turns[-1].speaker, turns[-1].turn) == ("client", 3)
    assert turns[-1].text == session.state.last_text


def test_resume_keeps_elapsed_time(tmp_path: Path) -> None:
    clock = FakeClock()
    session = DrillSession(RICH, transcript_path=tmp_path / "c.jsonl", clock=clock)
    session.opening()
    clock.now += 100
    session.manager_says("您好，我是测试银行的客户经理")
    session.close()
    clock.now += 5000  # the drill was down for a long time: not counted
    resumed = DrillSession.resume(tmp_path / "c.jsonl", clock=clock)
    assert resumed.elapsed() == pytest.approx(100)


def test_finished_drill_cannot_be_resumed(tmp_path: Path) -> None:
    session = solo(tmp_path)
    session.opening()
    session.end()
    with pytest.raises(UsageError):
        DrillSession.resume(session.path)


def test_resume_says_a_step_opening_left_unsaved(tmp_path: Path) -> None:
    path = tmp_path / "o.jsonl"
    session = DrillSession(RICH, seed=4, transcript_path=path)
    play(session, RICH_LINES[:5])  # ends with /next: step event, then the opening line
    session.close()
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]))  # killed after the step event
    DrillSession.resume(path).close()
    turns = read_transcript(path).turns()
    assert turns[-1].speaker == "client" and turns[-1].text.startswith("那你有什么推荐的？")
