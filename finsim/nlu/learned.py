"""The learned stage: a linear classifier over character n-grams, trained offline, shipped as data.

The model is one logistic regression per intent (multi-label: a line may
carry several acts) over the same features the example index compares
(character uni-, bi- and trigrams of the folded, synonym-folded line, English
words and word pairs) plus the line's mood. It is trained by
``tools/train_intent_model.py`` on the labelled lines under ``corpus/train``
and the library's examples, and stored next to this module:

* ``model/intents.json`` — format ``finsim/intent-model@1``: the intents in
  column order, the feature vocabulary in row order, the biases, the writer's
  version and what it was trained on;
* ``model/intents.f32`` — the weights, little-endian float32, one row per
  feature, one column per intent.

Inference is pure Python over those numbers: the same verdict on every
platform (IEEE doubles, features summed in sorted order), nothing downloaded,
and the files are read only when the first line is recognised.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from finsim.errors import InputFileError
from finsim.i18n import tr
from finsim.nlu.features import features
from finsim.nlu.guards import disclaimed_spans

MODEL_SCHEMA = "finsim/intent-model@1"
MODEL_DIR = Path(__file__).parent / "model"
_META = "intents.json"
_WEIGHTS = "intents.f32"
QUESTION_FEATURE = "mood:question"


@dataclass(frozen=True)
class LinearModel:
    """One logistic regression per intent over sparse binary features (L2-normalised)."""

    intents: tuple[str, ...]
    rows: dict[str, int]
    weights: array[float]
    bias: tuple[float, ...]
    model_id: str

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        """Return, per intent, the probability that the line carries it."""
        columns = len(self.intents)
        known = sorted(self.rows[f] for f in set(features) if f in self.rows)
        totals = list(self.bias)
        if known:
            scale = 1.0 / math.sqrt(len(known))
            sums = [0.0] * columns
            for row in known:
                start = row * columns
                for col, weight in enumerate(self.weights[start : start + columns]):
                    sums[col] += weight
            totals = [b + s * scale for b, s in zip(totals, sums, strict=True)]
        return {intent: _sigmoid(t) for intent, t in zip(self.intents, totals, strict=True)}


def _sigmoid(value: float) -> float:
    if value < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-value))


def read_model(directory: Path) -> LinearModel:
    """Read a model from ``directory`` (``intents.json`` and ``intents.f32``)."""
    meta_path, weights_path = directory / _META, directory / _WEIGHTS
    try:
        meta_bytes = meta_path.read_bytes()
        weight_bytes = weights_path.read_bytes()
        meta = json.loads(meta_bytes)
    except (OSError, ValueError) as error:
        raise InputFileError(
            tr(
                f"无法读取识别模型 {meta_path}：{error}；请重新安装 finsim",
                f"cannot read the intent model {meta_path}: {error}; reinstall finsim",
            )
        ) from error
    if not isinstance(meta, dict) or meta.get("schema") != MODEL_SCHEMA:
        raise InputFileError(
            tr(
                f"{meta_path} 不是 {MODEL_SCHEMA} 格式；请重新安装 finsim",
                f"{meta_path} is not {MODEL_SCHEMA}; reinstall finsim",
            )
        )
    weights = array("f")
    weights.frombytes(weight_bytes)
    if sys.byteorder == "big":
        weights.byteswap()
    intents, vocabulary = tuple(meta["intents"]), list(meta["features"])
    if len(weights) != len(intents) * len(vocabulary):
        raise InputFileError(
            tr(
                f"识别模型 {weights_path} 不完整；请重新安装 finsim",
                f"the intent model {weights_path} is incomplete; reinstall finsim",
            )
        )
    digest = hashlib.sha256(meta_bytes + weight_bytes).hexdigest()[:12]
    return LinearModel(
        intents=intents,
        rows={feature: n for n, feature in enumerate(vocabulary)},
        weights=weights,
        bias=tuple(float(b) for b in meta["bias"]),
        model_id=f"{meta.get('name', 'ngram-logreg')}-{digest}",
    )


def write_model(
    directory: Path,
    intents: list[str],
    vocabulary: list[str],
    weights: Iterable[float],
    bias: list[float],
    about: dict[str, object],
) -> None:
    """Write a model as :func:`read_model` reads it (``weights`` row-major, feature × intent)."""
    from finsim import __version__
    from finsim.atomic import write_atomic

    packed = array("f", weights)
    if sys.byteorder == "big":
        packed.byteswap()
    meta = {
        "schema": MODEL_SCHEMA,
        "finsim": __version__,
        **about,
        "intents": intents,
        "bias": [round(b, 6) for b in bias],
        "features": vocabulary,
    }
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(meta, ensure_ascii=False, indent=0, sort_keys=False)
    write_atomic(directory / _META, text)
    write_atomic(directory / _WEIGHTS, packed.tobytes())


_model: LinearModel | None = None
_lock = threading.Lock()


def shipped_model() -> LinearModel | None:
    """Return the model shipped with finsim, read once (``None`` when none is installed)."""
    global _model
    with _lock:
        if _model is None and (MODEL_DIR / _META).exists():
            _model = read_model(MODEL_DIR)
        return _model


def model_features(canonical: str, question: bool) -> set[str]:
    """Return the features the model reads: n-grams of the synonym-folded line, its mood.

    N-grams said under a negation, denial or report (to the end of their clause)
    come twice: as themselves and marked ``~``, so that the model can tell a
    claim from its denial.
    """
    found = features(canonical)
    for start, end in disclaimed_spans(canonical):
        found.update("~" + f for f in features(canonical[start:end]))
    if question:
        found.add(QUESTION_FEATURE)
    return found
