"""The PDF writer, tested on hand-built document trees and read back with pypdf."""

from __future__ import annotations

import io
import re
import time

import pytest
from doc_samples import CYRILLIC, sample_document, sample_meta
from pypdf import PdfReader

from framework_kit.render import doctree as d
from framework_kit.render.theme import Theme
from framework_kit.render.writers.pdf.writer import CREATOR, write_pdf as write

HOSTILE = ["AT&T", "a<b", "<font size=500>", "x &amp; y", "]]>", "<b>not bold</b>"]


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in read(data).pages]


def flat(text: str) -> str:
    """Text without any whitespace, so words broken across lines still match."""
    return re.sub(r"\s+", "", text)


def document(blocks, **meta) -> d.Document:
    return d.Document(sample_meta(**meta), blocks)


def clauses(count: int, prefix: str = "1") -> list[d.Clause]:
    words = ("The Parties shall exchange, through the Chair, lists of all persons detained in "
             "connection with the conflict, and shall update them every thirty days.")
    return [d.Clause(f"{prefix}.{i}", [d.Text(f"{words} Marker {prefix}-{i}.")], status="agreed")
            for i in range(1, count + 1)]


@pytest.fixture(scope="module")
def sample() -> tuple[bytes, int]:
    return write(sample_document(), Theme())


def test_sample_text_reads_back_with_cyrillic(sample):
    data, _ = sample
    text = "\n".join(pages_text(data))
    assert "Term Sheet — Table A: Bilateral Negotiations" in text
    assert "Україна" in text
    for letter in "ґєії":
        assert letter in text
    assert "Steering Group" in text  # the figure's text is real text in the PDF
    assert "Initialled ad referendum" in text and "For the Russian Federation" in text


def test_page_count_and_page_x_of_y(sample):
    data, pages = sample
    texts = pages_text(data)
    assert pages == len(texts) == 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text


def test_header_and_footer_on_every_page(sample):
    data, _ = sample
    for text in pages_text(data):
        assert "DRAFT — FOR DISCUSSION ONLY" in text
        assert "OSE/UA-3L/TS-A/0.3" in text
        assert "Version 0.3 — 2026-11-25" in text


