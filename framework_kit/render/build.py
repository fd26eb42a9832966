"""Design + assessment + templates -> document trees.

For each document to render (:mod:`framework_kit.documents` lists the kinds),
the view model (:mod:`.view`) goes through the document's template
(:mod:`.templates`), and the XML it produces is read into a
:class:`doctree.Document` (:mod:`.vocabulary`). Writers take it from there.
Every template problem, in any document, is collected and raised together as
one ``RenderError`` of T001 diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, RenderError, Span, error, warning
from ..documents import BY_NAME, document_key
from ..spec.multilingual import in_language
from . import doctree
from .furniture import CURRENT, MISSING_CATALOGUE, CatalogueError, autonym, furniture, gettext as _
from .templates import CODE, TemplateProblem, output_origin, render, shared_environment
from .layout_bounds import too_large_output
from .view import view_model
from .vocabulary import VocabularyError, parse_document

# The XML of all the documents of one spec (the example needs 25,000 characters). Laying
# out 8 million characters as PDF and DOCX takes some 15 seconds: the bound on a render.
MAX_RENDER_CHARS = 8_000_000


@dataclass(frozen=True)
class BuiltDocument:
    """One document as a tree, before any writer."""

    document: str  # brief | term-sheets | buffer-zone-annex | cbm-schedule
    key: str  # brief | term-sheet-<table-id> | buffer-zone-annex | cbm-schedule
    title: str
    tree: doctree.Document
    language: str = ""  # the version's language tag; "" when the process has one language


def build_documents(design, assessment, *, only=None, templates_dir=None,
                    parallel: bool = False) -> list[BuiltDocument]:
    """The document trees of a checked design.

    ``assessment`` is the rules' judgement of the design (it feeds the brief's
    essentials, waivers and diagram). ``only`` limits the output to some documents, named like
    ``documents`` in the spec (``term-sheets``) or by key (``term-sheet-table-a``).
    ``templates_dir`` is the user's templates folder, searched before the
    packaged defaults. Raises ``RenderError`` with T001 diagnostics when a
    template fails.
    """
    env = shared_environment(templates_dir)
    languages = list(design.process.languages or [design.process.language])
    built = Built(missing_catalogues(design, templates_dir))
    problems: list[Diagnostic] = []
    size = [0]  # characters of XML built so far, in every version
    for language in languages:
        words = _furniture(language, templates_dir)
        version = in_language(design, language, words.pending)
        token = CURRENT.set(words)
        try:
            _build_version(env, version, assessment, only, problems, built, size,
                           language if len(languages) > 1 else "")
        finally:
            CURRENT.reset(token)
    if problems:
        raise RenderError(problems)
    if parallel and len(languages) > 1:
        built += _parallel_editions(built, languages)
    return built


class Built(list):
    """The built documents, and the warnings found building them (T002)."""

    def __init__(self, warnings: list[Diagnostic]) -> None:
        super().__init__()
        self.warnings = warnings


def _parallel_editions(built: list[BuiltDocument], languages: list[str]) -> list[BuiltDocument]:
    """One side-by-side edition per document, of its first three language versions."""
    from .parallel import MAX_COLUMNS, parallel_tree

    shown = languages[:MAX_COLUMNS]
    by_key: dict[str, dict[str, BuiltDocument]] = {}
    for item in built:
        by_key.setdefault(item.key, {})[item.language] = item
    out = []
    for key, versions in by_key.items():
        trees = [versions[tag].tree for tag in shown if tag in versions]
        tree = parallel_tree(trees, [autonym(tag) for tag in shown if tag in versions])
        first = versions[shown[0]]
        out.append(BuiltDocument(first.document, key, tree.meta.title, tree, "+".join(shown)))
    return out


def missing_catalogues(design, templates_dir=None) -> list[Diagnostic]:
    """A T002 warning for each language version whose furniture will be in English."""
    out = []
    for language in design.process.languages or [design.process.language]:
        if _furniture(language, templates_dir).missing:
            out.append(warning(MISSING_CATALOGUE, f"there is no message catalogue for '{language}': the "
                               f"'{language}' version prints its headings, labels and dates in English",
                               design.process.at("languages"),
                               f"add {language}.po to the templates folder (copy fr.po from "
                               "'kit templates export' and translate each msgstr)"))
    return out


def _furniture(language: str, templates_dir):
    try:
        return furniture(language, templates_dir)
    except CatalogueError as exc:
        raise RenderError([error(CODE, str(exc), help="correct the catalogue, or remove it to print "
                                 "English furniture").with_file(str(exc.path))]) from None


def _build_version(env, design, assessment, only, problems, built, size, language: str) -> None:
    """Add the documents of one language version (``design`` already in that language) to ``built``."""
    wanted = set(only) if only else None
    context = view_model(design, assessment)
    for document in design.documents_to_render():
        for key, extra in _instances(document, context):
            if wanted is not None and document not in wanted and key not in wanted:
                continue
            meta = _meta(document, context, extra.get("table"))
            try:
                tree, chars = _build_one(env, BY_NAME[document].template,
                                         {**context, **extra, "meta": meta}, design, assessment)
            except TemplateProblem as exc:
                # Output past the bound is most often a spec text repeated by aliases: say which.
                found = too_large_output(meta["title"], exc.output, design, language) if exc.output else None
                if (found or exc.diagnostic) not in problems:
                    problems.append(found or exc.diagnostic)
                continue
            size[0] += chars
            if size[0] > MAX_RENDER_CHARS:
                raise RenderError([_too_large(len(built) + 1)])
            built.append(BuiltDocument(document, key, tree.meta.title, tree, language))


def _instances(document: str, context: dict):
    kind = BY_NAME[document]
    if kind.per_table:
        for table in context["tables"]:
            yield document_key(kind, table["id"]), {"table": table}
    else:
        yield document_key(kind), {}


def _too_large(count: int) -> Diagnostic:
    return error("R003", f"the documents would hold more than {MAX_RENDER_CHARS:,} characters of "
                 f"text by document {count}: more than can be laid out in reasonable time",
                 help="the same names are printed in every term sheet where they sit: shorten long "
                 "names, or split the design into several specs")


def _build_one(env, name: str, context: dict, design, assessment) -> tuple[doctree.Document, int]:
    xml, path = render(env, name, context)
    try:
        return parse_document(xml, _figures(design, assessment)), len(xml)
    except VocabularyError as exc:
        file, line = _source_of(exc, xml, env, name, context, path)
        raise TemplateProblem(error(CODE, exc.message, Span(line, 1), exc.help).with_file(file)) from None


def _source_of(exc: VocabularyError, xml: str, env, name: str, context: dict, path: str) -> tuple[str, int]:
    """Where the markup at fault is written: the template file and line that wrote it.

    The XML is the template's output, so its line numbers are not the
    template's; the output position is traced back through the template's run.
    Several documents made by one template report the same place, and so the
    problem once.
    """
    lines = xml.split("\n")
    if 0 < exc.line <= len(lines):
        before = sum(len(text) + 1 for text in lines[: exc.line - 1])
        column = len(lines[exc.line - 1].encode("utf-8")[: max(exc.column - 1, 0)]
                     .decode("utf-8", errors="ignore"))
        origin = output_origin(env, name, context, before + column)
        if origin is not None:
            return _at_tag(origin, exc.tag)
    return path, 1


def _at_tag(origin: tuple[str, int], tag: str) -> tuple[str, int]:
    """``origin``, moved to the line that opens ``<tag`` when that is a few lines on.

    A piece of template text starts where the statement before it ends; the
    element's own line is then within the next few lines of the file. A line
    that prints a value (a macro's markup) is the place itself: kept as it is.
    """
    file, line = origin
    if not tag:
        return origin
    try:
        text = Path(file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return origin
    if 0 < line <= len(text) and "{{" in text[line - 1] and f"<{tag}" not in text[line - 1]:
        return origin
    for number in range(line, min(line + 5, len(text) + 1)):
        if f"<{tag}" in text[number - 1]:
            return file, number
    return origin


def _figures(design, assessment):
    def figure(name: str):
        if name != "architecture":
            return None
        from .diagram import architecture

        return architecture(design, assessment.levels)

    return figure


def _meta(document: str, context: dict, table: dict | None) -> dict:
    """The metadata a document's <meta> element carries (see templates/README.md)."""
    process = context["process"]
    kind = BY_NAME[document].kind
    title = _(BY_NAME[document].title, process=process["title"], table=table["name"] if table else "")
    keywords = [process["short_title"], _(_KEYWORDS[kind])]
    if table is not None:
        keywords.append(table["name"])
    if process["reference"]:
        keywords.append(process["reference"])
    footer = " · ".join(filter(None, (_("Version {version}", version=process["version"]), process["date_text"],
                                      process["status_text"])))
    return {
        "title": title, "subject": process["title"], "author": process["prepared_by"],
        "keywords": keywords, "reference": process["reference"], "version": process["version"],
        "date": process["date"], "marking": process["marking"],
        "watermark": "" if process["final"] else process["marking"],
        "language": process["language"], "document": kind, "footer": footer,
        "languages": " ".join(process.get("languages") or [process["language"]]),
        "page_label": _("Page {page} of {pages}"),
        "notes_label": _("Notes"),
    }


# The documents' keywords (English message ids, translated with the furniture).
_KEYWORDS = {"brief": "brief", "term-sheet": "term sheet", "buffer-zone-annex": "buffer zone annex",
             "cbm-schedule": "confidence-building measures"}


__all__ = ["BuiltDocument", "build_documents", "missing_catalogues"]
