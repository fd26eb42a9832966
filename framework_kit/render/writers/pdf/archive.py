"""PDF/A-2b: the PDF that reportlab writes, made archivable with pikepdf.

pikepdf's own PDF/A preparation adds the sRGB output intent, the XMP metadata
that matches the document information (with the PDF/A identification), and
the print flag on link annotations; saving writes PDF 1.7. The fonts are
already embedded (subset) by reportlab. What pikepdf would make vary from
run to run is pinned: the metadata date is the document's own date, the
producer names no library version, and the file identifier is derived from
the content, so the same document gives the same bytes.
"""

from __future__ import annotations

import io

PRODUCER = "framework-kit"
FLAVOUR = "2b"


def archival(data: bytes) -> bytes:
    """``data`` (a PDF) as PDF/A-2b, PDF 1.7, deterministic."""
    import pikepdf
    from pikepdf import pdfa

    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdfa.prepare(pdf, FLAVOUR)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            created = xmp.get("xmp:CreateDate")
            if created:
                xmp["xmp:MetadataDate"] = created
            xmp["pdf:Producer"] = PRODUCER
        pdf.docinfo[pikepdf.Name.Producer] = PRODUCER
        out = io.BytesIO()
        pdf.save(out, **pdfa.resolve_save_kwargs(FLAVOUR, deterministic_id=True, min_version="1.7"))
    return out.getvalue()
