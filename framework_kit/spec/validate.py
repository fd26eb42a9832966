"""Nodes -> a typed ``Design`` and the schema diagnostics (S002-S007).

Order follows the contract: the shape of every mapping first, then the ids
(S006) and references (S005) across sections, then the few cross-field checks
that are still about the format rather than the design.
"""

from __future__ import annotations

from typing import NamedTuple

from ..diagnostics import Diagnostic, Span, did_you_mean, undeclared
from ..documents import KINDS
from .load import Node
from .model import DESIGN, Design
from .types import Context
from .wording import describe

# section -> the document that renders it (naming the document needs the section)
_DOCUMENT_SECTIONS = {kind.name: kind.section for kind in KINDS if kind.section}
_REQUIRED_SECTIONS = ("participants", "tables")


class Validated(NamedTuple):
    design: Design | None
    diagnostics: list[Diagnostic]


def validate(root: Node | None) -> Validated:
    """Check the shape of a spec and build the design."""
    ctx = Context()
    if root is None or root.is_null:
        ctx.report(
            "S003", "the spec is empty; it needs at least kit, process, participants and tables",
            Span(), "start from 'kit init', which writes a commented starter spec",
        )
        return Validated(None, ctx.diagnostics)
    if root.kind != "map":
        ctx.report(
            "S004",
            f"the top level of a spec must be 'key: value' lines (kit, process, ...), not a "
            f"{'list' if root.kind == 'seq' else 'single value'}",
            root.span, "start from 'kit init', which writes a commented starter spec",
        )
        return Validated(None, ctx.diagnostics)
    ctx.languages = _declared_languages(root)
    design = DESIGN.convert(root, ctx, ())
    _check_languages(design, ctx)
    _check_ids(design, ctx)
    _check_references(root, design, ctx)
    _check_clauses(design, ctx)
    return Validated(design, ctx.diagnostics)


def _declared_languages(root: Node) -> tuple[str, ...]:
    """process.languages (else language, else en) as written, read before the rest of the spec,
    whose multilingual texts need it; the values themselves are checked with the process."""
    process = root.get("process")
    listed = process.get("languages") if process is not None else None
    if listed is not None and listed.kind == "seq":
        tags = tuple(dict.fromkeys(item.text for item in listed.value if item.kind == "scalar" and item.text))
        if tags:
            return tags
    single = process.get("language") if process is not None else None
    if single is not None and single.kind == "scalar" and single.text:
        return (single.text,)
    return ("en",)


def _check_languages(design: Design, ctx: Context) -> None:
    """languages defaults to [language] and language to languages[0]; when both are given they
    agree (S004); a language listed twice, or an authentic text not among them, is S004."""
    process = design.process
    if process is None:
        return
    if not process.languages:
        process.languages = [process.language]
    elif "language" not in process.spans:
        process.language = process.languages[0]
    elif process.language != process.languages[0]:
        ctx.report("S004", f"the process's language is '{process.language}' but its languages start "
                   f"with '{process.languages[0]}': plain text is in the first of languages",
                   process.at("language"),
                   f"write 'language: {process.languages[0]}', or leave language out")
    for name in ("languages", "authentic"):
        seen: set[str] = set()
        for index, tag in enumerate(getattr(process, name)):
            if tag in seen:
                ctx.report("S004", f"the process's {name} lists '{tag}' twice", process.item_at(name, index),
                           "list each language once")
            elif name == "authentic" and tag not in process.languages:
                ctx.report("S004", f"the process's authentic texts name '{tag}', which is not one of its "
                           f"languages ({', '.join(process.languages)})", process.item_at(name, index),
                           f"add '{tag}' to languages, or remove it from authentic")
            seen.add(tag)
    if not process.authentic:
        process.authentic = list(process.languages)


def _duplicates(records, where: str, ctx: Context) -> None:
    seen: dict[str, Span] = {}
    for record in records:
        rid = getattr(record, "id", None)
        if rid is None:
            continue
        if rid in seen:
            ctx.report(
                "S006",
                f"the id '{rid}' is used twice in {where} (first at line {seen[rid].line})",
                record.at("id"),
                "give each entry its own id",
            )
        else:
            seen[rid] = record.at("id")


