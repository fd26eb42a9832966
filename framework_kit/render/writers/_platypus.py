"""reportlab's platypus imported without paying for a pattern the writer never uses.

At import, ``reportlab.platypus.paragraph`` compiles a case-insensitive URL
pattern over the whole Basic Multilingual Plane: a third of the cost of
importing platypus (about 30 ms), for a pattern used only to hyphenate long
URLs. Imported first by the PDF writer's modules, this compiles that one
pattern when it is first used instead; every other pattern is compiled as usual.
"""

from __future__ import annotations

from ...lazy_patterns import import_module

_URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"

import_module("reportlab.platypus.paragraph", lambda pattern: pattern.startswith(_URI_PATTERN_START))
