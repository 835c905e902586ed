"""Small wording helpers: how coded values and system errors read in Chinese and English."""

from __future__ import annotations

import errno

import pytest

from finsim.classroom.export import parts_text
from finsim.classroom.settings import aggregation_name
from finsim.clock import shown_time
from finsim.i18n import os_reason, set_language
from finsim.vocabulary import group_zh


@pytest.fixture(autouse=True)
def _language() -> object:
    yield
    set_language(None)


def test_a_group_named_with_zu_is_not_said_twice() -> None:
    assert group_zh("G1") == "G1 组"
    assert group_zh("第一组") == "第一组"


def test_peer_aggregation_is_named_in_chinese_and_typed_in_english() -> None:
    set_language("zh")
    assert aggregation_name("trimmed_mean").startswith("截尾平均")
    assert aggregation_name("median") == "中位数"
    set_language("en")
    assert aggregation_name("trimmed_mean") == "trimmed_mean"


def test_file_errors_give_their_cause_in_chinese() -> None:
    set_language("zh")
    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == (
        "文件或文件夹不存在"
    )
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "磁盘已满"
    assert os_reason(OSError(errno.EXDEV, "Invalid cross-device link")) == (
        "Invalid cross-device link"
    )
    set_language("en")
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == (
        "No space left on device"
    )


def test_a_stamp_is_shown_to_the_minute_in_its_own_zone() -> None:
    assert shown_time("2026-03-02T14:05:09+08:00") == "2026-03-02 14:05"
    assert shown_time("yesterday") == "yesterday"


def test_the_parts_a_student_played_are_said_in_chinese() -> None:
    set_language("zh")
    assert parts_text("manager:1,2; client:3") == "客户经理 1,2；客户 3"
    assert parts_text("client:*") == "客户 全部"
    set_language("en")
    assert parts_text("manager:1,2; client:3") == "manager:1,2; client:3"
