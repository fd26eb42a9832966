"""Layout bounds: the specs of issue #16 item 1 that used to run for minutes, timed.

Run from a checkout with the package installed:  python bench/layout.py

Each case is one cold ``kit render`` of a spec made from the starter; the table
gives the wall time, the answer (pages written, or the diagnostic's code) and
what the issue measured before the fix. The tests in tests/test_layout_bounds.py
prove the behaviour; this script only reports the time.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from framework_kit.api import starter_spec

STARTER = starter_spec()
CLAUSE = ("          - text: The Parties shall observe a ceasefire from D-Day.\n"
          "            status: proposed                   # agreed | proposed | bracketed\n"
          "            proposed_by: state-b")
BREAKS = '"' + "a  \\n" * 5000 + '"'


def _options() -> str:
    words = ("The Parties shall consider this clause with care. " * 400).strip()
    options = "".join(f"\n            - Option text {i} is here. " + "More words. " * 80 for i in range(20))
    return STARTER.replace(CLAUSE, f"          - text: {words}\n            status: bracketed\n"
                           f"            options:{options}")


def _aliases(count: int) -> str:
    """The starter with its first clause holding ``text``, anchored (the clause, not the text:
    an anchor before a text is refused as S004), and ``aliases`` copies of that clause."""
    extra = "".join("\n          - *long" for _ in range(count))
    clause = "          - &long\n            text: " + BREAKS + "\n            status: proposed\n"
    return STARTER.replace(CLAUSE, clause + "            proposed_by: state-b" + extra)


CASES = [
    ("one bracketed clause of 20,000 characters, 20 options", _options, "105 s"),
    ("one clause of 5,000 hard line breaks", lambda: _aliases(0), "14 s"),
    ("100 aliases of it", lambda: _aliases(100), "minutes"),
    ("260 aliases of it", lambda: _aliases(260), "> 10 min"),
]


def main() -> None:
    print("| case | time | answer | before |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name, make, before in CASES:
            spec = Path(folder) / "spec.yaml"
            spec.write_text(make(), encoding="utf-8")
            started = time.perf_counter()
            run = subprocess.run([sys.executable, "-m", "framework_kit", "render", str(spec), "-o",
                                  str(Path(folder) / "out")], capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            output = run.stdout + run.stderr
            answer = next((line.split(" error ", 1)[1].split(" ", 1)[0] for line in output.splitlines()
                           if " error " in line), f"exit {run.returncode}, rendered")
            print(f"| {name} | {elapsed:.1f} s | {answer} | {before} |")


if __name__ == "__main__":
    main()
