"""The commented starter spec that ``kit init`` writes (it passes ``kit check``)."""

STARTER = """\
# A peace-process design for framework-kit (spec format version 1).
# Check it:   kit check spec.yaml        Render it:   kit render spec.yaml
# Every rule is explained by 'kit explain CODE'; 'kit explain' lists them all.
# Text fields marked (Markdown) accept **bold**, *italics*, lists and links.
kit: 1

process:
  title: A Three-Level Peace Process          # printed on every document
  short_title: three-level-process            # used in file names
  reference: TS-0000-001                      # your document reference
  version: "0.1"                              # quote it, so 0.10 stays 0.10
  date: 2026-01-01                            # YYYY-MM-DD
  status: draft                               # draft | for-consultation | agreed-ad-referendum | final
  prepared_by: Drafting office
  summary: |                                  # (Markdown) opens the brief
    Talks at three simultaneous, interlocking tables; contested territory
    stays undetermined under a third-party buffer zone until they conclude.
  principles:
    - Nothing is agreed until everything is agreed.

# Everyone the other sections name, declared once. Rules work on role and kind.
participants:
  - {id: state-a, name: State A, kind: state, role: belligerent}   # holds the contested area
  - {id: state-b, name: State B, kind: state, role: belligerent}
  - {id: union, name: The Regional Union, kind: union}
  - {id: alliance, name: The Alliance, kind: alliance}
  - {id: power, name: The Leading Outside Power, kind: state}
  - {id: un, name: United Nations, kind: organization, role: third-party}
  - {id: neighbour, name: A Neighbouring State, kind: state, role: observer, neighbour: true}

# Essential 1: three levels, equal and interlocking (E101-E105).
tables:
  - id: table-a
    name: "Table A: Bilateral Negotiations"
    level: bilateral                           # every belligerent is a party
    parties: [state-a, state-b]
    facilitators: [un]
    agenda:
      - title: Ceasefire and separation of forces
        topics: [security, territory]
        terms:
          - text: The Parties shall observe a ceasefire from D-Day.
            status: proposed                   # agreed | proposed | bracketed
            proposed_by: state-b
      - title: Accountability
        topics: [accountability]
  - id: table-b
    name: "Table B: Regional Arrangements"
    level: regional                            # the belligerents and a union
    parties: [state-a, union, state-b]
    observers: [neighbour]
    agenda:
      - title: A reformed regional security organisation
        topics: [osce-reform, economy]
  - id: table-c
    name: "Table C: Strategic Stability"
    level: strategic                           # the holder, an alliance, an outside state
    parties: [state-a, alliance, power]
    agenda:
      - title: Arms control
        topics: [arms-control, strategic-stability]

linkages:
  - tables: [table-a, table-b, table-c]
    kind: interlocking
    text: Nothing is agreed until everything is agreed.

# Essential 2: the status of seized territory stays undetermined (E201-E206).
territories:
  - id: contested-area
    name: The contested area
    status: undetermined
    held_by: state-a
    claimed_by: state-b

buffer_zone:
  covers: [contested-area]
  administered_by: [un]                        # never a belligerent
  status_clause: Without prejudice to the final status, which remains undetermined.
  until: completion-of-negotiations
  peacekeeping:
    mandated_by: un
    strength: 5000

confidence_building_measures:
  - id: hotline
    title: Military hotline
    category: military
    parties: [state-a, state-b]
    verification: Logged by the UN mission.
"""
