"""A careful manager's script for every shipped scenario buys and scores well; a careless one fails.

The scripts in tests/scripts/ are played by the real engine and scored by
``finsim score``; the recogniser and engine fixes they brought to light are
pinned here too, each with the line that showed it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.client import ClientEngine
from finsim.drill import run_script
from finsim.nlu.recogniser import recogniser_for
from finsim.scenario import ScenarioCatalog
from finsim.scenario.models import Scenario
from finsim.scoring.auto import auto_score
from finsim.transcript import read_transcript

SCRIPTS = Path(__file__).parent / "scripts"

CAREFUL = {
    "young-professional": "index-fund",
    "small-business": "micro-loan",
    "young-family": "edu-annuity",
    "outlet-service": "large-cd",
    "english-demo": "bond-fund",
    "hardware-owner": "biz-loan",
    "auto-finance": "car-loan",
}
"""Each scenario other than the default, with the product its decision rule wants."""

CARELESS = "young-professional"
CARELESS_RED_LINES = {
    "unsuitable_recommendation": 2,  # the R4 港股互联网基金 to a C3 client
    "promise_guaranteed_return": 3,  # 稳赚不赔，绝对不会亏
    "privacy_breach": 4,  # 我们有个客户王先生…投了二十万
    "disparage_competitor": 5,  # 那些互联网平台都是骗人的
    "pressure_tactics": 6,  # 今天就截止了，现在不买就没机会了
    # 那我现在就帮你把这个港股基金买了吧: the close, and no risk was said before it
    # (现在不买就没机会了 at turn 6 is read as pressure, not as the ask itself)
    "missing_disclosure": 7,
}


def scenario(scenario_id: str) -> Scenario:
    """A shipped scenario."""
    return ScenarioCatalog([]).resolve(scenario_id).scenario


def play(scenario_id: str, kind: str, out: Path, seed: int) -> Path:
    """Play ``tests/scripts/<scenario>-<kind>.txt`` into the transcript ``out``."""
    script = SCRIPTS / f"{scenario_id}-{kind}.txt"
    text = script.read_text(encoding="utf-8")
    run_script(scenario(scenario_id), text, seed=seed, out_path=out, source=script.name)
    return out


def score_json(runner: CliRunner, path: Path) -> dict[str, Any]:
    """What ``finsim score FILE --json`` says about a transcript."""
    result = runner.invoke(app, ["score", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_every_other_shipped_scenario_has_a_careful_script() -> None:
    shipped = {loaded.scenario.id for loaded in ScenarioCatalog([]).load_all()}
    assert shipped - {"retired-teacher"} == set(CAREFUL)
    for scenario_id in CAREFUL:
        assert (SCRIPTS / f"{scenario_id}-careful.txt").is_file()
    assert (SCRIPTS / f"{CARELESS}-careless.txt").is_file()


@pytest.mark.parametrize("seed", [1, 7])
@pytest.mark.parametrize("scenario_id", sorted(CAREFUL))
def test_careful_script_buys_and_scores_at_least_80_percent(
    runner: CliRunner, tmp_path: Path, scenario_id: str, seed: int
) -> None:
    path = play(scenario_id, "careful", tmp_path / "careful.jsonl", seed)
    transcript = read_transcript(path)
    assert transcript.end is not None
    outcome = transcript.end.outcome
    assert outcome.decision == "bought", outcome.reasons
    assert outcome.product == CAREFUL[scenario_id]
    data = score_json(runner, path)
    assert data["total"] >= 0.8 * data["max"], (data["total"], data["max"])
    assert data["violations"] == []
    mishandled = [
        (e.turn, e.annotations.mishandled)
        for e in transcript.turns()
        if e.annotations is not None and e.annotations.mishandled
    ]
    assert mishandled == []


@pytest.mark.parametrize("seed", [1, 7])
def test_careless_script_declines_with_every_red_line_and_scores_at_most_35_percent(
    runner: CliRunner, tmp_path: Path, seed: int
) -> None:
    path = play(CARELESS, "careless", tmp_path / "careless.jsonl", seed)
    transcript = read_transcript(path)
    assert transcript.end is not None and transcript.end.outcome.decision == "declined"
    data = score_json(runner, path)
    assert data["total"] <= 0.35 * data["max"], (data["total"], data["max"])
    listed = {v["id"]: v["turn"] for v in data["violations"]}
    assert listed == CARELESS_RED_LINES
    report = auto_score(transcript)
    compliance = next(c for c in report.overall if c.id == "compliance")
    for turn in CARELESS_RED_LINES.values():
        assert f"第{turn}轮" in compliance.line, compliance.line
    # money asked before any rapport: trust falls and nothing is told
    first = next(e for e in transcript.turns() if e.speaker == "manager")
    assert first.annotations is not None
    assert first.annotations.trust_delta < 0 and first.annotations.revealed == []


# ── the fixes the scripts brought to light ─────────────────────────────


def intent_ids(scenario_id: str, text: str) -> set[str]:
    """The intents recognised in one line, with the scenario's products and jargon."""
    return set(recogniser_for(scenario(scenario_id)).analyse(text).ids())


