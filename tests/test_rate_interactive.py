"""``finsim rate`` at a real terminal (pexpect): fill the form, then confirm a re-rating."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
from test_class_support import register, write_roster, write_transcript

from finsim.classroom.classes import init_class, set_groups
from finsim.classroom.groups import members_from_assignment
from finsim.classroom.sessions import session_form
from finsim.store import open_store


def spawn(db: Path, tmp_path: Path) -> pexpect.spawn:
    env = {**os.environ, "FINSIM_DATA_DIR": str(tmp_path / "data"), "FINSIM_LANG": "zh"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "finsim", "rate", "--db", str(db)],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )


def test_pick_a_group_fill_the_form_then_decline_to_replace(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    ids = write_roster(tmp_path / "r.csv", 6)
    store = open_store(db)
    info = init_class(store, "c", tmp_path / "r.csv").info
    set_groups(store, info, members_from_assignment({"G1": ids[:3], "G2": ids[3:]}))
    session = register(store, "c", write_transcript(tmp_path / "a.jsonl", "G1"), {})
    items = session_form(session, "peer").items
    store.close()

    child = spawn(db, tmp_path)
    child.expect("你的学号")
    child.sendline(ids[4])
    child.expect("得分")  # only G1 can be rated by a G2 student: no menu needed beyond one choice
    for n in range(len(items)):
        child.sendline("1")
        if n < len(items) - 1:
            child.expect("得分")
    child.expect("点评")
    child.sendline("开场自然，风险提示到位")
    child.expect("已保存")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    again = spawn(db, tmp_path)
    again.expect("你的学号")
    again.sendline(ids[4])
    again.expect("要替换吗")
    again.sendline("n")
    again.expect(pexpect.EOF)
    again.close()
    assert again.exitstatus == 0
    store = open_store(db)
    (rating,) = store.list_ratings("c")
    store.close()
    assert rating.total == len(items) and rating.comment == "开场自然，风险提示到位"
