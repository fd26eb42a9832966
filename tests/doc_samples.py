"""Hand-built document trees for the writer tests (PDF and DOCX).

They are built without the spec or the templates so that a writer can be
tested on its own, and they use every kind of block and inline the tree has.
"""

from __future__ import annotations

from framework_kit.render.doctree import (
    Box,
    Cell,
    Clause,
    Connector,
    Document,
    Emph,
    Figure,
    Heading,
    Label,
    LineBreak,
    Link,
    ListBlock,
    Meta,
    Note,
    PageBreak,
    Paragraph,
    Rule,
    Signatory,
    SignatureBlock,
    Strong,
    Table,
    Text,
)

CYRILLIC = "Україна — ґ є і ї"


def sample_meta(**changes) -> Meta:
    """The metadata of the sample term sheet; keyword arguments replace fields."""
    meta = Meta(
        title="Term Sheet — Table A: Bilateral Negotiations",
        subject="Ukraine three-level peace process",
        author="Office of the Special Envoy",
        keywords=["term sheet", "ceasefire", "Table A"],
        reference="OSE/UA-3L/TS-A/0.3",
        version="0.3",
        date="2026-11-25",
        marking="DRAFT — FOR DISCUSSION ONLY",
        watermark="DRAFT",
        language="en",
        document="term-sheet",
        footer="Version 0.3 — 2026-11-25",
    )
    for key, value in changes.items():
        setattr(meta, key, value)
    return meta


def t(text: str) -> list:
    """One plain text inline, as a list of inlines."""
    return [Text(text)]


def process_figure() -> Figure:
    """The picture of a three-level process: two tables under a steering group."""
    return Figure(
        width=440,
        height=200,
        caption="Figure 1 — Structure of the process",
        description="A steering group above two negotiating tables, linked by a liaison line.",
        shapes=[
            Box(150, 10, 140, 48, ["Steering Group", "Chair: Special Envoy"], fill="header"),
            Box(10, 120, 170, 60, ["Table A: Bilateral", "Україна — Russian Federation", "ґ є і ї"]),
            Box(260, 120, 170, 60, ["Table B: Humanitarian", "ICRC, OHCHR"], stroke="accent"),
            Connector([(220, 58), (220, 90), (95, 90), (95, 120)], arrow=True),
            Connector([(220, 90), (345, 90), (345, 120)], arrow=True, label="reports"),
            Connector([(180, 150), (260, 150)], dashed=True, stroke="muted", label="liaison"),
            Label(10, 10, "Level 1", size=7, bold=True, colour="muted"),
            Label(430, 190, "Chart not to scale", size=6.5, align="right", colour="muted"),
        ],
    )


