"""The builder: the example design -> document trees, read back and checked."""

from __future__ import annotations

import pytest

from framework_kit import api
from framework_kit.render import doctree as dt
from framework_kit.render.build import build_documents

from conftest import UKRAINE

EXAMPLE = UKRAINE.read_text(encoding="utf-8")


def check(text: str):
    result = api.check_bytes(text.encode("utf-8"), "spec.yaml")
    assert result.ok, [d.message for d in result.diagnostics]
    return result


def build(text: str = EXAMPLE, **options) -> dict[str, dt.Document]:
    result = check(text)
    return {built.key: built.tree for built in build_documents(result.design, result.assessment, **options)}


@pytest.fixture(scope="module")
def documents() -> dict[str, dt.Document]:
    return build()


def blocks_of(document: dt.Document, kind) -> list:
    return [b for b in document.blocks if isinstance(b, kind)]


def clauses(document: dt.Document) -> dict[str, dt.Clause]:
    return {c.number: c for c in blocks_of(document, dt.Clause)}


def texts(cells: list[dt.Cell]) -> list[str]:
    return [dt.plain_text(c.children) for c in cells]


def table_after(document: dt.Document, heading: str) -> dt.Table:
    for index, block in enumerate(document.blocks):
        if isinstance(block, dt.Heading) and dt.plain_text(block.children) == heading:
            return next(b for b in document.blocks[index:] if isinstance(b, dt.Table))
    raise AssertionError(f"no heading {heading!r}")


def notes(inlines) -> list[str]:
    return [dt.plain_text(n.children) for n in inlines if isinstance(n, dt.Note)]


# ----------------------------------------------------------------- which documents


def test_every_document_once_with_its_key(documents):
    assert list(documents) == ["brief", "term-sheet-table-a", "term-sheet-table-b",
                               "term-sheet-table-c", "buffer-zone-annex", "cbm-schedule"]


def test_only_and_the_spec_documents_list_are_honoured():
    result = check(EXAMPLE)
    only_sheets = build_documents(result.design, result.assessment, only=["term-sheets"])
    assert [(b.document, b.key) for b in only_sheets] == [
        ("term-sheets", "term-sheet-table-a"), ("term-sheets", "term-sheet-table-b"),
        ("term-sheets", "term-sheet-table-c")]
    one = build_documents(result.design, result.assessment, only=["term-sheet-table-b"])
    assert [b.title for b in one] == ["Term Sheet — Table B: Regional Arrangements"]
    limited = build(EXAMPLE.replace("confidence_building_measures:", "documents: [brief, cbm-schedule]\n"
                                    "confidence_building_measures:"))
    assert list(limited) == ["brief", "cbm-schedule"]


def test_meta_of_a_draft_and_of_a_final_text(documents):
    meta = documents["term-sheet-table-a"].meta
    assert meta.title == "Term Sheet — Table A: Bilateral Negotiations"
    assert (meta.reference, meta.version, meta.date, meta.language) == ("TS-2026-014", "0.3", "2026-11-25", "en")
    assert meta.author == "Mediation Support Unit (illustrative)"
    assert meta.marking == meta.watermark == "DRAFT — FOR DISCUSSION ONLY"
    assert meta.footer == "Version 0.3 · 25 November 2026 · For consultation"
    assert meta.document == "term-sheet" and "Table A: Bilateral Negotiations" in meta.keywords
    final = build(EXAMPLE.replace("status: for-consultation", "status: final"), only=["brief"])["brief"]
    # A final text carries no default marking (the contract, process.marking) ...
    assert final.meta.watermark == "" and final.meta.marking == ""
    assert final.meta.footer.endswith("· Final")
    fields = " ".join(dt.plain_text(c.children) for t in blocks_of(final, dt.Table) for r in t.rows for c in r)
    assert "Status Final" in fields and "marked" not in fields
    # ... but a marking the drafters give is printed in the header, never as a watermark.
    marked = build(EXAMPLE.replace("status: for-consultation", "status: final\n  marking: RESTRICTED"),
                   only=["brief"])["brief"]
    assert marked.meta.marking == "RESTRICTED" and marked.meta.watermark == ""


# ----------------------------------------------------------------- term sheets


def test_clauses_are_numbered_by_agenda_item(documents):
    sheet = documents["term-sheet-table-a"]
    assert list(clauses(sheet)) == ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "4.1", "4.2"]
    numbered = [(h.number, dt.plain_text(h.children)) for h in blocks_of(sheet, dt.Heading) if h.number]
    assert numbered == [("1", "Ceasefire and separation of forces"), ("2", "Humanitarian questions"),
                        ("3", "Accountability and reparation"), ("4", "Linkage with the other tables")]


