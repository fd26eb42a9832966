"""Where a value stands in a spec, said in words a drafter uses.

Validation tracks a position as a tuple of keys and 1-based list positions, e.g.
``("tables", 2, "parties", 3)``; messages say "the 2nd table's 3rd party", never the
programmer's ``tables[2].parties[3]``. The tuple is turned into words only when a
message is written, so a valid spec pays nothing for it.
"""

from __future__ import annotations

Where = tuple  # of str (a key) and int (a 1-based list position)

# A list key -> what one of its entries is called.
_ENTRY = {
    "participants": "participant", "tables": "table", "parties": "party",
    "facilitators": "facilitator", "observers": "observer", "agenda": "agenda item",
    "topics": "topic", "terms": "clause", "options": "option", "linkages": "linkage",
    "territories": "territory", "confidence_building_measures": "confidence-building measure",
    "withdrawal": "withdrawal phase", "principles": "principle", "contributors": "contributor",
    "tasks": "task", "documents": "document", "ignore": "code",
    "languages": "language", "authentic": "authentic language",
}
# A mapping whose keys name entries of one kind (a theme's): ("colours", "ink") -> "the colour 'ink'".
_KEYED = {"colours": "the colour '{}'", "margins_mm": "the {} margin", "sizes": "the '{}' text size"}
# A mapping key -> how the mapping is named when one of its own keys is spoken of.
_OWNER = {"process": "the process", "buffer_zone": "the buffer zone",
          "peacekeeping": "peacekeeping mission", "checks": "the checks section"}


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _segments(where: Where) -> list[str]:
    """('tables', 2, 'parties', 3) -> ['the 2nd table', '3rd party']."""
    out: list[str] = []
    parts = list(where)
    while parts:
        key = parts.pop(0)
        if isinstance(key, int):  # a list inside a list: no such field in the format
            out.append(f"{ordinal(key)} entry")
        elif key in _KEYED and parts and isinstance(parts[0], str):
            out.append(_KEYED[key].format(parts.pop(0)))
        elif parts and isinstance(parts[0], int):
            out.append(f"{ordinal(parts.pop(0))} {_ENTRY.get(key, 'entry of ' + key)}")
        else:
            out.append(key)
    if out and out[0][0].isdigit():
        out[0] = "the " + out[0]
    return out


def describe(where: Where) -> str:
    """Words for a position: () is the spec itself, ('kit',) the key itself."""
    return _join(_segments(where))


def describe_mapping(where: Where) -> str:
    """Words for the mapping at ``where`` as the place of its keys: 'the 2nd table', 'the process'."""
    segments = _segments(where)
    if segments and segments[-1] in _OWNER:
        named = _OWNER[segments[-1]]
        segments[-1] = named if len(segments) == 1 else named.removeprefix("the ")
    return _join(segments)


def _join(segments: list[str]) -> str:
    if not segments:
        return "the spec"
    return "".join(f"{_OWNER.get(s, s)}'s " for s in segments[:-1]) + segments[-1]
