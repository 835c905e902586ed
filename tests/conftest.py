"""Shared fixtures: a clean environment for every test and a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_cluster import Cluster, start_cluster
from typer.testing import CliRunner

from finsim.i18n import set_language


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No user settings leak in: Chinese by default, no extra scenarios, data in tmp."""
    monkeypatch.delenv("FINSIM_LANG", raising=False)
    monkeypatch.delenv("FINSIM_SCENARIOS", raising=False)
    monkeypatch.setenv("FINSIM_DATA_DIR", str(tmp_path / "finsim-data"))
    set_language(None)
    yield
    set_language(None)


@pytest.fixture
def runner() -> CliRunner:
    """A Typer CLI runner (stdout and stderr kept apart)."""
    return CliRunner()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One PostgreSQL server for the whole run (skipped when PostgreSQL is not installed)."""
    yield from start_cluster()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """A URL of a fresh, empty database on the test server (as the superuser)."""
    return pg_cluster.url(pg_cluster.new_database())


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A class database on each back end: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "class.db")
    return str(request.getfixturevalue("pg_url"))