def test_states_of_text_brackets_options_attribution_and_notes(documents):
    found = clauses(documents["term-sheet-table-a"])
    agreed, proposed, bracketed, options = found["1.1"], found["1.2"], found["1.3"], found["3.1"]
    assert agreed.status == "agreed" and agreed.attribution == ""
    assert not dt.plain_text(agreed.children).startswith("[")
    assert proposed.status == "proposed" and proposed.attribution == "Proposed by Україна (Ukraine)"
    assert any(isinstance(i, dt.Strong) and dt.plain_text(i.children) == "Annex A" for i in proposed.children)
    assert bracketed.status == "bracketed"
    assert dt.plain_text(bracketed.children) == (
        "[The status of the territories listed in Annex A remains undetermined until the "
        "negotiations at all three tables are complete.]")
    assert bracketed.attribution == "Proposed by Türkiye; under discussion"
    assert notes(bracketed.children) == ["Reservation of the Russian delegation, pending Table C."]
    assert dt.plain_text(options.children) == (
        "[An international mechanism shall investigate violations of international humanitarian law.] "
        "[Option A: a special tribunal established by treaty with the Council of Europe / "
        "Option B: a hybrid chamber within the Ukrainian judicial system]")
    assert notes(options.children) == ["The two options reflect the positions tabled on 12 November."]


def test_linkage_clauses_bind_only_their_tables(documents):
    table_c = clauses(documents["term-sheet-table-c"])
    assert dt.plain_text(table_c["3.1"].children).endswith("Nothing is agreed until everything is agreed.")
    assert "3.2" not in table_c  # the conditional linkage joins tables A and B only
    assert clauses(documents["term-sheet-table-b"])["3.2"].attribution == "Conditional linkage: Table B waits on Table A"


def test_participants_legend_and_initialling_block(documents):
    sheet = documents["term-sheet-table-b"]
    legend = [p for p in blocks_of(sheet, dt.Paragraph) if p.style == "legend"]
    assert "[Option A: … / Option B: …]" in dt.plain_text(legend[0].children)
    seats = table_after(sheet, "Participants")
    assert [texts(row)[:2] for row in seats.rows] == [
        ["Российская Федерация (Russian Federation)", "Party"], ["European Union", "Party"],
        ["Україна (Ukraine)", "Party"], ["Organization for Security and Co-operation in Europe", "Facilitator"],
        ["Republica Moldova", "Observer"], ["Rzeczpospolita Polska (Poland)", "Observer"]]
    block = blocks_of(sheet, dt.SignatureBlock)[0]
    assert block.heading == "Initialled ad referendum"
    # represented_by is the office; the name line stays blank for the person who initials.
    assert [(s.party, s.office, s.name) for s in block.signatories] == [
        ("For Российская Федерация (Russian Federation)", "Ministry of Foreign Affairs", ""),
        ("For European Union", "High Representative for Foreign Affairs and Security Policy", ""),
        ("For Україна (Ukraine)", "Office of the President of Ukraine", "")]


# ----------------------------------------------------------------- brief


def test_brief_matrix_of_participants_by_tables(documents):
    matrix = table_after(documents["brief"], "Who sits where, and the state of the text")
    assert texts(matrix.header) == ["Participant", "Table A", "Table B", "Table C"]
    rows = {texts(row)[0]: texts(row)[1:] for row in matrix.rows[:-4]}
    assert rows["Україна (Ukraine)"] == ["Party", "Party", "—"]
    assert rows["United Nations"] == ["Facilitator", "—", "Facilitator"]
    assert rows["Republica Moldova"] == ["—", "Observer", "—"]
    assert len(rows) == 10


def test_brief_essentials_text_state_and_figure(documents):
    brief = documents["brief"]
    assert any(isinstance(b, dt.Figure) for b in brief.blocks)
    essentials = table_after(brief, "The framework's essentials")
    first = texts(essentials.rows[0])
    assert first[0].startswith("1. A broadened process")
    assert first[1].startswith("Met") and "Bilateral: Table A" in first[1] and first[2] == "E100–E105"
    # The state of the text stands under the matrix's columns, one row per state of text.
    state = table_after(brief, "Who sits where, and the state of the text").rows[-4:]
    assert [texts(r) for r in state] == [["Clauses agreed (2 in all)", "2", "0", "0"],
                                         ["Clauses proposed (5 in all)", "2", "2", "1"],
                                         ["Clauses bracketed (4 in all)", "2", "1", "1"],
                                         ["All clauses (11 in all)", "6", "3", "2"]]
    assert not any(dt.plain_text(h.children).startswith("Rules waived") for h in blocks_of(brief, dt.Heading))


