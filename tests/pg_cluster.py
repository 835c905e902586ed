"""A throwaway PostgreSQL cluster for the tests (Debian's binaries, loopback port, tmp dir).

The cluster is started once per test run with ``initdb`` and ``pg_ctl`` from
``/usr/lib/postgresql/N/bin``; each test gets a database of its own. initdb
refuses to run as root, so under root the server runs as the ``postgres``
user (``runuser``). Without the binaries the PostgreSQL tests are skipped
with the reason (``.ci/run`` installs them, so CI never skips).
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ADMIN = "postgres"
ADMIN_PASSWORD = "admin-secret"


@dataclass
class Cluster:
    """A running test server: its port and superuser; :meth:`new_database` for each test."""

    port: int
    bin_dir: Path
    counter: itertools.count[int]

    def url(self, database: str, user: str = ADMIN, password: str = ADMIN_PASSWORD) -> str:
        """A URL for ``database`` as ``user``."""
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        """Run one statement as the superuser (autocommit)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self) -> str:
        """Create an empty database; return its name."""
        name = f"finsim_test_{os.getpid()}_{next(self.counter)}"
        self.admin(f'CREATE DATABASE "{name}"')
        return name


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL's binaries, or ``None``."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


def start_cluster() -> Iterator[Cluster]:
    """Start a cluster in a fresh temporary directory; stop and remove it afterwards."""
    binaries = bin_dir()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: initdb cannot start a cluster")
    root = Path(tempfile.mkdtemp(prefix="finsim-pg-"))
    data, pwfile = root / "data", root / "pw"
    pwfile.write_text(ADMIN_PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(pwfile, "postgres")
    port = _free_port()
    run = [
        str(binaries / "initdb"),
        "-D",
        str(data),
        "-U",
        ADMIN,
        f"--pwfile={pwfile}",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "-E",
        "UTF8",
        "--no-locale",
    ]
    subprocess.run(_as_server_user(run), check=True, capture_output=True)
    options = (
        f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root}"
        " -c max_connections=150 -c fsync=off -c synchronous_commit=off"
    )
    ctl = [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w"]
    subprocess.run(_as_server_user([*ctl, "-o", options, "start"]), check=True, capture_output=True)
    try:
        yield Cluster(port, binaries, itertools.count(1))
    finally:
        subprocess.run(_as_server_user([*ctl, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
