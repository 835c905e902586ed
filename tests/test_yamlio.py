"""The safe YAML reader: limits, hostile input, positions."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from finsim.errors import InputFileError
from finsim.i18n import set_language
from finsim.yamlio import MAX_DEPTH, YamlDocument, load_yaml, parse_yaml

BROKEN = Path(__file__).parent / "data" / "broken"
HERE = Path("t.yaml")


def fails(text: str) -> InputFileError:
    """Parse ``text``, expecting an :class:`InputFileError`."""
    with pytest.raises(InputFileError) as caught:
        parse_yaml(text, HERE)
    return caught.value


def test_billion_laughs_fails_at_once() -> None:
    start = time.perf_counter()
    with pytest.raises(InputFileError, match="别名") as caught:
        load_yaml(BROKEN / "billion_laughs.yaml")
    assert time.perf_counter() - start < 0.5
    location = caught.value.location
    assert location is not None and (location.line, location.column) == (3, 8)


def test_a_single_alias_is_refused_where_it_is_used() -> None:
    error = fails("a: &x 1\nb: [1, *x]\n")
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 8)


def test_an_anchor_without_alias_is_harmless() -> None:
    assert parse_yaml("a: &x 1\n", HERE).data == {"a": 1}


def test_merge_key_is_refused() -> None:
    assert "<<" in fails("a: {k: 1}\nb:\n  <<: {k: 2}\n").message


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 900, 5000])
def test_deep_nesting_is_refused(depth: int) -> None:
    error = fails("[" * depth + "]" * depth)
    assert "嵌套" in error.message or "YAML" in error.message


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH
    assert parse_yaml("[" * depth + "]" * depth, HERE).data is not None


@pytest.mark.parametrize(
    "text",
    [
        "a: 2024-13-45\n",
        "a: !!timestamp yesterday\n",
        "a: !!int abc\n",
        "a: !!float abc\n",
        "a: !custom 1\n",
        "a: !!python/object/apply:os.system [echo]\n",
        "a: !!python/name:os.system\n",
    ],
)
def test_unreadable_or_unsafe_values_are_input_errors(text: str) -> None:
    error = fails(text)
    assert error.location is not None and error.location.line == 1


@pytest.mark.parametrize("text", ["? [a, b]\n: 1\n", "~: 1\n", "? {k: v}\n: 1\n"])
def test_keys_must_be_plain(text: str) -> None:
    assert "键" in fails(text).message


def test_several_documents_are_a_syntax_error() -> None:
    assert "YAML" in fails("a: 1\n---\nb: 2\n").message


@pytest.mark.parametrize("text", ["", "\n\n", "# only\n  # comments\n", "---\n", "~\n"])
def test_empty_documents(text: str) -> None:
    assert "空" in fails(text).message


def test_duplicate_key_names_both_lines() -> None:
    error = fails("a:\n  x: 1\n  y: 2\n  x: 3\n")
    assert error.location is not None and (error.location.line, error.location.column) == (4, 3)
    assert "第 2 行" in error.message


def test_keys_that_are_numbers_or_booleans_become_text() -> None:
    assert parse_yaml("1: a\ntrue: b\n", HERE).data == {"1": "a", "True": "b"}


def test_size_cap_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "cap.yaml"
    path.write_bytes(b"a: " + b"x" * 97)
    assert load_yaml(path, max_bytes=100).data == {"a": "x" * 97}
    with pytest.raises(InputFileError, match="太大"):
        load_yaml(path, max_bytes=99)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 甲\n".encode())
    assert load_yaml(path).data == {"a": "甲"}


def test_bad_utf8_column_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("a: 1\nname: 李".encode() + "阿姨".encode("gbk") + b"\n")
    with pytest.raises(InputFileError) as caught:
        load_yaml(path)
    location = caught.value.location
    assert location is not None and (location.line, location.column) == (2, 8)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_not_read() -> None:
    with pytest.raises(InputFileError, match="不是普通文件"):
        load_yaml(Path("/dev/zero"))


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with permission to read any file (root)")
        with pytest.raises(InputFileError, match="无法读取"):
            load_yaml(path)
    finally:
        path.chmod(0o644)


def test_positions_of_keys_and_items() -> None:
    doc = parse_yaml("top:\n  list:\n    - a\n    - {k: v}\n  名字: 李阿姨\n", HERE)
    assert doc.positions[()] == (1, 1)
    assert doc.positions[("top",)] == (1, 1)
    assert doc.positions[("top", "list")] == (2, 3)
    assert doc.positions[("top", "list", 1)] == (4, 7)
    assert doc.positions[("top", "list", 1, "k")] == (4, 8)
    assert doc.positions[("top", "名字")] == (5, 3)


def test_locate_falls_back_to_the_nearest_ancestor() -> None:
    doc = YamlDocument(HERE, {}, {(): (1, 1), ("a",): (3, 5)})
    assert str(doc.locate(("a", "missing", 2))) == "t.yaml:3:5"
    assert str(doc.locate(("b",))) == "t.yaml:1:1"


def test_messages_follow_the_language() -> None:
    set_language("en")
    assert fails("a:\n\tb: 1\n").message.startswith("a tab is used")
    set_language("zh")
    assert "制表符" in fails("a:\n\tb: 1\n").message


@pytest.mark.parametrize(("text", "where"), [("\x00a: 1", (1, 1)), ("a: 1\nb: 名\x07字\n", (2, 5))])
def test_control_characters_are_located(text: str, where: tuple[int, int]) -> None:
    error = fails(text)
    assert "控制字符" in error.message
    assert error.location is not None and (error.location.line, error.location.column) == where


@pytest.mark.parametrize(
    ("text", "zh"),
    [
        ("a: b: c\n", "含冒号的文本请加引号"),
        ("a:\n  b: 1\n c: 2\n", "缩进没有对齐"),
        ("a: {k: 1\n", "花括号映射"),
        ("- a\nb: 1\n", "列表项"),
        ("a: @x\n", "请给文本加引号"),
        ("a: *nope\n", "别名"),
    ],
)
def test_common_syntax_errors_in_plain_chinese(text: str, zh: str) -> None:
    assert zh in fails(text).message
    set_language("en")
    assert "YAML syntax error" in fails(text).message
