"""The rendering codes (T001, T002, R001-R005), explained for ``kit explain``.

They concern the user's templates, theme and reference document, not the
design, so they live beside the renderer. The renderer needs only the codes;
their explanations are written out when ``kit explain`` asks for them.
"""

from __future__ import annotations

import functools

TEMPLATE_PROBLEM = "T001"
THEME_PROBLEM = "R001"
REFERENCE_PROBLEM = "R002"
OUTPUT_PROBLEM = "R003"
GLYPH_PROBLEM = "R004"
BRIEF_OVERFLOW = "R005"  # a warning: the brief cannot hold the whole design on two pages
MISSING_CATALOGUE = "T002"


@functools.cache
def render_codes() -> dict:
    """Each rendering code, explained like a rule (code -> SchemaCode)."""
    from ..codes import describe
    from ..diagnostics import Severity

    return {c.code: c for c in (
        describe(
            TEMPLATE_PROBLEM, "a template cannot be used",
            """
            Every template in the --templates folder compiles, names only variables the
            documents provide (templates/README.md lists them), stays inside the sandbox and its
            limits, and produces the document vocabulary (<heading>, <p>, <clause> ...).
            """,
            """
            Templates come from other offices by email, so they are treated as untrusted: they
            run in a sandbox without access to files or Python internals, and an undefined name
            is an error rather than a silently empty paragraph in a document that is circulated.
            """,
            """
            {% extends "default:term-sheet.xml" %}
            {% block legend %}<p>{{ tabel.name }}</p>{% endblock %}   {# T001: 'tabel' is undefined #}
            """,
            """
            Open the template at the line given. Correct the variable's spelling, close the
            tag, or start again from 'kit templates export DIR' and change one block at a time.
            """,
        ),
        describe(
            MISSING_CATALOGUE, "a language version has no message catalogue: its furniture is in English",
            """
            Each language of process.languages has a message catalogue, <tag>.po, in the
            --templates folder or among the shipped ones (en, fr, es, ru, uk): the words the
            documents print around the design's own texts (headings, labels, "Page X of Y",
            dates) come from it.
            """,
            """
            Every language version of a text must read as that language's document. Without
            a catalogue the version is still rendered, its texts in its own language but its
            headings and labels in English, and this warning says so.
            """,
            """
            process:
              languages: [en, de]      # T002 unless the templates folder has de.po
            """,
            """
            Export the templates ('kit templates export DIR'), copy fr.po to <tag>.po, set its
            Language header, translate each msgstr, and render with --templates DIR.
            """,
            severity=Severity.WARNING,
        ),
        describe(
            THEME_PROBLEM, "the templates folder or its theme.yaml cannot be used",
            """
            The --templates folder exists and is readable, and its theme.yaml (if any) is
            at most 64 kB of YAML, read like a spec (the same nesting and alias limits), with
            only known keys and valid values: page size A4 or Letter, margins and sizes as
            numbers, colours as "#rrggbb" in quotes. Each problem is reported at its line.
            """,
            """
            A theme value that is silently ignored would make a document look different from
            what its office expects; it is better to say which key is wrong.
            """,
            """
            page_size: A5            # R001: only A4 and Letter are supported
            """,
            """
            Correct the key named in the message, or copy a fresh theme.yaml with
            'kit templates export DIR'.
            """,
        ),
        describe(
            REFERENCE_PROBLEM, "the reference document cannot be used",
            """
            The file given with --reference-doc is a readable Word document (.docx), not a
            .doc, a PDF or a document still locked by Word.
            """,
            """
            Only the reference document's styles and page set-up are used; they cannot be read
            from a file that is not a .docx.
            """,
            """
            kit render spec.yaml --reference-doc house-style.doc   # R002: save it as .docx
            """,
            """
            Export the default with 'kit templates export DIR', restyle DIR/reference.docx in
            Word or LibreOffice, save it as .docx and pass that file.
            """,
        ),
        describe(
            OUTPUT_PROBLEM, "a document cannot be laid out or written",
            """
            Every document can be set on the page (no single word, name or table row larger
            than a page can hold) and written to the output folder (which exists or can be
            created, is writable and has space).
            """,
            """
            A document that is written only in part is worse than none: nothing is written when
            any document fails, and earlier files stay as they were.
            """,
            """
            kit render spec.yaml -o /read-only/folder          # R003: cannot write here
            """,
            """
            Follow the message: choose another output folder, free disk space, or shorten the
            text it names.
            """,
        ),
        describe(
            GLYPH_PROBLEM, "the document font cannot draw a character of the text",
            """
            Every character that a document prints is in the font that prints it: the font
            theme.yaml names (IBM Plex Serif unless the templates folder brings a house font),
            in all four faces. The message names the character, its
            U+ code and the language of the text, at the line and column where it is written.
            IBM Plex Serif covers Latin and Cyrillic; Arabic letters are drawn in Amiri,
            shipped too. Neither has Greek, Georgian, Armenian, Hebrew, Devanagari, Chinese,
            Japanese, Korean or emoji.
            """,
            """
            A character missing from the font prints as a blank or an empty box: a name in
            Georgian would vanish from a term sheet that otherwise looks complete, and nobody
            would notice before the signing. Nothing is written rather than a document with
            holes in it.
            """,
            """
            participants:
              - id: georgia
                name: საქართველო      # R004: IBM Plex Serif has no Georgian letters
            """,
            """
            Write the text in a script the font covers (a transliteration, "Sakartvelo"), or
            put the TTF files of a font that covers it in the templates folder and name them
            in theme.yaml (see 'A house font' in templates/README.md).
            """,
        ),
        describe(
            BRIEF_OVERFLOW, "the brief cannot hold the whole design on two pages",
            """
            The brief fits two A4 pages: up to 20 participants at the tables, 6 tables and 12
            confidence-building measures, with a summary of ordinary length. A larger design is
            shown in part (the brief's last line says that the term sheets and the schedule of
            CBMs hold the rest), and a brief that still runs past two pages is reported too. This
            is a warning: the documents are written.
            """,
            """
            The brief is the file attached to an email and read in two minutes by a principal.
            A third page that nobody announced is the page that is not read; a drafter should
            know when the brief no longer tells the whole story.
            """,
            """
            tables: [...]             # R005: eight tables; the brief's matrix holds six
            """,
            """
            Send the term sheets and the schedule of CBMs with the brief, shorten the summary or
            the longest names, or split the design into smaller processes.
            """,
            severity=Severity.WARNING,
        ),
    )}
