"""Small helpers for wording lists in messages and documents. Imports nothing of the project."""

from __future__ import annotations


def plain_list(items) -> str:
    """a, b and c."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
