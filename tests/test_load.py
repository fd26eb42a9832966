"""The loader: positions, bounds, encodings and YAML's traps."""

from __future__ import annotations

import codecs

import pytest

from framework_kit.diagnostics import Unreadable
from framework_kit.spec.load import MAX_BYTES, MAX_DEPTH, load_bytes, load_text


def test_positions_are_one_based_for_keys_and_values():
    loaded = load_text("kit: 1\nprocess:\n  title: T\n")
    (k1, v1), (k2, v2) = loaded.root.value
    assert (k1.span.line, k1.span.column) == (1, 1)
    assert (v1.span.line, v1.span.column) == (1, 6)
    title = v2.get("title")
    assert (title.span.line, title.span.column) == (3, 10)


def test_scalars_keep_the_text_the_user_typed():
    root = load_text("a: NO\nb: 0.3\nc: 012345\nd: on\ne: 1_000\nf: 2026-11-25\n").root
    assert [v.text for _, v in root.value] == ["NO", "0.3", "012345", "on", "1_000", "2026-11-25"]
    assert all(v.plain for _, v in root.value)


def test_quoted_scalars_are_not_plain():
    assert not load_text('a: "1"\n').root.get("a").plain


def test_duplicate_key_is_reported_at_its_second_occurrence():
    loaded = load_text("title: A\nauthor: B\ntitle: C\n")
    [d] = loaded.diagnostics
    assert d.code == "S004" and (d.span.line, d.span.column) == (3, 1)
    assert "repeated" in d.message


def test_utf8_byte_order_mark_is_accepted():
    loaded = load_bytes(codecs.BOM_UTF8 + "name: Україна\n".encode())
    assert loaded.root.get("name").text == "Україна"


@pytest.mark.parametrize(
    "data, fragment",
    [
        (codecs.BOM_UTF16_LE + "a: 1\n".encode("utf-16-le"), "UTF-16"),
        (b"title: Caf\xe9\n", "not valid UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file"),
        (b"a: 1\n" + b"#" * (MAX_BYTES + 1), "at most"),
    ],
)
def test_unreadable_bytes_get_a_clear_reason(data, fragment):
    with pytest.raises(Unreadable) as caught:
        load_bytes(data)
    assert caught.value.diagnostic.code == "S001"
    assert fragment in caught.value.diagnostic.message


def test_not_utf8_points_at_the_bad_byte():
    with pytest.raises(Unreadable) as caught:
        load_bytes(b"ok: 1\ntitle: Caf\xe9\n")
    span = caught.value.diagnostic.span
    assert (span.line, span.column) == (2, 11)


def test_alias_bomb_is_refused_quickly():
    text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi"):
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    with pytest.raises(Unreadable) as caught:
        load_text(text)
    assert "alias bomb" in caught.value.diagnostic.message


def test_small_aliases_are_expanded():
    root = load_text("a: &x [p, q]\nb: *x\n").root
    assert [n.text for n in root.get("b").value] == ["p", "q"]


def test_recursive_alias_is_refused():
    with pytest.raises(Unreadable) as caught:
        load_text("sections: &a [*a]\n")
    assert "contains it" in caught.value.diagnostic.message
    assert caught.value.diagnostic.span.line == 1


def test_deep_nesting_is_refused_without_recursion_error():
    with pytest.raises(Unreadable) as caught:
        load_text("a: " + "[" * 100_000 + "]" * 100_000)
    assert "nested" in caught.value.diagnostic.message


def test_nesting_just_under_the_limit_loads():
    depth = MAX_DEPTH - 1
    assert load_text("[" * depth + "]" * depth).root.kind == "seq"


def test_tab_indentation_has_a_plain_message():
    with pytest.raises(Unreadable) as caught:
        load_text("title: Report\nsections:\n\t- name: Intro\n")
    d = caught.value.diagnostic
    assert "tab" in d.message and d.span.line == 3


def test_second_document_is_refused():
    with pytest.raises(Unreadable) as caught:
        load_text("a: 1\n---\nb: 2\n")
    assert "more than one YAML document" in caught.value.diagnostic.message
