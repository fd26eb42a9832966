"""Where the data the tool ships (seeds/, templates/) is found.

The wheel installs both folders inside the package (framework_kit/seeds,
framework_kit/templates); a checkout or an editable install keeps them at the
top level beside the package, where the user's layout puts them.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_folder(name: str) -> Path:
    """The shipped folder ``name`` ("seeds" or "templates"): in the package, else the checkout's."""
    packaged = _PACKAGE / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name
