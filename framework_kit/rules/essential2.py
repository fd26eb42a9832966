"""Essential 2: contested territory stays undetermined until the talks complete (E201-E206).

E201, E203 and E205 point at the value at fault; E202, E204 and E206 at the
section they concern. E203-E205 apply only when a buffer zone exists: E202
reports its absence.
"""

from __future__ import annotations

import datetime as dt

from ..spec.model import UNTIL_COMPLETION, Design
from .levels import belligerent_ids, quoted, section_at
from .rule import Finding, rule


@rule("E201", "a territory's status is settled or prejudged", essential="essential-2")
def territory_not_undetermined(design: Design):
    """
    Checks:
        Every territory has `status: undetermined`.

    Why:
        A process that records contested ground as annexed, ceded, returned or even
        merely disputed has already decided, or tilted, the question the talks are
        meant to settle. The status stays open until every table has concluded, so
        that neither side gains by the map while the talks run.

    Example:
        territories:
          - id: river-delta
            name: The river delta provinces
            status: annexed        # E201: write undetermined
            held_by: borvia
            claimed_by: ardenia

    Fix:
        Set `status: undetermined`. Record who controls the area in `held_by` and who
        claims it in `claimed_by`; say what has happened in `description`.
    """
    for territory in design.territories:
        if territory.status != "undetermined":
            yield Finding(
                f"territory '{territory.id}' has status '{territory.status}'; its status must "
                "stay undetermined until the negotiations are complete",
                territory.at("status"),
                "write 'status: undetermined'; record control in held_by and the claim in "
                "claimed_by",
            )


@rule("E202", "a territory is outside the buffer zone", essential="essential-2")
def territory_not_covered(design: Design):
    """
    Checks:
        Every declared territory is listed in the buffer zone's `covers`; and when
        territories are declared, a `buffer_zone` exists.

    Why:
        The longer the holder keeps contested ground, the more it builds facts on the
        ground and the harder they are to undo. Placing every contested area under
        third-party control until the talks end stops that consolidation. An area left
        out of the zone is an area the talks may lose.

    Example:
        territories:
          - id: river-delta
            status: undetermined
          - id: hill-country
            status: undetermined
        buffer_zone:
          covers: [river-delta]    # E202: hill-country is not covered

    Fix:
        List every territory in `buffer_zone.covers`, or add a `buffer_zone` section if
        there is none.
    """
    territories = [t.id for t in design.territories]
    if not territories:
        return
    zone = design.buffer_zone
    if zone is None:
        yield Finding(
            f"the territories {quoted(territories)} are declared, but there is no buffer_zone "
            "to keep them under third-party control until the talks end",
            section_at(design, "territories"),
            f"add a buffer_zone section with 'covers: [{', '.join(territories)}]'",
        )
        return
    for tid in territories:
        if tid not in zone.covers:
            yield Finding(
                f"territory '{tid}' is not covered by the buffer zone",
                section_at(design, "buffer_zone"),
                f"add '{tid}' to buffer_zone.covers",
            )


@rule("E203", "a belligerent administers the buffer zone", essential="essential-2")
def belligerent_administers_zone(design: Design):
    """
    Checks:
        No participant listed in the buffer zone's `administered_by` is a belligerent.
        Checked only when a buffer zone exists.

    Why:
        The zone exists so that neither side can consolidate its hold while the talks
        run. Under the control of a belligerent it would do the opposite: the zone is
        meant for the United Nations or another third party.

    Example:
        buffer_zone:
          covers: [river-delta]
          administered_by: [borvia]   # E203: borvia is a belligerent

    Fix:
        Name only third parties in `administered_by`, e.g. the United Nations or a
        regional organization.
    """
    zone = design.buffer_zone
    if zone is None:
        return
    belligerents = set(belligerent_ids(design))
    for index, pid in enumerate(zone.administered_by):
        if pid in belligerents:
            yield Finding(
                f"'{pid}' ({design.name_of(pid)}) is a belligerent and cannot administer the "
                "buffer zone; it must be under third-party control",
                zone.item_at("administered_by", index),
                f"replace '{pid}' with a third party, e.g. the United Nations or a regional "
                "organization",
            )


