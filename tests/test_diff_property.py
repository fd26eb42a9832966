"""Property: random edits to a spec's clauses -> kit diff lists exactly those edits, and its
redline accepted gives the new text, rejected the old one."""

from __future__ import annotations

import copy

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import UKRAINE
from framework_kit import api
from framework_kit.diff.design import compare
from framework_kit.diff.redline import redline
from framework_kit.render.build import build_documents
from redline_tools import document_lines, resolve, without_numbers

BASE = yaml.safe_load(UKRAINE.read_text(encoding="utf-8"))
WORDS = ("parties", "shall", "withdraw", "forces", "monitor", "ceasefire", "zone", "mission", "verify",
         "exchange", "prisoners", "within", "days", "agreed", "schedule", "heavy", "weapons", "line")
NEW_WORDS = ("drones", "artillery", "observers", "corridors", "ports", "grain", "mines", "rail")
STATUSES = ("agreed", "proposed", "bracketed")
PROPOSERS = (None, "ukraine", "russia", "turkiye")
ITEMS = ("i1", "i2", "i3")

clause = st.fixed_dictionaries({
    "text": st.lists(st.sampled_from(WORDS), min_size=4, max_size=10).map(lambda w: " ".join(w).capitalize() + "."),
    "status": st.sampled_from(STATUSES),
    "proposed_by": st.sampled_from(PROPOSERS),
})


@st.composite
def versions(draw):
    """(old spec, new spec, expected {(kind, path)}, clauses carry ids)."""
    with_ids = draw(st.booleans())
    agenda = []
    counter = 0
    for item in ITEMS:
        terms = []
        for body in draw(st.lists(clause, min_size=1, max_size=4)):
            counter += 1
            terms.append(_clause(body, f"c{counter}"))
        agenda.append({"id": item, "title": f"Item {item}", "terms": terms})
    old = copy.deepcopy(BASE)
    old["tables"][0]["agenda"] = agenda
    new = copy.deepcopy(old)
    terms = {item["id"]: item["terms"] for item in new["tables"][0]["agenda"]}
    everyone = [(item, c["id"]) for item in ITEMS for c in terms[item]]
    touched = draw(st.lists(st.sampled_from(everyone), unique=True, max_size=min(5, len(everyone))))
    expected: set[tuple[str, str]] = set()
    for item, cid in touched:
        kind = draw(st.sampled_from(("status", "text", "delete", "move")))
        found = next(c for c in terms[item] if c["id"] == cid)
        if kind == "status":
            found["status"] = draw(st.sampled_from([s for s in STATUSES if s != found["status"]]))
            expected.add(("status-changed", _path(item, cid)))
        elif kind == "text":
            words = found["text"].rstrip(".").split()
            at = draw(st.integers(0, len(words) - 1))
            words[at] = draw(st.sampled_from(NEW_WORDS))
            found["text"] = " ".join(words) + "."
            expected.add(("changed", _path(item, cid)))
        elif kind == "delete":
            terms[item].remove(found)
            expected.add(("removed", _path(item, cid)))
        else:
            target = draw(st.sampled_from([i for i in ITEMS if i != item]))
            terms[item].remove(found)
            terms[target].insert(draw(st.integers(0, len(terms[target]))), found)
            expected.add(("moved", _path(target, cid)))
    for number, body in enumerate(draw(st.lists(clause, max_size=3))):
        target = draw(st.sampled_from(ITEMS))
        terms[target].insert(draw(st.integers(0, len(terms[target]))), _clause(body, f"new{number}"))
        expected.add(("added", _path(target, f"new{number}")))
    if not with_ids:
        for spec in (old, new):
            for item in spec["tables"][0]["agenda"]:
                for c in item["terms"]:
                    c.pop("id")
    return old, new, expected, with_ids


def _clause(body: dict, cid: str) -> dict:
    out = {"id": cid, **{k: v for k, v in body.items() if v is not None}}
    return out


def _path(item: str, cid: str) -> str:
    return f"tables.table-a.agenda.{item}.terms.{cid}"


def _checked(spec: dict):
    result = api.check_bytes(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False).encode(), "spec.yaml")
    assert result.ok, [d.message for d in result.errors]
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions())
def test_random_clause_edits_are_listed_exactly_and_the_redline_resolves_both_ways(case):
    old_spec, new_spec, expected, with_ids = case
    old, new = _checked(old_spec), _checked(new_spec)
    if with_ids:
        changes = compare(old.design, new.design).changes
        assert {(c.kind, c.path) for c in changes} == expected
        assert len(changes) == len(expected)
    before = {b.key: b.tree for b in build_documents(old.design, old.assessment, only=["term-sheets"])}
    after = {b.key: b.tree for b in build_documents(new.design, new.assessment, only=["term-sheets"])}
    merged = redline(before["term-sheet-table-a"], after["term-sheet-table-a"], author="a",
                     date="2026-12-04", compared_with="v0.3")
    assert resolve(merged.blocks, True) == document_lines(after["term-sheet-table-a"])
    assert without_numbers(resolve(merged.blocks, False)) == \
        without_numbers(document_lines(before["term-sheet-table-a"]))
