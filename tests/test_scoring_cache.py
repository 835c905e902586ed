"""Batch rescoring validates each embedded scenario once, keyed on what is embedded."""

from __future__ import annotations

import copy

from finsim.scenario import ScenarioCatalog
from finsim.scoring.evidence import embedded_scenario


def test_the_sameembedded_scenario_is_validated_once_and_an_edited_one_apart() -> None:
    data = ScenarioCatalog([]).resolve("retired-teacher").scenario.model_dump(mode="json")
    first = embedded_scenario(data)
    assert embedded_scenario(copy.deepcopy(data)) is first
    edited = copy.deepcopy(data)
    edited["title"] = edited["title"] + "（改）"
    other = embedded_scenario(edited)
    assert other is not first and other.title.endswith("（改）")
