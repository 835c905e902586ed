"""Rich tables as the commands print them: a title and a row of column headers."""

from __future__ import annotations

from typing import Any

from rich.table import Table


def new_table(title: str | None, *headers: str, **options: Any) -> Table:
    """Return a table with ``title`` and one column per header (``options`` go to Table)."""
    table = Table(title=title, **options)
    for header in headers:
        table.add_column(header)
    return table
