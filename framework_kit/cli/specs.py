"""The specs a command was given: files, folders of them, or standard input; and comma lists.

Apart from :mod:`.render` so that ``kit check`` does not import what rendering
reports need.
"""

from __future__ import annotations

from pathlib import Path

from ..spec.load import SPEC_SUFFIXES


def split_list(value: str | None) -> list[str]:
    """'docx, pdf' -> ['docx', 'pdf']."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def expand_specs(specs, *, allow_stdin: bool = False) -> list[Path]:
    """The spec files named, a folder standing for its .yaml/.yml files (sorted); no repeats.

    With ``allow_stdin``, ``-`` stands for standard input (once).
    """
    out: list[Path] = []
    for spec in specs:
        spec = Path(spec)
        if str(spec) == "-" and not allow_stdin:
            raise ValueError("- (standard input) cannot be rendered: write the spec to a file; "
                             "'kit check -' reads one from standard input")
        if spec.is_dir():
            found = sorted(p for p in spec.iterdir() if p.suffix.lower() in SPEC_SUFFIXES and p.is_file())
            if not found:
                raise ValueError(f"{spec} is a folder with no .yaml spec in it")
            out.extend(found)
        else:
            out.append(spec)
    return list(dict.fromkeys(out))
