"""PDF/A-2b (ISO 19005-2, level B) written by reportlab itself: the canvas every PDF is drawn on.

reportlab already embeds every font (subset), writes the binary comment after
the header and a file identifier in the trailer. :class:`ArchivalCanvas` adds
what PDF/A asks for beyond that, while the file is written, so that no second
library has to reopen and rewrite it:

- the header ``%PDF-1.7``;
- an sRGB output intent (``/GTS_PDFA1``) with the ICC profile shipped beside
  this module (``srgb.icc``: LittleCMS's built-in sRGB, made by
  ``tools/make_srgb_icc.py``);
- XMP metadata, unfiltered, repeating the document information exactly
  (title, author, subject, keywords, creator, producer and the dates, with
  their time zone) and declaring PDF/A part 2, conformance B;
- the print flag (``/F 4``) on every link annotation.

Nothing varies from run to run: the canvas is always invariant (dates are the
document's, or SOURCE_DATE_EPOCH, never the clock), the producer names no
library version, and the file identifier is a digest of the document
information and of every page's content.

reportlab's catalog writes only the entries its class names; the output
intents are added to that list on each document's own catalog (a test fails
if reportlab changes the list's name or use).
"""

from __future__ import annotations

import functools
import re
from html import escape  # (not xml.sax.saxutils: it imports urllib, http and ssl, 30 ms)
from pathlib import Path

from . import reportlab_patches  # noqa: F401  (streams as PDF/A writes them)
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

PRODUCER = "framework-kit"
PDF_VERSION = (1, 7)
PRINT = 4  # an annotation's /F flag: printed with the page (PDF/A forbids hidden or unprinted ones)
PROFILE = Path(__file__).with_name("srgb.icc")

_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([+-])(\d{2})'(\d{2})'?")


def pdf_date(year: int, month: int, day: int, hour: int, minute: int, second: int) -> str:
    """A date of the document information; the archival canvas's clock is always UTC."""
    return f"D:{year:04d}{month:02d}{day:02d}{hour:02d}{minute:02d}{second:02d}+00'00"


def xmp_date(date: str) -> str:
    """The XMP form of a document-information date: the same instant, the same time zone."""
    y, mo, d, h, mi, s, sign, zh, zm = _PDF_DATE.fullmatch(date).groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{sign}{zh}:{zm}"


@functools.cache
def _profile() -> bytes:
    return PROFILE.read_bytes()


class ArchivalCanvas(Canvas):
    """A reportlab canvas whose file is PDF/A-2b; ``date_formatter`` gives the document's dates."""

    def __init__(self, *args, date_formatter=pdf_date, **kwargs):
        kwargs["invariant"] = 1
        kwargs["pdfVersion"] = PDF_VERSION
        super().__init__(*args, **kwargs)
        document = self._doc
        document.archival = True  # an end-of-line before each "endstream" (see reportlab_patches)
        document.info = Information()
        self.setDateFormatter(date_formatter)
        catalog = document.Catalog
        catalog.__NoDefault__ = [*catalog.__NoDefault__, "OutputIntents"]
        profile = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"N": 3}), _profile(), filters=[pdfdoc.PDFZCompress])
        catalog.OutputIntents = pdfdoc.PDFArray([pdfdoc.PDFDictionary({
            "Type": pdfdoc.PDFName("OutputIntent"), "S": pdfdoc.PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": pdfdoc.PDFString("sRGB"), "Info": pdfdoc.PDFString("sRGB"),
            "DestOutputProfile": profile})])
        # Made when the file is written, from the information as it then stands.
        catalog.Metadata = pdfdoc.XMP(creator=_xmp)

    def linkRect(self, *args, **kwargs):
        kwargs.setdefault("F", PRINT)
        return super().linkRect(*args, **kwargs)

    def linkURL(self, *args, **kwargs):
        kwargs.setdefault("F", PRINT)
        return super().linkURL(*args, **kwargs)

    def save(self):
        # The file identifier: reportlab's digest of the information, and of the content too,
        # so that two versions of one document under one title and date differ.
        for page in self._doc.Pages.pages:
            self._doc.updateSignature(page.stream)
        super().save()


class Information(pdfdoc.PDFInfo):
    """The document information, written without empty entries, and its XMP twin's source.

    reportlab writes every entry, an empty author or subject too; XMP has no empty
    form of them, so both leave out what is empty.
    """

    def entries(self) -> dict[str, str]:
        entries = {"Title": self.title, "Author": self.author, "Subject": self.subject,
                   "Keywords": self.keywords, "Creator": self.creator, "Producer": self.producer}
        return {key: value for key, value in entries.items() if value}

    def date(self, document) -> str:
        return self._dateFormatter(*document._timeStamp.YMDhms)

    def format(self, document):
        entries: dict = {key: pdfdoc.PDFString(value) for key, value in self.entries().items()}
        entries["CreationDate"] = entries["ModDate"] = pdfdoc.PDFString(self.date(document))
        entries["Trapped"] = pdfdoc.PDFName(self.trapped)
        return pdfdoc.PDFDictionary(entries).format(document)


_XMP_FIELDS = {  # document information -> XMP, each in the form ISO 19005-2 6.6.2.3.1 gives
    "Title": '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:title>',
    "Author": "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
    "Subject": '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:description>',
    "Keywords": "<pdf:Keywords>{}</pdf:Keywords>",
    "Creator": "<xmp:CreatorTool>{}</xmp:CreatorTool>",
    "Producer": "<pdf:Producer>{}</pdf:Producer>",
}
_XMP_NAMESPACES = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in (
    ("dc", "http://purl.org/dc/elements/1.1/"), ("pdf", "http://ns.adobe.com/pdf/1.3/"),
    ("xmp", "http://ns.adobe.com/xap/1.0/"), ("pdfaid", "http://www.aiim.org/pdfa/ns/id/")))


def _xmp(document) -> bytes:
    """The XMP packet: the document information, the dates, PDF/A-2b's identification."""
    info: Information = document.info
    date = xmp_date(info.date(document))
    lines = [_XMP_FIELDS[key].format(escape(value, quote=False)) for key, value in info.entries().items()]
    lines += [f"<xmp:CreateDate>{date}</xmp:CreateDate>", f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
              f"<xmp:MetadataDate>{date}</xmp:MetadataDate>",
              "<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>"]
    body = "\n".join(f"      {line}" for line in lines)
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
            '  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            f'    <rdf:Description {_XMP_NAMESPACES} rdf:about="">\n{body}\n    </rdf:Description>\n'
            '  </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="w"?>\n').encode("utf-8")
