"""Warnings: the article's further advice (W101-W106), and the translations (W107).

W101-W105 point at the section they concern; W106 at the measure itself; W107 at the text.
"""

from __future__ import annotations

from ..spec.model import Design
from ..spec.multilingual import texts_of
from ..spec.types import shorten
from ..text import plain_list
from .levels import quoted, qualifying_tables, section_at
from .rule import Finding, rule


def _items_tagged(design: Design, topic: str):
    """(table, agenda item) for every item whose topics include ``topic``."""
    for table in design.tables:
        for item in table.agenda:
            if topic in item.topics:
                yield table, item


def _item_name(item) -> str:
    return f"'{item.id}'" if item.id else f"\"{item.title}\""


@rule("W101", "no regional neighbour sits at any table", essential="advice")
def no_neighbour_seated(design: Design):
    """
    Checks:
        At least one participant with `neighbour: true` sits at a table, as a party,
        facilitator or observer.

    Why:
        The article's key to all the tables is that regional neighbours take part.
        They bear the war's spill-over, hold much of what a settlement needs (transit,
        trade, refugees, guarantees) and must accept the result for it to last.

    Example:
        participants:
          - id: lakeland
            name: Republic of Lakeland
            kind: state
            neighbour: true
        tables:
          - id: table-b
            observers: [lakeland]

    Fix:
        Mark the belligerents' regional neighbours `neighbour: true` and seat at least
        one of them at a table (an observer seat is enough).
    """
    neighbours = [p.id for p in design.participants if p.neighbour]
    if not neighbours:
        yield Finding(
            "no participant is marked 'neighbour: true', so no regional neighbour takes part "
            "in the talks",
            section_at(design, "participants"),
            "declare the belligerents' regional neighbours with 'neighbour: true' and seat "
            "one at a table, e.g. as an observer",
        )
        return
    seated = {pid for table in design.tables for pid in table.seats()}
    if not seated.intersection(neighbours):
        yield Finding(
            f"the regional neighbour{'s' if len(neighbours) > 1 else ''} {quoted(neighbours)} "
            f"{'sit' if len(neighbours) > 1 else 'sits'} at no table (as party, facilitator or "
            "observer)",
            section_at(design, "tables"),
            f"seat '{neighbours[0]}' at a table, e.g. in the observers of the regional table",
        )


@rule("W102", "the regional table does not take up reform of the regional security "
      "organization", essential="advice")
def no_osce_reform(design: Design):
    """
    Checks:
        When a table carries the regional level (it passes E102), at least one such
        table has an agenda item tagged `osce-reform`.

    Why:
        Earlier diplomacy through the region's security organization failed to prevent
        or end the conflict. The regional talks are where it can be rebuilt into a
        standing means of trust between the states of the region, so that the next
        conflict there is prevented rather than managed.

    Example:
        tables:
          - id: table-b
            level: regional
            agenda:
              - title: A reformed regional security organization
                topics: [osce-reform]

    Fix:
        Add an agenda item tagged `osce-reform` to the regional table.
    """
    regional = qualifying_tables(design)["regional"]
    tagged = {table.id for table, _ in _items_tagged(design, "osce-reform")}
    if not regional or any(table.id in tagged for table in regional):
        return
    ids = [t.id for t in regional]
    yield Finding(
        f"no agenda item of the regional table {quoted(ids)} is tagged 'osce-reform' "
        "(reform of the regional security organization)",
        section_at(design, "tables"),
        f"add an agenda item with 'topics: [osce-reform]' to table '{ids[0]}'",
    )


@rule("W103", "a table discusses territory without its claimant", essential="advice")
def territory_without_claimant(design: Design):
    """
    Checks:
        Every table whose agenda has an item tagged `territory` has among its `parties`
        every participant that a territory's `claimed_by` names.

    Why:
        Broadening the talks must not turn into deciding over the heads of those whose
        land is at stake: the article insists that the attacked state negotiates on
        its own needs and timetable. Nothing about a territory without its claimant.

    Example:
        territories:
          - id: river-delta
            claimed_by: ardenia
        tables:
          - id: table-c
            parties: [borvia, northern-alliance, westland]   # W103: ardenia absent
            agenda:
              - title: Lines of control
                topics: [territory]

    Fix:
        Add the claimant to the table's parties, or move the territory item to a table
        where the claimant negotiates.
    """
    claimants = list(dict.fromkeys(t.claimed_by for t in design.territories if t.claimed_by))
    if not claimants:
        return
    for table in design.tables:
        items = [item for item in table.agenda if "territory" in item.topics]
        absent = [c for c in claimants if c not in table.parties]
        if items and absent:
            yield Finding(
                f"table '{table.id}' has territory on its agenda (item {_item_name(items[0])}) "
                f"without the claimant{'s' if len(absent) > 1 else ''} {quoted(absent)} among "
                "its parties",
                section_at(design, "tables"),
                f"add {quoted(absent)} to the parties of table '{table.id}', or move the "
                "territory item to a table where the claimant negotiates",
            )


