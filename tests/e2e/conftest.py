"""End-to-end tests: the real ``finsim`` program on a pseudo-terminal, driven like a student.

They run in the default test command; select or skip them with ``-m e2e`` /
``-m "not e2e"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pty_terminal import Terminal


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives the real program on a pseudo-terminal")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    """Start ``python -m finsim ARGS…`` on a pseudo-terminal (killed at the end if alive)."""
    started: list[Terminal] = []

    def start(*args: str) -> Terminal:
        term = Terminal(tmp_path / "data", *args)
        started.append(term)
        return term

    yield start
    for term in started:
        if term.child.isalive():
            term.child.terminate(force=True)
