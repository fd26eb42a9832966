"""kit check on hostile specs whose mistakes repeat (issue 16, item 5): target well under 2 s.

    python bench/hostile_check.py [--runs N]

Three specs are built in a temporary folder: 2,000 references to one undeclared id among 990
participants (the did-you-mean search once per id, not per reference), 20,000 references to
as many different undeclared ids (at most 50 searches in all), and 240,000 aliases of one
long principle (each distinct text scanned once). Each is checked cold, in a new
process, as a user runs it; the median and the fastest run are printed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 2.0


def specs(folder: Path) -> dict[str, Path]:
    from framework_kit.api import starter_spec

    starter = starter_spec()
    declared = "".join(f"  - {{id: p-{i}, name: P {i}, kind: state}}\n" for i in range(990))
    text = starter.replace("participants:\n", "participants:\n" + declared, 1)
    at = text.index("    parties: [state-a, state-b]")
    references = text[:at] + f"    observers: [{', '.join(['state-x'] * 2000)}]\n" + text[at:]
    distinct = text[:at] + f"    observers: [{', '.join(f'state-x{i}' for i in range(20_000))}]\n" + text[at:]
    principle = "Nothing is agreed until everything is agreed. " * 400
    aliases = starter.replace("    - Nothing is agreed until everything is agreed.\n",
                              f"    - &p {principle}\n" + "    - *p\n" * 240_000, 1)
    out = {}
    for name, body in (("2,000 references to one undeclared id", references),
                       ("20,000 different undeclared ids", distinct),
                       ("240,000 aliases of one long principle", aliases)):
        path = folder / (name.split()[0].replace(",", "") + ".yaml")
        path.write_text(body, encoding="utf-8")
        out[name] = path
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in specs(Path(tmp)).items():
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "framework_kit", "check", str(path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
                times.append(time.perf_counter() - started)
            median = statistics.median(times)
            verdict = "met" if median < TARGET_S else "NOT met"
            print(f"kit check, {name} ({path.stat().st_size / 1e6:.1f} MB): median {median:.2f} s, "
                  f"fastest {min(times):.2f} s (target < {TARGET_S:.0f} s: {verdict})")


if __name__ == "__main__":
    main()