def test_only_embedded_ibm_plex_serif_subsets(sample):
    data, _ = sample
    seen = set()
    for page in read(data).pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            seen.add(name)
            assert "Helvetica" not in name
            assert re.fullmatch(r"/[A-Z]{6}\+IBMPlexSerif-(Regular|Bold|Italic|BoldItalic)", name), name
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] \
                if "/DescendantFonts" in font else font["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()  # the TrueType program is in the file
    assert any("-Bold" in name for name in seen) and any("-Italic" in name for name in seen)
    assert b"Helvetica" not in data


def test_metadata(sample):
    data, _ = sample
    reader = read(data)
    info = reader.metadata
    assert info.title == "Term Sheet — Table A: Bilateral Negotiations"
    assert info.author == "Office of the Special Envoy"
    assert info.subject == "Ukraine three-level peace process"
    assert "ceasefire" in info["/Keywords"] and "Table A" in info["/Keywords"]
    assert info.creator == CREATOR
    assert info["/CreationDate"].startswith("D:20261125")
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_two_writes_are_byte_identical(sample):
    write(document([d.Paragraph([d.Text(CYRILLIC + " other glyphs: ÆØÅ €")])]), Theme())
    assert write(sample_document(), Theme())[0] == sample[0]


def test_source_date_epoch_sets_the_creation_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    data, _ = write(document([d.Paragraph([d.Text("Dated.")])]), Theme())
    assert read(data).metadata["/CreationDate"].startswith("D:20231114")


def test_watermark_drawn_as_outlines_when_set_and_absent_when_empty():
    blocks = [d.Paragraph([d.Text("Body text.")]), d.PageBreak(), d.Paragraph([d.Text("More.")])]
    marked, _ = write(document(blocks, watermark="WATERMARKED"), Theme())
    plain, _ = write(document(blocks, watermark=""), Theme())
    # Drawn on every page as outlines in an /Artifact sequence: never text to extract.
    assert not any("WATERMARKED" in text for text in pages_text(marked) + pages_text(plain))
    pages = read(marked).pages
    # Each page places the one form of outlines inside the artifact sequence ...
    placed = rb"/Artifact <</Type /Pagination /Subtype /Watermark>> BDC\n[^\n]* rg\n/\S+ gs\n/(\S+) Do\nEMC"
    names = [re.search(placed, page.get_contents().get_data())[1].decode() for page in pages]
    forms = {page["/Resources"]["/XObject"].raw_get("/" + name).idnum for page, name in zip(pages, names)}
    assert len(pages) == 2 and len(forms) == 1  # one form in the file, for every page
    outlines = pages[0]["/Resources"]["/XObject"]["/" + names[0]].get_data()
    # ... which draws the letters' curves, and never text.
    assert outlines.count(b" c") > 20 and not re.search(rb"\b(BT|Tj|TJ|Tf)\b", outlines)
    assert not any(b"/Artifact" in page.get_contents().get_data() for page in read(plain).pages)


def test_a_watermark_is_drawn_once_per_process_and_page_size(monkeypatch):
    from framework_kit.render.writers.pdf import marked

    drawn = []
    real = marked.draw_outlined
    monkeypatch.setattr("framework_kit.render.writers.pdf.writer.draw_outlined",
                        lambda *args: drawn.append(args[1]) or real(*args))
    blocks = [d.Paragraph([d.Text("Body text.")])]
    first, _ = write(document(blocks, watermark="DRAWN ONCE"), Theme())
    again, _ = write(document(blocks, watermark="DRAWN ONCE"), Theme())
    assert drawn == ["DRAWN ONCE"] and again == first  # the second document reused its operators
    wide = document(blocks, watermark="DRAWN ONCE")
    wide.meta.orientation = "landscape"
    write(wide, Theme())
    assert drawn == ["DRAWN ONCE", "DRAWN ONCE"]  # another page, another drawing


def test_hostile_text_prints_literally():
    hostile = " | ".join(HOSTILE)
    blocks = [
        d.Heading(1, [d.Text(hostile)]),
        d.Heading(2, [d.Text(hostile)], number="2&3"),
        d.Paragraph([d.Text(hostile), d.Strong([d.Text(hostile)])]),
        d.Clause("1.1", [d.Text(hostile)], status="bracketed", attribution=hostile),
        d.Table([d.Cell([d.Text("Head <i>")])], [[d.Cell([d.Text(hostile)])]], caption=hostile),
        d.SignatureBlock(hostile, [d.Signatory(hostile, name=hostile)]),
        d.Paragraph([d.Link("javascript:alert(1)", [d.Text("not a link")])]),
    ]
    data, _ = write(document(blocks, marking="A&B <marking>", footer="<footer> & co"), Theme())
    text = flat("\n".join(pages_text(data)))
    for piece in HOSTILE + ["Head<i>", "A&B<marking>", "<footer>&co"]:
        assert flat(piece) in text
    for page in read(data).pages:
        for annotation in page.get("/Annots") or []:
            assert "javascript" not in str(annotation.get_object().get("/A", {}).get("/URI", ""))


def test_links_are_clickable(sample):
    data, _ = sample
    uris = [annotation.get_object()["/A"].get("/URI")
            for page in read(data).pages for annotation in page.get("/Annots") or []
            if "/A" in annotation.get_object()]
    assert "https://peacemaker.un.org/" in uris


def test_a_5000_character_word_wraps_without_hanging():
    word = "Переговори" * 500
    blocks = [d.Paragraph([d.Text(word)]), d.Clause("1.1", [d.Strong([d.Text(word)])]),
              d.Table([d.Cell([d.Text("Cell")])], [[d.Cell([d.Text(word)])]])]
    started = time.perf_counter()
    data, pages = write(document(blocks, watermark="", marking="", reference="", footer=""), Theme())
    assert time.perf_counter() - started < 10
    body = "".join(re.sub(r"Page \d+ of \d+|Cell", "", text) for text in pages_text(data))
    assert flat(body).count(word) == 3
    assert pages >= 2


def test_a_cell_longer_than_a_page_splits_across_pages():
    sentences = " ".join(f"Sentence {i} of a very long cell." for i in range(1, 400))
    table = d.Table([d.Cell([d.Text("Measure")]), d.Cell([d.Text("Detail")])],
                    [[d.Cell([d.Text("Short")]), d.Cell([d.Text(sentences + " THE-END")])]],
                    widths=[0.3, 0.7])
    data, pages = write(document([table]), Theme())
    texts = pages_text(data)
    assert pages >= 2
    joined = flat("".join(texts))
    assert flat("Sentence 1 of a very long cell.") in joined and "THE-END" in joined
    assert "Measure" in texts[1]  # the header row repeats on the next page


def test_long_table_repeats_its_header():
    rows = [[d.Cell([d.Text(f"Row {i}")]), d.Cell([d.Text("Both Parties")])] for i in range(120)]
    data, pages = write(document([d.Table([d.Cell([d.Text("Measure")]), d.Cell([d.Text("Who")])], rows)]),
                        Theme())
    texts = pages_text(data)
    assert pages >= 3
    assert all("Measure" in text for text in texts)
    assert "Row 119" in texts[-1]


def test_fields_table_has_no_header_row():
    table = d.Table([d.Cell([d.Text("HIDDEN-HEADER")])], [[d.Cell([d.Text("Label")]), d.Cell([d.Text("Value")])]],
                    style="fields")
    text = pages_text(write(document([table]), Theme())[0])[0]
    assert "Label" in text and "Value" in text and "HIDDEN-HEADER" not in text


def test_notes_are_footnotes_on_the_page_of_their_reference():
    notes = []
    blocks = []
    for section in range(1, 6):
        body = clauses(8, str(section))
        body[3].children.append(d.Note([d.Text(f"NOTE-{section} explains the reservation.")]))
        notes.append(section)
        blocks += [d.Heading(2, [d.Text(f"Section {section}")], number=str(section))] + body
    data, pages = write(document(blocks), Theme())
    texts = [flat(text) for text in pages_text(data)]
    assert pages >= 3
    for section in notes:
        reference_page = next(i for i, t in enumerate(texts) if f"Marker{section}-4." in t)
        note_page = next(i for i, t in enumerate(texts) if f"NOTE-{section}" in t)
        assert note_page == reference_page
    assert "Notes" not in texts[-1][:20]


def test_footnotes_never_overlap_the_text_when_many_crowd_a_page():
    body = clauses(40)
    for clause in body:
        clause.children.append(d.Note([d.Text(f"Note for {clause.number}: " + "reason " * 30)]))
    data, _ = write(document(body), Theme())
    reader = read(data)
    for page in reader.pages:
        positions = []

        def visit(text, cm, tm, font, size, positions=positions):
            positions.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text))

        page.extract_text(visitor_text=visit)
        body_lines = [y for y, text in positions if "Marker" in text]
        note_lines = [y for y, text in positions if text.startswith("Note for")]
        if body_lines and note_lines:
            assert min(body_lines) > max(note_lines)


