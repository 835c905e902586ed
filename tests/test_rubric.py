"""The rubric format finsim/rubric@1: the shipped default, validation errors, forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_class_support import write_roster
from test_seal_support import play
from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.errors import ExitCode, InputFileError, ValidationFailed
from finsim.scenario import ScenarioCatalog
from finsim.scoring import LEVEL_NAMES, RubricCatalog, build_form, load_rubric
from finsim.scoring.loader import default_rubric_path
from finsim.scoring.matching import match_steps

LOCATED = re.compile(r"^.+\.yaml:\d+:\d+: ")


def _write_variant(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = default_rubric_path().read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "rubric.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        load_rubric(path)
    assert info.value.exit_code == ExitCode.BAD_INPUT
    return info.value.problems


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_default_rubric_is_out_of_100_over_five_steps() -> None:
    rubric = load_rubric()
    assert [s.id for s in rubric.steps] == [
        "research",
        "targeting",
        "entry",
        "closing",
        "relationship",
    ]
    assert rubric.max_points == 100
    assert [c.id for c in rubric.overall] == ["etiquette", "communication", "compliance"]
    assert (rubric.combine.auto, rubric.combine.peer, rubric.combine.teacher) == (20, 30, 50)


def test_every_criterion_has_the_five_levels() -> None:
    rubric = load_rubric()
    criteria = [c for s in [*rubric.steps, rubric.generic] for c in s.criteria] + rubric.overall
    for criterion in criteria:
        levels = criterion.levels.as_dict()
        assert list(levels) == list(LEVEL_NAMES)
        assert all(text.strip() for text in levels.values())


def test_peer_and_teacher_forms_follow_the_rubric_with_a_comment_box() -> None:
    rubric = load_rubric()
    for kind in ("peer", "teacher"):
        form = build_form(rubric, kind)
        assert form.comment is True
        assert form.max_total == rubric.max_points
        entry = form.item("entry")
        assert entry.label == "目标市场介入"
        assert entry.max_points == rubric.template("entry").points
        assert list(entry.levels) == list(LEVEL_NAMES)


def test_client_roleplay_form_rates_the_persona() -> None:
    form = build_form(load_rubric(), "client_roleplay")
    assert form.comment is True
    assert "persona" in [i.key for i in form.items]
    assert form.max_total == sum(i.max_points for i in form.items) > 0


def test_form_for_a_four_step_scenario_has_four_step_items() -> None:
    rubric = load_rubric()
    outlet = ScenarioCatalog().resolve("outlet-service").scenario
    form = build_form(rubric, "peer", outlet)
    step_items = [i for i in form.items if i.key in {s.id for s in outlet.steps}]
    assert [i.key for i in step_items] == [s.id for s in outlet.steps]
    assert step_items[0].label.startswith("第1步 ")
    assert form.item("compliance").max_points == 10


def test_steps_match_by_id_then_position_then_generic() -> None:
    rubric = load_rubric()
    catalog = ScenarioCatalog()
    teacher = catalog.resolve("retired-teacher").scenario
    assert [m.template.id for m in match_steps(rubric, teacher)] == [s.id for s in rubric.steps]
    renamed = teacher.model_copy(
        update={
            "steps": [s.model_copy(update={"id": f"s{i}"}) for i, s in enumerate(teacher.steps)]
        }
    )
    matches = match_steps(rubric, renamed)
    assert {m.how for m in matches} == {"position"}
    outlet = catalog.resolve("outlet-service").scenario
    assert {m.template.id for m in match_steps(rubric, outlet)} == {"generic"}


def test_missing_key_is_reported_with_file_line_and_column(tmp_path: Path) -> None:
    path = _write_variant(tmp_path, "title: 金融服务营销操作流程评分表\n", "")
    problems = _problems(path)
    assert len(problems) == 1
    assert LOCATED.match(problems[0])
    assert "title" in problems[0] and "缺少必填字段" in problems[0]


def test_wrong_type_points_at_the_value(tmp_path: Path) -> None:
    path = _write_variant(tmp_path, "        points: 2\n", "        points: 两分\n")
    problems = _problems(path)
    line = _line_of(path, "points: 两分")
    assert any(p.startswith(f"{path}:{line}:") and "应为数字" in p for p in problems), problems


def test_unknown_intent_is_located(tmp_path: Path) -> None:
    path = _write_variant(tmp_path, "intents: [explain_purpose]", "intents: [explain_porpose]")
    problems = _problems(path)
    line = _line_of(path, "explain_porpose")
    assert problems == [p for p in problems if p.startswith(f"{path}:{line}:")]
    assert "explain_porpose" in problems[0]


def test_check_without_its_fields_is_refused(tmp_path: Path) -> None:
    path = _write_variant(tmp_path, "            intents: [explain_purpose]\n", "")
    problems = _problems(path)
    assert any("intents" in p and LOCATED.match(p) for p in problems), problems


def test_missing_level_descriptor_is_refused(tmp_path: Path) -> None:
    path = _write_variant(tmp_path, "          不及格: 始终没有说明来意\n", "")
    problems = _problems(path)
    assert any("不及格" in p for p in problems), problems


def test_form_reference_must_exist(tmp_path: Path) -> None:
    path = _write_variant(tmp_path, "      - ref: research\n", "      - ref: reserch\n")
    problems = _problems(path)
    assert any("reserch" in p and LOCATED.match(p) for p in problems), problems


def test_wrong_schema_line(tmp_path: Path) -> None:
    path = _write_variant(tmp_path, "schema: finsim/rubric@1", "schema: finsim/rubric@9")
    problems = _problems(path)
    assert "finsim/rubric@9" in problems[0] and "finsim/rubric@1" in problems[0]


def test_overall_criterion_cannot_look_at_one_step(tmp_path: Path) -> None:
    path = _write_variant(
        tmp_path,
        "      - kind: intent\n        scope: drill\n        label: 致谢道别",
        "      - kind: intent\n        label: 致谢道别",
    )
    problems = _problems(path)
    assert any("overall" in p and "scope" in p for p in problems), problems


def test_the_catalog_finds_shipped_rubrics_by_id_and_files_by_path(tmp_path: Path) -> None:
    catalog = RubricCatalog()
    assert "default" in catalog.ids()
    assert catalog.path(None) == catalog.path("default")
    assert catalog.resolve("default") == load_rubric()
    copy = tmp_path / "mine.yaml"
    copy.write_bytes(catalog.path("default").read_bytes())
    assert catalog.path(str(copy)) == copy
    with pytest.raises(InputFileError) as refused:
        catalog.path("no-such-rubric")
    assert "no-such-rubric" in str(refused.value) and "default" in str(refused.value)
    # a shipped id is a bare name: a path to a missing file is not looked up as an id
    with pytest.raises(InputFileError):
        catalog.path("sub/default")


def test_class_add_session_accepts_a_shipped_rubric_id(runner: CliRunner, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    write_roster(roster, 12)
    db = str(tmp_path / "class.db")
    for args in (
        ["class", "init", str(roster), "--class", "c1", "--db", db],
        ["class", "groups", "--size", "10", "--seed", "1", "--db", db],
    ):
        assert runner.invoke(app, args).exit_code == 0
    transcript = play(tmp_path / "g1.jsonl", group="G1")
    added = runner.invoke(
        app, ["class", "add-session", str(transcript), "--rubric", "default", "--db", db]
    )
    assert added.exit_code == 0, added.output
    refused = runner.invoke(
        app, ["class", "add-session", str(transcript), "--rubric", "nope", "--db", db]
    )
    assert refused.exit_code != 0 and "找不到评分标准 “nope”" in refused.stderr
