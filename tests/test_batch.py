"""``batch rescore``: an archive rescored in parallel and streamed; a corrupt file is skipped."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finsim.batch import BatchOptions, rescore_all, run_batch
from finsim.batch.run import IN_FLIGHT_PER_JOB
from finsim.cli.app import app
from finsim.drill import run_script
from finsim.scenario.loader import load_scenario_file

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
SCRIPTS = [
    "您好，我是测试银行的小李。\n您现在有哪些存款？\n/next\n这款一年期定期存款适合您。\n",
    "您一个月退休金多少？\n/next\n这个股票型基金保本保收益。\n",
    "您好，今天想了解一下您的需求。\n家里都有什么人？\n/next\n您看定期怎么样？\n/end\n",
]


def make_archive(root: Path, count: int, corrupt_at: int | None = None) -> list[Path]:
    """Write ``count`` transcripts in nested folders (copies of three real drills)."""
    scenario = load_scenario_file(MINIMAL).scenario
    sources = []
    for n, text in enumerate(SCRIPTS):
        out = root.parent / f"source-{n}.jsonl"
        if not out.exists():
            run_script(scenario, text, seed=n, out_path=out)
        sources.append(out.read_bytes())
    paths = []
    for i in range(count):
        path = root / f"week{i % 4}" / f"t{i:04d}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b'{"broken": ' if i == corrupt_at else sources[i % len(sources)])
        paths.append(path)
    return sorted(paths)


def test_batch_of_hundreds_reports_the_corrupt_file_without_stopping(tmp_path: Path) -> None:
    paths = make_archive(tmp_path / "archive", 240, corrupt_at=117)
    out = tmp_path / "summary.csv"
    seen: list[str] = []
    totals = run_batch([tmp_path / "archive"], out, jobs=2, on_row=lambda r: seen.append(r.path))
    assert (totals.rescored, totals.skipped, totals.changed) == (239, 1, 0)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["path"] for r in rows] == [str(p) for p in paths] == seen  # the walk's order
    bad = [r for r in rows if r["status"] == "skipped"]
    assert len(bad) == 1 and bad[0]["path"].endswith("t0117.jsonl")
    assert "t0117.jsonl:1" in bad[0]["error"]
    good = [r for r in rows if r["status"] == "ok"]
    assert all(r["old_total"] == r["new_total"] and r["delta"] == "0.0" for r in good)
    assert all(r["changed_criteria"] == "" and r["scenario"] == "minimal" for r in good)


@pytest.mark.parametrize("jobs", [1, 2])
def test_paths_are_consumed_a_window_ahead(tmp_path: Path, jobs: int) -> None:
    paths = make_archive(tmp_path / "archive", 30)
    taken = 0

    def lazily() -> Iterator[Path]:
        nonlocal taken
        for path in paths:
            taken += 1
            yield path

    rows = rescore_all(lazily(), BatchOptions(), jobs=jobs)
    first = next(rows)
    assert first.path == str(paths[0]) and first.status == "ok"
    assert taken <= (1 if jobs == 1 else jobs * IN_FLIGHT_PER_JOB)
    assert len(list(rows)) == 29 and taken == 30


def test_json_summary_is_valid_and_stamped(tmp_path: Path) -> None:
    make_archive(tmp_path / "archive", 6, corrupt_at=2)
    out = tmp_path / "summary.json"
    run_batch([tmp_path / "archive"], out, jobs=1)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "finsim/rescore-summary@1" and data["program_version"]
    assert len(data["transcripts"]) == 6 and data["skipped"] == 1 and data["rescored"] == 5
    skipped = [t["path"] for t in data["transcripts"] if t["status"] == "skipped"]
    assert len(skipped) == 1 and skipped[0].endswith("t0002.jsonl")


def test_a_failed_batch_leaves_the_old_summary(tmp_path: Path) -> None:
    make_archive(tmp_path / "archive", 2)
    out = tmp_path / "out" / "summary.csv"
    out.parent.mkdir()
    out.write_text("old\n", encoding="utf-8")
    with pytest.raises(ZeroDivisionError):
        run_batch([tmp_path / "archive"], out, jobs=1, on_row=lambda _: 1 / 0)
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in out.parent.iterdir()] == ["summary.csv"]  # no temporary file left


def test_batch_command(runner: CliRunner, tmp_path: Path) -> None:
    make_archive(tmp_path / "archive", 8, corrupt_at=5)
    out = tmp_path / "summary.csv"
    args = ["batch", "rescore", str(tmp_path / "archive"), "--out", str(out), "--jobs", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1  # a file was skipped (documented)
    assert "已重新评分 7 份" in result.stdout and "跳过 1 份" in result.stdout
    assert "t0005.jsonl" in result.stderr and "Traceback" not in result.output
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 9


def test_batch_command_all_good(runner: CliRunner, tmp_path: Path) -> None:
    make_archive(tmp_path / "archive", 4)
    out = tmp_path / "summary.json"
    args = ["--lang", "en", "batch", "rescore", str(tmp_path / "archive"), "--out", str(out)]
    result = runner.invoke(app, [*args, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "Rescored 4 transcripts, 0 changed; skipped 0" in result.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["rescored"] == 4


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--out", "summary.txt"], 2, ".csv"),
        (["--rubric", "no-such-rubric"], 2, "no-such-rubric"),
    ],
)
def test_batch_command_bad_options(
    runner: CliRunner, tmp_path: Path, args: list[str], code: int, words: str
) -> None:
    result = runner.invoke(app, ["batch", "rescore", str(tmp_path), *args])
    assert result.exit_code == code and words in result.stderr
    assert "Traceback" not in result.output


def test_batch_command_missing_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", "rescore", str(tmp_path / "gone")])
    assert result.exit_code == 3 and "gone" in result.stderr