def test_a_note_too_long_for_the_foot_of_a_page_becomes_an_endnote():
    long_note = d.Note([d.Text("ENDNOTE " + "very long reservation text " * 400)])
    data, _ = write(document([d.Clause("1.1", [d.Text("Clause with a long note"), long_note])]), Theme())
    text = "\n".join(pages_text(data))
    assert "Notes" in text and "ENDNOTE" in text


def test_letter_page_size_and_theme_colours():
    theme = Theme(page_size="Letter")
    data, _ = write(document([d.Paragraph([d.Text("Letter.")])]), theme)
    box = read(data).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_every_block_kind_renders():
    blocks = [
        d.ListBlock([[d.Paragraph([d.Text("Outer item")]),
                      d.ListBlock([[d.Paragraph([d.Text("Inner item")])]], ordered=True)]]),
        d.Rule(),
        d.PageBreak(),
        d.Paragraph([d.Text("After the break"), d.LineBreak(), d.Emph([d.Text("emphasised")])], style="quote"),
        d.Heading(3, [d.Text("Orphan sub-section")], number="9.9"),
    ]
    data, pages = write(document(blocks), Theme())
    texts = pages_text(data)
    assert pages == 2
    assert "Outer item" in texts[0] and "(a)" in texts[0] and "Inner item" in texts[0]
    assert "After the break" in texts[1] and "9.9" in texts[1]


def test_cyrillic_metadata_and_keywords():
    data, _ = write(document([d.Paragraph([d.Text(CYRILLIC)])], title="Угода — " + CYRILLIC,
                             keywords=["мир"]), Theme())
    info = read(data).metadata
    assert info.title == "Угода — " + CYRILLIC
    assert "мир" in info["/Keywords"]


def test_a_long_document_gives_the_same_bytes_twice_and_numbers_every_page():
    # Its speed (the 50 ms target) is measured by bench/run.py, not asserted here.
    doc = sample_document()
    doc.blocks[-2:-2] = [d.Heading(2, [d.Text("More")], number="5")] + clauses(36, "5")
    data, pages = write(doc, Theme())
    assert pages >= 5
    assert write(doc, Theme()) == (data, pages)
    texts = pages_text(data)
    assert all(f"Page {n} of {pages}" in text for n, text in enumerate(texts, start=1))


def _nested_list(depth: int) -> d.ListBlock:
    block = d.ListBlock([[d.Paragraph([d.Text("DEEPEST")])]])
    for _ in range(depth):
        block = d.ListBlock([[d.Paragraph([d.Text("level")]), block]], ordered=True)
    return block