@rule("E204", "the buffer zone has no properly mandated peacekeeping mission",
      essential="essential-2")
def zone_without_mandated_mission(design: Design):
    """
    Checks:
        The buffer zone has `peacekeeping`, the mission names `mandated_by`, and the
        mandating participant is not a belligerent. Checked only when a buffer zone
        exists.

    Why:
        Keeping the zone out of either side's hands needs people on the ground: a
        peacekeeping mission whose mandate comes from a body outside the war. The
        mission's presence also builds trust between the sides while a settlement is
        negotiated.

    Example:
        buffer_zone:
          covers: [river-delta]
          administered_by: [un]
          peacekeeping:
            name: UN Interim Mission in the Delta
            mandated_by: un

    Fix:
        Add `buffer_zone.peacekeeping` with `mandated_by` naming a non-belligerent,
        such as the United Nations.
    """
    zone = design.buffer_zone
    if zone is None:
        return
    mission = zone.peacekeeping
    if mission is None:
        yield Finding(
            "the buffer zone has no peacekeeping mission",
            section_at(design, "buffer_zone"),
            "add 'peacekeeping:' to the buffer zone, with 'mandated_by:' naming a "
            "non-belligerent such as the United Nations",
        )
        return
    where = zone.key_at("peacekeeping")
    if mission.mandated_by is None:
        yield Finding(
            "the buffer zone's peacekeeping mission does not say who mandates it",
            where, "add 'mandated_by:' naming a non-belligerent, such as the United Nations",
        )
    elif mission.mandated_by in belligerent_ids(design):
        yield Finding(
            f"the peacekeeping mission is mandated by '{mission.mandated_by}' "
            f"({design.name_of(mission.mandated_by)}), a belligerent",
            where, "let a non-belligerent mandate the mission, such as the United Nations",
        )


@rule("E205", "the buffer zone ends on a fixed date", essential="essential-2")
def zone_ends_on_date(design: Design):
    """
    Checks:
        The buffer zone's `until` is `completion-of-negotiations` (the default), not a
        date. Checked only when a buffer zone exists.

    Why:
        If the zone lapses on a calendar date, the side that holds the ground only has
        to wait: the talks lose their deadline-free protection and the status question
        returns to the battlefield. The arrangement lasts until the negotiations are
        complete.

    Example:
        buffer_zone:
          covers: [river-delta]
          administered_by: [un]
          until: 2028-06-30        # E205: write completion-of-negotiations

    Fix:
        Write `until: completion-of-negotiations`, or leave `until` out.
    """
    zone = design.buffer_zone
    if zone is None or zone.until == UNTIL_COMPLETION:
        return
    if isinstance(zone.until, dt.date):
        yield Finding(
            f"the buffer zone ends on {zone.until.isoformat()}; it must last until the "
            "negotiations are complete",
            zone.at("until"),
            "write 'until: completion-of-negotiations' (or leave 'until' out)",
        )


@rule("E206", "no territories are declared", essential="essential-2")
def no_territories(design: Design):
    """
    Checks:
        The `territories` section declares at least one territory.

    Why:
        The second essential is about the contested ground: its status, the zone that
        holds it and the mission that keeps it. A design that names no territory
        cannot show that any of this has been provided for.

    Example:
        territories:
          - id: river-delta
            name: The river delta provinces
            status: undetermined
            held_by: borvia
            claimed_by: ardenia

    Fix:
        Add a `territories` section that lists each contested area with
        `status: undetermined`.
    """
    if design.territories:
        return
    yield Finding(
        "no territories are declared, so the design cannot show that contested territory "
        "stays undetermined until the talks end",
        section_at(design, "territories", "buffer_zone"),
        "add a 'territories' section listing each contested area with 'status: undetermined'",
    )
