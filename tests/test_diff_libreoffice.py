"""kit diff's redlines in a real client: LibreOffice (through python3-uno) accepts and rejects them.

LibreOffice's Python bridge lives in the system Python (Debian: python3-uno), so the
client is driven by ``tests/uno_redline.py`` run with /usr/bin/python3 in a subprocess.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, require
from framework_kit import api
from framework_kit.diff.run import diff_files

pytestmark = pytest.mark.slow

SYSTEM_PYTHON = "/usr/bin/python3"
HELPER = Path(__file__).with_name("uno_redline.py")
V3 = EXAMPLES / "versions" / "ukraine-v0.3.yaml"
V4 = EXAMPLES / "versions" / "ukraine-v0.4.yaml"
# A clause or section number as LibreOffice's text export writes it: typed ("1.2<tab>") or
# Word's outline numbering (indented by its level, then "1.2 ").
NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)[\t ]", re.MULTILINE)


def _uno_or_skip() -> None:
    usable = shutil.which("soffice") and Path(SYSTEM_PYTHON).exists() and subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False).returncode == 0
    require("soffice", usable=bool(usable), what="LibreOffice with python3-uno")


def _client(tmp_path: Path, jobs: list[dict]) -> list[dict]:
    job_file = tmp_path / "jobs.json"
    job_file.write_text(json.dumps(jobs), encoding="utf-8")
    completed = subprocess.run([SYSTEM_PYTHON, str(HELPER), str(tmp_path / "profile"), str(job_file)],
                               capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout)


def _text(text: str) -> str:
    """Paragraph by paragraph, empty ones included (a deleted paragraph must leave no empty
    one behind), every number kept. Only how a number is made is left out: a redline types
    some numbers Word's outline would count in a plain document (a clause whose status
    changed; one the two versions number differently), and the export writes "1.2<tab>"
    for the one, an indent and "1.2 " for the other. A number at the wrong level still
    differs: it is another number."""
    return "\n".join(line.rstrip() for line in NUMBER.sub(r"\1 ", text).splitlines())


def _documents(result) -> list[str]:
    return sorted({p.name.split("_v0.3-v0.4_")[1].rsplit("_redline", 1)[0]
                   for p in result.written if p.name.endswith("_redline.docx")})


def test_libreoffice_accepts_to_the_new_text_and_rejects_to_the_old(tmp_path):
    _uno_or_skip()
    out = tmp_path / "out"
    result = diff_files(V3, V4, out, formats=["docx"])
    assert result.exit_code == 0
    old = api.render_file(V3, tmp_path / "old", formats=["docx"])
    new = api.render_file(V4, tmp_path / "new", formats=["docx"])
    assert old.ok and new.ok
    keys = _documents(result)
    assert len(keys) == 6
    jobs = []
    for key in keys:
        redline = next(p for p in result.written if f"_{key}_redline.docx" in p.name)
        jobs += [{"file": str(redline), "mode": mode} for mode in ("accept", "reject")]
        jobs += [{"file": str(next(p for p, _ in new.written if p.name.endswith(f"_{key}.docx"))),
                  "mode": "plain"},
                 {"file": str(next(p for p, _ in old.written if p.name.endswith(f"_{key}.docx"))),
                  "mode": "plain"}]
    answers = _client(tmp_path, jobs)
    seen = 0
    for index, key in enumerate(keys):
        accepted, rejected, new_text, old_text = answers[4 * index: 4 * index + 4]
        assert _text(accepted["text"]) == _text(new_text["text"]), key
        assert _text(rejected["text"]) == _text(old_text["text"]), key
        assert accepted["left"] == 0 and rejected["left"] == 0
        for change in accepted["changes"]:
            assert change["author"] == "Mediation Support Unit (illustrative)", (key, change)
            assert change["date"] == "2026-12-04", (key, change)
        seen += len(accepted["changes"])
    assert seen >= 20  # the example's edits reach every document they touch


def test_libreoffice_sees_no_change_when_a_version_is_compared_with_itself(tmp_path):
    _uno_or_skip()
    result = diff_files(V4, V4, tmp_path / "out", formats=["docx"], only=["term-sheets"])
    jobs = [{"file": str(p), "mode": "plain"} for p in result.written if "_redline" in p.name]
    answers = _client(tmp_path, jobs)
    assert len(answers) == 3
    assert all(answer["changes"] == [] for answer in answers)


def _resolved(tmp_path: Path, cases: list[tuple[str, dict, dict]]) -> list[tuple[str, list[dict]]]:
    """Each (name, old spec, new spec): its table A term sheet's redline accepted and rejected,
    and the two versions' own renderings, all read by ONE LibreOffice (it starts once)."""
    import yaml

    jobs = []
    for index, (name, old_spec, new_spec) in enumerate(cases):
        folder = tmp_path / f"case{index}"
        paths = {}
        for version, spec in (("old", old_spec), ("new", new_spec)):
            paths[version] = folder / f"{version}.yaml"
            folder.mkdir(exist_ok=True)
            paths[version].write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False),
                                      encoding="utf-8")
        result = diff_files(paths["old"], paths["new"], folder / "diff", formats=["docx"],
                            only=["term-sheets"])
        rendered = {v: api.render_file(path, folder / v, formats=["docx"], only=["term-sheets"])
                    for v, path in paths.items()}
        assert result.exit_code == 0 and all(r.ok for r in rendered.values()), name
        redline = next(p for p in result.written if "_term-sheet-table-a_redline" in p.name)
        plain = {v: next(p for p, _ in r.written if p.name.endswith("_term-sheet-table-a.docx"))
                 for v, r in rendered.items()}
        jobs += [{"file": str(redline), "mode": "accept"}, {"file": str(redline), "mode": "reject"},
                 {"file": str(plain["new"]), "mode": "plain"}, {"file": str(plain["old"]), "mode": "plain"}]
    answers = _client(tmp_path, jobs)
    return [(name, answers[4 * i: 4 * i + 4]) for i, (name, _, _) in enumerate(cases)]


