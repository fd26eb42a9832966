"""Write framework_kit/render/writers/pdf/srgb.icc, the profile of the PDFs' sRGB output intent.

PDF/A asks for an output intent with an embedded ICC profile. The one shipped is
LittleCMS's built-in sRGB (ICC v4, 588 bytes), as Pillow's ImageCms makes it:
LittleCMS is MIT-licensed and the profile says "No copyright, use freely". LittleCMS
stamps the profile with the time it was made; the stamp is pinned here so that
running this script again gives the same bytes. The profile ID is left zero (not
computed), which ICC allows.

Run from the repository's root, once, after a Pillow upgrade if you want its
profile: ``python tools/make_srgb_icc.py``. Nothing imports this script.
"""

from __future__ import annotations

import struct
from pathlib import Path

from PIL import ImageCms

TARGET = Path(__file__).resolve().parent.parent / "framework_kit/render/writers/pdf/srgb.icc"
CREATED = (2026, 1, 1, 0, 0, 0)  # the header's date and time (ICC header bytes 24-35)


def main() -> None:
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    assert profile[36:40] == b"acsp" and profile[16:20] == b"RGB ", "not an RGB ICC profile"
    profile[24:36] = struct.pack(">6H", *CREATED)
    TARGET.write_bytes(bytes(profile))
    print(f"wrote {TARGET} ({len(profile)} bytes)")


if __name__ == "__main__":
    main()
