"""Right-to-left text (issue 14): the Arabic version of the en/ar example, read back.

The PDF draws HarfBuzz's shaped glyphs (their codes are presentation forms or
private-use code points in the font's ToUnicode map) and carries each run's
letters as /ActualText, which poppler reads: pypdf, which ignores ActualText,
shows what was drawn, pdftotext what the reader copies.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import page
import pytest
from conftest import EXAMPLES, write_spec
from lxml import etree

from framework_kit import api
from framework_kit.render.direction import levels, visual_order

from hostile import STARTER

SPEC = EXAMPLES / "invented-river-delta-en-ar.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Arabic letters that join on both sides: drawn unshaped, a word of them shows these code points.
_JOINING = "بتثجحخسشصضطظعغفقكلمنهي"


@pytest.fixture(scope="module")
def rendered() -> dict:
    result = api.render_bytes(SPEC.read_bytes(), str(SPEC))
    assert result.files, [d.message for d in result.diagnostics]
    return {file.filename: file for file in result.files}


def _file(rendered, document: str, language: str, extension: str):
    return next(f for name, f in rendered.items()
                if f"_{document}_{language}.{extension}" in name)


def pdftotext(data: bytes, *options: str) -> str:
    done = subprocess.run(["pdftotext", *options, "-", "-"], input=data, capture_output=True, check=True)
    return _BIDI_CONTROLS.sub("", done.stdout.decode("utf-8"))


def drawn_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


# ------------------------------------------------------------------ the algorithm


def test_levels_keep_a_bracketed_latin_phrase_whole():
    # Rule N0 (paired brackets): without it "(A)" splits and prints "(Annex (A".
    text = "خط Annex (A) خلال"
    shown = "".join(text[i] for i in visual_order(levels(text, rtl=True)))
    assert shown == "لالخ Annex (A) طخ"


def test_a_number_and_a_latin_name_keep_their_own_order_inside_arabic():
    text = "تنسحب القوات (Annex A) خلال 14 يومًا"
    shown = "".join(text[i] for i in visual_order(levels(text, rtl=True)))
    assert "Annex A" in shown and "14" in shown
    assert shown.index("14") < shown.index("Annex")  # read from the right: Annex A first


# ------------------------------------------------------------------ the PDF


def words(text: str) -> list[str]:
    """The words and numbers of ``text`` (poppler's spacing around digits and brackets varies)."""
    return re.findall(r"\d+|[A-Za-z]+|(?:[^\W\d_A-Za-z]|[\u064b-\u0652\u0670])+", text)


def holds(text: str, phrase: str) -> bool:
    """Whether ``phrase``'s words stand in ``text`` in this order, one after the other."""
    have, want = words(text), words(phrase)
    return any(have[i:i + len(want)] == want for i in range(len(have) - len(want) + 1))


def test_the_arabic_term_sheet_reads_in_logical_order_with_arabic_furniture(rendered):
    pdf = _file(rendered, "term-sheet-delta-talks", "ar", "pdf")
    text = pdftotext(pdf.data)
    # The clause as typed: "Annex A (the map of 1 March 2027) within 14 days", in Arabic.
    assert holds(text, "يسحب الطرفان قواتهما إلى ما وراء الخطوط المبيّنة في الملحق أ "
                       "(خريطة 1 آذار/مارس 2027) في غضون 14 يومًا.")
    assert holds(text, "تتحقق بعثة المراقبة التابعة للجمعية (AOM) من الانسحاب")
    assert holds(text, "ورقة الشروط — الطاولة 1: أردينيا وبورفيا")
    assert holds(text, "الصفحة 1 من 2") and holds(text, "مسودة — للنقاش فقط")
    assert "Page" not in text and "Proposed by" not in text


def test_arabic_letters_are_drawn_joined_not_as_isolated_letters(rendered):
    pdf = _file(rendered, "term-sheet-delta-talks", "ar", "pdf")
    drawn = drawn_text(pdf.data)
    # The words of the clause are in the ActualText; the glyphs drawn are contextual forms.
    for word in ("الطرفان", "قواتهما", "المبيّنة", "الخطوط"):
        letters = word.replace("ّ", "")
        assert letters not in drawn and letters[::-1] not in drawn
    shaped = [c for c in drawn if 0xE000 <= ord(c) <= 0xF8FF or 0xFB50 <= ord(c) <= 0xFEFF]
    assert len(shaped) > 100
    # No joining letter stands between two others of its word in its isolated form.
    for match in re.finditer(f"[{_JOINING}]{{3,}}", drawn):
        pytest.fail(f"unjoined letters drawn: {match.group()}")


def test_clause_numbers_stand_at_the_right_of_their_text(rendered):
    pdf = _file(rendered, "term-sheet-delta-talks", "ar", "pdf")
    boxes = pdftotext(pdf.data, "-bbox", "-f", "1", "-l", "1")
    words = [(float(x), text) for x, text in re.findall(r'xMin="([\d.]+)"[^>]*>([^<]+)</word>', boxes)]
    number = next(x for x, text in words if text == "1.1")
    clause = next(x for x, text in words if text in ("يسحب", "بحسي"))  # bbox words read visually
    assert number > clause > 300  # both at the right of the page, the number outermost


def test_the_arabic_pdfs_are_pdf_a(rendered):
    # The widths of the glyphs shaping adds are the font program's own (they were HarfBuzz's
    # advances: TRUETYPE-GLYPH-WIDTH).
    for name, file in rendered.items():
        if name.endswith("_ar.pdf"):
            report = page.validate_pdf_bytes(file.data, profile="2b")
            assert not [(f.rule_id, f.message) for f in report.failures], name


def test_the_english_version_is_not_set_right_to_left(rendered):
    pdf = _file(rendered, "term-sheet-delta-talks", "en", "pdf")
    assert b"ActualText" not in pdf.data
    text = " ".join(pdftotext(pdf.data).split())
    assert "The Parties shall withdraw their forces" in text and "Page 1 of 2" in text


def test_an_arabic_name_in_an_english_document_is_shaped(tmp_path):
    spec = write_spec(tmp_path, STARTER.replace("name: State A", "name: مصر العربية"))
    result = api.render_file(spec, tmp_path / "out")
    assert not result.errors, [d.message for d in result.errors]
    brief = next(tmp_path.glob("out/*brief*.pdf")).read_bytes()
    assert "مصر العربية" in pdftotext(brief)
    assert "العربية" not in drawn_text(brief)


def test_an_arabic_letter_amiri_lacks_is_r004(tmp_path):
    spec = write_spec(tmp_path, STARTER.replace("name: State A", "name: \u08a1ab"))
    result = api.render_file(spec, tmp_path / "out")
    [error] = result.errors
    assert error.code == "R004" and "U+08A1" in error.message and "Amiri" in error.message
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


# ------------------------------------------------------------------ the DOCX


def _xml(file, part: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(file.data)) as package:
        return etree.fromstring(package.read(part))


def test_the_arabic_docx_marks_paragraphs_runs_and_tables_right_to_left(rendered):
    docx = _file(rendered, "term-sheet-delta-talks", "ar", "docx")
    body = _xml(docx, "word/document.xml")
    paragraphs = body.findall(f".//{W}p")
    assert paragraphs and all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)
    tables = body.findall(f".//{W}tbl")
    assert tables and all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in tables)
    assert body.find(f".//{W}sectPr/{W}bidi") is not None
    arabic = [r for r in body.iter(f"{W}r") if "يسحب" in "".join(t.text or "" for t in r.iter(f"{W}t"))]
    assert arabic
    for run in arabic:
        properties = run.find(f"{W}rPr")
        assert properties.find(f"{W}rtl") is not None
        assert properties.find(f"{W}rFonts").get(f"{W}cs") == "Amiri"
        assert properties.find(f"{W}lang").get(f"{W}bidi") == "ar"
    for part in ("word/header1.xml", "word/footer1.xml"):
        assert _xml(docx, part).find(f".//{W}pPr/{W}bidi") is not None
    fonts = _xml(docx, "word/fontTable.xml")
    amiri = [f for f in fonts.findall(f"{W}font") if f.get(f"{W}name") == "Amiri"]
    assert amiri and amiri[0].find(f"{W}embedRegular") is not None


