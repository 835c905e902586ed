"""A plain (non-editable) install carries the shipped YAML and finds it from any directory.

The wheel is built once for this module (``pip wheel``; pip fetches the build
backend as it does for ``pip install .``), then unpacked with
``pip install --no-deps --target`` and run by the current interpreter from an
unrelated directory, with the unpacked copy first on the path. This proves
what a fresh virtual environment would, without downloading the dependencies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from finsim.scenario import load_scenario_file

ROOT = Path(__file__).resolve().parents[1]


def pip(*args: str, cwd: Path = ROOT) -> None:
    """Run pip of this interpreter; fail the test with pip's own words."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from the working tree."""
    out = tmp_path_factory.mktemp("wheel")
    pip("wheel", str(ROOT), "--no-deps", "-w", str(out))
    [built] = out.glob("finsim-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed, without dependencies, into a folder of its own."""
    target = tmp_path_factory.mktemp("site")
    pip("install", "--no-deps", "--no-index", "--target", str(target), str(wheel))
    return target


def shipped(kind: str) -> list[str]:
    """Files of the source tree's ``scenarios`` or ``scoring`` folder, as relative paths."""
    folder = ROOT / kind
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml"))


def test_wheel_carries_the_shipped_yaml_and_the_command(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in ("scenarios", "scoring"):
        expected = shipped(kind)
        assert expected, f"no YAML under {kind}/"
        for name in expected:
            assert f"finsim/_data/{kind}/{name}" in names
    assert "finsim/_data/scenarios/library/intents.yaml" in names
    [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "finsim = finsim.cli:main" in text


def run_installed(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m finsim ARGS`` with the installed copy ahead of the source tree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINSIM_")}
    env |= {"PYTHONPATH": str(installed), "COLUMNS": "200", "FINSIM_DATA_DIR": str(cwd)}
    return subprocess.run(
        [sys.executable, "-m", "finsim", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_installed_copy_lists_and_validates_from_another_directory(
    installed: Path, tmp_path: Path
) -> None:
    where = run_installed(installed, tmp_path, "scenario", "schema")
    assert where.returncode == 0, where.stderr
    probe = subprocess.run(
        [sys.executable, "-c", "import finsim.resources as r; print(r.shipped_dir('scenarios'))"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert Path(probe.stdout.strip()) == installed / "finsim" / "_data" / "scenarios"

    listed = run_installed(installed, tmp_path, "scenario", "list")
    assert listed.returncode == 0, listed.stderr
    ids = [load_scenario_file(p).scenario.id for p in (ROOT / "scenarios").glob("*.yaml")]
    assert ids
    for scenario_id in ids:
        assert scenario_id in listed.stdout

    checked = run_installed(installed, tmp_path, "scenario", "validate", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stderr == ""
    assert f"共 {len(ids)} 个文件：0 个有错误，0 条警告" in checked.stdout
