"""The recogniser's stages and weights are configuration (``finsim/nlu/pipeline.yaml``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from finsim.errors import FinsimError
from finsim.nlu.learned import shipped_model
from finsim.nlu.pipeline import PIPELINE_FILE, STAGES, load_pipeline, shipped_pipeline
from finsim.nlu.recogniser import Recogniser
from finsim.scenario import load_base_library
from finsim.scenario.models import Intent, IntentLibrary

LINE = "这笔钱最近会不会急着用"


def _with(tmp_path: Path, old: str, new: str) -> Path:
    text = PIPELINE_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "pipeline.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_shipped_configuration_is_read_and_versioned() -> None:
    config = shipped_pipeline()
    assert config.schema_ == "finsim/nlu-pipeline@1"
    assert 0 < config.threshold < 1
    assert [type(stage).__name__ for stage in STAGES] == [
        "Requires",
        "Rules",
        "Examples",
        "Learned",
        "RedLineGuard",
        "Combine",
    ]


def test_a_weight_in_the_file_changes_the_verdicts_and_the_judge(tmp_path: Path) -> None:
    library = load_base_library()
    model = shipped_model()
    shipped = Recogniser(library, model=model)
    config = load_pipeline(_with(tmp_path, "threshold: 0.35", "threshold: 0.999"))
    strict = Recogniser(library, model=model, config=config)
    assert "ask_horizon" in shipped.analyse(LINE).ids()
    assert strict.analyse(LINE).ids() == frozenset()
    assert strict.judge.library != shipped.judge.library


def test_a_broken_configuration_is_one_located_error(tmp_path: Path) -> None:
    path = _with(tmp_path, "threshold: 0.35", "threshold: 1.5")
    with pytest.raises(FinsimError) as caught:
        load_pipeline(path)
    message = str(caught.value)
    assert f"{path}:" in message and "threshold" in message


def test_the_model_alone_charges_a_red_line_only_on_what_model_needs_asks_for() -> None:
    rude = next(i for i in load_base_library().intents if i.id == "disparage_competitor")
    assert rude.model_needs, "the shipped library asks a negative word of the model alone"
    red = Intent(id="x_red", name="x", red_line=True, model_needs=["坑"])
    library = IntentLibrary.model_validate(
        {"schema": "finsim/intents@1", "intents": [red.model_dump(by_alias=True)]}
    )

    class Certain:
        """A model sure of the red line on every line."""

        model_id = "certain"

        def probabilities(self, features: Iterable[str]) -> dict[str, float]:
            return {"x_red": 0.99}

    recogniser = Recogniser(library, None, Certain())  # type: ignore[arg-type]
    assert "x_red" not in recogniser.analyse("那家银行最近利率调了").ids()
    assert "x_red" in recogniser.analyse("那家银行坑人").ids()
