"""What the studio hands to the browser as files: one document, all of them as a zip, the mail draft.

The bytes inside are exactly what ``kit render`` and ``kit mail -o`` write; only
the wrapping (a zip, a download header) is the studio's own.
"""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

# Every entry carries the same date, so the same files give the same zip.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
    "eml": "message/rfc822",
}


def zip_files(files) -> bytes:
    """A zip holding every rendered file under its own name, byte-identical for identical files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for rendered in files:
            entry = zipfile.ZipInfo(rendered.filename, _ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100644 << 16
            archive.writestr(entry, rendered.data)
    return out.getvalue()


def zip_name(files) -> str:
    """``<short title>_v<version>.zip``: the rendered files' names without their document part."""
    stem = files[0].filename.rsplit(".", 1)[0]
    key = files[0].key
    return (stem[: -len(key) - 1] if stem.endswith("_" + key) else stem) + ".zip"


def attachment(name: str) -> str:
    """A Content-Disposition value that keeps a name in any script (RFC 6266 / RFC 5987)."""
    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def mail_draft(checked, *, sender: str, to: list[str], cc: list[str], subject: str | None,
               templates_dir=None):
    """The brief as an unsent .eml draft, exactly as ``kit mail -o FILE.eml`` writes it.

    ``checked`` is the spec's CheckResult. Returns ``(result, name, data)``, where
    ``result`` is the ``api.mail_draft`` result (``data`` is None when it is not ok).
    """
    from .. import api

    result, data = api.mail_draft(checked, sender=sender, to=to, cc=cc, subject=subject,
                                  templates_dir=templates_dir)
    name = result.files[0].filename.rsplit(".", 1)[0] + ".eml" if result.files else "brief.eml"
    return result, name, data
