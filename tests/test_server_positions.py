"""Positions between djcheck (1-based lines, code-point columns and offsets) and the LSP (0-based, code units)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from djlint_docker.server.positions import UTF8, UTF16, UTF32, LineIndex, code_points, lsp_character, units

EMOJI = "\U0001F600"  # one code point, two UTF-16 units, four UTF-8 bytes


@pytest.mark.parametrize(("encoding", "expected"), [(UTF16, 2), (UTF8, 4), (UTF32, 1)])
def test_a_character_outside_the_bmp(encoding, expected):
    assert units(EMOJI, encoding) == expected
    assert units("é", encoding) == (2 if encoding == UTF8 else 1)


@pytest.mark.parametrize(("encoding", "character"), [(UTF16, 9), (UTF8, 11), (UTF32, 8)])
def test_a_column_after_an_emoji(encoding, character):
    line = f'x: "{EMOJI}", y'  # `y` is column 9 (1-based code points)
    assert line[8] == "y"
    assert lsp_character(line, 9, encoding) == character
    assert code_points(line, character, encoding) == 8


def test_units_that_end_inside_a_character_cover_it():
    assert code_points(f"a{EMOJI}b", 2, UTF16) == 2  # half the surrogate pair: the emoji counts
    assert code_points(f"a{EMOJI}b", 3, UTF8) == 2
    assert code_points("ab", 10, UTF16) == 2


def test_finding_range_runs_from_the_column_to_the_end_of_the_line():
    index = LineIndex(f"first\r\n  {EMOJI} second\nlast")
    assert index.finding_range(2, 3, UTF16) == ((1, 2), (1, 2 + 2 + len(" second")))
    assert index.finding_range(2, 5, UTF16) == ((1, 5), (1, 11))  # after the emoji and the space
    assert index.finding_range(1, 1, UTF16) == ((0, 0), (0, 5))  # the \r belongs to the line ending


def test_finding_range_clamps_what_is_past_the_text():
    index = LineIndex("one\ntwo\n")
    assert index.finding_range(2, 99, UTF16) == ((1, 3), (1, 3))
    assert index.finding_range(9, 1, UTF16) == ((2, 0), (2, 0))  # the empty last line
    assert index.finding_range(0, 0, UTF16) == ((0, 0), (0, 3))
    assert LineIndex("").finding_range(3, 2, UTF16) == ((0, 0), (0, 0))


def test_offsets_and_positions():
    text = f"ab\n{EMOJI}cd\r\nef"
    index = LineIndex(text)
    assert index.position(0) == (0, 0)
    assert index.position(3) == (1, 0)
    assert index.position(4) == (1, 2)  # after the emoji: two UTF-16 units
    assert index.position(4, UTF8) == (1, 4)
    assert index.position(len(text)) == (2, 2)
    assert index.position(len(text) + 5) == (2, 2)
    assert index.offset(1, 2) == 4
    assert index.offset(1, 99) == text.index("\r")  # past the line's end: its end, before the line ending
    assert index.offset(7, 0) == len(text)


@given(st.lists(st.sampled_from(["a", "é", "\n", "\r\n", EMOJI, "\t", "中"]), max_size=40).map("".join),
       st.sampled_from([UTF8, UTF16, UTF32]))
def test_every_offset_comes_back_from_its_position(text, encoding):
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
            continue  # inside a line ending: no position of its own
        assert index.offset(*index.position(offset, encoding), encoding) == offset
