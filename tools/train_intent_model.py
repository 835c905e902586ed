"""Train the learned stage of the recogniser (finsim/nlu/model) from labelled lines.

Usage (needs the ``train`` extra: ``pip install -e ".[train]"``)::

    python tools/train_intent_model.py corpus/train/*.yaml

Every case of the given ``finsim/nlu-eval`` files is a training line labelled
with its intent and its ``also`` acts; ``safe`` lines carry no act; each
example of the base intent library is a line of its intent. One logistic
regression per intent (liblinear, fixed seed, so a rerun writes the same
weights) over L2-normalised binary features, the features of
:func:`finsim.nlu.learned.model_features`.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from finsim.nlu.evaluate import load_eval_set
from finsim.nlu.features import is_question
from finsim.nlu.learned import MODEL_DIR, model_features, write_model
from finsim.nlu.normalize import SynonymFolder, fold
from finsim.scenario.loader import base_library_path, load_base_library


def training_lines(files: list[Path]) -> list[tuple[str, set[str]]]:
    """Every training line with the set of acts it carries."""
    library = load_base_library()
    lines = [(text, {i.id}) for i in library.intents for text in i.examples]
    for path in files:
        evalset = load_eval_set(path)
        lines += [(case.text, {intent, *case.also}) for intent, case in evalset.labelled()]
        lines += [(line.text, set()) for line in evalset.safe]
    return lines


def train(
    files: list[Path], c: float, min_df: int, balanced: bool | float
) -> tuple[list[str], list[str], np.ndarray, list[float], int]:
    """Fit the model; return intents, vocabulary, weights (feature × intent), biases, lines."""
    return fit(training_lines(files), c, min_df, balanced)


def fit(
    lines: list[tuple[str, set[str]]], c: float, min_df: int, balanced: bool | float
) -> tuple[list[str], list[str], np.ndarray, list[float], int]:
    """Fit the model on labelled lines (see :func:`train`)."""
    library = load_base_library()
    folder = SynonymFolder((s.canonical, s.variants) for s in library.synonyms)
    intents = [i.id for i in library.intents]
    feats = [model_features(folder(fold(t)), is_question(fold(t))) for t, _ in lines]
    df: dict[str, int] = {}
    for row in feats:
        for f in row:
            df[f] = df.get(f, 0) + 1
    vocabulary = sorted(f for f, n in df.items() if n >= min_df)
    index = {f: n for n, f in enumerate(vocabulary)}
    rows, cols, vals = [], [], []
    for r, row in enumerate(feats):
        known = sorted(index[f] for f in row if f in index)
        for col in known:
            rows.append(r)
            cols.append(col)
            vals.append(1.0 / np.sqrt(len(known)))
    x = csr_matrix((vals, (rows, cols)), shape=(len(lines), len(vocabulary)))
    weights = np.zeros((len(vocabulary), len(intents)), dtype=np.float64)
    bias = []
    for col, intent in enumerate(intents):
        y = np.array([intent in labels for _, labels in lines], dtype=int)
        weight: str | dict[int, float] | None = (
            "balanced" if balanced is True else {0: 1.0, 1: float(balanced)} if balanced else None
        )
        model = LogisticRegression(C=c, solver="liblinear", class_weight=weight)
        model.fit(x, y)
        weights[:, col] = model.coef_[0]
        bias.append(float(model.intercept_[0]))
    keep = np.abs(weights).max(axis=1) >= 1e-3
    kept = [f for f, k in zip(vocabulary, keep, strict=True) if k]
    return intents, kept, weights[keep], bias, len(lines)


def main() -> None:
    """Train and write the model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--c", type=float, default=8.0, help="inverse regularisation strength")
    parser.add_argument("--min-df", type=int, default=2, help="lines a feature must occur in")
    parser.add_argument("--balanced", action="store_true", help="weight the rarer class up")
    args = parser.parse_args()
    intents, vocabulary, weights, bias, lines = train(
        args.files, args.c, args.min_df, args.balanced
    )
    digest = hashlib.sha256()
    for path in [base_library_path(), *args.files]:
        digest.update(path.read_bytes())
    write_model(
        args.out,
        intents,
        vocabulary,
        weights.astype(np.float32).ravel().tolist(),
        bias,
        {
            "name": "ngram-logreg",
            "trained_on": [p.as_posix() for p in args.files],
            "training_digest": digest.hexdigest(),
            "lines": lines,
            "c": args.c,
            "min_df": args.min_df,
            "balanced": args.balanced,
        },
    )
    print(f"{lines} lines, {len(vocabulary)} features, {len(intents)} intents -> {args.out}")


if __name__ == "__main__":
    main()
