"""The default reference.docx that drafters export and restyle."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.shared import Pt

from framework_kit.render.writers.docx import default_reference as reference
from framework_kit.render.theme import Theme, parse_theme


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def test_reference_is_byte_identical_on_every_build():
    first = reference.reference_docx(Theme())
    reference.reference_docx.cache_clear()  # build again from scratch, not from the cache
    assert reference.reference_docx(Theme()) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        names = archive.namelist()
    assert "word/stylesWithEffects.xml" not in names and "docProps/thumbnail.jpeg" not in names


def test_reference_defines_the_house_styles_with_one_sample_each():
    document = opened(reference.reference_docx(Theme()))
    styles = document.styles
    used = {paragraph.style.name for paragraph in document.paragraphs}
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Normal", "Clause",
                 "Clause Bracketed", "Clause Attribution", "Legend", "Small", "Caption",
                 "Signature"):
        assert name in used, name
    assert {t.style.name for t in document.tables} == {"Table Grid", "Fields Table"}
    assert styles["Normal"].font.name == "IBM Plex Serif"
    assert styles["Heading 1"].font.size == Pt(13)
    assert document.core_properties.created is None  # no clock in the file
    assert "framework-kit" in document.core_properties.title


def test_reference_page_set_up_follows_the_theme():
    letter = parse_theme("page_size: Letter\nmargins_mm: {left: 30}\nsizes: {body: 12}\n")
    document = opened(reference.reference_docx(letter))
    section = document.sections[0]
    assert round(section.page_width.mm, 1) == 215.9 and round(section.page_height.mm, 1) == 279.4
    assert round(section.left_margin.mm) == 30
    assert document.styles["Normal"].font.size == Pt(12)
    a4 = opened(reference.reference_docx(Theme())).sections[0]
    assert round(a4.page_width.mm) == 210


def test_the_shipped_default_reference_is_what_the_styles_build():
    # The packaged copy saves cold renders the python-docx build; it must never drift.
    shipped = reference.packaged_path().read_bytes()
    assert reference._build(Theme()) == shipped, (
        "templates/reference.docx is stale: run python -m framework_kit.render.writers.docx.default_reference")
    reference.reference_docx.cache_clear()
    assert reference.reference_docx(Theme()) == shipped


def test_another_theme_is_built_not_taken_from_the_shipped_copy():
    reference.reference_docx.cache_clear()
    letter = parse_theme("page_size: Letter\n")
    assert reference.reference_docx(letter) != reference.packaged_path().read_bytes()
