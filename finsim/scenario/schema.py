"""The JSON Schema of the scenario format, generated from the models."""

from __future__ import annotations

from typing import Any

from finsim.scenario.models import Scenario

SCHEMA_ID = "https://finsim.invalid/schema/scenario-1.json"


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``finsim/scenario@1``, as editors use it."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "finsim scenario (finsim/scenario@1)"
    return schema
