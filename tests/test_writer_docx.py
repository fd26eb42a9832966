"""The DOCX writer, read back with python-docx and by inspecting the package XML."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from docx.shared import Pt, RGBColor
from lxml import etree

from doc_samples import CYRILLIC, process_figure, sample_document, sample_meta
from framework_kit.render.doctree import (
    Cell,
    Clause,
    Document,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    Note,
    PageBreak,
    Paragraph,
    Rule,
    Signatory,
    SignatureBlock,
    Strong,
    Table,
    Text,
)
from framework_kit.render.writers.docx.default_reference import reference_docx
from framework_kit.render.theme import Theme
from framework_kit.render.writers.docx import ReferenceDocError
from framework_kit.render.writers.docx.writer import write_docx as write

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
THEME = Theme()


def small_document(*blocks, **meta) -> Document:
    return Document(sample_meta(**meta), list(blocks))


def opened(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def texts(data: bytes) -> list[tuple[str, str]]:
    """(style, text) of every body paragraph, with the number Word's outline numbering
    shows in front of it (a small model of Word's counters) and a tab after it."""
    numbering = etree.fromstring(part(data, "word/numbering.xml").encode())
    outline = {a.get(f"{W}abstractNumId"): [lvl.find(f"{W}lvlText").get(f"{W}val")
                                             for lvl in a.iter(f"{W}lvl")]
               for a in numbering.iter(f"{W}abstractNum")
               if a.find(f"{W}multiLevelType").get(f"{W}val") == "multilevel"}
    nums = {}
    for num in numbering.iter(f"{W}num"):
        start = num.find(f"{W}lvlOverride/{W}startOverride")
        nums[num.get(f"{W}numId")] = (num.find(f"{W}abstractNumId").get(f"{W}val"),
                                      int(start.get(f"{W}val")) if start is not None else 1)
    counters: dict[str, list[int]] = {}
    found = []
    for paragraph in opened(data).paragraphs:
        num_pr = paragraph._p.find(f"{W}pPr/{W}numPr")
        prefix = ""
        if num_pr is not None:
            num_id = num_pr.find(f"{W}numId").get(f"{W}val")
            level = int(num_pr.find(f"{W}ilvl").get(f"{W}val"))
            abstract, start = nums.get(num_id, ("", 1))  # numId 0: no number
            if abstract in outline:
                count = counters.setdefault(num_id, [start - 1])
                count.extend([0] * (level + 1 - len(count)))
                count[level] += 1
                del count[level + 1:]
                prefix = outline[abstract][level]
                for index in range(level, -1, -1):
                    prefix = prefix.replace(f"%{index + 1}", str(count[index]))
                prefix += "\t"
        found.append((paragraph.style.name, prefix + paragraph.text))
    return found


@pytest.fixture(scope="module")
def sample() -> bytes:
    return write(sample_document(), THEME)


def test_paragraph_text_in_any_script_survives():
    data = write(small_document(Paragraph([Text("Державна мова: "), Strong([Text(CYRILLIC)])])),
                 THEME)
    assert ("Normal", "Державна мова: " + CYRILLIC) in texts(data)
    run = [r for p in opened(data).paragraphs for r in p.runs if r.text == CYRILLIC][0]
    assert run.bold


def test_heading_levels_map_to_title_and_headings():
    data = write(small_document(Heading(1, [Text("Term Sheet")]),
                                Heading(2, [Text("Parties")], number="1"),
                                Heading(3, [Text("Chairs")], number="1.1"),
                                Heading(4, [Text("Deputies")]),
                                Heading(2, [Text("Measures")], number="Annex A")), THEME)
    assert texts(data) == [("Title", "Term Sheet"), ("Heading 1", "1\tParties"),
                           ("Heading 2", "1.1\tChairs"), ("Heading 3", "Deputies"),
                           ("Heading 1", "Annex A\u2003Measures")]


def test_clauses_are_numbered_with_a_tab_and_styled_by_status():
    data = write(small_document(
        Clause("2.1", [Text("Agreed words.")], status="agreed"),
        Clause("2.2", [Text("Proposed words.")], attribution="Proposed by the Chair"),
        Clause("2.3", [Text("[Bracketed words.]")], status="bracketed")), THEME)
    assert texts(data) == [("Clause Agreed", "2.1\tAgreed words."),
                           ("Clause", "2.2\tProposed words."),
                           ("Clause Attribution", "Proposed by the Chair"),
                           ("Clause Bracketed", "2.3\t[Bracketed words.]")]
    styles = opened(data).styles
    assert styles["Clause"].paragraph_format.first_line_indent < 0  # a hanging indent
    assert styles["Clause Bracketed"].font.color.rgb == RGBColor.from_string("8A4B00")
    assert styles["Clause Attribution"].font.size == Pt(THEME.sizes["small"])


def test_tables_keep_cells_header_row_shading_and_widths(sample):
    tables = opened(sample).tables
    # fields, participants, measures, then signatures: six rows for each pair of signatories
    assert [len(t.rows) for t in tables] == [5, 5, 4, 12]
    fields, participants = tables[0], tables[1]
    assert fields.style.name == "Fields Table"
    assert fields.cell(0, 0).text == "Process"  # no header row shown in a fields table
    assert participants.style.name == "Table Grid"
    assert [c.text for c in participants.rows[0].cells] == ["Participant", "Capacity",
                                                            "Represented by"]
    assert participants.cell(1, 0).text == "Ukraine (" + CYRILLIC + ")"
    header_row = participants.rows[0]._tr
    assert header_row.find(f"{W}trPr/{W}tblHeader") is not None
    fill = header_row.find(f"{W}tc/{W}tcPr/{W}shd").get(f"{W}fill")
    assert fill == THEME.colour("header").lstrip("#").upper()
    grid = [int(c.get(f"{W}w")) for c in participants._tbl.find(f"{W}tblGrid")]
    assert grid[2] > grid[0] > grid[1]  # widths 0.38, 0.2, 0.42
    assert abs(sum(grid) - 9241) < 10  # A4 less 25 mm and 22 mm margins, in twips


def test_house_styles_exist_in_the_house_font(sample):
    styles = opened(sample).styles
    names = {s.name for s in styles}
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Normal", "Clause",
                 "Clause Bracketed", "Clause Attribution", "Legend", "Small", "Caption",
                 "Table Grid", "Fields Table", "Signature"):
        assert name in names
    assert styles["Normal"].font.name == "IBM Plex Serif"
    assert styles["Normal"].font.size == Pt(THEME.sizes["body"])
    assert 'w:ascii="IBM Plex Serif"' in part(sample, "word/styles.xml")