@rule("W104", "no agenda item deals with accountability", essential="advice")
def no_accountability(design: Design):
    """
    Checks:
        Some agenda item at some table is tagged `accountability`.

    Why:
        Prosecuting war crimes may prove harder to agree than the territorial
        questions, and a long war lets evidence disappear. A design
        that is silent on accountability postpones one of the hardest questions.

    Example:
        agenda:
          - title: Accountability and reparation
            topics: [accountability]

    Fix:
        Add an agenda item tagged `accountability` (investigation of war crimes,
        reparation) to a table, usually the bilateral one.
    """
    if any(True for _ in _items_tagged(design, "accountability")):
        return
    yield Finding(
        "no agenda item at any table is tagged 'accountability', so the design says nothing "
        "about war crimes",
        section_at(design, "tables"),
        "add an agenda item with 'topics: [accountability]', e.g. on the investigation of "
        "war crimes",
    )


@rule("W105", "the buffer zone has no status clause", essential="advice")
def zone_without_status_clause(design: Design):
    """
    Checks:
        The buffer zone has a `status_clause`. Checked only when a buffer zone exists.

    Why:
        The zone keeps the territories' status undetermined only if the text says so.
        Without an explicit without-prejudice clause, the arrangement can later be read
        as recognising the line it draws.

    Example:
        buffer_zone:
          status_clause: This arrangement is without prejudice to the final status of
            the territories concerned, which remains undetermined until the negotiations
            are complete.

    Fix:
        Add `status_clause` saying that the arrangement is without prejudice to the
        final status of the territories, which stays undetermined until the talks end.
    """
    zone = design.buffer_zone
    if zone is None or zone.status_clause:
        return
    yield Finding(
        "the buffer zone has no status_clause saying that it leaves the status of the "
        "territories open",
        section_at(design, "buffer_zone"),
        "add 'status_clause:' stating that the arrangement is without prejudice to the final "
        "status of the territories, which remains undetermined until the negotiations are "
        "complete",
    )


@rule("W106", "a confidence-building measure names no verification", essential="advice")
def measure_without_verification(design: Design):
    """
    Checks:
        Every confidence-building measure has `verification`.

    Why:
        A confidence-building measure builds confidence only if each side can see that
        the other keeps it. The buffer zone itself is meant to serve as one; every
        measure needs to say who verifies it and how.

    Example:
        confidence_building_measures:
          - id: hotline
            title: Military hotline between the commands
            verification: The UN mission logs every call and reports monthly.

    Fix:
        Add `verification` to the measure: who verifies it and how.
    """
    for measure in design.confidence_building_measures:
        if not measure.verification:
            yield Finding(
                f"the confidence-building measure '{measure.id}' ({measure.title}) does not say "
                "who verifies it",
                measure.span,
                "add 'verification:' saying who verifies the measure and how",
            )


@rule("W107", "a text in several languages lacks one of the process's languages", essential="advice")
def translation_missing(design: Design):
    """
    Checks:
        Every text written in several languages (a mapping such as `en: …`, `uk: …`)
        gives a text for each language of `process.languages`.

    Why:
        Texts signed in several languages are equally authentic: each language version
        must say the same. A version that lacks a text prints the first language's
        text, marked as a pending translation, so no version silently drops a clause;
        but it cannot be circulated as that language's text until it is translated.

    Example:
        process:
          languages: [en, uk, ru]
        participants:
          - id: ukraine
            name: {en: Ukraine, uk: Україна}      # W107: no 'ru' text

    Fix:
        Add the missing language's line to the text, e.g. `ru: Украина`, or write the
        text as plain text if it reads the same in every language.
    """
    languages = design.process.languages
    if len(languages) < 2:
        return
    for text in texts_of(design):
        missing = text.missing(languages)
        if missing:
            yield Finding(
                f"\"{shorten(str(text))}\" has no {' and no '.join(repr(tag) for tag in missing)} text: "
                f"the {plain_list(missing)} version{'s' if len(missing) > 1 else ''} will print the "
                f"'{languages[0]}' text, marked as a pending translation",
                text.span,
                f"add a line '{missing[0]}: …' with the translation",
            )