def sample_document(**meta_changes) -> Document:
    """A realistic two-to-three page term sheet using every block and inline kind."""
    blocks = [
        Heading(1, t("Term Sheet — Table A: Bilateral Negotiations")),
        Paragraph(t("Ukraine three-level peace process"), style="lead"),
        Table(
            header=[Cell(t("Field")), Cell(t("Value"))],
            rows=[
                [Cell(t("Process"), bold=True), Cell(t("Ukraine three-level peace process"))],
                [Cell(t("Document"), bold=True), Cell(t("Term sheet for Table A (bilateral)"))],
                [Cell(t("Prepared by"), bold=True), Cell(t("Office of the Special Envoy"))],
                [Cell(t("Version"), bold=True), Cell(t("0.3 of 25 November 2026"))],
                [Cell(t("Status"), bold=True), Cell([Emph(t("Draft for discussion — not agreed"))])],
            ],
            widths=[0.28, 0.72],
            style="fields",
        ),
        Paragraph([Strong(t("Legend. ")), Text("Agreed text is plain. Text under discussion stands in "
                                                "[square brackets]; alternatives are given as options "
                                                "with their proposer.")], style="legend"),
        Heading(2, t("Parties and participants"), number="1"),
        Table(
            header=[Cell(t("Participant")), Cell(t("Capacity")), Cell(t("Represented by"))],
            rows=[
                [Cell(t("Ukraine (" + CYRILLIC + ")")), Cell(t("Party")), Cell(t("Ministry of Foreign Affairs"))],
                [Cell(t("Russian Federation")), Cell(t("Party")), Cell(t("Ministry of Foreign Affairs"))],
                [Cell(t("Special Envoy")), Cell(t("Chair")), Cell(t("Office of the Special Envoy"))],
                [Cell(t("ICRC")), Cell(t("Observer"), align="center"),
                 Cell(t("Delegation in Kyiv"))],
            ],
            widths=[0.38, 0.2, 0.42],
            caption="Table 1 — Participants at Table A",
        ),
        Heading(2, t("Purpose and principles"), number="2"),
        Clause("2.1", t("The Parties shall negotiate in good faith, with the aim of a durable cessation "
                        "of hostilities and a framework for the settlement of outstanding issues."),
               status="agreed"),
        Clause("2.2", [Text("Nothing is agreed until everything is agreed. The tables are "),
                       Emph(t("interlocking and interdependent")),
                       Text("; progress at one table shall be reported to the Steering Group.")],
               status="proposed", attribution="Proposed by the Chair"),
        Clause("2.3", [Text("[Option A: The ceasefire shall enter into force at 00:00 hours on D-Day. / "
                            "Option B: The ceasefire shall enter into force seventy-two hours after "
                            "signature.]"),
                       Note(t("Ukraine reserves its position pending consultations with the "
                              "Verkhovna Rada; the Russian Federation prefers Option B."))],
               status="bracketed", attribution="Option A: Ukraine; Option B: Russian Federation"),
        Clause("2.4", [Text("The arrangement is without prejudice to the final status of the territories "
                            "concerned"), Note(t("Standard status clause; see DRAFTING.md.")),
                       Text(", which remains undetermined until the negotiations are complete.")],
               status="agreed"),
        Heading(2, t("Structure of the process"), number="3"),
        Paragraph(t("The process is organised in three levels:")),
        ListBlock([
            [Paragraph([Strong(t("Level 1")), Text(" — the Steering Group, chaired by the Special Envoy;")])],
            [Paragraph([Strong(t("Level 2")), Text(" — two negotiating tables:")]),
             ListBlock([[Paragraph(t("Table A, bilateral;"))], [Paragraph(t("Table B, humanitarian;"))]],
                       ordered=True)],
            [Paragraph([Strong(t("Level 3")), Text(" — technical working groups, as set out in Annex A.")])],
        ]),
        process_figure(),
        Heading(3, t("Decision-making"), number="3.1"),
        Clause("3.1.1", [Text("Decisions are taken by sufficient consensus, as defined in the "),
                         Link("https://peacemaker.un.org/", t("UN guidance on mediation")),
                         Text(".")], status="agreed"),
        Clause("3.1.2", [Text("[The Chair may convene the tables in joint session"), LineBreak(),
                         Text("at the request of either Party.]")], status="bracketed",
               attribution="Proposed by Ukraine"),
        Paragraph(t("Adopted text in the original languages: Україна — державна мова; ґ є і ї."),
                  style="quote"),
        Rule(),
        PageBreak(),
        Heading(2, t("Confidence-building measures"), number="Annex A"),
        Table(
            header=[Cell(t("Measure")), Cell(t("Who")), Cell(t("By when")), Cell(t("Verified by"))],
            rows=[
                [Cell(t("Exchange of prisoners, all for all")), Cell(t("Both Parties")),
                 Cell(t("D+30"), align="center"), Cell(t("ICRC"))],
                [Cell(t("Hotline between commanders")), Cell(t("Both Parties")),
                 Cell(t("D+7"), align="center"), Cell(t("Monitoring mission"))],
                [Cell(t("Access for humanitarian convoys")), Cell(t("Russian Federation")),
                 Cell(t("D+14"), align="center"), Cell([Text("OCHA"), Note(t("Subject to security guarantees."))])],
            ],
            widths=[0.4, 0.2, 0.15, 0.25],
            caption="Table 2 — Schedule of measures",
        ),
        Paragraph(t("This term sheet is initialled at the level of delegations and remains subject to "
                    "confirmation by the competent authorities."), style="small"),
        SignatureBlock("Initialled ad referendum", [
            Signatory("For Ukraine"),
            Signatory("For the Russian Federation"),
            Signatory("Witnessed by the Special Envoy", name="Special Envoy", place="Geneva"),
        ]),
    ]
    return Document(sample_meta(**meta_changes), blocks)
