"""The schema codes S001-S008: their summaries and explanations for ``kit explain``.

They are not registry rules: the spec package checks them before any rule can
run (``run_rules`` must never run them). Their explanations use the same
sections as the rules' docstrings so that ``kit explain`` prints every code alike.
"""

from __future__ import annotations

import textwrap

from ..codes import SchemaCode, describe


_RULES_WAIT = ("While the spec has schema errors its design cannot be read reliably, so the "
               "framework's rules (E and W codes) run only once they are fixed.")


def _code(code: str, summary: str, checks: str, why: str, example: str, fix: str) -> SchemaCode:
    entry = describe(code, summary, checks, why, example, fix)
    if code != "S001":  # an unreadable file is not a design at all
        entry.explanation["Why"] += "\n\n" + textwrap.fill(_RULES_WAIT, 84)
    return entry


SCHEMA_CODES: dict[str, SchemaCode] = {c.code: c for c in (
    _code(
        "S001", "the file cannot be read or parsed as YAML",
        """
        The file exists, is UTF-8 text, stays within the size and nesting limits, and is
        well-formed YAML: consistent indentation with spaces, closed quotes and brackets,
        one document.
        """,
        """
        Nothing else can be checked until the file can be read. The position given is
        where the parser stopped, which is usually at or just after the mistake; for a
        quote or bracket left open, it is where that quote or bracket opened.
        """,
        """
        process:
          title: Phase 1: ceasefire      # S001: the second colon starts a new key
        """,
        """
        Look at the line given and the one before it: put a text in quotes when it
        contains ': ' or starts with *, &, !, ` or @ (Markdown italics too), start the keys
        of one block in the same column, with spaces only, close every quote and bracket,
        and save as UTF-8.
        """,
    ),
    _code(
        "S002", "unknown key",
        """
        Every key is one the spec format defines for that place.
        """,
        """
        A misspelt key is otherwise silently ignored: the drafter believes a field is set
        that the tool never reads. The message suggests the closest known key.
        """,
        """
        participants:
          - id: un
            name: United Nations
            kind: organization
            rol: third-party             # S002: did you mean 'role'?
        """,
        """
        Correct the spelling as suggested, or remove the key. `kit schema` prints every
        key the format knows.
        """,
    ),
    _code(
        "S003", "a required key is missing",
        """
        Every mapping has its required keys: for example `kit`, `process`, `participants`
        and `tables` at the top, and `id`, `name` and `kind` for each participant.
        """,
        """
        The documents cannot be drafted without them: a table needs its parties, a
        territory its status. The position given is the first key of the mapping that
        lacks one.
        """,
        """
        tables:
          - id: table-a
            name: Bilateral talks        # S003: the table lacks 'level' and 'parties'
        """,
        """
        Add the key named in the message to that mapping.
        """,
    ),
    _code(
        "S004", "a value has the wrong type or is not one of its allowed values",
        """
        Each value has the type its field needs (text, a list, a date, true or false, a
        whole number) and a field with a fixed set of values holds one of them. It also
        covers empty required values, a key repeated in one mapping, an agreed clause with
        options, and an S code or unknown code in `checks.ignore`.
        """,
        """
        A value of the wrong kind would be misread or printed wrongly in the documents.
        A repeated key matters most: YAML silently keeps the last one, so text the drafter
        wrote would vanish without a trace.
        """,
        """
        participants:
          - id: ardenia
            name: Republic of Ardenia
            kind: country                # S004: use one of state, union, alliance, ...
        """,
        """
        Write a value of the kind the message names; for fixed sets, use one of the values
        listed in the help line.
        """,
    ),
    _code(
        "S005", "a reference names an id that is not declared",
        """
        Every field that refers to another entry by id (parties, facilitators, covers,
        held_by, mandated_by, table, starts_after, ...) names an id declared in its
        section, and every document listed in `documents` has its section.
        """,
        """
        A reference to nothing would leave an empty seat in a term sheet or a territory
        missing from the annex. Declaring each actor once keeps names consistent across
        every document.
        """,
        """
        tables:
          - id: table-a
            name: Bilateral talks
            level: bilateral
            parties: [ardenia, borvai]   # S005: did you mean 'borvia'?
        """,
        """
        Correct the id, or declare the missing entry in the section the message names.
        """,
    ),
    _code(
        "S006", "an id is used twice",
        """
        Ids are unique within their section (participants, tables, linkages, territories,
        confidence-building measures; agenda item ids: within their table; clause ids:
        within their agenda item).
        """,
        """
        References pick an entry by its id; two entries with one id would make every
        reference to it ambiguous. The position given is the second use.
        """,
        """
        territories:
          - id: delta
            name: The river delta provinces
            status: undetermined
          - id: delta                    # S006: already used above
            name: The delta islands
            status: undetermined
        """,
        """
        Give each entry its own id and update the references to the one you renamed.
        """,
    ),
    _code(
        "S007", "unsupported format version",
        """
        The spec starts with `kit: 1`, the number one without quotes.
        """,
        """
        The version says which edition of the format the file is written in; a tool that
        guessed at another edition could misread fields whose meaning has changed.
        """,
        """
        kit: "1"                         # S007: write the number, without quotes
        """,
        """
        Write `kit: 1`. If the file was written for a newer version of framework-kit,
        update the tool.
        """,
    ),
    _code(
        "S008", "a text in a language the process does not list",
        """
        A text written in several languages (`en: …`, `uk: …`) uses only the language
        tags of `process.languages` (by default, `process.language` alone).
        """,
        """
        Each language of the process is rendered as its own version of every document;
        a text in a language that has no version would never be printed, and is most
        often a misspelt tag (`ua` for Ukrainian, whose tag is `uk`).
        """,
        """
        process:
          languages: [en, uk]
        participants:
          - id: ukraine
            name: {en: Ukraine, uk: Україна, ua: Україна}   # S008: 'ua' is not listed
        """,
        """
        Correct the tag, or add the language to `process.languages` if a version in that
        language is wanted.
        """,
    ),
)}
