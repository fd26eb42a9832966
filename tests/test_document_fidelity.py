"""Documents that hold up outside our own tools (issue 11): PDF/A, text extraction, the brief's size.

Every example and the larger designs in tests/designs (12–20 participants, 6–8 tables,
7–16 CBMs, Cyrillic names) are rendered once; every PDF is read back with poppler and
validated as PDF/A-2b by two validators: `page` (the page-validation package) and
pikepdf's own. reportlab writes the archival structure (render/writers/pdf/archive.py);
tests/test_pdf_archive.py checks what neither validator does, the XMP against the
document information.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import page
import pytest
from pypdf import PdfReader

from framework_kit import api

from conftest import EXAMPLES

DESIGNS = Path(__file__).resolve().parent / "designs"
SPECS = [EXAMPLES / "ukraine-three-level.yaml", EXAMPLES / "invented-river-delta.yaml",
         DESIGNS / "large-15-participants.yaml", DESIGNS / "limit-20-participants.yaml",
         DESIGNS / "beyond-the-brief.yaml"]
WITHIN_LIMITS = SPECS[:4]


@pytest.fixture(scope="module")
def rendered() -> dict:
    out = {}
    for spec in SPECS:
        result = api.render_bytes(spec.read_bytes(), str(spec), formats=("pdf",))
        assert result.files, [d.message for d in result.diagnostics]
        out[spec.name] = result
    return out


def pdfs(rendered, names=None):
    for name, result in rendered.items():
        if names is None or name in names:
            for file in result.files:
                yield name, file


def pdftotext(data: bytes, *options: str) -> list[str]:
    """The text of each page, as poppler extracts it."""
    done = subprocess.run(["pdftotext", *options, "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8").split("\f")[:-1]


def test_every_pdf_is_valid_pdf_a_2b(rendered):
    from pikepdf import pdfa

    for name, file in pdfs(rendered):
        report = page.validate_pdf_bytes(file.data, profile="2b")
        assert report.is_compliant, (name, file.filename, [(f.rule_id, f.message) for f in report.failures])
        assert report.document.version == "1.7"
        second = pdfa.validate_written(io.BytesIO(file.data), "2b")
        assert second.verdict == "pass", (name, file.filename, [str(f) for f in second.findings])


def test_every_language_version_and_parallel_edition_is_valid_pdf_a_2b():
    # Other scripts, other streams: one of them once ended in a CR, which a PDF/A reader
    # took for half of the end-of-line before "endstream".
    spec = EXAMPLES / "ukraine-three-level-en-uk-ru.yaml"
    result = api.render_bytes(spec.read_bytes(), str(spec), formats=("pdf",), parallel=True)
    assert len(result.files) >= 16, [d.message for d in result.diagnostics]
    for file in result.files:
        report = page.validate_pdf_bytes(file.data, profile="2b")
        assert report.is_compliant, (file.filename, [(f.rule_id, f.message) for f in report.failures])


def test_xmp_matches_the_document_information(rendered):
    import pikepdf

    file = next(f for _, f in pdfs(rendered, {"ukraine-three-level.yaml"}) if f.key == "brief")
    with pikepdf.open(io.BytesIO(file.data)) as pdf:
        xmp = pdf.open_metadata()
        assert xmp["dc:title"] == str(pdf.docinfo["/Title"]) == file.title
        assert xmp["pdf:Producer"] == str(pdf.docinfo["/Producer"]) == "framework-kit"
        assert xmp["xmp:MetadataDate"] == xmp["xmp:CreateDate"]  # no clock in the file
        assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "B"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1" and "sRGB" in str(intent.OutputConditionIdentifier)


def test_marking_once_per_page_and_never_the_watermark(rendered):
    marking = "DRAFT — FOR DISCUSSION ONLY"
    for name, file in pdfs(rendered):
        for options in ((), ("-layout",)):
            pages = pdftotext(file.data, *options)
            assert len(pages) == file.pages
            for number, text in enumerate(pages, start=1):
                # The header's marking is real text, first on the page ...
                assert text.lstrip().startswith(marking), (file.filename, number, options)
                # ... and the watermark's letters are nowhere: no second copy, no stray "XT".
                fields = len(re.findall(rf"(Marking|marked)\s+{marking}", text))
                assert text.count(marking) == 1 + fields, (file.filename, number, options)


def test_the_diagram_has_alternative_text_in_the_pdf(rendered):
    file = next(f for _, f in pdfs(rendered, {"ukraine-three-level.yaml"}) if f.key == "brief")
    content = b"".join(p.get_contents().get_data() for p in PdfReader(io.BytesIO(file.data)).pages)
    start = content.index(b"/Span <</Alt <FEFF") + len(b"/Span <</Alt <")
    alt = bytes.fromhex(content[start:content.index(b">", start)].decode()).decode("utf-16")
    assert alt.startswith("Bilateral: Table A: Bilateral Negotiations (parties: Україна (Ukraine)")


@pytest.mark.parametrize("spec", [s.name for s in WITHIN_LIMITS])
def test_brief_fits_two_pages_up_to_the_limits(rendered, spec):
    result = rendered[spec]
    brief = next(f for f in result.files if f.key == "brief")
    assert brief.pages <= 2
    assert not [d for d in result.diagnostics if d.code == "R005"]


def test_a_larger_design_is_said_on_the_briefs_last_line_and_warned(rendered):
    result = rendered["beyond-the-brief.yaml"]
    warnings = [d for d in result.diagnostics if d.code == "R005"]
    assert warnings and all(not d.is_error for d in warnings)
    assert "8 tables" in warnings[0].message and "16 confidence-building measures" in warnings[0].message
    brief = next(f for f in result.files if f.key == "brief")
    last = " ".join(pdftotext(brief.data)[-1].split())
    assert "Not all of the design fits this brief" in last
    # The last line of the text, right above the footer.
    assert "the schedule of confidence-building measures lists every measure. Version 1.2" in last


def test_brief_matrix_shows_only_seated_participants_with_short_headers(rendered):
    brief = next(f for f in rendered["limit-20-participants.yaml"].files if f.key == "brief")
    text = " ".join(" ".join(pdftotext(brief.data)).split())
    assert "At no table: Луция (Lutsia), Kingdom of Arvena, League of Coastal States." in text
    assert "Participant Table A Table B Table C Table D Table E Table F" in text
    assert "P: party; F: facilitator; O: observer" in text


def test_initialling_block_kept_with_the_last_clause(rendered):
    for name, file in pdfs(rendered):
        if not file.key.startswith("term-sheet"):
            continue
        pages = pdftotext(file.data)
        where = next(i for i, text in enumerate(pages) if "Initialled ad referendum" in text)
        before = pages[where].split("Initialled ad referendum")[0]
        assert any(line.strip()[:4].rstrip().count(".") == 1 for line in before.splitlines()), (
            file.filename, "the block stands without a clause above it on its page")
        # The office is printed; the name line is left for the person who initials.
        assert "Office" in pages[where] and "Name" in pages[where]
    sheet = next(f for _, f in pdfs(rendered, {"ukraine-three-level.yaml"}) if f.key == "term-sheet-table-a")
    lines = [" ".join(line.split()) for line in pdftotext(sheet.data, "-layout")[-1].splitlines()]
    assert "Office Office of the President of Ukraine Office Ministry of Foreign Affairs" in lines
    assert "Name Name" in lines  # represented_by is the office, never the signatory's name


def test_cbm_schedule_is_landscape_and_names_declared_participants(rendered):
    schedule = next(f for f in rendered["limit-20-participants.yaml"].files if f.key == "cbm-schedule")
    first = PdfReader(io.BytesIO(schedule.data)).pages[0]
    assert first.mediabox.width > first.mediabox.height
    text = " ".join(" ".join(pdftotext(schedule.data)).split())
    # verification: "un, osce" and "icrc, unhcr" are declared ids: their names are printed.
    assert "United Nations, Organization for Security and Co-operation in Europe" in text
    assert "International Committee of the Red Cross, Office of the UN High Commissioner" in text
    assert "un, osce" not in text
    # The DOCX too: a landscape section, and the same names.
    import zipfile

    spec = DESIGNS / "limit-20-participants.yaml"
    docx = api.render_bytes(spec.read_bytes(), str(spec), formats=("docx",), only=["cbm-schedule"]).files[0]
    with zipfile.ZipFile(io.BytesIO(docx.data)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    size = re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)" w:orient="landscape"/>', body)
    assert size and int(size[1]) > int(size[2])
    assert "United Nations, Organization for Security and Co-operation in Europe" in body
    assert "un, osce" not in body


def test_the_essentials_heading_lead_in_and_table_share_a_page(rendered):
    # A three-row table under its heading and lead-in moves whole: on the Selva Delta brief
    # it once split, its first row at the foot of page 1 and the rest under a repeated header.
    for name in [s.name for s in WITHIN_LIMITS]:
        brief = next(f for f in rendered[name].files if f.key == "brief")
        pages = pdftotext(brief.data)
        where = [i for i, text in enumerate(pages) if "The framework's essentials" in text]
        assert len(where) == 1, name
        page_text = pages[where[0]]
        assert "Checked against" in page_text and "The article's further advice" in page_text, name
        assert page_text.count("Essential") == 1 + page_text.count("Essentials"), name  # one header row


def test_a_final_text_with_no_marking_says_draft_nowhere():
    # The contract (process.marking): no default marking when the status is final. The
    # brief's title block still labelled the version "Draft".
    import zipfile

    spec = (EXAMPLES / "ukraine-three-level.yaml").read_text(encoding="utf-8")
    assert "status: for-consultation" in spec
    final = spec.replace("status: for-consultation", "status: final").encode("utf-8")
    result = api.render_bytes(final, "final.yaml")
    assert len(result.files) == 12, [d.message for d in result.diagnostics]
    for file in result.files:
        if file.format == "pdf":
            text = " ".join(pdftotext(file.data)) + " ".join(pdftotext(file.data, "-layout"))
        else:
            with zipfile.ZipFile(io.BytesIO(file.data)) as archive:
                text = " ".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                                if name.startswith("word/") and name.endswith(".xml"))
            assert "v:textpath" not in text, file.filename  # no watermark
        assert not re.search(r"\bDRAFT\b|\bDraft\b|FOR DISCUSSION", text), (file.filename, re.findall(
            r".{30}(?:\bDRAFT\b|\bDraft\b|FOR DISCUSSION).{30}", text))


def test_the_initialling_block_keeps_the_last_clause_across_the_authentic_texts_formula():
    # "Done at ... in the English and Arabic languages" stands between the last clause and
    # the block: the block and the formula once opened page 2 alone, the clause on page 1.
    import zipfile

    from lxml import etree

    spec = EXAMPLES / "invented-river-delta-en-ar.yaml"
    result = api.render_bytes(spec.read_bytes(), str(spec), only=["term-sheets"])
    english = {f.filename: f for f in result.files if f.filename.endswith(("_en.pdf", "_en.docx"))}
    assert len(english) == 6
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for name, file in english.items():
        if file.format == "pdf":
            page = next(p for p in pdftotext(file.data) if "Initialled ad referendum" in p)
            before = page.split("Done at")[0]
            assert re.search(r"(?m)^\d+\.\d+\s", before), (name, before)
            continue
        with zipfile.ZipFile(io.BytesIO(file.data)) as archive:
            body = etree.fromstring(archive.read("word/document.xml"))
        paragraphs = list(body.iter(f"{w}p"))
        done = next(i for i, p in enumerate(paragraphs) if "".join(p.itertext()).startswith("Done at"))
        clause = max(i for i, p in enumerate(paragraphs[:done])
                     if (p.find(f"{w}pPr/{w}pStyle") is not None
                         and p.find(f"{w}pPr/{w}pStyle").get(f"{w}val").startswith("Clause")
                         and p.find(f"{w}pPr/{w}pStyle").get(f"{w}val") != "ClauseAttribution"))
        for paragraph in paragraphs[clause:done + 1]:
            assert paragraph.find(f"{w}pPr/{w}keepNext") is not None, (name, "".join(paragraph.itertext()))