def _check_ids(design: Design, ctx: Context) -> None:
    for section in ("participants", "tables", "linkages", "territories",
                    "confidence_building_measures"):
        _duplicates(getattr(design, section) or [], section, ctx)
    for table in design.tables or []:
        _duplicates(table.agenda, f"the agenda of table '{table.id}'", ctx)
        for index, item in enumerate(table.agenda, start=1):
            name = f"item '{item.id}'" if item.id else f"item {index}"
            _duplicates(item.terms, f"the terms of agenda {name} of table '{table.id}'", ctx)


# A did-you-mean search compares the unknown id with every declared one (1,000 participants:
# up to 7 ms): 20,000 distinct undeclared ids took 31 s. Past this many, the help lists the ids.
MAX_SUGGESTIONS = 50


def _check_references(root: Node, design: Design, ctx: Context) -> None:
    loaded: dict[str, set[str] | None] = {}
    for section in ("participants", "tables", "territories"):
        node = root.get(section)
        records = getattr(design, section)
        if node is None:
            # A missing required section was reported as S003 already.
            loaded[section] = None if section in _REQUIRED_SECTIONS else set()
        elif node.is_null and section not in _REQUIRED_SECTIONS:
            loaded[section] = set()
        elif records is None or node.kind != "seq":
            loaded[section] = None  # failed to load: its ids are unknown
        else:
            loaded[section] = {r.id for r in records if r.id}
    referenced = {(ref.section, ref.id) for ref in ctx.references}
    suggestions: dict[tuple[str, str], str] = {}  # one search per unknown id, not per use
    ordered: dict[str, tuple[list[str], list[str]]] = {}  # per section: declared, and unused
    for ref in ctx.references:
        declared = loaded.get(ref.section)
        if declared is None or ref.id in declared:
            continue
        key = (ref.section, ref.id)
        if key not in suggestions:
            if ref.section not in ordered:
                ordered[ref.section] = (sorted(declared), sorted(d for d in declared
                                                                 if (ref.section, d) not in referenced))
            suggestions[key] = _suggest(ref.id, *ordered[ref.section], ref.section,
                                        search=len(suggestions) < MAX_SUGGESTIONS)
        ctx.report(
            "S005",
            undeclared(describe(ref.where), ref.id, ref.section)
            + ("" if root.get(ref.section) is not None else f" (there is no '{ref.section}' section)"),
            ref.span,
            suggestions[key],
        )
    if design.documents:
        node = root.get("documents")
        for index, name in enumerate(design.documents):
            section = _DOCUMENT_SECTIONS.get(name)
            if section and root.get(section) is None:
                ctx.report(
                    "S005",
                    f"documents names '{name}', but the spec has no '{section}' section",
                    node.value[index].span if node is not None else Span(),
                    f"add the '{section}' section, or remove '{name}' from documents",
                )


def _suggest(rid: str, declared: list[str], unused: list[str], section: str, search: bool = True) -> str:
    """Help for an undeclared id: most likely the declared id nothing refers to.

    Renaming ``state-a`` to ``state-1`` leaves every reference to ``state-a`` behind and
    ``state-1`` referenced by nothing: that one is meant, not ``state-b``, which is in use.
    Without ``search`` only the declared ids are listed.
    """
    if not declared:
        return f"declare '{rid}' in {section} first"
    listing = f"declared in {section}: " + ", ".join(declared[:8])
    if not search:
        return listing
    if unused:
        hint = did_you_mean(rid, unused, "", cutoff=0.5)
        if hint:
            return hint[:-1] + ", which nothing refers to yet?"
    return did_you_mean(rid, declared, listing)


def _check_clauses(design: Design, ctx: Context) -> None:
    for table in design.tables or []:
        for clause in table.clauses():
            if clause.status == "agreed" and clause.options:
                ctx.report(
                    "S004",
                    "an agreed clause cannot have options: options are alternatives still "
                    "under negotiation",
                    clause.at("options"),
                    "remove the options, or set the clause's status to 'bracketed'",
                )


