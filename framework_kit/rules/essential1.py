"""Essential 1: a broadened process on three simultaneous, interlocking levels (E100-E105).

Whole-design rules: each points at the heading of the section it concerns.
"""

from __future__ import annotations

from ..spec.model import Design
from .levels import (
    LEVEL_RULES,
    LEVELS,
    belligerent_ids,
    holding_belligerents,
    level_of,
    plain_list,
    quoted,
    qualifying_tables,
    section_at,
    shortfalls,
)
from .rule import Finding, rule

_LEVEL_RULES_PASS = tuple(LEVEL_RULES.values())


@rule("E100", "fewer than two participants are belligerents", essential="essential-1")
def fewer_than_two_belligerents(design: Design):
    """
    Checks:
        At least two participants have `role: belligerent`.

    Why:
        Every other rule works on roles: which table seats the parties to the war,
        who holds contested ground, who must not administer the buffer zone. A design
        that does not say who is at war cannot be checked against the framework.

    Example:
        participants:
          - id: ardenia
            name: Republic of Ardenia
            kind: state
            role: belligerent
          - id: borvia
            name: Borvian Federation
            kind: state        # role missing: E100, only one belligerent

    Fix:
        Set `role: belligerent` on each party to the war (at least two).
    """
    found = belligerent_ids(design)
    if len(found) >= 2:
        return
    named = f"only {quoted(found)} has" if found else "no participant has"
    yield Finding(
        f"{named} role: belligerent; the design must name at least two parties to the war",
        section_at(design, "participants"),
        "set 'role: belligerent' on each participant that is a party to the war",
    )


def _level_missing(design: Design, level: str, wanted: str, help: str):
    """The finding for a level (E101-E103) that no table carries, naming near misses."""
    if qualifying_tables(design)[level]:
        return
    candidates = [t for t in design.tables if t.level == level]
    if candidates:
        detail = "; ".join(
            f"table '{t.id}' has " + plain_list(shortfalls(design, t, level)) for t in candidates)
    else:
        detail = f"no table has level: {level}"
    yield Finding(f"no {level} table has {wanted} among its parties ({detail})",
                  section_at(design, "tables"), help)


def _linkage_name(design: Design, linkage) -> str:
    """'all-tables', or 'linkage 2' for a linkage without an id."""
    if linkage.id:
        return f"'{linkage.id}'"
    return f"linkage {next(i for i, k in enumerate(design.linkages) if k is linkage) + 1}"


def _ids_or(ids: list[str], placeholder: str) -> str:
    return ", ".join(ids) if ids else placeholder


@rule("E101", "no bilateral table seats every belligerent", essential="essential-1")
def no_bilateral_table(design: Design):
    """
    Checks:
        Some table with `level: bilateral` has every belligerent among its `parties`.

    Why:
        The first of the three levels is direct talks between the parties to the war
        on their own disputes. The other two levels exist to make concessions at this
        table possible; without it they have nothing to support.

    Example:
        tables:
          - id: table-a
            name: Bilateral talks
            level: bilateral
            parties: [ardenia, borvia]   # every belligerent

    Fix:
        Give one table `level: bilateral` and list every belligerent among its parties.
    """
    belligerents = belligerent_ids(design)
    yield from _level_missing(
        design, "bilateral", f"every belligerent ({quoted(belligerents)})",
        f"add a table with 'level: bilateral' and 'parties: [{_ids_or(belligerents, '...')}]'",
    )


@rule("E102", "no regional table seats every belligerent and a union", essential="essential-1")
def no_regional_table(design: Design):
    """
    Checks:
        Some table with `level: regional` has every belligerent and at least one
        participant of `kind: union` among its `parties`.

    Why:
        The second level resets relations between the region's union and the
        belligerents, including the economic and security arrangements of the states
        that lie between them. The article puts the attacked state at this table
        too: the union talks with the aggressor *and* its victim, never over its head.

    Example:
        tables:
          - id: table-b
            name: Regional arrangements
            level: regional
            parties: [ardenia, borvia, southern-union]   # southern-union has kind: union

    Fix:
        Give one table `level: regional` and list every belligerent and a union among its
        parties.
    """
    belligerents = belligerent_ids(design)
    yield from _level_missing(
        design, "regional", f"every belligerent ({quoted(belligerents)}) and a union",
        "add a table with 'level: regional' whose parties are every belligerent and a "
        "participant of kind union",
    )


@rule("E103", "no strategic table seats the territory's holder, an alliance and an outside "
      "state", essential="essential-1")
