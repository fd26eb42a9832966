"""PDF/A-2b as reportlab writes it (render/writers/pdf/archive.py), read back with pikepdf.

The validators the fidelity tests run (`page`, and pikepdf's) check the output intent,
the annotations and the file's syntax, but neither compares the XMP metadata with the
document information, which PDF/A requires to agree: that is checked here, field by
field, on hostile and non-Latin text, with and without SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import fnmatch
import io
import re
from datetime import datetime
from pathlib import Path

import pikepdf
import pytest
from doc_samples import CYRILLIC, sample_meta
from pikepdf.models.metadata import decode_pdf_date
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from framework_kit.render import doctree as d
from framework_kit.render.theme import Theme
from framework_kit.render.writers.pdf import archive, reportlab_patches
from framework_kit.render.writers.pdf.writer import write_pdf

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "AT&T <b>x</b> ]]> \"quoted\" 'single' — " + CYRILLIC


def write(blocks=None, **meta) -> bytes:
    blocks = blocks or [d.Paragraph([d.Text("Body text.")])]
    return write_pdf(d.Document(sample_meta(**meta), blocks), Theme())[0]


def info_and_xmp(data: bytes) -> tuple[dict, pikepdf.models.PdfMetadata]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
        xmp = pdf.open_metadata()
        xmp_values = {key: xmp.get(key) for key in (
            "dc:title", "dc:creator", "dc:description", "pdf:Keywords", "xmp:CreatorTool",
            "pdf:Producer", "xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate",
            "pdfaid:part", "pdfaid:conformance")}
        stream = pdf.Root.Metadata
        assert "/Filter" not in stream.stream_dict  # PDF/A: the metadata stream is not filtered
    return info, xmp_values


@pytest.mark.parametrize("epoch", [None, "1700000000"])
@pytest.mark.parametrize("meta", [
    {},
    {"title": HOSTILE, "author": HOSTILE, "subject": HOSTILE, "keywords": [HOSTILE, "a & b"]},
    {"author": "", "subject": "", "keywords": []},
])
def test_xmp_repeats_the_document_information(monkeypatch, epoch, meta):
    if epoch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    info, xmp = info_and_xmp(write(**meta))
    author = info.get("/Author")
    assert xmp["dc:creator"] == ([author] if author is not None else None)
    for entry, key in (("/Title", "dc:title"), ("/Subject", "dc:description"), ("/Keywords", "pdf:Keywords")):
        assert xmp[key] == info.get(entry), key  # both absent when empty
    assert "" not in info.values()
    assert xmp["xmp:CreatorTool"] == info["/Creator"] == "framework-kit"
    assert xmp["pdf:Producer"] == info["/Producer"] == "framework-kit"  # no library version
    created = decode_pdf_date(info["/CreationDate"])
    assert created.tzinfo is not None and decode_pdf_date(info["/ModDate"]) == created
    for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        assert datetime.fromisoformat(xmp[key]) == created and xmp[key].endswith("+00:00")
    assert created.date().isoformat() == ("2023-11-14" if epoch else "2026-11-25")
    assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("2", "B")
    assert info["/Title"] == meta.get("title", sample_meta().title)  # the hostile text, intact


def test_header_output_intent_and_identifier():
    data = write()
    assert data.startswith(b"%PDF-1.7\n%") and all(byte > 127 for byte in data[10:14])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and str(intent.OutputConditionIdentifier) == "sRGB"
        profile = intent.DestOutputProfile
        assert profile.N == 3 and profile.read_bytes() == archive.PROFILE.read_bytes()
        assert profile.read_bytes()[36:40] == b"acsp" and profile.read_bytes()[16:20] == b"RGB "
        identifier = pdf.trailer.ID
    # Deterministic, and a digest of the content too: another body under the same title differs.
    assert write() == data
    with pikepdf.open(io.BytesIO(write([d.Paragraph([d.Text("Other text.")])]))) as other:
        assert bytes(other.trailer.ID[0]) != bytes(identifier[0])


def test_every_link_annotation_is_printed():
    blocks = [d.Paragraph([d.Link("https://example.org/", [d.Text("a link")]), d.Text(" and a note"),
                           d.Note([d.Text("The note.")])])]
    with pikepdf.open(io.BytesIO(write(blocks))) as pdf:
        annotations = [a for page in pdf.pages for a in page.get("/Annots", [])]
    assert {str(a.get("/A", {}).get("/URI", "")) for a in annotations} >= {"https://example.org/"}
    assert any("/Dest" in a for a in annotations)  # the note's link inside the document
    assert annotations and all(a.F == archive.PRINT == 4 for a in annotations)


def test_reportlab_still_writes_endstream_right_after_the_data():
    # If this fails, reportlab writes the end-of-line PDF/A wants itself: drop the patch.
    stream = pdfdoc.PDFStream(content=b"abc")
    assert reportlab_patches._format_stream(stream, pdfdoc.PDFDocument()).endswith(b"\nabc" + b"endstream\n")


@pytest.mark.parametrize("content", [b"data", b"data\n", b"data\r", b"data\r\n"])
def test_an_end_of_line_before_endstream_that_reads_back_as_the_length(content):
    document = pdfdoc.PDFDocument()
    document.archival = True
    written = pdfdoc.PDFStream(content=content).format(document)
    length = int(re.search(rb"/Length (\d+)", written)[1])
    data = written[written.index(b"stream\n") + len(b"stream\n"):-len(b"endstream\n")]
    # As a PDF/A validator reads it: one end-of-line (CR LF, LF or CR) before the keyword.
    for marker in (b"\r\n", b"\n", b"\r"):
        if data.endswith(marker):
            data = data[:-len(marker)]
            break
    assert length == len(content) == len(data) and data == content


def test_other_reportlab_documents_are_written_as_reportlab_writes_them(monkeypatch):
    def plain() -> bytes:
        out = io.BytesIO()
        canvas = Canvas(out, invariant=1)
        canvas.drawString(72, 72, "Plain reportlab")
        canvas.save()
        return out.getvalue()

    patched = plain()
    monkeypatch.setattr(pdfdoc.PDFStream, "format", reportlab_patches._format_stream)
    assert plain() == patched


def test_the_profile_is_package_data():
    import tomllib  # Python 3.11+; imported here as test_architecture does

    # A non-editable install (CI's) carries only the files pyproject names.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["framework_kit.render.writers.pdf"]
    assert any(fnmatch.fnmatch(archive.PROFILE.name, pattern) for pattern in patterns)
    assert archive.PROFILE.is_file()
