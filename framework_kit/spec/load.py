"""YAML text -> a tree of nodes that remember where they stand in the file.

This module knows nothing about peace processes. It turns bytes into ``Node``
objects (mappings, sequences and scalars with 1-based line and column) and bounds
every cost an untrusted file could impose: size, encoding, nesting depth and the
number of nodes that anchors and aliases expand to.

Scalars stay text. YAML 1.1 would turn ``NO`` into false and ``012345`` into an
octal number; here the schema decides, per field, what a scalar means, so a
``str`` field keeps exactly what the user typed.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from ..diagnostics import Diagnostic, Span, Unreadable, error
from ..lazy_patterns import import_module

yaml = import_module("yaml")

SPEC_SUFFIXES = (".yaml", ".yml")  # what a spec file's name ends with
MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 250_000

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STR_TAG = "tag:yaml.org,2002:str"


class Node:
    """A YAML node: ``kind`` is "map", "seq" or "scalar".

    ``value`` is the text of a scalar, the list of items of a sequence, or the
    list of (key, value) pairs of a mapping, in file order. ``plain`` marks an
    unquoted, untagged scalar (null, bool and int may apply); ``size`` counts the
    nodes of this subtree, aliases as expanded.
    """

    __slots__ = ("kind", "span", "value", "plain", "size")

    def __init__(self, kind: str, span: Span, value: object = None, plain: bool = True) -> None:
        self.kind, self.span, self.value, self.plain, self.size = kind, span, value, plain, 1

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.plain and self.value in _NULLS

    @property
    def text(self) -> str:
        """A scalar's text exactly as the parser read it."""
        return self.value if self.kind == "scalar" else ""

    def get(self, key: str) -> "Node | None":
        """The value of ``key`` in a mapping, or None."""
        if self.kind != "map":
            return None
        for k, v in self.value:
            if k.kind == "scalar" and k.value == key:
                return v
        return None


class Loaded(NamedTuple):
    """The root node, plus problems found while loading that do not stop it."""

    root: Node | None
    diagnostics: list[Diagnostic]
    lines: list[str]


def _span(mark) -> Span:
    return Span(mark.line + 1, mark.column + 1)


def _unreadable(message: str, span: Span | None = None, help: str = "") -> Unreadable:
    return Unreadable(error("S001", message, span, help))


