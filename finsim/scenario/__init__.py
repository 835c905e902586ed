"""Scenarios: the format, the loader and the checks."""

from finsim.scenario.loader import (
    DEFAULT_SCENARIO_ID,
    LoadedScenario,
    ScenarioCatalog,
    load_base_library,
    load_scenario_file,
    read_scenario,
)
from finsim.scenario.models import IntentLibrary, Scenario

__all__ = [
    "DEFAULT_SCENARIO_ID",
    "IntentLibrary",
    "LoadedScenario",
    "Scenario",
    "ScenarioCatalog",
    "load_base_library",
    "load_scenario_file",
    "read_scenario",
]
