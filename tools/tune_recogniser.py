"""Measure training lines and pipeline weights on held-out lines (the shipped model untouched).

Usage (needs the ``train`` extra)::

    python tools/tune_recogniser.py --train corpus/train/*.yaml tests/nlu_eval/zh.yaml
        --eval corpus/dev/dev_C.yaml [--c 8] [--set learned.red_line=0.8 ...]

Fits the learned stage in memory on the ``--train`` files (as
``train_intent_model.py`` does), builds the recogniser with the shipped
pipeline weights overridden by ``--set``, and prints, for each ``--eval`` file,
the share of lines whose intended act is found and first, the red lines caught
and the false alarms. Never pass a blind test set here: what this prints is a
tuning figure.
"""

from __future__ import annotations

import argparse
from array import array
from pathlib import Path
from typing import Any

from train_intent_model import fit, training_lines

from finsim.nlu.evaluate import EvalReport, evaluate, load_eval_set
from finsim.nlu.learned import LinearModel
from finsim.nlu.pipeline import PipelineConfig, shipped_pipeline
from finsim.nlu.recogniser import Recogniser
from finsim.scenario.loader import load_base_library


def configured(overrides: list[str]) -> PipelineConfig:
    """Return the shipped pipeline weights with ``dotted.key=value`` overrides."""
    data: dict[str, Any] = shipped_pipeline().model_dump(by_alias=True)
    for item in overrides:
        key, _, value = item.partition("=")
        *parents, last = key.split(".")
        target = data
        for part in parents:
            target = target[part]
        target[last] = float(value)
    return PipelineConfig.model_validate(data)


def in_memory_model(files: list[Path], c: float) -> tuple[LinearModel, int]:
    """Fit the learned stage on ``files``; return it and the number of training lines."""
    intents, vocabulary, weights, bias, lines = fit(training_lines(files), c, 2, True)
    packed = array("f", weights.astype("float32").ravel().tolist())
    rows = {feature: n for n, feature in enumerate(vocabulary)}
    return LinearModel(tuple(intents), rows, packed, tuple(bias), "tuning"), lines


def summary(name: str, report: EvalReport) -> str:
    """One line of figures, then the found/first share per register."""
    registers = ", ".join(
        f"{register} {found / total:.0%}/{first / total:.0%}"
        for register, (found, first, total) in report.per_register.items()
    )
    return (
        f"{name}: found {report.recall:.1%}, first {report.top1_accuracy:.1%}, "
        f"red lines {report.red_line_caught}/{report.red_line_cases}, "
        f"false alarms {len(report.false_alarms)} in {report.lines_checked} lines\n"
        f"  per register (found/first): {registers}"
    )


def main() -> None:
    """Fit, build, evaluate, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", nargs="+", type=Path, required=True)
    parser.add_argument("--eval", nargs="+", type=Path, required=True)
    parser.add_argument("--c", type=float, default=8.0, help="inverse regularisation strength")
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    model, lines = in_memory_model(args.train, args.c)
    recogniser = Recogniser(load_base_library(), None, model, configured(args.set))
    print(f"trained on {lines} lines")
    for path in args.eval:
        print(summary(path.name, evaluate(recogniser, load_eval_set(path))))


if __name__ == "__main__":
    main()
