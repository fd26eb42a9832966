"""The README's short tour shows what the tool really prints: every command in it is run, and
each shown stretch of output must appear in the real output, in order ("…" marks what the
README leaves out), and its first line is the real first line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

README = ROOT / "README.md"
BEGIN = "## A short tour"


def _tour_block(text: str) -> list[str]:
    section = text.split(BEGIN, 1)[1]
    return section.split("```console\n", 1)[1].split("```", 1)[0].splitlines()


def _commands(block: list[str]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for line in block:
        if line.startswith("$ "):
            out.append((line[2:], []))
        else:
            out[-1][1].append(line)
    return out


def _run(command: str, scratch: Path) -> list[str]:
    assert command.startswith("kit "), command
    args = command.split()[1:]
    # `kit init` writes a file: into a scratch folder, never the checkout.
    cwd = scratch if args[0] == "init" else ROOT
    done = subprocess.run([sys.executable, "-m", "framework_kit", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}, timeout=120)
    return (done.stdout + done.stderr).rstrip("\n").splitlines()


def _chunks(shown: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for line in shown:
        if line == "…":
            chunks.append([])
        else:
            chunks[-1].append(line)
    return chunks


def _find(real: list[str], chunk: list[str], start: int) -> int:
    for at in range(start, len(real) - len(chunk) + 1):
        if real[at:at + len(chunk)] == chunk:
            return at
    return -1


def test_the_tour_shows_the_real_output(tmp_path):
    commands = _commands(_tour_block(README.read_text(encoding="utf-8")))
    assert [c for c, _ in commands][:3] == ["kit init my-process.yaml",
                                            "kit check examples/ukraine-three-level.yaml",
                                            "kit check examples/invalid-design.yaml"]
    for command, shown in commands:
        real = _run(command, tmp_path)
        chunks = _chunks(shown)
        # The first line shown is the real first line; without a closing "…", the last is the last.
        assert real[: len(chunks[0])] == chunks[0], (command, real[:5])
        position = len(chunks[0])
        for chunk in chunks[1:]:
            if chunk:
                found = _find(real, chunk, position)
                assert found >= 0, (command, chunk)
                position = found + len(chunk)
        if shown and shown[-1] != "…":
            assert position == len(real), (command, real[position:])
