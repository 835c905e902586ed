"""Every shipped scenario loads, dumps to JSON and validates against the printed schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from finsim.cli import app
from finsim.resources import shipped_dir
from finsim.scenario import DEFAULT_SCENARIO_ID, load_base_library, load_scenario_file

TESTS = Path(__file__).parent
SHIPPED = sorted(shipped_dir("scenarios").glob("*.yaml"))
FILES = [*SHIPPED, TESTS / "data" / "minimal.yaml"]


@pytest.fixture(scope="module")
def printed_schema() -> dict[str, Any]:
    """The JSON Schema exactly as ``finsim scenario schema`` prints it."""
    result = CliRunner().invoke(app, ["scenario", "schema"])
    assert result.exit_code == 0, result.output
    schema: dict[str, Any] = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    return schema


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_scenario_loads_dumps_and_matches_the_schema(
    path: Path, printed_schema: dict[str, Any]
) -> None:
    loaded = load_scenario_file(path)
    dumped = json.loads(json.dumps(loaded.scenario.model_dump(mode="json", by_alias=True)))
    errors = sorted(Draft202012Validator(printed_schema).iter_errors(dumped), key=str)
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]
    assert type(loaded.scenario).model_validate(dumped) == loaded.scenario


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_scenario_has_no_warnings(path: Path) -> None:
    assert load_scenario_file(path).warnings == ()


def test_schema_rejects_what_the_loader_rejects(printed_schema: dict[str, Any]) -> None:
    dumped = load_scenario_file(TESTS / "data" / "minimal.yaml").scenario.model_dump(
        mode="json", by_alias=True
    )
    validator = Draft202012Validator(printed_schema)
    for broken in (
        {**dumped, "titel": "x"},
        {**dumped, "schema": "finsim/scenario@2"},
        {k: v for k, v in dumped.items() if k != "title"},
        {**dumped, "products": [{**dumped["products"][0], "risk": "R9"}]},
    ):
        assert not validator.is_valid(broken)


def test_shipped_pack_validates_strictly(runner: CliRunner) -> None:
    result = runner.invoke(app, ["scenario", "validate", "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert f"共 {len(SHIPPED)} 个文件：0 个有错误，0 条警告" in result.stdout


def test_list_shows_every_shipped_scenario(runner: CliRunner) -> None:
    result = runner.invoke(app, ["scenario", "list"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    for path in SHIPPED:
        assert load_scenario_file(path).scenario.id in result.stdout


def test_default_scenario_is_shipped(runner: CliRunner) -> None:
    result = runner.invoke(app, ["scenario", "show", DEFAULT_SCENARIO_ID, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == DEFAULT_SCENARIO_ID


def test_show_json_round_trips(runner: CliRunner) -> None:
    path = TESTS / "data" / "minimal.yaml"
    result = runner.invoke(app, ["scenario", "show", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == load_scenario_file(path).scenario.model_dump(
        mode="json", by_alias=True
    )


def test_base_library_is_shipped_and_valid() -> None:
    assert len(load_base_library().intents) > 0