@pytest.mark.parametrize(
    ("scenario_id", "text", "intent"),
    [
        (
            "young-family",
            "朋友推荐的那种私募股权基金，跟您的情况不匹配，我们不会推荐给您。",
            "introduce_product",
        ),
        (
            "english-demo",
            "The balanced fund is above your risk level, so I can't recommend it.",
            "introduce_product",
        ),
        (
            "outlet-service",
            "隔壁是高一点，但二十万存三年，算下来一共差六百来块。",
            "privacy_breach",
        ),
        (
            "outlet-service",
            "您今天过来是想办什么业务？我帮您看看怎么办最省事。",
            "ask_for_commitment",
        ),
        (
            "young-professional",
            "今天主要想了解一下大家平时怎么打理闲钱，我就占您十分钟。",
            "ask_assets",
        ),
        ("young-professional", "跌的时候同样的钱能买到更多份额，平摊成本。", "handle_price"),
        ("small-business", "以后您可以直接在手机上借，随借随还。", "handle_complaint"),
        ("small-business", "您一般从哪儿了解贷款方面的政策消息？", "ask_liabilities"),
        ("young-professional", "那您现在手上大概攒了多少钱？", "summarize_needs"),
        # telling the client not to consult the family is pressure, not asking who decides
        ("retired-teacher", "这事您自己定就行，别跟家里人商量了。", "ask_decision_maker"),
        ("retired-teacher", "不用问您老伴了，您自己拿主意。", "ask_decision_maker"),
    ],
)
def test_lines_that_are_not_the_act(scenario_id: str, text: str, intent: str) -> None:
    assert intent not in intent_ids(scenario_id, text)


@pytest.mark.parametrize(
    ("scenario_id", "text", "intent"),
    [
        ("outlet-service", "隔壁王阿姨上个月在我们这存了二十万。", "privacy_breach"),
        (
            "young-professional",
            "我们不建议别的，就推荐您这款沪深300指数基金。",
            "introduce_product",
        ),
        ("small-business", "现在公司有没有别的贷款，或者给别人做过担保？", "ask_liabilities"),
        ("young-professional", "那您看，今天就在手机银行上把定投设好？", "ask_for_commitment"),
        ("outlet-service", "您放心，存款保险是五十万，不是五万。", "handle_misunderstanding"),
        ("small-business", "不用您的人再跑一趟，下周我们上门把户开好。", "handle_complaint"),
        (
            "english-demo",
            "Is this your decision alone, or together with your husband?",
            "ask_decision_maker",
        ),
    ],
)
def test_lines_that_are_the_act(scenario_id: str, text: str, intent: str) -> None:
    assert intent in intent_ids(scenario_id, text)


def say(engine: ClientEngine, played: Scenario, step: str, text: str) -> None:
    """One manager line, analysed by the real recogniser, answered by the engine."""
    engine.respond(recogniser_for(played).analyse(text), step)


def test_a_bare_close_is_about_the_product_put_forward_not_one_warned_against() -> None:
    played = scenario("young-family")
    engine = ClientEngine(played, seed=1)
    engine.enter_step("closing")
    say(engine, played, "closing", "我给您推荐启航教育年金保险，每年交两万，交十年。")
    say(engine, played, "closing", "您同事晒的科技股票基金波动太大，孩子的钱我不建议放进去。")
    say(engine, played, "closing", "那咱们今天就把投保办了吧？")
    assert engine.state.violations == []
    assert engine.state.offered == ["edu-annuity"] and engine.state.focus == ["tech-fund"]


def test_a_bare_close_after_recommending_an_unsuitable_product_is_still_caught() -> None:
    played = scenario("young-family")
    engine = ClientEngine(played, seed=1)
    engine.enter_step("closing")
    say(engine, played, "closing", "我给您推荐前沿科技股票型基金，最近涨得快。")
    assert [v.id for v in engine.state.violations] == ["unsuitable_recommendation"]
    say(engine, played, "closing", "那咱们今天就办了吧？")
    assert engine.state.bought is None and engine.state.declined_products == ["tech-fund"]
