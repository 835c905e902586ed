"""Validation messages, the schema line, and the scenario catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsim.errors import InputFileError, NotFoundError, ValidationFailed
from finsim.i18n import set_language
from finsim.scenario import ScenarioCatalog, load_scenario_file, read_scenario
from finsim.scenario.loader import load_versioned
from finsim.scenario.models import SCENARIO_SCHEMA, Scenario

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
SOURCE = MINIMAL.read_text(encoding="utf-8")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        load_scenario_file(path)
    return caught.value.problems


def test_every_problem_is_one_line_in_file_order(tmp_path: Path) -> None:
    text = SOURCE.replace("risk: R1", "risk: R9").replace("age: 66", "age: 200")
    lines = problems(write(tmp_path, "two.yaml", text))
    assert len(lines) == 2
    assert lines[0].startswith(f"{tmp_path / 'two.yaml'}:12:5: products[0].risk: 取值 “R9” 无效")
    assert "应为 'R1'、'R2'、'R3'、'R4'、'R5' 之一" in lines[0]
    assert lines[1].endswith("persona.profile.age: 不能大于 120")


def test_a_nested_missing_key_points_at_its_parent(tmp_path: Path) -> None:
    text = SOURCE.replace("    accept: 好，就办这个。\n", "")
    [line] = problems(write(tmp_path, "m.yaml", text))
    assert ":53:3: persona.decision.accept: 缺少必填字段 “accept”" in line


def test_unknown_field_without_a_near_miss_is_plain(tmp_path: Path) -> None:
    text = SOURCE.replace("title: 最小场景\n", "title: 最小场景\ncolour: blue\n")
    [line] = problems(write(tmp_path, "u.yaml", text))
    assert ":4:1: colour: 未知字段 “colour”（拼写错误？" in line


def test_typo_in_a_nested_field(tmp_path: Path) -> None:
    text = SOURCE.replace("    horizon: 一年", "    horizen: 一年").replace(
        "  horizon:", "  horizen:"
    )
    set_language("en")
    [line] = problems(write(tmp_path, "t.yaml", text))
    assert line.endswith("persona.horizen: unknown field 'horizen': did you mean 'horizon'?")


@pytest.mark.parametrize(
    ("schema_line", "zh"),
    [
        ("", "缺少格式声明：请在文件开头加上 “schema: finsim/scenario@1”"),
        ("schema: finsim/rubric@1\n", "格式声明 “finsim/rubric@1” 不对"),
        ("schema: finsim/scenario@x\n", "格式声明 “finsim/scenario@x” 不对"),
        ("schema: 1\n", "格式声明 “1” 不对"),
    ],
)
def test_schema_line(tmp_path: Path, schema_line: str, zh: str) -> None:
    text = SOURCE.replace("schema: finsim/scenario@1\n", schema_line)
    [line] = problems(write(tmp_path, "s.yaml", text))
    assert zh in line


def test_cross_reference_errors_are_all_reported(tmp_path: Path) -> None:
    text = SOURCE.replace("[ask_family]", "[ask_famly]").replace("product: deposit", "product: x")
    scenario, report = read_scenario(write(tmp_path, "x.yaml", text))
    assert scenario.id == "minimal"
    assert len(report.errors) == 2


def test_load_versioned_reads_other_formats_by_schema(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="finsim/scenario@1"):
        load_versioned(
            write(tmp_path, "l.yaml", "schema: finsim/intents@1\n"), Scenario, SCENARIO_SCHEMA
        )


def catalog_with(tmp_path: Path, *texts: tuple[str, str]) -> ScenarioCatalog:
    for name, text in texts:
        write(tmp_path, name, text)
    return ScenarioCatalog([tmp_path])


def test_catalog_resolves_ids_paths_and_the_user_folder_first(tmp_path: Path) -> None:
    mine = SOURCE.replace("title: 最小场景", "title: 我的版本")
    catalog = catalog_with(tmp_path, ("a.yaml", mine), ("notes.txt", "not yaml"))
    assert catalog.resolve("minimal").scenario.title == "我的版本"
    assert catalog.resolve(str(MINIMAL)).scenario.title == "最小场景"
    assert catalog.files()[0] == tmp_path / "a.yaml"
    assert "minimal" in catalog.ids()


def test_an_id_is_never_taken_for_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "minimal").mkdir()
    monkeypatch.chdir(tmp_path)
    catalog = ScenarioCatalog([MINIMAL.parent])
    assert catalog.resolve("minimal").scenario.id == "minimal"


def test_unknown_id_lists_what_there_is(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, ("a.yaml", SOURCE), ("bad.yaml", "- broken\n"))
    with pytest.raises(NotFoundError, match="minimal"):
        catalog.resolve("nothing-like-it")


def test_catalog_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="--scenarios"):
        ScenarioCatalog([tmp_path / "missing"])


def test_broken_file_in_a_user_folder_is_named_by_list(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, ("bad.yaml", "a: [\n"))
    with pytest.raises(InputFileError) as caught:
        catalog.load_all()
    assert str(caught.value).startswith(str(tmp_path / "bad.yaml"))


def test_a_broken_file_named_after_the_id_shows_its_own_error(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, ("mine.yaml", SOURCE.replace("id: minimal", "id: [mine")))
    with pytest.raises(InputFileError) as caught:
        catalog.resolve("mine")
    assert str(caught.value).startswith(f"{tmp_path / 'mine.yaml'}:3:6: YAML 语法错误：方括号列表")
