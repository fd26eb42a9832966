"""kit diff against kit render: the redlines of two versions should cost at most 1.5× one render.

    python bench/diff.py [--runs N]

Both commands run cold (a new process each time) on the example versions in
examples/versions/, taking turns run after run so that drift weighs on both alike.
Prints the medians, the fastest runs and the ratio against the target.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD = ROOT / "examples" / "versions" / "ukraine-v0.3.yaml"
NEW = ROOT / "examples" / "versions" / "ukraine-v0.4.yaml"
TARGET = 1.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    kit = shutil.which("kit", path=str(Path(sys.executable).parent)) or "kit"
    with tempfile.TemporaryDirectory() as folder:
        commands = {
            "kit render NEW": [kit, "render", str(NEW), "-o", f"{folder}/render"],
            "kit diff OLD NEW": [kit, "diff", str(OLD), str(NEW), "-o", f"{folder}/diff"],
        }
        samples: dict[str, list[float]] = {label: [] for label in commands}
        cpu: dict[str, list[float]] = {label: [] for label in commands}
        for round_ in range(args.runs + 1):
            for label, argv in commands.items():
                used = _children_cpu()
                started = time.perf_counter()
                subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                if round_:  # the first round warms the disk cache
                    samples[label].append((time.perf_counter() - started) * 1000)
                    cpu[label].append((_children_cpu() - used) * 1000)
    render, diff = (statistics.median(samples[label]) for label in commands)
    for label, values in samples.items():
        print(f"{label:<18} median {statistics.median(values):7.0f} ms   fastest {min(values):7.0f} ms"
              f"   CPU (both processes) {statistics.median(cpu[label]):7.0f} ms")
    # On a machine shared with other work the wall times swing; the CPU time does not.
    print(f"CPU: kit diff / kit render {statistics.median(cpu['kit diff OLD NEW']) / statistics.median(cpu['kit render NEW']):.2f}×")
    ratio = diff / render
    print(f"kit diff / kit render: {ratio:.2f}× (target ≤ {TARGET}×): {'met' if ratio <= TARGET else 'NOT MET'}")
    return 0 if ratio <= TARGET else 1


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main())