def test_brief_lists_waived_rules_and_marks_the_part_waived():
    text = EXAMPLE.replace("neighbour: true", "neighbour: false") + "\nchecks:\n  ignore: [W101]\n"
    brief = build(text, only=["brief"])["brief"]
    headings = [dt.plain_text(h.children) for h in blocks_of(brief, dt.Heading)]
    assert "Rules waived by the drafters" in headings
    waived = blocks_of(brief, dt.ListBlock)[-1]
    assert dt.plain_text(waived.items[0][0].children) == (
        "W101 — no regional neighbour sits at any table (1 finding not shown)")
    advice = texts(table_after(brief, "The framework's essentials").rows[2])
    assert advice[1].startswith("Waived by the drafters") and "W101" in advice[1]


# ----------------------------------------------------------------- annex and schedule


def test_buffer_zone_annex(documents):
    annex = documents["buffer-zone-annex"]
    territories = table_after(annex, "Territories covered")
    assert [texts(r)[1:] for r in territories.rows] == [
        ["Российская Федерация (Russian Federation)", "Україна (Ukraine)", "Undetermined"]] * 2
    found = clauses(annex)
    assert dt.plain_text(found["2.1"].children) == "The buffer zone shall be administered by: United Nations."
    assert "without prejudice" in dt.plain_text(found["2.2"].children)
    assert dt.plain_text(found["2.3"].children).endswith("until the negotiations at all tables are complete.")
    mission = table_after(annex, "Peacekeeping mission")
    assert ["Authorised strength", "12,000 personnel"] in [texts(r) for r in mission.rows]
    assert [dt.plain_text(found[n].children)[:8] for n in ("4.1", "4.2", "4.3")] == ["Phase 1.", "Phase 2.", "Phase 3."]
    assert dt.plain_text(found["3.2"].children) == "Verify the withdrawal of heavy weapons by class and distance."


def test_cbm_schedule_is_one_table(documents):
    schedule = documents["cbm-schedule"]
    grid = [t for t in blocks_of(schedule, dt.Table) if t.style == "grid"]
    assert len(grid) == 1
    assert texts(grid[0].header) == ["Measure", "Category", "Parties", "Timing", "Verification"]
    assert texts(grid[0].rows[2]) == [
        "3. Protection zone around the Zaporizhzhia nuclear power plant", "Nuclear safety",
        "Україна (Ukraine) and Российская Федерация (Russian Federation)", "From D-Day",
        "IAEA experts present at the site permanently."]
    assert texts(grid[0].rows[0])[0] == "1. Military hotline between the commands\nNegotiated at Table A"


# ----------------------------------------------------------------- hostile text


HOSTILE = ("AT&T <font size=500> a<b {{ 7*7 }} {% raw %} [x](javascript:alert(1)) [y](ftp://h.example)"
           " [z](https://h.example/?a=1&b=2)")


def test_hostile_spec_text_stays_literal():
    text = EXAMPLE.replace(
        "text: The Parties shall observe a complete and comprehensive ceasefire from 00:00 hours on D-Day.",
        f"text: '{HOSTILE}'").replace("name: Türkiye", "name: 'Türkiye <b>&amp; {{ x }}'")
    sheet = build(text, only=["term-sheet-table-a"])["term-sheet-table-a"]
    clause = clauses(sheet)["1.1"]
    assert dt.plain_text(clause.children) == (
        "AT&T <font size=500> a<b {{ 7*7 }} {% raw %} [x](javascript:alert(1)) y z")
    assert [i.href for i in clause.children if isinstance(i, dt.Link)] == ["https://h.example/?a=1&b=2"]
    seats = table_after(sheet, "Participants")
    assert "Türkiye <b>&amp; {{ x }}" in [texts(r)[0] for r in seats.rows]


def test_missing_parts_are_said_in_words():
    start, end = EXAMPLE.index("  peacekeeping:"), EXAMPLE.index("  withdrawal:")
    text = EXAMPLE[:start] + EXAMPLE[end:]
    first, last = text.index("    agenda:\n      - id: arms-control"), text.index("linkages:")
    text = text[:first] + "    agenda:\n      - title: Strategic stability\n\n" + text[last:]
    documents = build(text + "\nchecks:\n  ignore: [E204]\n",
                      only=["brief", "term-sheet-table-c", "buffer-zone-annex"])
    sheet = documents["term-sheet-table-c"]
    assert "No text has been drafted under this item yet." in [
        dt.plain_text(p.children) for p in blocks_of(sheet, dt.Paragraph)]
    assert list(clauses(sheet)) == ["2.1"]  # the linkage section follows the one agenda item
    annex = documents["buffer-zone-annex"]
    assert "No peacekeeping mission has been specified yet." in [
        dt.plain_text(p.children) for p in blocks_of(annex, dt.Paragraph)]
    essential_2 = texts(table_after(documents["brief"], "The framework's essentials").rows[1])
    assert essential_2[1].startswith("Waived by the drafters") and "E204" in essential_2[1]
    state = table_after(documents["brief"], "Who sits where, and the state of the text").rows[-1]
    assert texts(state)[-1] == "0"  # Table C has no clause