def test_header_and_footer_carry_marking_reference_and_page_fields(sample):
    section = opened(sample).sections[0]
    assert "DRAFT — FOR DISCUSSION ONLY" in section.header.paragraphs[0].text
    assert "OSE/UA-3L/TS-A/0.3" in section.header.paragraphs[0].text
    footer = part(sample, "word/footer1.xml")
    assert "Version 0.3 — 2026-11-25" in footer
    instructions = [node.text.strip() for node in etree.fromstring(footer.encode()).iter(
        f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.count('w:fldCharType="begin"') == 2


def test_watermark_is_drawn_only_when_asked():
    with_mark = part(write(small_document(Paragraph([Text("x")])), THEME), "word/header1.xml")
    assert 'string="DRAFT"' in with_mark and "rotation:305" in with_mark
    final = part(write(small_document(Paragraph([Text("x")]), watermark=""), THEME),
                 "word/header1.xml")
    assert "v:textpath" not in final and "DRAFT — FOR DISCUSSION ONLY" in final


def test_notes_become_real_footnotes(sample):
    footnotes = etree.fromstring(part(sample, "word/footnotes.xml").encode())
    notes = {n.get(f"{W}id"): "".join(n.itertext()) for n in footnotes.iter(f"{W}footnote")}
    assert set(notes) == {"-1", "0", "1", "2", "3"}
    assert "Verkhovna Rada" in notes["1"] and "security guarantees" in notes["3"]
    body = part(sample, "word/document.xml")
    assert body.count("<w:footnoteReference") == 3
    assert 'relationships/footnotes"' in part(sample, "word/_rels/document.xml.rels")


def test_core_properties_come_from_the_metadata_never_the_clock(sample, monkeypatch):
    core = opened(sample).core_properties
    assert core.title == "Term Sheet — Table A: Bilateral Negotiations"
    assert core.subject == "Ukraine three-level peace process"
    assert core.author == "Office of the Special Envoy"
    assert core.keywords == "term sheet, ceasefire, Table A"
    assert core.language == "en"
    assert core.revision == 1
    assert (core.category, core.content_status, core.version) == (
        "term-sheet", "DRAFT — FOR DISCUSSION ONLY", "0.3")
    assert core.created.isoformat()[:10] == "2026-11-25" == core.modified.isoformat()[:10]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pinned = opened(write(sample_document(), THEME)).core_properties
    assert pinned.created.isoformat()[:10] == "2023-11-14"


def test_hostile_text_is_literal_and_impossible_characters_are_dropped():
    hostile = "AT&T a<b <font size=500> ]]> &amp; \x00\x0b\ufffe end"
    data = write(small_document(Heading(1, [Text(hostile)]), Paragraph([Text(hostile)]),
                                Clause("1.1", [Link('https://example.org/?a=1&b="x y"',
                                                    [Text(hostile)])]),
                                title=hostile, marking=hostile), THEME)
    expected = "AT&T a<b <font size=500> ]]> &amp;  end"
    paragraphs = texts(data)
    assert paragraphs[0] == ("Title", expected) and paragraphs[1] == ("Normal", expected)
    assert opened(data).core_properties.title == expected
    assert expected in opened(data).sections[0].header.paragraphs[0].text
    rels = part(data, "word/_rels/document.xml.rels")
    assert 'Target="https://example.org/?a=1&amp;b=%22x%20y%22"' in rels


def test_links_are_real_hyperlinks():
    data = write(small_document(Paragraph([Text("See "), Link("https://peacemaker.un.org/",
                                                              [Text("UN guidance")])])), THEME)
    body = etree.fromstring(part(data, "word/document.xml").encode())
    link = next(body.iter(f"{W}hyperlink"))
    assert "".join(link.itertext()) == "UN guidance"
    rel_id = link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    rels = part(data, "word/_rels/document.xml.rels")
    assert f'Id="{rel_id}"' in rels and 'TargetMode="External"' in rels


def test_nested_lists_use_word_numbering():
    data = write(small_document(ListBlock([
        [Paragraph([Text("one")]), ListBlock([[Paragraph([Text("one (a)")])]], ordered=True)],
        [Paragraph([Text("two")])]])), THEME)
    body = etree.fromstring(part(data, "word/document.xml").encode())
    levels = [(p.find(f"{W}pPr/{W}numPr/{W}ilvl").get(f"{W}val"), "".join(p.itertext()))
              for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}numPr") is not None]
    assert levels == [("0", "one"), ("1", "one (a)"), ("0", "two")]
    numbering = part(data, "word/numbering.xml")
    assert 'w:lvlText w:val="(%2)"' in numbering and "w:startOverride" in numbering


def test_figures_are_embedded_pngs_with_alt_text_and_caption():
    figure = process_figure()
    data = write(small_document(figure), THEME)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        png = archive.read("word/media/figure1.png")
    assert png.startswith(b"\x89PNG")
    body = part(data, "word/document.xml")
    assert f'descr="{figure.description}"' in body
    assert ("Caption", figure.caption) in texts(data)
    extent = etree.fromstring(body.encode()).find(
        ".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    assert int(extent.get("cx")) == 440 * 12700  # narrower than the text: natural size


def test_signature_blocks_page_breaks_and_rules():
    data = write(small_document(
        Rule(), PageBreak(),
        SignatureBlock("Initialled ad referendum", [Signatory("For Ukraine", office="Office of the President"),
                                                    Signatory("For the Chair", name="Special Envoy",
                                                              place="Geneva")])), THEME)
    assert texts(data)[0][0] == "Rule"
    assert 'w:type="page"' in part(data, "word/document.xml")
    assert ("Heading 2", "Initialled ad referendum") in texts(data)
    body = etree.fromstring(part(data, "word/document.xml").encode())
    rows = [["".join(cell.itertext()) for cell in row.iter(f"{W}tc")]
            for row in body.find(f".//{W}tbl").iter(f"{W}tr")]
    # Laid out as the PDF's block: the party across the label and line columns, then the
    # lines of doctree.SIGNATURE_LINES, label | line, a gap column between the two.
    assert rows[0] == ["For Ukraine", "", "For the Chair"]
    assert rows[1:] == [["Office", "Office of the President", "", "Office", ""],
                        ["Name", "", "", "Name", "Special Envoy"],
                        ["Place", "", "", "Place", "Geneva"],
                        ["Date", "", "", "Date", ""], ["Initials", "", "", "Initials", ""]]
    grid = [int(c.get(f"{W}w")) for c in body.iter(f"{W}gridCol")]
    assert grid[0] == grid[3] == 52 * 20 and grid[2] == 24 * 20
    line = body.findall(f".//{W}tbl/{W}tr")[1]
    cells = line.findall(f"{W}tc")
    # The value sits on a rule, the label beside it in the small muted style, both at the
    # foot of a row of the PDF's 24 pt.
    assert cells[1].find(f"{W}tcPr/{W}tcBorders/{W}bottom") is not None
    assert cells[0].find(f"{W}tcPr/{W}tcBorders") is None
    assert all(c.find(f"{W}tcPr/{W}vAlign").get(f"{W}val") == "bottom" for c in cells)
    assert line.find(f"{W}trPr/{W}trHeight").get(f"{W}val") == "480"
    labels = opened(data).styles["Signature"].font
    assert labels.size.pt == THEME.sizes["small"] and not labels.bold


def test_line_breaks_and_tabs_in_text_are_layout():
    data = write(small_document(Paragraph([Text("a\tb\nc"), LineBreak(), Text("d")])), THEME)
    body = part(data, "word/document.xml")
    assert body.count("<w:br/>") == 2 and "<w:tab/>" in body


def test_two_writes_are_byte_identical_with_fixed_zip_metadata(sample):
    assert write(sample_document(), THEME) == sample
    with zipfile.ZipFile(io.BytesIO(sample)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_a_restyled_reference_is_honoured():
    restyled = opened(reference_docx(THEME))
    normal = restyled.styles["Normal"]
    normal.font.size = Pt(14)
    normal.font.color.rgb = RGBColor(0xAA, 0x00, 0x00)
    restyled.sections[0].left_margin = docx.shared.Mm(40)
    restyled.styles["Clause Agreed"].delete()
    buffer = io.BytesIO()
    restyled.save(buffer)
    data = write(small_document(Paragraph([Text("Body")]),
                                Clause("1", [Text("x")], status="agreed")),
                 THEME, reference=buffer.getvalue())
    out = opened(data)
    assert out.styles["Normal"].font.size == Pt(14)
    assert out.styles["Normal"].font.color.rgb == RGBColor(0xAA, 0x00, 0x00)
    assert round(out.sections[0].left_margin.mm) == 40
    assert [text for _, text in texts(data)] == ["Body", "1\tx"]  # the samples are gone
    assert out.paragraphs[1].style.name == "Clause Agreed"  # a deleted style comes back


def test_an_unusable_reference_is_a_clear_error():
    with pytest.raises(ReferenceDocError, match="not a Word .docx file"):
        write(small_document(), THEME, reference=b"not a zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ReferenceDocError, match="damaged"):
        write(small_document(), THEME, reference=buffer.getvalue())


def test_empty_tables_and_cells_still_make_a_valid_document():
    data = write(small_document(Table([], []), Table([Cell([])], [[Cell([]), Cell([Text("b")])]]),
                                Table([], [[Cell([Text("a")])]], style="fields"),
                                Paragraph([Note([Text("note"), Note([Text("inner")])])])), THEME)
    tables = opened(data).tables
    assert [len(t.rows) for t in tables] == [2, 1]
    assert "note (inner)" in "".join(etree.fromstring(
        part(data, "word/footnotes.xml").encode()).itertext())


def test_a_reference_without_header_distance_keeps_the_header_off_the_page_edge():
    # LibreOffice saves a reference that has no header of its own with header="0".
    edited = opened(reference_docx(THEME))
    edited.sections[0].header_distance = 0
    buffer = io.BytesIO()
    edited.save(buffer)
    data = write(small_document(Paragraph([Text("x")])), THEME, reference=buffer.getvalue())
    assert round(opened(data).sections[0].header_distance.mm, 1) == 12.5  # half the top margin


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_is_written_and_read_back_without_the_impossible_characters(text):
    data = write(small_document(Paragraph([Text(text)]), Clause("1", [Text(text)])), THEME)
    kept = "".join(c for c in text if c in "\t\n\r" or "\x20" <= c <= "\ud7ff"
                   or "\ue000" <= c <= "\ufffd" or c >= "\U00010000")
    expected = kept.replace("\r\n", "\n").replace("\r", "\n")  # every line end a break
    paragraphs = texts(data)
    assert paragraphs[0][1] == expected
    assert paragraphs[1][1] == "1\t" + expected


def _numbered(data: bytes) -> list[bool]:
    """Whether Word numbers each paragraph (numId 0 means no number)."""
    ids = [p._p.find(f"{W}pPr/{W}numPr/{W}numId") for p in opened(data).paragraphs]
    return [node is not None and node.get(f"{W}val") != "0" for node in ids]


def test_sections_and_clauses_are_numbered_by_word_with_the_same_numbers():
    data = write(small_document(
        Heading(2, [Text("Ceasefire")], number="1"),
        Clause("1.1", [Text("First.")], status="agreed"),
        Clause("1.2", [Text("Second.")], status="bracketed", attribution="Proposed by X"),
        Heading(2, [Text("Prisoners")], number="2"),
        Clause("2.1", [Text("Third.")])), THEME)
    assert texts(data) == [
        ("Heading 1", "1\tCeasefire"), ("Clause Agreed", "1.1\tFirst."),
        ("Clause Bracketed", "1.2\tSecond."), ("Clause Attribution", "Proposed by X"),
        ("Heading 1", "2\tPrisoners"), ("Clause", "2.1\tThird.")]
    assert _numbered(data) == [True, True, True, False, True, True]
    # No number is typed: inserting a clause in Word renumbers the rest.
    assert all(not p.text[:1].isdigit() for p in opened(data).paragraphs)
    levels = part(data, "word/numbering.xml")
    assert 'w:lvlText w:val="%1.%2"' in levels and 'w:lvlText w:val="%1"' in levels


def test_numbers_word_would_not_produce_stay_typed():
    data = write(small_document(
        Heading(2, [Text("Zone")], number="3"),  # a list may start anywhere
        Clause("3.1", [Text("a")]),
        Clause("3.5", [Text("b")]),  # a gap
        Clause("3.5", [Text("c")]),  # a repeat
        Heading(2, [Text("Measures")], number="Annex A"),
        Clause("A.1", [Text("d")])), THEME)
    assert texts(data) == [
        ("Heading 1", "3\tZone"), ("Clause", "3.1\ta"), ("Clause", "3.5\tb"),
        ("Clause", "3.5\tc"), ("Heading 1", "Annex A\u2003Measures"), ("Clause", "A.1\td")]
    assert _numbered(data) == [True, True, False, False, False, False]


def _run_languages(data: bytes) -> list[tuple[str, dict]]:
    body = etree.fromstring(part(data, "word/document.xml").encode())
    found = []
    for run in body.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        lang = run.find(f"{W}rPr/{W}lang")
        found.append((text, {} if lang is None else {etree.QName(k).localname: v
                                                      for k, v in lang.attrib.items()}))
    return found


def test_runs_in_another_script_carry_their_language():
    data = write(small_document(Paragraph([
        Text("Україна (Ukraine) and "), Strong([Text("Объединённые Нации")]),
        Text(" meet in 北京 and القدس.")]), languages=("en", "uk", "ru")), THEME)
    runs = _run_languages(data)
    assert runs == [("Україна (", {"val": "uk"}), ("Ukraine) and ", {}),
                    ("Объединённые Нации", {"val": "ru"}), (" meet in ", {}),
                    ("北京 ", {"eastAsia": "und-Hani"}), ("and ", {}),
                    ("القدس.", {"bidi": "und-Arab"})]
    # The document's own language is the default, not repeated on every run.
    assert 'w:lang w:val="en"' in part(data, "word/styles.xml")
    assert opened(data).paragraphs[0].text == "Україна (Ukraine) and Объединённые Нации meet in 北京 and القدس."


def test_a_cyrillic_name_with_its_language_unknown_gets_a_script_tag():
    data = write(small_document(Paragraph([Text("Москва")])), THEME)
    assert _run_languages(data) == [("Москва", {"val": "und-Cyrl"})]


def _keeps(data: bytes) -> list[tuple[str, bool]]:
    return [(p.text, p._p.find(f"{W}pPr/{W}keepNext") is not None
             or bool(p.style.paragraph_format.keep_with_next))
            for p in opened(data).paragraphs]


def test_the_initialling_block_stays_with_the_last_clause():
    block = SignatureBlock("Initialled ad referendum", [Signatory("Ukraine"), Signatory("Russia")])
    data = write(small_document(Clause("1.1", [Text("First.")]),
                                Clause("1.2", [Text("Last.")], attribution="Proposed by X"),
                                block), THEME)
    keeps = _keeps(data)
    assert keeps[:4] == [("1.1\tFirst.", False), ("1.2\tLast.", True), ("Proposed by X", True),
                         ("Initialled ad referendum", True)]
    body = etree.fromstring(part(data, "word/document.xml").encode())
    rows = body.findall(f".//{W}tbl/{W}tr")
    assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    # Every row but the last keeps with the next: the block moves as one.
    for row in rows[:-1]:
        assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in row.iter(f"{W}p"))
    # keepNext sits in its schema place, right after the paragraph style.
    attribution = body.findall(f".//{W}p")[2].find(f"{W}pPr")
    assert [etree.QName(c).localname for c in attribution][:2] == ["pStyle", "keepNext"]


def test_a_table_before_the_initialling_block_keeps_its_last_row_with_it():
    data = write(small_document(Table([Cell([Text("h")])], [[Cell([Text("a")])], [Cell([Text("b")])]]),
                                SignatureBlock("", [Signatory("Ukraine")])), THEME)
    body = etree.fromstring(part(data, "word/document.xml").encode())
    first_table = body.find(f".//{W}tbl")
    last_row = first_table.findall(f"{W}tr")[-1]
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in last_row.iter(f"{W}p"))


def test_widow_and_orphan_control_is_on_by_default():
    # Absent, the schema says it is off: a clause's last line could open a page alone.
    styles = etree.fromstring(part(write(small_document(Paragraph([Text("x")])), THEME),
                                   "word/styles.xml").encode())
    ppr = styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
    assert [etree.QName(c).localname for c in ppr][0] == "widowControl"
    assert opened(write(small_document(Paragraph([Text("x")])), THEME)).styles[
        "Normal"].paragraph_format.widow_control in (None, True)


def test_an_attribution_continues_its_clause_without_a_number_and_keeps_its_indent():
    data = write(small_document(
        Heading(2, [Text("Ceasefire")], number="1"),
        Paragraph([Text("Opening words.")]),
        Clause("1.1", [Text("First.")], attribution="Proposed by X"),
        Heading(2, [Text("Initialled")]),
        Paragraph([Text("After.")])), THEME)
    body = etree.fromstring(part(data, "word/document.xml").encode())
    paragraphs = body.findall(f".//{W}p")

    def num_pr(p):
        node = p.find(f"{W}pPr/{W}numPr")
        return None if node is None else (node.find(f"{W}numId").get(f"{W}val"),
                                          node.find(f"{W}ilvl").get(f"{W}val"))
    assert num_pr(paragraphs[1]) == ("0", "0")  # the section's opening words
    assert num_pr(paragraphs[3]) == ("0", "1")  # the attribution, at its clause's level
    assert num_pr(paragraphs[5]) is None  # after an unnumbered heading: no list to continue
    indent = paragraphs[3].find(f"{W}pPr/{W}ind")
    assert indent is not None and int(indent.get(f"{W}left")) > 0
    assert texts(data)[3] == ("Clause Attribution", "Proposed by X")


def _table_rows_kept(body) -> list[bool]:
    return [all(p.find(f"{W}pPr/{W}keepNext") is not None for p in row.iter(f"{W}p"))
            for row in body.find(f".//{W}tbl").findall(f"{W}tr")]


def test_a_heading_its_short_lead_in_and_a_short_table_stay_together():
    # The brief's "The framework's essentials" / "Checked against ..." / its table: LibreOffice
    # left the heading and the lead-in at the foot of a page and the table on the next.
    rows = [[Cell([Text(f"row {n}")])] for n in range(3)]
    data = write(small_document(Heading(2, [Text("Essentials")]), Paragraph([Text("Checked.")], style="small"),
                                Table([Cell([Text("Essential")])], rows)), THEME)
    body = etree.fromstring(part(data, "word/document.xml").encode())
    lead = next(p for p in body.iter(f"{W}p") if "".join(p.itertext()) == "Checked.")
    assert lead.find(f"{W}pPr/{W}keepNext") is not None
    assert _table_rows_kept(body) == [True, True, True, False]  # four rows: it moves whole


def test_a_long_table_keeps_only_its_first_rows_with_its_heading_and_a_long_paragraph_is_not_kept():
    rows = [[Cell([Text(f"row {n}")])] for n in range(9)]
    long_text = "A paragraph that says a great deal before the table. " * 8
    data = write(small_document(Heading(2, [Text("Measures")]), Paragraph([Text(long_text)]),
                                Table([Cell([Text("Measure")])], rows)), THEME)
    body = etree.fromstring(part(data, "word/document.xml").encode())
    paragraph = next(p for p in body.iter(f"{W}p") if "".join(p.itertext()) == long_text)
    assert paragraph.find(f"{W}pPr/{W}keepNext") is None
    assert not any(_table_rows_kept(body))  # not introduced by its heading: nothing kept
    data = write(small_document(Heading(2, [Text("Measures")]), Table([Cell([Text("Measure")])], rows)), THEME)
    kept = _table_rows_kept(etree.fromstring(part(data, "word/document.xml").encode()))
    assert kept == [True] + [False] * 9  # the header with the first row, as in the PDF


def test_a_compact_tables_cells_are_padded_as_in_the_pdf():
    from framework_kit.render.doctree import CELL_PADDING

    data = write(small_document(Table([Cell([Text("Participant")])], [[Cell([Text("Ukraine")])]],
                                      style="compact")), THEME)
    body = etree.fromstring(part(data, "word/document.xml").encode())
    margins = {etree.QName(m).localname: int(m.get(f"{W}w"))
               for m in body.find(f".//{W}tblPr/{W}tblCellMar")}
    top, bottom, side = CELL_PADDING["compact"]
    assert margins == {"top": top * 20, "left": side * 20, "bottom": bottom * 20, "right": side * 20}


def test_a_column_is_widened_only_for_a_word_that_does_not_fit_it():
    # "Humanitarian" fits 15% of the text width in the PDF; an estimate of its width once
    # took room from the measure column, which then wrapped where the PDF's did not.
    header = [Cell([Text("Measure")]), Cell([Text("Category")]), Cell([Text("Timing")])]
    rows = [[Cell([Text("Exchange of prisoners")]), Cell([Text("Humanitarian")]), Cell([Text("From D-Day")])]]
    data = write(small_document(Table(header, rows, widths=[0.55, 0.15, 0.30], style="compact")), THEME)
    body = etree.fromstring(part(data, "word/document.xml").encode())
    grid = [int(c.get(f"{W}w")) for c in body.iter(f"{W}gridCol")]
    assert abs(grid[0] / sum(grid) - 0.55) < 0.005 and abs(grid[1] / sum(grid) - 0.15) < 0.005
    wide = [[Cell([Text("Measure")]), Cell([Text("Internationalisation")]), Cell([Text("x")])]]
    data = write(small_document(Table(header, wide, widths=[0.55, 0.15, 0.30], style="compact")), THEME)
    grid = [int(c.get(f"{W}w")) for c in etree.fromstring(
        part(data, "word/document.xml").encode()).iter(f"{W}gridCol")]
    assert grid[1] / sum(grid) > 0.16  # a word wider than the column still widens it


def test_the_watermark_lies_along_the_pages_diagonal_as_in_the_pdf():
    # Word's own 45 degrees and the text width: on the landscape schedule the mark ran off
    # the top and bottom of the page in LibreOffice. The PDF's lies along the diagonal,
    # half its length, centred on the page.
    import math
    import re

    from conftest import UKRAINE
    from framework_kit.api import render_bytes

    result = render_bytes(UKRAINE.read_bytes(), UKRAINE.name, formats=("docx",), only=["brief", "cbm-schedule"])
    for file in result.files:
        header = part(file.data, "word/header1.xml")
        size = re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', part(file.data, "word/document.xml"))
        width, height = int(size[1]) / 20, int(size[2]) / 20
        style = re.search(r'id="PowerPlusWaterMarkObject1"[^>]*style="([^"]*)"', header)[1]
        assert f"rotation:{round(360 - math.degrees(math.atan2(height, width)))};" in style, file.filename
        assert abs(float(re.search(r"width:([\d.]+)pt", style)[1]) - math.hypot(width, height) / 2) < 0.2
        assert "horizontal-relative:page" in style and "vertical-relative:page" in style
    landscape = next(f for f in result.files if "cbm-schedule" in f.filename)
    assert "rotation:325;" in part(landscape.data, "word/header1.xml")
