"""Small helpers for wording lists in messages and documents. Imports nothing of the project."""

from __future__ import annotations


def plain_list(items, and_word: str = "and", comma: str = ", ") -> str:
    """a, b and c (``and_word`` and ``comma`` in the language of the text: "et", "та", "و" and "، " …)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return comma.join(items[:-1]) + f" {and_word} " + items[-1]