def _assert_resolves(name: str, answers: list[dict]) -> None:
    accepted, rejected, new_text, old_text = answers
    assert _text(accepted["text"]) == _text(new_text["text"]), (name, "accept all")
    assert _text(rejected["text"]) == _text(old_text["text"]), (name, "reject all")
    assert accepted["left"] == 0 and rejected["left"] == 0, name


def _agenda(spec_items: dict[str, list]) -> dict:
    """The example design with table A's agenda replaced: {item id: [clause or (text, status, by)]}."""
    import copy

    from test_diff_property import BASE

    spec = copy.deepcopy(BASE)
    agenda = []
    for item, clauses in spec_items.items():
        terms = []
        for text, status, by in clauses:
            terms.append({"id": text.split()[0].lower(), "text": text, "status": status,
                          **({"proposed_by": by} if by else {})})
        agenda.append({"id": item, "title": f"Item {item}", "terms": terms})
    spec["tables"][0]["agenda"] = agenda
    return spec


# Clauses named by their first word (their id), some with an attribution line after them.
A1 = ("Alpha forces withdraw from the line.", "agreed", None)
A2 = ("Bravo monitors verify the ceasefire.", "proposed", "ukraine")
A3 = ("Charlie zone opens within days.", "bracketed", "russia")
B1 = ("Delta prisoners are exchanged.", "agreed", None)
B2 = ("Echo mission reports weekly.", "bracketed", "turkiye")
C1 = ("Foxtrot heavy weapons leave the zone.", "proposed", None)
C2 = ("Golf schedule is agreed.", "agreed", "ukraine")
BOUNDARIES = [
    ("a clause added at the end of an item", {"i1": [A1, A2], "i2": [B1, B2]},
     {"i1": [A1, A2, A3], "i2": [B1, B2]}),
    ("the last clause of an item removed", {"i1": [A1, A2, A3], "i2": [B1, B2]},
     {"i1": [A1, A2], "i2": [B1, B2]}),
    ("an item's last clause replaced by another", {"i1": [A1, A2], "i2": [B1]},
     {"i1": [A1, A3], "i2": [B1]}),
    ("the last clause of an item removed, the next item's first one added",
     {"i1": [A1, A3], "i2": [B2]}, {"i1": [A1], "i2": [B1, B2]}),
    ("a whole item added between two", {"i1": [A1, A2], "i3": [C1]},
     {"i1": [A1, A2], "i2": [B1, B2], "i3": [C1]}),
    ("a whole item removed between two", {"i1": [A1, A2], "i2": [B1, B2], "i3": [C1]},
     {"i1": [A1, A2], "i3": [C1]}),
    ("the last item removed", {"i1": [A1], "i2": [B1, B2]}, {"i1": [A1]}),
    ("the last clause of the last item added", {"i1": [A1], "i2": [B1]}, {"i1": [A1], "i2": [B1, B2]}),
    ("the last clause of the last item removed", {"i1": [A1], "i2": [B1, B2]}, {"i1": [A1], "i2": [B1]}),
    ("an item's last clause moved to the end of the next", {"i1": [A1, A2], "i2": [B1], "i3": [C1]},
     {"i1": [A1], "i2": [B1, A2], "i3": [C1]}),
    ("a status changed before an inserted clause", {"i1": [A1, A3, C2], "i2": [B1]},
     {"i1": [("Alpha forces withdraw from the line.", "bracketed", None), A2, A3, C2], "i2": [B1]}),
]


def test_libreoffice_resolves_edits_at_the_boundary_of_two_items(tmp_path):
    """A paragraph inserted or deleted next to the following item's heading: its paragraph
    mark is tracked, so resolving the change neither joins the clause to the heading nor
    leaves an empty paragraph; the numbers of every clause after it are the version's."""
    _uno_or_skip()
    cases = [(name, _agenda(old), _agenda(new)) for name, old, new in BOUNDARIES]
    for name, answers in _resolved(tmp_path, cases):
        _assert_resolves(name, answers)


def test_libreoffice_resolves_random_edits_to_the_new_and_the_old_text(tmp_path):
    """The property test's random edits, a handful drawn with a fixed seed, through the real client."""
    _uno_or_skip()
    from hypothesis import HealthCheck, given, settings

    from test_diff_property import versions

    cases = []

    @settings(max_examples=8, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(versions())
    def collect(case):
        cases.append((f"random case {len(cases)}", case[0], case[1]))

    collect()
    for name, answers in _resolved(tmp_path, cases):
        _assert_resolves(name, answers)
