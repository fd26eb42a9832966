"""Property-based: random designs built from the model never break check or render.

Each example is a valid-shaped design (participants with roles and kinds, tables with
agendas and clauses, linkages, territories, a buffer zone, CBMs) whose every text
field holds random Unicode: markup characters, right-to-left scripts, combining marks,
emoji, very long words. Whatever the rules say about the design, checking it returns
diagnostics and rendering it either writes every file or nothing, with no exception
and no internal error; a character the font cannot draw is R004 (nothing written), and
the same design with such characters replaced renders in full.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framework_kit import api
from framework_kit.spec import model
from framework_kit.spec.model import DESIGN

from hostile import dump, model_text_fields, text_fields

PIECES = [
    "AT&T", "a<b", "<font size=500>", "<b>x</b>", "]]>", "{{ 7*7 }}", "{% raw %}", "&amp;", "&#0;",
    "**bold**", "*it*", "[link](javascript:alert(1))", "<script>", "\\", "%s", "{0}", "$(rm)",
    "מו״מ לשלום", "مفاوضات السلام", "Україна", "e\u0301\u0301\u0301", "\u200eltr\u200f", "\u200f",
    "👩🏽‍⚖️", "🇺🇦", "\U0001F600" * 3, "ﷺ", "𒀀", "\u00ad", "\u2028", "- item", "1. item", "# head",
    "> quote", "`code`", "    indented", "|a|b|", "---", "NO", "on", "012345", "~", "null",
]
# Any character a YAML file may carry in a string: no control characters, lone surrogates or
# bidirectional overrides, which the schema refuses (tests/bad_inputs covers them).
CHARS = st.characters(blacklist_categories=("Cc", "Cs"),
                      blacklist_characters="\ufeff\ufffe\uffff\u202a\u202b\u202c\u202d\u202e"
                      "\u2066\u2067\u2068\u2069")
WORDS = st.one_of(
    st.sampled_from(PIECES),
    st.text(CHARS, min_size=1, max_size=12),
    st.builds(lambda c, n: c * n, st.sampled_from("aЖ中ا🙂-"), st.integers(200, 1500)),
)


@st.composite
def free_text(draw) -> str:
    """A non-empty text made of hostile pieces, random characters and sometimes a very long word."""
    words = draw(st.lists(WORDS, min_size=1, max_size=6))
    text = draw(st.sampled_from([" ", "", "\n"])).join(words)
    return text if text.strip() else "x" + text


def _ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-{i}" for i in range(count)]


@st.composite
def designs(draw) -> dict:
    """A design dict shaped like the model; every reference names a declared id."""
    text = free_text()
    people = _ids("p", draw(st.integers(2, 9)))
    participants = [{
        "id": pid, "name": draw(text),
        "kind": draw(st.sampled_from(["state", "union", "alliance", "organization", "other"])),
        "role": draw(st.sampled_from(["belligerent", "mediator", "guarantor", "observer",
                                      "third-party", "participant"])),
        "neighbour": draw(st.booleans()),
        **({"represented_by": draw(text)} if draw(st.booleans()) else {}),
    } for pid in people]
    some = lambda low=0: st.lists(st.sampled_from(people), min_size=low, max_size=4, unique=True)  # noqa: E731
    table_ids = _ids("t", draw(st.integers(1, 4)))

    def clause():
        status = draw(st.sampled_from(["agreed", "proposed", "bracketed"]))
        out = {"text": draw(text), "status": status}
        if status != "agreed" and draw(st.booleans()):
            out["options"] = draw(st.lists(text, min_size=1, max_size=3))
        if draw(st.booleans()):
            out["note"] = draw(text)
        if draw(st.booleans()):
            out["proposed_by"] = draw(st.sampled_from(people))
        return out

    tables = [{
        "id": tid, "name": draw(text),
        "level": draw(st.sampled_from(["bilateral", "regional", "strategic", "other"])),
        "parties": draw(some(2)), "facilitators": draw(some()), "observers": draw(some()),
        "agenda": [{"title": draw(text),
                    "topics": draw(st.lists(st.sampled_from(model.TOPICS) | text, max_size=3)),
                    "terms": [clause() for _ in range(draw(st.integers(0, 3)))]}
                   for _ in range(draw(st.integers(0, 3)))],
    } for tid in table_ids]
    territories = [{
        "id": tid, "name": draw(text), "status": "undetermined", "description": draw(text),
        "held_by": draw(st.sampled_from(people)), "claimed_by": draw(st.sampled_from(people)),
    } for tid in _ids("area", draw(st.integers(0, 3)))]
    design = {
        "kit": 1,
        "process": {"title": draw(text), "short_title": draw(text), "reference": draw(text),
                    "version": draw(text), "date": dt.date(2026, 1, 1), "marking": draw(text),
                    "status": draw(st.sampled_from(model.STATUSES)), "prepared_by": draw(text),
                    "summary": draw(text), "principles": draw(st.lists(text, max_size=3))},
        "participants": participants,
        "tables": tables,
        "territories": territories,
        "confidence_building_measures": [{
            "id": cid, "title": draw(text), "category": "military", "parties": draw(some()),
            "table": draw(st.sampled_from(table_ids)), "timing": draw(text),
            "verification": draw(text), "description": draw(text),
        } for cid in _ids("cbm", draw(st.integers(0, 3)))],
    }
    if len(table_ids) >= 2:
        design["linkages"] = [{"tables": table_ids, "kind": "interlocking", "text": draw(text)}]
    if territories:
        design["buffer_zone"] = {
            "covers": [t["id"] for t in territories], "administered_by": draw(some(1)),
            "status_clause": draw(text),
            "peacekeeping": {"name": draw(text), "mandated_by": draw(st.sampled_from(people)),
                             "contributors": draw(st.lists(text, max_size=2)), "strength": 100,
                             "tasks": draw(st.lists(text, max_size=2))},
            "withdrawal": [{"phase": draw(text), "text": draw(text)}],
        }
    # Waive every rule: the point is the renderer, whatever the design's merits.
    design["checks"] = {"ignore": [code for code in _rule_codes() if code[0] == "E"]}
    return design


def _rule_codes() -> list[str]:
    from framework_kit.rules.registry import all_rules

    return list(all_rules())


def _spec(design: dict, tmp_path) -> tuple[bytes, object]:
    data = dump(design).encode("utf-8")
    path = tmp_path / "spec.yaml"
    path.write_bytes(data)
    return data, path


def test_the_generator_fills_every_text_field_of_the_model():
    from hostile import covered_fields

    seen: set = set()

    @settings(max_examples=30, deadline=None, database=None)
    @given(designs())
    def collect(design):
        seen.update(covered_fields(design, DESIGN))

    collect()
    assert seen == model_text_fields()


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(designs())
def test_check_never_raises_on_random_designs(design):
    data = dump(design).encode("utf-8")
    result = api.check_bytes(data, "spec.yaml")
    assert result.exit_code in (0, 1), [str(d) for d in result.diagnostics[:3]]
    assert not [d for d in result.diagnostics if d.code.startswith("S")], result.diagnostics[:3]
    assert text_fields(design)


def _assert_rendered(design: dict, tmp_path, formats) -> None:
    """Every file written; or, when the text holds characters the font cannot draw, R004 and
    nothing written, and then every file written once those characters are replaced."""
    lacking = _lacking(design)
    if lacking:
        _, path = _spec(design, tmp_path)
        result = api.render_file(path, tmp_path / "refused", formats=formats)
        codes = {d.code for d in result.diagnostics if d.is_error}
        assert result.exit_code == 1 and codes == {"R004"}, (codes, lacking)
        assert result.written == [] and not (tmp_path / "refused").exists()
        design = _replaced(design, lacking)
    _, path = _spec(design, tmp_path)
    out = tmp_path / "out"
    result = api.render_file(path, out, formats=formats)
    errors = [f"{d.code} {d.message}" for d in result.diagnostics if d.is_error]
    assert result.exit_code == 0 and not result.problem and not errors, (errors, result.problem)
    written = sorted(p.name for p, _ in result.written)
    assert written == sorted(p.name for p in out.iterdir())
    assert all(p.stat().st_size > 0 for p, _ in result.written)
    assert {p.suffix for p, _ in result.written} == {f".{f}" for f in formats}


def _lacking(design: dict) -> set[str]:
    """The characters of the design's texts (character references decoded) that IBM Plex Serif lacks."""
    from framework_kit.render.fonts import font_files
    from framework_kit.render.glyphs import coverage, missing

    texts: list[str] = []

    def collect(value) -> None:  # the texts as the loader reads them (YAML turns "\\L" into U+2028)
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, str):
            texts.append(html.unescape(value))

    collect(yaml.safe_load(dump(design)))
    return set(missing("".join(texts), coverage(font_files().values())))


def _replaced(value, lacking: set[str]):
    """``value`` with every character in ``lacking``, or reference to one, replaced by '?'."""
    if isinstance(value, dict):
        return {key: _replaced(item, lacking) for key, item in value.items()}
    if isinstance(value, list):
        return [_replaced(item, lacking) for item in value]
    if isinstance(value, str):
        value = re.sub(r"&#?[0-9A-Za-z]+;", lambda m: "?" if html.unescape(m.group()) in lacking
                       else m.group(), value)
        return "".join("?" if c in lacking else c for c in value)
    return value


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(designs())
def test_random_designs_render_to_pdf(tmp_path_factory, design):
    _assert_rendered(design, tmp_path_factory.mktemp("pdf"), ("pdf",))


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(designs())
def test_random_designs_render_to_docx_and_pdf(tmp_path_factory, design):
    _assert_rendered(design, tmp_path_factory.mktemp("both"), ("docx", "pdf"))
