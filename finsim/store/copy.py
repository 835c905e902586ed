"""Moving a class database to another back end (``finsim class migrate --to URL``).

Every row of every class table is copied with its ids (ratings refer to
sessions by id), in one transaction on the target, which must be empty; then
the row counts of both sides are compared table by table.
"""

from __future__ import annotations

from finsim.errors import StorageError
from finsim.i18n import tr
from finsim.store.sql import COLUMNS, SqlStore


def copy_database(source: SqlStore, target: SqlStore) -> dict[str, int]:
    """Copy everything from ``source`` into the empty ``target``; return the verified counts."""
    target.load_rows({table: source.table_rows(table) for table in COLUMNS})
    expected, found = source.count_rows(), target.count_rows()
    wrong = {t: (expected[t], found[t]) for t in COLUMNS if expected[t] != found[t]}
    if wrong:
        raise StorageError(
            tr(
                f"迁移后行数不符（源, 目标）：{wrong}；目标数据库 {target.location} 不可用",
                f"the counts differ after migrating (source, target): {wrong}; do not use"
                f" {target.location}",
            )
        )
    return found
