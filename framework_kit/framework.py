"""The seed framework (``seeds/framework.yaml``): the article the rules rest on, as data.

The file is shipped inside the wheel as ``framework_kit/seeds/framework.yaml`` and
lives in the checkout's top-level ``seeds/`` folder; both places are looked up.
It is the project's own file, so ``yaml.safe_load`` is enough here: user specs go
through the bounded loader in :mod:`framework_kit.spec.load` instead.
"""

from __future__ import annotations

import functools

from .data import data_folder
from .lazy_patterns import import_module

yaml = import_module("yaml")

FILE_NAME = "framework.yaml"


class FrameworkMissing(RuntimeError):
    """The seed framework file is not installed (a broken installation)."""


def _read() -> str:
    path = data_folder("seeds") / FILE_NAME
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise FrameworkMissing(
            f"the seed framework {path} is missing from the installation; reinstall framework-kit"
        ) from None


@functools.lru_cache(maxsize=1)
def load_framework() -> dict:
    """The whole seed framework: citation, premise, essentials, levels, passages, rules."""
    # libyaml's parser, when PyYAML has it, reads the file ten times faster: same objects.
    return yaml.load(_read(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def citation() -> str:
    """The source article as one line: author, "title", date."""
    return " ".join(load_framework()["citation"]["text"].split())


def part(part_id: str) -> dict:
    """One part of the framework by id: essential-1, essential-2 or advice."""
    for entry in load_framework()["essentials"]:
        if entry["id"] == part_id:
            return entry
    raise KeyError(part_id)


def level(level_id: str) -> dict:
    """One level of essential 1 by id: bilateral, regional or strategic."""
    for entry in load_framework()["levels"]:
        if entry["id"] == level_id:
            return entry
    raise KeyError(level_id)


def passages_for(code: str) -> list[dict]:
    """The passages a rule code rests on (empty for codes the framework does not ground)."""
    framework = load_framework()
    entry = framework["rules"].get(code)
    if not entry:
        return []
    by_id = {p["id"]: p for p in framework["passages"]}
    return [by_id[pid] for pid in entry["passages"]]


__all__ = ["FrameworkMissing", "citation", "level", "load_framework", "part", "passages_for"]