ODD_DOCUMENTS = {
    "empty": [],
    "empty table": [d.Table([], [])],
    "ragged rows": [d.Table([d.Cell([d.Text("a")]), d.Cell([d.Text("b")])],
                            [[d.Cell([d.Text("1")])], [d.Cell([d.Text(str(i))]) for i in range(3)]], widths=[0.5])],
    "thirty columns": [d.Table([d.Cell([d.Text(f"Column {i}")]) for i in range(30)],
                               [[d.Cell([d.Text("Verification" * 3)]) for _ in range(30)]])],
    "empty figure": [d.Figure(0, 0, [])],
    "huge figure": [d.Figure(5000, 9000, [d.Box(0, 0, 5000, 9000, ["big"])], caption="c")],
    "degenerate connectors": [d.Figure(100, 100, [d.Connector([(1, 1)], arrow=True, label="x"),
                                                  d.Connector([(5, 5), (5, 5)], arrow=True)])],
    "deep list": [_nested_list(40)],
    "heading longer than a page": [d.Heading(2, [d.Text("Heading " * 1500)], number="1"),
                                   d.Paragraph([d.Text("after")])],
    "caption longer than a page": [d.Table([d.Cell([d.Text("h")])], [[d.Cell([d.Text("v")])]],
                                           caption="Caption " * 1500)],
    "empty clause": [d.Clause("", [])],
    "empty signature block": [d.SignatureBlock("", [])],
    "notes in links, notes and headings": [
        d.Heading(2, [d.Text("H"), d.Note([d.Text("heading note")])], number="1"),
        d.Paragraph([d.Link("https://example.org", [d.Text("l"), d.Note([d.Text("in link")])])]),
        d.Paragraph([d.Text("t"), d.Note([d.Text("outer"), d.Note([d.Text("inner")])])])],
    "control characters": [d.Paragraph([d.Text("a\x00b\x07c\x1bd")])],
}


@pytest.mark.parametrize("name", sorted(ODD_DOCUMENTS))
def test_odd_documents_still_render(name):
    started = time.perf_counter()
    data, pages = write(document(ODD_DOCUMENTS[name]), Theme())
    assert time.perf_counter() - started < 10
    assert pages >= 1 and len(read(data).pages) == pages
    assert "Page 1 of" in pages_text(data)[0]


def test_notes_inside_links_and_notes_keep_their_text():
    data, _ = write(document(ODD_DOCUMENTS["notes in links, notes and headings"]), Theme())
    text = pages_text(data)[0]
    for piece in ("heading note", "in link", "outer", "inner"):
        assert piece in text


def test_overlong_header_lines_are_shortened_not_overflowing():
    data, _ = write(document([d.Paragraph([d.Text("x")])], marking="M" * 5000, reference="R" * 5000,
                             footer="F " * 3000, title="T" * 5000), Theme())
    text = pages_text(data)[0]
    assert "M" * 20 + "…" in text and "R" * 20 + "…" in text


def test_outline_and_note_links_point_to_the_right_pages(sample):
    data, _ = sample
    reader = read(data)
    entries = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                entries[item.title] = reader.get_destination_page_number(item)

    walk(reader.outline)
    assert entries["Term Sheet — Table A: Bilateral Negotiations"] == 0
    assert entries["3.1 Decision-making"] == 1
    assert entries["Annex A Confidence-building measures"] == 2
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            destination = annotation.get_object().get("/Dest")
            if destination is not None:  # a note reference: its note is on the same page
                assert reader.get_page_number(destination[0].get_object()) == number


def test_notes_too_many_for_one_page_continue_on_the_next():
    notes = [d.Note([d.Text(f"LONGNOTE{i} " + "reason " * 200)]) for i in range(6)]
    blocks = [d.Table([d.Cell([d.Text("h")])], [[d.Cell([d.Text("x")] + notes)]]),
              d.Paragraph([d.Text("After the table.")])]
    data, pages = write(document(blocks), Theme())
    texts = pages_text(data)
    assert pages == 2
    assert "x1,2,3,4,5,6" in flat(texts[0])
    assert all(f"LONGNOTE{i}" in "".join(texts) for i in range(6))
    assert "LONGNOTE0" in texts[0] and "LONGNOTE5" in texts[1]
    assert "After the table." in "".join(texts)


def test_an_impossible_layout_is_a_plain_error_not_a_traceback(monkeypatch):
    from reportlab.platypus import Table

    from framework_kit.render.writers.pdf import blocks as pdf_blocks
    from framework_kit.render.writers.pdf import PdfError

    # Long names now flow (tests/test_hostile_render.py); a fixed row taller than the page cannot.
    monkeypatch.setattr(pdf_blocks.BlockBuilder, "signatures",
                        lambda self, block: [Table([["x"]], rowHeights=[5000])])
    giant = d.SignatureBlock("Signed", [d.Signatory("A"), d.Signatory("B")])
    with pytest.raises(PdfError, match="too large for one page") as caught:
        write(document([giant]), Theme())
    assert "0x" not in str(caught.value) and "Flowable" not in str(caught.value)
