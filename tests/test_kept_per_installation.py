"""What is kept per installation besides the compiled templates (test_template_cache): font facts
and the DOCX's compressed font parts. The same answers as without them, never stale, never required."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from fontTools.ttLib import TTFont

from framework_kit import api
from framework_kit.render import font_facts
from framework_kit.render.fonts import arabic_font_files, font_files
from framework_kit.render.writers.docx import ooxml

from conftest import UKRAINE

FACES = [*font_files().values(), *arabic_font_files().values()]


@pytest.fixture
def cache_home(private_cache_home):
    forget()
    yield private_cache_home
    forget()


def forget() -> None:
    """As a new process would start: nothing remembered in memory."""
    from framework_kit.render.writers.pdf import marked

    for cached in (font_facts._coverage, font_facts.outline_in, font_facts._advances, font_facts._font,
                   marked._outline):
        cached.cache_clear()


def kept_files(home) -> list:
    return sorted(home.rglob("*.json"))


@pytest.mark.parametrize("path", FACES, ids=lambda path: path.name)
def test_coverage_read_back_from_the_kept_file_is_fonttools_own(path, cache_home):
    with TTFont(str(path)) as font:
        expected = frozenset(font.getBestCmap())
    assert font_facts.coverage(path) == expected
    assert kept_files(cache_home)
    forget()
    font_facts._font.cache_clear()
    assert font_facts.coverage(path) == expected
    assert font_facts._font.cache_info().currsize == 0  # the answer came from the kept file


def test_outlines_read_back_are_the_ones_drawn(cache_home):
    bold = font_files()["bold"]
    drawn = font_facts.outline("DRAFT — ЧЕРНЕТКА", bold)
    assert drawn.calls and drawn.units == 1000 and drawn.advance > 0
    forget()
    assert font_facts.outline("DRAFT — ЧЕРНЕТКА", bold) == drawn
    assert font_facts._font.cache_info().currsize == 0


@pytest.mark.parametrize("face", ["regular", "bold"])
def test_advance_widths_read_back_are_fonttools_own(face, cache_home):
    # The DOCX's table columns are widened only for a word that does not fit: measured, not guessed.
    path = font_files()[face]
    with TTFont(str(path)) as font:
        metrics = font["hmtx"].metrics
        expected = (font["head"].unitsPerEm,
                    {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()})
    assert font_facts.advances(path) == expected
    kept = kept_files(cache_home)
    assert kept and max(file.stat().st_size for file in kept) < 16_000  # a few kilobytes
    forget()
    assert font_facts.advances(path) == expected
    assert font_facts._font.cache_info().currsize == 0  # the answer came from the kept file


def test_documents_are_the_same_with_the_kept_facts_without_them_and_when_they_are_made(
        cache_home, tmp_path, monkeypatch):
    def pdfs() -> dict:
        forget()
        return {file.filename: file.data for file in api.render_bytes(UKRAINE.read_bytes(), str(UKRAINE),
                                                                  formats=("pdf",)).files}

    making = pdfs()  # the facts read from the fonts, and kept
    assert kept_files(cache_home)
    assert pdfs() == making  # read back from the kept files
    monkeypatch.setenv("KIT_NO_CACHE", "1")
    assert pdfs() == making


def test_a_damaged_or_misshapen_kept_file_is_read_from_the_font_again(cache_home):
    regular = font_files()["regular"]
    expected = font_facts.coverage(regular)
    drawn = font_facts.outline("DRAFT", regular)
    for damage in (b"\x00garbage", b'[[1, "x"]]', b'[[["m", NaN]], 1, 1]', b"[]", b'{"a": 1}', b""):
        for file in kept_files(cache_home):
            file.write_bytes(damage)
        forget()
        assert font_facts.coverage(regular) == expected
        assert font_facts.outline("DRAFT", regular) == drawn
    assert all(json.loads(file.read_bytes()) for file in kept_files(cache_home))  # written anew


def test_a_font_replaced_in_place_is_read_again(cache_home, tmp_path):
    house = tmp_path / "house.ttf"
    shutil.copyfile(font_files()["regular"], house)
    latin = font_facts.coverage(house)
    assert 0x0627 not in latin  # ARABIC LETTER ALEF
    shutil.copyfile(arabic_font_files()["regular"], house)
    os.utime(house, ns=(1, 1))
    assert 0x0627 in font_facts.coverage(house)


def test_without_a_cache_folder_the_facts_are_read_each_time(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_NO_CACHE", "1")
    forget()
    assert 0x0416 in font_facts.coverage(font_files()["regular"])  # Ж
    assert not list(tmp_path.rglob("*.json"))


def test_a_render_with_kept_facts_does_not_import_fonttools(tmp_path):
    # fontTools' import and parse of the faces were about a tenth of a cold kit render.
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "KIT_SERIAL": "1"}
    env.pop("KIT_NO_CACHE", None)
    probe = ("import sys; from framework_kit import api; "
             f"api.render_file({str(UKRAINE)!r}, sys.argv[1]); "
             "print('fontTools' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", probe, str(tmp_path / f"out{n}")], env=env,
                           capture_output=True, text=True, check=True).stdout.split()[-1]
            for n in range(2)]
    assert runs == ["True", "False"]


# --- the DOCX's compressed font parts -----------------------------------------------------------


def docx_files() -> dict:
    ooxml._deflate_kept.cache_clear()
    ooxml._deflate_remembered.cache_clear()
    return {file.filename: file.data for file in api.render_bytes(
        UKRAINE.read_bytes(), str(UKRAINE), formats=("docx",), only=["brief"]).files}


def kept_parts(home) -> list:
    return sorted(home.rglob("*.deflate"))


def test_a_long_texts_outlines_are_not_kept(cache_home):
    # A watermark is a marking of a few words; kept outlines of long texts made one file 11 MB,
    # read back at every render.
    bold = font_files()["bold"]
    font_facts.outline("DRAFT", bold)
    assert len(kept_files(cache_home)) == 1
    font_facts.outline("DRAFT " * 100, bold)
    assert len(kept_files(cache_home)) == 1


def test_the_docx_is_the_same_with_kept_font_parts_without_them_and_when_they_are_made(
        cache_home, monkeypatch):
    making = docx_files()
    assert len(kept_parts(cache_home)) == 4  # the four faces of IBM Plex Serif
    compressed = []
    real = ooxml._deflate
    monkeypatch.setattr(ooxml, "_deflate", lambda data: compressed.append(len(data)) or real(data))
    assert docx_files() == making
    assert not [size for size in compressed if size >= ooxml._KEPT_FROM]  # the fonts came from the kept parts
    monkeypatch.setenv("KIT_NO_CACHE", "1")
    assert docx_files() == making


def test_a_damaged_kept_font_part_is_compressed_again(cache_home):
    making = docx_files()
    for file in kept_parts(cache_home):
        file.write_bytes(file.read_bytes()[:-10] + b"0123456789")
    assert docx_files() == making
    for file in kept_parts(cache_home):
        file.write_bytes(b"")
    assert docx_files() == making