def test_the_english_docx_has_no_right_to_left_marks(rendered):
    docx = _file(rendered, "term-sheet-delta-talks", "en", "docx")
    body = _xml(docx, "word/document.xml")
    assert body.find(f".//{W}bidi") is None and body.find(f".//{W}rtl") is None
    with zipfile.ZipFile(io.BytesIO(docx.data)) as package:
        assert b"Amiri" not in package.read("word/fontTable.xml")


def test_hebrew_is_set_right_to_left_in_a_house_font_that_has_it(tmp_path):
    # No shipped font has Hebrew (test_glyphs: R004); a house font that has it is shaped and
    # ordered by the same code, and its runs keep the house font as their complex-script font.
    from fontmaker import make_font

    hebrew = "ישראל והמדינה"
    templates = tmp_path / "t"
    lines = ["font:", "  name: Test House"]
    for face, style in (("regular", "Regular"), ("bold", "Bold"), ("italic", "Italic"),
                        ("bold_italic", "BoldItalic")):
        make_font(templates / "fonts" / f"TestHouse-{style}.ttf", hebrew, style=style)
        lines.append(f"  {face}: fonts/TestHouse-{style}.ttf")
    (templates / "theme.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = write_spec(tmp_path, STARTER.replace("name: State A", f"name: {hebrew}"))
    result = api.render_file(spec, tmp_path / "out", templates_dir=templates, only=("brief",))
    assert result.ok, result.diagnostics
    pdf = next(path for path, _ in result.written if path.suffix == ".pdf").read_bytes()
    assert holds(pdftotext(pdf), hebrew)
    drawn = drawn_text(pdf)
    assert drawn.index("והמדינה") < drawn.index("ישראל")  # drawn from the left: the last word first
    docx = next(path for path, _ in result.written if path.suffix == ".docx")
    with zipfile.ZipFile(docx) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    runs = [r for r in body.iter(f"{W}r") if "ישראל" in "".join(t.text or "" for t in r.iter(f"{W}t"))]
    assert runs and all(r.find(f"{W}rPr/{W}rtl") is not None for r in runs)
    assert all(r.find(f"{W}rPr/{W}rFonts") is None or r.find(f"{W}rPr/{W}rFonts").get(f"{W}cs") != "Amiri"
               for r in runs)


def test_the_same_arabic_spec_gives_the_same_bytes_whatever_was_shaped_before():
    # Glyphs without a code point get private-use ones: from the font, not in order of use.
    # Each process starts clean; one shapes another Arabic text before the example.
    import sys

    script = ("import sys; from framework_kit import api\n"
              "if sys.argv[1] == 'after':\n"
              "    api.render_bytes(sys.argv[3].encode(), 'other.yaml', formats=('pdf',))\n"
              "r = api.render_bytes(open(sys.argv[2], 'rb').read(), sys.argv[2], formats=('pdf',), "
              "only=['brief'])\n"
              "sys.stdout.buffer.write([f for f in r.files if f.language == 'ar'][0].data)\n")
    other = STARTER.replace("name: State A", "name: تتعهد الأطراف كافة بالامتثال لمضمون الملحق")
    alone, after = (subprocess.run([sys.executable, "-c", script, order, str(SPEC), other],
                                   capture_output=True, check=True).stdout for order in ("alone", "after"))
    assert alone and alone == after


def test_arabic_lists_are_separated_with_the_arabic_comma(rendered):
    # A term sheet names the tables its own is linked with: "Interlocking linkage: Table 1، Table 2
    # and Table 3" (a Latin comma there before).
    text = pdftotext(_file(rendered, "term-sheet-delta-talks", "ar", "pdf").data)
    line = next(line for line in text.splitlines() if "ترابط متشابك" in line)
    assert "،" in line and "," not in line
    from framework_kit.text import plain_list

    assert plain_list(["أ", "ب", "ج"], "و", "، ") == "أ، ب و ج"


def test_the_initialling_block_names_each_party_in_the_arabic_pdf(rendered):
    # A spanned cell of a mirrored table: reportlab prints the span's first cell, which
    # mirroring had left empty, so the parties' names were missing from the block.
    sheet = _file(rendered, "term-sheet-delta-talks", "ar", "pdf")
    last = pdftotext(sheet.data).split("\f")[-2]
    for party in ("جمهورية أردينيا", "اتحاد بورفيا"):
        assert f"عن {party}" in last, last


def test_a_mirrored_table_keeps_a_spanned_cells_text_in_the_span():
    from framework_kit.render.writers.pdf.rtl import mirrored

    rows = [["party", "", "gap", "other", ""], ["a", "b", "", "c", "d"]]
    commands = [("SPAN", (0, 0), (1, 0)), ("SPAN", (3, 0), (4, 0))]
    flipped, _, spans = mirrored(rows, [1, 2, 3, 4, 5], commands)
    assert spans == [("SPAN", (3, 0), (4, 0)), ("SPAN", (0, 0), (1, 0))]
    assert flipped[0] == ["other", "", "gap", "party", ""]
    assert flipped[1] == ["d", "c", "", "b", "a"]