def decode(data: bytes) -> str:
    """Bytes -> text, refusing everything but UTF-8 (a UTF-8 byte-order mark is fine)."""
    if len(data) > MAX_BYTES:
        raise _unreadable(
            f"the file is {len(data) / 1048576:.1f} MB; a spec may be at most "
            f"{MAX_BYTES // 1048576} MB",
            help="split the design into smaller specs, or remove pasted material",
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for bom, name in (
        (codecs.BOM_UTF32_LE, "UTF-32"),
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if data.startswith(bom):
            raise _unreadable(
                f"the file is saved as {name}; specs must be UTF-8",
                help="in your editor choose 'Save as' and the encoding 'UTF-8'",
            )
    if b"\x00" in data[:65536] or data.startswith(b"\x89PNG"):
        raise _unreadable(
            "this is not a text file (it contains binary data)",
            help="give the YAML spec itself, not a picture, PDF or Word file",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise _unreadable(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}, "
            f"column {column}); it was probably saved as Latin-1 or Windows-1252",
            Span(line, column),
            help="in your editor choose 'Save as' and the encoding 'UTF-8'",
        ) from None


def _nested(span: Span) -> Unreadable:
    return _unreadable(
        f"the spec is nested more than {MAX_DEPTH} levels deep",
        span,
        help="a spec needs only a few levels; check for unclosed [ or {",
    )


def _translate(exc: yaml.YAMLError, text: str) -> Unreadable:
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        span = Span(before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1)
        return _unreadable(
            f"the file contains an invisible control character (U+{exc.character:04X})"
            if isinstance(exc.character, int) else "the file contains a character YAML refuses",
            span,
            "delete it; it usually comes from text pasted from another program",
        )
    from .yaml_errors import explain  # only a file that cannot be parsed pays for it

    problem = f"{getattr(exc, 'context', '')} {getattr(exc, 'problem', '')}"
    lines = text.splitlines()
    found = explain(exc, lines, text)
    if "nesting depth" in problem:
        return _nested(found.span)
    line = lines[found.span.line - 1] if 0 < found.span.line <= len(lines) else ""
    if "\t" in line[: len(line) - len(line.lstrip())]:
        return _unreadable(
            "a tab is used for indentation; YAML allows only spaces", found.span,
            help="replace the tab at the start of the line with spaces",
        )
    return _unreadable(found.message, found.span, found.help)


class _Builder:
    """Builds nodes from the parser's event stream, without recursion."""

    def __init__(self) -> None:
        self.anchors: dict[str, Node] = {}
        self.open_anchors: set[str] = set()
        self.stack: list[tuple[Node, str | None]] = []
        self.total = 0
        self.root: Node | None = None
        self.documents = 0
        self.diagnostics: list[Diagnostic] = []
        # Anchors on texts no alias uses yet: "title: &Co rights" loses "&Co" without a word.
        self.unused_anchors: dict[str, Node] = {}
        self.lost: list[tuple[Node, str, str]] = []  # (text, the markup YAML took, what it is)

    def _count(self, n: int, span: Span) -> None:
        self.total += n
        if self.total > MAX_NODES:
            raise _unreadable(
                f"the spec expands to more than {MAX_NODES:,} values (anchors and aliases "
                "repeated inside each other multiply); this looks like an 'alias bomb'",
                span,
                help="write the values out, or use fewer nested aliases (*name)",
            )

    def _add(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1][0]
        if parent.kind == "seq":
            parent.value.append(node)
        else:
            pairs = parent.value
            if pairs and pairs[-1][1] is None:
                pairs[-1] = (pairs[-1][0], node)
            else:
                self._check_key(parent, node)
                if not pairs:
                    # A flow mapping starts at its brace; the contract points at the first key.
                    parent.span = node.span
                pairs.append((node, None))
        parent.size += node.size

    def _check_key(self, mapping: Node, key: Node) -> None:
        if key.kind != "scalar":
            raise _unreadable(
                "a key must be a plain word, not a list or a group of 'key: value' lines", key.span,
                help="write keys as 'name: value'",
            )
        for other, _ in mapping.value:
            if other.value == key.value:
                self.diagnostics.append(error(
                    "S004",
                    f"the key '{key.value}' is repeated in the same block (first at line "
                    f"{other.span.line}); YAML would silently keep only the last one",
                    key.span,
                    help=f"remove one of the two '{key.value}' entries or merge them",
                ))
                key.value = _DUPLICATE  # keeps the first; the schema skips this pair
                return

    def _anchor(self, name: str | None, node: Node) -> None:
        if name is not None:
            self.anchors[name] = node

    def feed(self, event) -> None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            plain = event.implicit[0] and event.tag in (None, "!")
            if event.tag == _STR_TAG:
                plain = False
            node = Node("scalar", _span(event.start_mark), event.value, plain)
            self._count(1, node.span)
            if event.tag not in _CORE_TAGS:
                self.lost.append((node, f"'{_short_tag(event.tag)}'", "a type tag"))
            if event.anchor is not None:
                self.unused_anchors[event.anchor] = node
            self._anchor(event.anchor, node)
            self._add(node)
        elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
            node = Node("seq" if kind is yaml.SequenceStartEvent else "map", _span(event.start_mark), [])
            if len(self.stack) >= MAX_DEPTH:
                raise _nested(node.span)
            self._count(1, node.span)
            if event.anchor is not None:
                self.open_anchors.add(event.anchor)
            self.stack.append((node, event.anchor))
        elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            node, anchor = self.stack.pop()
            if anchor is not None:
                self.open_anchors.discard(anchor)
                self.anchors[anchor] = node
            self._add(node)
        elif kind is yaml.AliasEvent:
            # The most frequent event of an aliased spec: its position is worked out only
            # for a message.
            target = self.anchors.get(event.anchor)
            if target is not None and event.anchor not in self.open_anchors \
                    and self.total + target.size <= MAX_NODES:
                self.total += target.size
                self.unused_anchors.pop(event.anchor, None)
                self._add(target)  # shared, not copied: the count bounds later walks
                return
            span = _span(event.start_mark)
            if event.anchor in self.open_anchors:
                raise _unreadable(
                    f"the alias *{event.anchor} refers to a block that contains "
                    "it, which would repeat forever",
                    span,
                    help=f"remove *{event.anchor} or point it at another anchor",
                )
            target = self.anchors.get(event.anchor)
            if target is None:
                raise _unreadable(
                    f"a text that starts with '*' (Markdown italics or bold) must be in quotes: "
                    f"YAML reads *{event.anchor} as a reference to an anchor &{event.anchor}, "
                    "and there is none before it",
                    span,
                    help=f"put the whole text in quotes, e.g. \"*{event.anchor} …\", or define "
                    f"the anchor &{event.anchor} before using it",
                )
            self._count(target.size, span)  # past the bound: the alias bomb message
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise _unreadable(
                    "the file holds more than one YAML document ('---'); a spec is one document",
                    _span(event.start_mark),
                    help="keep one spec per file",
                )


_DUPLICATE = "\x00duplicate"
_CORE_TAGS = frozenset({None, "!"} | {f"tag:yaml.org,2002:{name}" for name in
                                      ("str", "int", "float", "bool", "null", "timestamp")})


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _sigil_lost(node: Node, sigil: str, what: str, lines: list[str]) -> Diagnostic:
    """S004 for a text whose first word YAML took as markup and dropped."""
    from .yaml_errors import quote_hint

    line = lines[node.span.line - 1] if 0 < node.span.line <= len(lines) else ""
    shown = node.text if len(node.text) <= 40 else node.text[:40].rstrip() + " …"  # never seemingly cut
    value = f"'{shown}'" if node.text else "empty"
    return error("S004", f"{sigil} at the start of this text is read by YAML as {what} and "
                 f"dropped: the value would be {value}", node.span, quote_hint(line))


def load_text(text: str) -> Loaded:
    """Parse YAML text into nodes. Raises ``Unreadable`` when it cannot."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    builder = _Builder()
    try:
        try:
            for event in yaml.parse(text, Loader=loader):
                builder.feed(event)
        except yaml.YAMLError as exc:
            raise _translate(exc, text) from None
        except RecursionError:  # the pure-Python parser on pathological input
            raise _nested(Span()) from None
    except Unreadable as exc:
        exc.lines = text.splitlines()  # the message quotes the line it points at
        raise
    lines = text.splitlines()
    lost = builder.lost + [(node, f"'&{name}'", "an anchor name")
                           for name, node in builder.unused_anchors.items() if node.kind == "scalar"]
    for node, sigil, what in lost:
        builder.diagnostics.append(_sigil_lost(node, sigil, what, lines))
    return Loaded(builder.root, builder.diagnostics, lines)


def load_bytes(data: bytes) -> Loaded:
    """Decode and parse a spec's bytes."""
    return load_text(decode(data))


def is_duplicate(key: Node) -> bool:
    """True for the second occurrence of a repeated key (already reported)."""
    return key.value == _DUPLICATE
