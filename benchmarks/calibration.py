"""Calibration of the auto score against graded drill scripts (tests/calibration: training figures).

Each script in the folder (default ``tests/calibration``) was written and graded apart from the
project, from a compliance trainer's standpoint, with a header::

    # scenario: retired-teacher
    # grade: 25
    # reason: 流程顺、语气好，但诱导风险测评答案……
    # violations: 3: 15 诱导客户风险测评答案; 18 将理财产品说成“跟存款差不多”; 19 …

Every script is played as ``finsim drill SCENARIO --script F --out T --seed 1`` plays it (through
the library) and scored with the shipped rubric. Printed per script: the grade, the auto score
(percent of the scenario's maximum), the difference, and the violations the grader lists against
those the score names (each at its turn); then Spearman's rank correlation, the mean absolute
difference, the largest difference, whether every subtly non-compliant script of a scenario
scores below every mediocre one, and how many graded violations were named at their turn.

The scripts of ``tests/calibration`` were used while tuning the scorer: the figures on them are
**training figures**, not a measure of how the score generalises.

Usage::

    python benchmarks/calibration.py                    # tests/calibration
    python benchmarks/calibration.py DIR --json         # another folder; one JSON object
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from finsim.classroom.agreement import spearman
from finsim.drill import run_script
from finsim.scenario import ScenarioCatalog
from finsim.scoring.auto import auto_score
from finsim.transcript import read_transcript

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "tests" / "calibration"
SEED = 1
_HEADER = re.compile(r"^#\s*(scenario|grade|reason|violations)\s*[:：]\s*(.*)$")
_KINDS = ("excellent", "mediocre", "subtle", "careless")


@dataclass(frozen=True)
class Graded:
    """One graded script: what the grader said about it."""

    name: str
    scenario: str
    kind: str
    grade: float
    reason: str
    violations: list[tuple[int, str]]


@dataclass
class Result:
    """One script as scored: the grade, the auto score, and the violations on both sides."""

    name: str
    scenario: str
    kind: str
    grade: float
    auto: float
    diff: float
    expected: list[tuple[int, str]]
    named: list[tuple[int, str]]
    matched: list[int] = field(default_factory=list)


@dataclass
class Summary:
    """The figures over a folder of graded scripts."""

    results: list[Result]
    spearman: float
    mad: float
    max_diff: float
    subtle_below_mediocre: bool
    violations_expected: int
    violations_named_at_turn: int
    subtle_violations_expected: int
    subtle_violations_named_at_turn: int


def parse_header(path: Path) -> Graded:
    """Read a script's grading header (a missing field is a clear error)."""
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line.strip())
        if match:
            fields[match.group(1)] = match.group(2).strip()
    missing = [k for k in ("scenario", "grade", "violations") if k not in fields]
    if missing:
        raise SystemExit(f"{path}: missing header field(s): {', '.join(missing)}")
    kind = next((k for k in _KINDS if f"-{k}" in path.stem), "other")
    return Graded(
        path.stem,
        fields["scenario"],
        kind,
        float(fields["grade"]),
        fields.get("reason", ""),
        _violations(fields["violations"]),
    )


def _violations(text: str) -> list[tuple[int, str]]:
    """``3: 15 诱导…; 18 将…`` → [(15, '诱导…'), (18, '将…')]; ``0`` → []."""
    _, _, rest = text.partition(":")
    if not rest:
        _, _, rest = text.partition("：")
    items = []
    for part in re.split(r"[;；]", rest):
        match = re.match(r"\s*(\d+)\s*(.*)", part)
        if match:
            items.append((int(match.group(1)), match.group(2).strip()))
    return items


def score_script(path: Path, graded: Graded, folder: Path) -> Result:
    """Play one script with seed 1 into a transcript, score it, compare with the grade."""
    scenario = ScenarioCatalog([]).resolve(graded.scenario).scenario
    out = folder / f"{graded.name}.jsonl"
    run_script(
        scenario, path.read_text(encoding="utf-8"), seed=SEED, out_path=out, source=path.name
    )
    report = auto_score(read_transcript(out))
    named = [(v.turn, v.name) for v in report.violations]
    named_turns = {t for t, _ in named}
    matched = [t for t, _ in graded.violations if t in named_turns]
    auto = round(report.percent, 2)
    return Result(
        graded.name,
        graded.scenario,
        graded.kind,
        graded.grade,
        auto,
        round(auto - graded.grade, 2),
        graded.violations,
        named,
        matched,
    )


def subtle_below_mediocre(results: Sequence[Result]) -> bool:
    """Whether, in every scenario, every subtle script scores below every mediocre one."""
    for scenario in {r.scenario for r in results}:
        subtle = [r.auto for r in results if r.scenario == scenario and r.kind == "subtle"]
        mediocre = [r.auto for r in results if r.scenario == scenario and r.kind == "mediocre"]
        if subtle and mediocre and max(subtle) >= min(mediocre):
            return False
    return True


def calibrate(folder: Path = DEFAULT_DIR) -> Summary:
    """Score every graded script of ``folder`` and compute the figures."""
    scripts = sorted(folder.glob("*.txt"))
    if not scripts:
        raise SystemExit(f"{folder}: no graded scripts (*.txt)")
    with tempfile.TemporaryDirectory(prefix="finsim-calibration-") as tmp:
        results = [score_script(p, parse_header(p), Path(tmp)) for p in scripts]
    diffs = [abs(r.diff) for r in results]
    return Summary(
        results=results,
        spearman=round(spearman([r.grade for r in results], [r.auto for r in results]) or 0.0, 3),
        mad=round(sum(diffs) / len(diffs), 2),
        max_diff=round(max(diffs), 2),
        subtle_below_mediocre=subtle_below_mediocre(results),
        violations_expected=sum(len(r.expected) for r in results),
        violations_named_at_turn=sum(len(r.matched) for r in results),
        subtle_violations_expected=sum(len(r.expected) for r in results if r.kind == "subtle"),
        subtle_violations_named_at_turn=sum(len(r.matched) for r in results if r.kind == "subtle"),
    )


def _turns(items: Sequence[tuple[int, str]]) -> str:
    return ",".join(str(t) for t, _ in items) or "-"


def render(summary: Summary) -> str:
    """The report as text: one row per script, then the figures."""
    rows = [f"{'script':34} {'grade':>5} {'auto':>6} {'diff':>6}  violations graded / named"]
    for r in summary.results:
        missed = [t for t, _ in r.expected if t not in r.matched]
        note = f"  missed at {','.join(map(str, missed))}" if missed else ""
        rows.append(
            f"{r.name:34} {r.grade:5g} {r.auto:6.1f} {r.diff:+6.1f}  "
            f"{_turns(r.expected)} / {_turns(r.named)}{note}"
        )
    s = summary
    rows += [
        "",
        f"scripts: {len(s.results)}   Spearman: {s.spearman:.3f}   mean |diff|: {s.mad:.2f}   "
        f"max |diff|: {s.max_diff:.2f}",
        f"every subtle script below every mediocre one of its scenario: "
        f"{'yes' if s.subtle_below_mediocre else 'no'}",
        f"graded violations named at their turn: {s.violations_named_at_turn}"
        f"/{s.violations_expected} (of the subtle scripts: {s.subtle_violations_named_at_turn}"
        f"/{s.subtle_violations_expected})",
    ]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the calibration report (text, or ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args(argv)
    summary = calibrate(args.folder)
    if args.json:
        print(json.dumps(asdict(summary), ensure_ascii=False))
    else:
        print(render(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
