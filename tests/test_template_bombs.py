"""Templates built to exhaust memory or time end as T001 in about the deadline.

Each bomb runs in its own process under a memory limit (1.5 GB of address
space), so a bound that fails shows up as a MemoryError or a timeout in that
process and never brings the test machine down.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from framework_kit.render.sandbox import MAX_SECONDS

MEMORY_LIMIT = 1536 * 2**20

RUN_ONE = textwrap.dedent("""
    import json, pathlib, resource, sys, tempfile, time
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    from framework_kit.render.templates import TemplateProblem, environment, render

    folder = pathlib.Path(tempfile.mkdtemp())
    (folder / "bomb.xml").write_text(sys.argv[1], encoding="utf-8")
    started = time.monotonic()
    try:
        output, _ = render(environment(folder), "bomb.xml", {{}})
        outcome = {{"code": None, "message": "rendered", "chars": len(output)}}
    except TemplateProblem as exc:
        outcome = {{"code": exc.diagnostic.code, "message": exc.diagnostic.message,
                    "line": exc.diagnostic.span.line}}
    outcome["seconds"] = time.monotonic() - started
    print(json.dumps(outcome))
""").format(limit=MEMORY_LIMIT)

S = '{% set s = "a" * 3000000 %}\n'


def explode(template: str) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN_ONE, template], capture_output=True, text=True,
                          timeout=MAX_SECONDS * 6)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("template, words", [
    (S + "{{ ([s] * 1000) | join }}", "repeating this value"),
    (S + "{{ [s, s] | join }}", "join() would build"),
    (S + "{{ ['x', 'y'] | join(s * 1) }}{{ (['x'] * 3) | join(s) }}", "join() would build"),
    (S + '{{ ("x" * 1000) | replace("", s) }}', "replace() would build"),
    (S + "{{ [s] * 200 }}", "repeating this value"),
    (S + "{{ [s, s] }}", "printing this value"),
    (S + "{{ [s] + [s] }}", "joining these values"),
    (S + "{% set l = [s, s, s, s, s] %}{{ l ~ l }}", "joining with ~"),
    (S + "{% set l = [s, s] %}{{ [l, l, l] | sum(start=[]) | join }}", "join() would build"),
    ("{{ ((((10 ** 64) ** 64) ** 64) ** 64) }}", "too large a number"),
    ("{% set ns = namespace(x=2) %}{% set ns.x = ns.x ** 64 %}"
     "{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}", "too large a number"),
    (S + "{% for c in s | list | sort %}{{ c }}{% endfor %}", "sort() of 3,000,000 items is refused"),
    (S + "{% set l = s[:100000] | list %}{% for i in range(10000) %}{{ (l | sort) | length }}{% endfor %}",
     f"ran for more than {MAX_SECONDS:g} seconds"),
    # A sequence without a length (map, select) is collected and sized like a list: the
    # join built 3 GB, and the sort took 3,000,000 items, before anything was checked.
    ("{{ range(1000) | map('string') | join('x' * 3000000) }}", "join() would build"),
    (S + "{{ s | select | sort | length }}", "sort() of more than 100,000 items is refused"),
], ids=["join-of-repeated-list", "join-of-two", "join-separator", "replace-empty-old",
        "list-repetition", "print-a-list", "list-concatenation", "tilde-concatenation", "sum-then-join",
        "power-of-power", "product-chain", "sort-of-millions", "deadline-inside-a-loop-of-sorts",
        "join-of-a-map", "sort-of-a-select"])
def test_a_template_bomb_ends_as_t001_in_about_the_deadline(template, words):
    outcome = explode(template)
    assert outcome["code"] == "T001", outcome
    assert outcome["message"].startswith("template stopped") and words in outcome["message"], outcome
    assert outcome["seconds"] < MAX_SECONDS + 3, outcome
    assert outcome["line"] >= 1


def test_summing_lists_takes_linear_time():
    # 20,000 lists of 40 numbers: Python's sum copies the growing list every time (56 s).
    outcome = explode("{{ ([[1] * 40] * 20000) | sum(start=[]) | length }}")
    assert outcome == {**outcome, "code": None, "message": "rendered"}
    assert outcome["seconds"] < MAX_SECONDS / 2, outcome