def no_strategic_table(design: Design):
    """
    Checks:
        Some table with `level: strategic` has among its `parties`: a belligerent that a
        territory's `held_by` names (any belligerent when no `held_by` names one), at
        least one participant of `kind: alliance`, and at least one `kind: state` that
        is not a belligerent.

    Why:
        The third level gives the side holding contested ground what it wants most:
        direct talks with the alliance and an outside power on strategic stability and
        its place in the world order. That is what may move it to concede territory at
        the bilateral table, so the table must seat the holder of that territory.

    Example:
        tables:
          - id: table-c
            name: Strategic stability
            level: strategic
            parties: [borvia, northern-alliance, westland]
            # borvia holds the territory; northern-alliance has kind: alliance;
            # westland is a state that is not a belligerent

    Fix:
        Give one table `level: strategic` and list the belligerent that holds the
        contested territory, an alliance and a non-belligerent state among its parties.
    """
    holders = holding_belligerents(design)
    who = (f"the belligerent holding contested territory ({quoted(holders)})" if holders
           else "a belligerent")
    yield from _level_missing(
        design, "strategic", f"{who}, an alliance and a state that is not a belligerent",
        "add a table with 'level: strategic' whose parties are "
        + (f"'{holders[0]}'" if holders else "a belligerent")
        + ", a participant of kind alliance and a non-belligerent state",
    )


@rule("E104", "the three levels are not simultaneous", essential="essential-1",
      requires=_LEVEL_RULES_PASS)
def levels_not_simultaneous(design: Design):
    """
    Checks:
        No table that carries one level (E101, E102 or E103) has `starts_after` a table
        that carries another level, and no `sequential` linkage joins tables that carry
        different levels. Checked only when E101, E102 and E103 all pass.

    Why:
        The levels work only together: each side must see gains on offer at one table
        while it makes concessions at another. If one level waits for another to
        conclude, the trade between them disappears and the waiting table loses its
        pull.

    Example:
        tables:
          - id: table-c
            level: strategic
            starts_after: [table-a]   # E104: waits for the bilateral table
        linkages:
          - tables: [table-a, table-b]
            kind: sequential          # E104: one level after another

    Fix:
        Remove the `starts_after` entries and `sequential` linkages between tables of
        different levels; join them with an `interlocking` linkage instead.
    """
    levels = {t.id: level_of(design, t) for t in design.tables}
    for table in design.tables:
        mine = levels[table.id]
        for other in table.starts_after:
            theirs = levels.get(other)
            if mine and theirs and theirs != mine:
                yield Finding(
                    f"table '{table.id}' ({mine} level) starts only after table '{other}' "
                    f"({theirs} level) concludes; the levels must run at the same time",
                    section_at(design, "tables"),
                    f"remove '{other}' from the starts_after of table '{table.id}'",
                )
    for linkage in design.linkages:
        if linkage.kind != "sequential":
            continue
        joined = {levels.get(tid) for tid in linkage.tables} - {None}
        if len(joined) > 1:
            yield Finding(
                f"the sequential linkage {_linkage_name(design, linkage)} puts the {' and '.join(sorted(joined))} "
                f"levels one after another; the levels must run at the same time",
                section_at(design, "linkages"),
                "make this linkage 'kind: interlocking' or 'conditional', or remove it",
            )


@rule("E105", "the three levels are not interlocked", essential="essential-1",
      requires=_LEVEL_RULES_PASS)
def levels_not_interlocked(design: Design):
    """
    Checks:
        Some linkage with `kind: interlocking` covers at least one table of each level
        (a table that passes E101, one that passes E102 and one that passes E103).
        Checked only when E101, E102 and E103 all pass.

    Why:
        Only the full combination, equal and bound together, is expected to move the
        belligerent that holds territory to concede: it must know that what it wants at
        the strategic and regional tables depends on agreement at the bilateral one.

    Example:
        linkages:
          - id: all-tables
            tables: [table-a, table-b, table-c]
            kind: interlocking
            text: Nothing is agreed until everything is agreed.

    Fix:
        Add a linkage with `kind: interlocking` whose tables include one table of each
        of the three levels.
    """
    qualifying = qualifying_tables(design)
    interlocking = [k for k in design.linkages if k.kind == "interlocking"]
    for linkage in interlocking:
        if all(any(t.id in linkage.tables for t in qualifying[level]) for level in LEVELS):
            return
    example = ", ".join(qualifying[level][0].id for level in LEVELS if qualifying[level])
    if interlocking:
        detail = "; ".join(
            f"{_linkage_name(design, k)} lacks the "
            + " and ".join(lv for lv in LEVELS
                           if not any(t.id in k.tables for t in qualifying[lv]))
            + " level" for k in interlocking)
        message = f"no interlocking linkage binds all three levels ({detail})"
    else:
        message = "no linkage of kind interlocking binds the three levels together"
    yield Finding(
        message, section_at(design, "linkages", "tables"),
        f"add a linkage with 'kind: interlocking' and 'tables: [{example}]'",
    )
