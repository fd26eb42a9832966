"""kit diff: the changes between two versions of a design, the redlines, the blacklines."""

from __future__ import annotations

import io
import json
import re

import pypdf
import pytest

from conftest import EXAMPLES, UKRAINE
from framework_kit import api
from framework_kit.diff.run import diff_files
from framework_kit.cli import app
from framework_kit.diff.design import compare
from framework_kit.diff.redline import redline
from framework_kit.render import doctree as dt
from framework_kit.render.build import build_documents
from redline_tools import W, document_lines, document_xml, resolve, revisions, without_numbers

V3 = EXAMPLES / "versions" / "ukraine-v0.3.yaml"
V4 = EXAMPLES / "versions" / "ukraine-v0.4.yaml"
SLUG = "ukraine-three-level-process_v0.3-v0.4"
DOCUMENTS = ["brief", "term-sheet-table-a", "term-sheet-table-b", "term-sheet-table-c",
             "buffer-zone-annex", "cbm-schedule"]


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("diff")
    result = diff_files(V3, V4, out)
    assert result.exit_code == 0, (result.problem, result.diagnostics)
    return result, out


def test_the_example_versions_list_exactly_their_edits():
    result = diff_files(V3, V4, None)
    found = [(c.kind, c.path, c.old, c.new) for c in result.comparison.changes]
    a = "tables.table-a.agenda"
    assert [(k, p) for k, p, _, _ in found] == [
        ("added", "participants.romania"),
        ("status-changed", f"{a}.ceasefire.terms.status"),
        ("changed", f"{a}.humanitarian.terms.1"),
        ("added", f"{a}.humanitarian.terms.3"),
        ("changed", f"{a}.accountability.terms.1"),
        ("changed", "tables.table-b"),
        ("added", "tables.table-b.agenda.energy"),
        ("moved", "tables.table-b.agenda.energy.terms.energy-transit"),
        ("status-changed", "tables.table-c.agenda.cyber.terms.1"),
        ("changed", "tables.table-c.agenda.cyber.terms.1"),
    ]
    assert found[1][2:] == ("bracketed", "agreed")
    assert found[5][2:] == ({"observers": ["moldova", "poland"]}, {"observers": ["moldova", "poland", "romania"]})
    assert found[7][2] == "tables.table-b.agenda.in-between-states.terms.energy-transit"


