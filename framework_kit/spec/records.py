"""Records: a YAML mapping read into a class whose fields carry their spec types.

:func:`spec_field` declares a field; :class:`Obj` reads a mapping into the class,
reporting unknown keys (S002) and missing ones (S003), a misspelt required key by
both, each naming the other. :class:`Version` is the ``kit`` key's own type.
"""

from __future__ import annotations

from ..diagnostics import Span, did_you_mean
from .load import is_duplicate
from .types import INVALID, FieldType, describe_node, shorten
from .wording import describe_mapping


class SpecField:
    """A record field that carries its spec type: what :func:`spec_field` declares."""

    __slots__ = ("type", "required", "default", "doc", "name")

    def __init__(self, type_: FieldType, required: bool, default, doc: str) -> None:
        self.type, self.required, self.default, self.doc = type_, required, default, doc
        self.name = ""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def initial(self):
        """The value of an absent key (a new list each time, never a shared one)."""
        return list(self.default) if isinstance(self.default, list) else self.default


def spec_field(type_: FieldType, *, required: bool = False, default=None, doc: str = "") -> SpecField:
    """Declare a record field, its spec type, and whether the spec must give it."""
    return SpecField(type_, required, default, doc)


class Obj(FieldType):
    """A mapping read into a record class whose fields are ``spec_field``s."""

    def __init__(self, cls) -> None:
        self.cls = cls
        self.label = "a group of 'key: value' lines"

    def fields(self) -> list[SpecField]:
        return list(self.cls.spec_fields.values())

    def convert(self, node, ctx, where):
        if node.kind != "map":
            return self.wrong(node, ctx, where, "write 'key: value' lines here")
        known = {f.name: f for f in self.fields()}
        values: dict = {}
        spans: dict = {}
        key_spans: dict = {}
        item_spans: dict = {}
        unknown: list[tuple[str, Span]] = []
        for key, value in node.value:
            if is_duplicate(key):
                continue
            name = key.text
            spec = known.get(name)
            if spec is None:
                unknown.append((name, key.span))
                continue
            spans[name] = value.span
            key_spans[name] = key.span
            if value.kind == "seq":
                item_spans[name] = [item.span for item in value.value]
            if value.is_null and not spec.required:
                continue
            converted = spec.type.convert(value, ctx, where + (name,))
            if converted is not INVALID:
                values[name] = converted
        missing = [name for name, spec in known.items() if spec.required and name not in spans]
        self._report_keys(unknown, missing, known, node, ctx, where)
        record = self.cls(**values, **_missing(known, values))
        record.span = node.span
        record.spans = spans
        record.key_spans = key_spans
        record.item_spans = item_spans
        return record

    def _report_keys(self, unknown, missing, known, node, ctx, where) -> None:
        """S002 for each unknown key, S003 for each missing one; a misspelt required key
        gives both, and each names the other."""
        place = describe_mapping(where) if where else ctx.root
        meant = {}  # missing key -> the unknown key that is probably its misspelling
        for name in missing:
            close = _closest(name, [u for u, _ in unknown if u not in meant.values()])
            if close is not None:
                meant[name] = close
        misspelt = {u: name for name, u in meant.items()}
        for name, span in unknown:
            if name in misspelt:
                help = f"did you mean '{misspelt[name]}'? it is required here"
            else:
                hint = (name, self.cls)
                if hint not in ctx.hints:
                    ctx.hints[hint] = did_you_mean(name, known, "known keys here: " + ", ".join(known),
                                                   cutoff=0.7)
                help = ctx.hints[hint]
            ctx.report("S002", f"unknown key '{shorten(name)}' in {place}", span, help)
        for name in missing:
            if name in meant:
                line = next(span.line for u, span in unknown if u == meant[name])
                ctx.report("S003", f"{place} lacks the required key '{name}'; is "
                           f"'{shorten(meant[name])}' on line {line} meant to be it?", node.span,
                           f"rename '{shorten(meant[name])}' to '{name}'")
            else:
                ctx.report("S003", f"{place} lacks the required key '{name}'", node.span,
                           f"add '{name}:' to {place}")

    def schema(self):
        props = {}
        required = []
        for f in self.fields():
            sub = dict(f.type.schema())
            if f.doc:
                sub["description"] = f.doc
            props[f.name] = sub
            if f.required:
                required.append(f.name)
        out = {"type": "object", "properties": props, "additionalProperties": False}
        if required:
            out["required"] = required
        return out


def _closest(word: str, choices: list[str]) -> str | None:
    if not choices:
        return None
    import difflib  # only a spec with a mistake pays for it

    close = difflib.get_close_matches(word, choices, 1, 0.7)
    return close[0] if close else None


def _missing(known: dict, values: dict) -> dict:
    """Placeholders for required fields that failed, so the record still builds."""
    return {name: None for name, spec in known.items() if spec.required and name not in values}


class Version(FieldType):
    """The ``kit`` format version: exactly the unquoted number 1 (S007 otherwise)."""

    label = "the format version 1"

    def convert(self, node, ctx, where):
        if node.kind == "scalar" and node.plain and node.text == "1":
            return 1
        if node.is_null:
            return self.wrong(node, ctx, where, "write 'kit: 1'")
        return ctx.report(
            "S007",
            f"unsupported format version {describe_node(node)}; this tool reads version 1 "
            "(the number 1, without quotes)",
            node.span,
            "write 'kit: 1'",
        )

    def schema(self):
        return {"const": 1}