def test_text_output_is_one_line_a_change_and_a_summary(runner, tmp_path):
    outcome = runner.invoke(app, ["diff", str(V3), str(V4), "-o", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    lines = outcome.stdout.splitlines()
    assert "10 changes: 3 added, 4 changed, 2 status, 1 moved" in lines
    assert any("Table A 1.3 Türkiye's proposal, bracketed → agreed" in line for line in lines)
    assert any("Table A 2.1 agreed text: text +“and civilian detainees”" in line for line in lines)
    assert any("moved from 1.2" in line for line in lines)


def test_json_output_is_the_contract_list(runner, tmp_path):
    outcome = runner.invoke(app, ["diff", str(V3), str(V4), "-o", str(tmp_path), "--format", "json"])
    assert outcome.exit_code == 0
    changes = json.loads(outcome.stdout)
    assert all(set(c) == {"kind", "path", "old", "new"} for c in changes)
    assert {c["kind"] for c in changes} == {"added", "changed", "status-changed", "moved"}


def test_every_document_gets_a_redline_and_a_blackline_and_the_changes_document(example):
    result, out = example
    names = sorted(p.name for p in out.iterdir())
    expected = sorted([f"{SLUG}_{d}_redline.{ext}" for d in DOCUMENTS for ext in ("docx", "pdf")]
                      + [f"{SLUG}_changes.docx", f"{SLUG}_changes.pdf"])
    assert names == expected


def test_diff_is_deterministic_with_or_without_a_worker_process(example, tmp_path):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _, out = example
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        again = diff_files(V3, V4, tmp_path, executor=pool)
    assert len(again.written) == 14
    for path in again.written:
        assert path.read_bytes() == (out / path.name).read_bytes(), path.name


def test_redline_docx_changes_are_stamped_unique_and_in_schema_order(example):
    _, out = example
    root = document_xml((out / f"{SLUG}_term-sheet-table-a_redline.docx").read_bytes())
    marks = revisions(root)
    assert len(marks) >= 8
    ids = [m.get(f"{W}id") for m in marks]
    assert len(ids) == len(set(ids)), "revision ids must be unique"
    for mark in marks:
        assert mark.get(f"{W}author") == "Mediation Support Unit (illustrative)"
        # The new version's date; the time alternates at unchanged paragraph marks (redline.py).
        assert mark.get(f"{W}date") in ("2026-12-04T12:00:00Z", "2026-12-04T12:05:00Z")
    for deleted in root.iter(f"{W}del"):
        assert deleted.find(f".//{W}t") is None, "deleted runs hold w:delText"
    assert not [t for t in root.iter(f"{W}delText") if t.getparent().getparent().tag != f"{W}del"]
    for properties in root.iter(f"{W}pPr"):
        tags = [child.tag for child in properties]
        if f"{W}pPrChange" in tags:
            assert tags[-1] == f"{W}pPrChange"
        if f"{W}rPr" in tags:
            assert tags.index(f"{W}rPr") >= len(tags) - 2
            marks_first = [c.tag for c in properties.find(f"{W}rPr")]
            revision_marks = [t for t in marks_first if t[len(W):] in ("ins", "del", "moveFrom", "moveTo")]
            assert marks_first[:len(revision_marks)] == revision_marks
    # The status change is a style change: bracketed -> agreed.
    [change] = list(root.iter(f"{W}pPrChange"))
    assert change.find(f"{W}pPr/{W}pStyle").get(f"{W}val") != \
        change.getparent().find(f"{W}pStyle").get(f"{W}val")
    words = "".join(t.text for t in root.iter(f"{W}delText"))
    assert "hybrid chamber" in words


def test_moves_are_word_moves_between_named_ranges(example):
    _, out = example
    root = document_xml((out / f"{SLUG}_term-sheet-table-b_redline.docx").read_bytes())
    starts = {e.tag[len(W):]: e for e in root.iter(f"{W}moveFromRangeStart", f"{W}moveToRangeStart")}
    assert set(starts) == {"moveFromRangeStart", "moveToRangeStart"}
    assert starts["moveFromRangeStart"].get(f"{W}name") == starts["moveToRangeStart"].get(f"{W}name")
    ends = [e.get(f"{W}id") for e in root.iter(f"{W}moveFromRangeEnd", f"{W}moveToRangeEnd")]
    assert sorted(ends) == sorted(s.get(f"{W}id") for s in starts.values())
    moved = "".join(t.text for m in root.iter(f"{W}moveTo") for t in m.iter(f"{W}t"))
    assert "Transit of energy" in moved


def _pdf_pages(data: bytes):
    return pypdf.PdfReader(io.BytesIO(data)).pages


INSERTED_RGB = ".109804 .309804 .658824 rg"
DELETED_RGB = ".701961 .14902 .117647 rg"


def _bars(page) -> int:
    content = page.get_contents().get_data().decode("latin-1")
    return len(re.findall(r"1\.6 w\b", content))


def _marked(page) -> bool:
    content = page.get_contents().get_data().decode("latin-1")
    return INSERTED_RGB in content or DELETED_RGB in content


def test_blackline_has_both_words_a_legend_and_a_bar_on_every_changed_page(example):
    _, out = example
    pages = _pdf_pages((out / f"{SLUG}_term-sheet-table-a_redline.pdf").read_bytes())
    text = "\n".join(p.extract_text() for p in pages)
    assert "civilian detainees" in text and "hybrid chamber" in text
    assert "Blackline." in text and "inserted text" in text and "deleted text" in text
    assert "was bracketed" in text  # the margin note of the status change
    changed = [i for i, p in enumerate(pages) if _marked(p)]
    assert changed
    assert all(_bars(pages[i]) for i in changed), "a page with a change has no change bar"


def test_a_change_bar_follows_a_paragraph_split_across_pages(tmp_path):
    long = " ".join(f"word{i} of a clause that goes on" for i in range(450))
    old = UKRAINE.read_text(encoding="utf-8")
    new = old.replace("            status: agreed\n", f"            status: agreed\n          - text: {long}\n", 1)
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    result = diff_files(tmp_path / "old.yaml", tmp_path / "new.yaml", tmp_path / "out",
                            only=["term-sheets"], formats=["pdf"])
    data = next(p for p in result.written if "table-a" in p.name).read_bytes()
    pages = _pdf_pages(data)
    spanned = [i for i, p in enumerate(pages) if "word250 of" in p.extract_text() or
               "word10 of" in p.extract_text() or "word440 of" in p.extract_text()]
    assert len(spanned) >= 2
    assert all(_bars(pages[i]) for i in spanned)


def test_comparing_a_spec_with_itself_says_no_changes_and_tracks_nothing(runner, tmp_path):
    outcome = runner.invoke(app, ["diff", str(UKRAINE), str(UKRAINE), "-o", str(tmp_path)])
    assert outcome.exit_code == 0
    assert "no changes" in outcome.stdout.splitlines()
    docx = [p for p in tmp_path.iterdir() if p.name.endswith("_redline.docx")]
    assert len(docx) == 6
    for path in docx:
        assert revisions(document_xml(path.read_bytes())) == [], path.name


def test_unrelated_processes_are_all_deleted_and_inserted_with_a_title_warning(runner, tmp_path):
    other = EXAMPLES / "invented-river-delta.yaml"
    outcome = runner.invoke(app, ["diff", str(UKRAINE), str(other), "-o", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    assert "warning: the two versions have different titles" in outcome.stderr
    names = [p.name for p in tmp_path.iterdir()]
    assert any(n.endswith("_term-sheet-table-a_redline.docx") for n in names)
    kinds = {c["kind"] for c in json.loads(runner.invoke(
        app, ["diff", str(UKRAINE), str(other), "-o", str(tmp_path), "--format", "json"]).stdout)}
    assert {"added", "removed"} <= kinds


@pytest.mark.parametrize("bad", ["old", "new"])
def test_errors_in_either_spec_are_shown_and_nothing_is_written(runner, tmp_path, bad):
    invalid = EXAMPLES / "invalid-design.yaml"
    args = [str(invalid), str(V4)] if bad == "old" else [str(V3), str(invalid)]
    outcome = runner.invoke(app, ["diff", *args, "-o", str(tmp_path / "out")])
    assert outcome.exit_code == 1
    assert "invalid-design.yaml:" in outcome.stdout and "error" in outcome.stdout
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2(runner, tmp_path):
    assert runner.invoke(app, ["diff", str(V3), str(tmp_path / "missing.yaml"), "-o",
                               str(tmp_path)]).exit_code == 2
    outcome = runner.invoke(app, ["diff", str(V3), str(V4), "--only", "memo", "-o", str(tmp_path)])
    assert outcome.exit_code == 2 and "unknown document 'memo'" in outcome.stderr


@pytest.mark.parametrize("position", ["old", "new"])
@pytest.mark.parametrize("kind", ["missing", "folder", "no permission"])
def test_an_unreadable_version_exits_2_with_its_diagnostic_and_writes_nothing(runner, tmp_path,
                                                                               position, kind,
                                                                               monkeypatch):
    """The contract's code for a file that cannot be read is 2 (as `kit check`), not 1 (a
    spec with errors): the drafter has the wrong path, not a wrong design."""
    import os
    from pathlib import Path

    bad = tmp_path / "v0.5.yaml"
    if kind == "folder":
        bad.mkdir()
    elif kind == "no permission":
        bad.write_bytes(V4.read_bytes())
        bad.chmod(0)
        if os.geteuid() == 0:  # root reads it anyway: refuse it as the system would
            real_open = Path.open

            def refusing(self, *args, **kwargs):
                if self.name == bad.name:
                    raise PermissionError(13, "Permission denied", str(self))
                return real_open(self, *args, **kwargs)

            monkeypatch.setattr(Path, "open", refusing)
    args = [str(bad), str(V4)] if position == "old" else [str(V3), str(bad)]
    for output in ("text", "json"):
        outcome = runner.invoke(app, ["diff", *args, "-o", str(tmp_path / "out"), "--format", output])
        assert outcome.exit_code == 2, outcome.output
        assert "S001" in outcome.stdout and "v0.5.yaml" in outcome.stdout
        if kind == "no permission":
            assert "permission denied" in outcome.stdout
        assert "Traceback" not in outcome.output
        assert not (tmp_path / "out").exists()


def test_author_option_stamps_the_changes(tmp_path):
    result = diff_files(V3, V4, tmp_path, author="Delegation of Türkiye", only=["brief"],
                            formats=["docx"])
    root = document_xml(next(p for p in result.written if "brief" in p.name).read_bytes())
    assert {m.get(f"{W}author") for m in revisions(root)} == {"Delegation of Türkiye"}


def test_accepting_gives_new_and_rejecting_gives_old_in_the_tree():
    old, new = api.check_file(V3), api.check_file(V4)
    before = {b.key: b.tree for b in build_documents(old.design, old.assessment)}
    after = {b.key: b.tree for b in build_documents(new.design, new.assessment)}
    for key in after:
        merged = redline(before[key], after[key], author="a", date="2026-12-04", compared_with="v0.3")
        assert resolve(merged.blocks, True) == document_lines(after[key]), key
        assert without_numbers(resolve(merged.blocks, False)) == \
            without_numbers(document_lines(before[key])), key


def test_renumbering_is_not_a_change():
    old = api.check_file(V3)
    trees = {b.key: b.tree for b in build_documents(old.design, old.assessment, only=["term-sheets"])}
    tree = trees["term-sheet-table-a"]
    shifted = dt.Document(tree.meta, [_renumbered(b) for b in tree.blocks])
    merged = redline(tree, shifted, author="a", date="2026-12-04", compared_with="v0.3")
    assert not any(isinstance(b, dt.Revision) for b in merged.blocks)


def _renumbered(block):
    if isinstance(block, dt.Clause):
        return dt.Clause("9." + block.number, block.children, block.status, block.attribution)
    return block


def test_writers_refuse_a_revision_kind_they_do_not_know():
    from framework_kit.render.theme import Theme
    from framework_kit.render.writers import Settings, write

    from framework_kit.render.writers import UnknownNode

    clause = dt.Clause("1.1", [dt.Text("words")])
    document = dt.Document(dt.Meta(title="t", compared_with="version 0.3"), [dt.Revision("reworded", clause)])
    for fmt in ("docx", "pdf"):
        with pytest.raises(UnknownNode, match="revision kind 'reworded'"):
            write(fmt, document, Settings(Theme()))


def test_the_changes_document_says_what_changed_table_by_table(example):
    _, out = example
    pages = _pdf_pages((out / f"{SLUG}_changes.pdf").read_bytes())
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Changes from version 0.3 to version 0.4" in text
    assert "State of the text" in text
    assert "1.3 Türkiye's proposal, bracketed → agreed" in text
    assert "2.3 added, proposed by Україна (Ukraine)" in text
    assert "Participant România (Romania) added" in text
    assert "Table B: Regional Arrangements" in text
    assert "AgreedProposedBracketed" in text.replace(" ", "")
    assert "TableA:BilateralNegotiations2→32→32→1" in text.replace(" ", "")  # before → after


def test_an_item_of_a_thousand_rewritten_clauses_is_compared_in_bounded_work(monkeypatch):
    """Clause likeness is measured for a bounded number of pairs, not for all million."""
    import yaml

    from framework_kit.diff import matching

    def spec(words):
        design = yaml.safe_load(UKRAINE.read_text(encoding="utf-8"))
        design["tables"][0]["agenda"][0]["terms"] = [
            {"text": f"Clause {i} on {words[i % len(words)]} {words[(i * 7) % len(words)]} and more words"}
            for i in range(1000)]
        return api.check_bytes(yaml.safe_dump(design, allow_unicode=True).encode(), "spec.yaml")

    old = spec(["grain", "ports", "rail", "mines"])
    new = spec(["drones", "artillery", "corridors", "observers", "roads"])
    calls = []
    measure = matching.similarity
    monkeypatch.setattr(matching, "similarity", lambda a, b: calls.append(1) or measure(a, b))
    changes = compare(old.design, new.design).changes
    assert len(changes) >= 1000  # every clause's words changed
    assert 0 < len(calls) <= 4 * matching.MAX_PAIRS
