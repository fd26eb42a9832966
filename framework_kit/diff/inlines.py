"""Word-level comparison of two runs of inlines -> one run with Inserted/Deleted marks.

Inlines are flattened into tokens (a word, a space, a punctuation mark, a note,
a line break), each carrying the formatting around it (bold, italic, link).
The marks go innermost, inside any link or emphasis, so that a writer never
has to put a hyperlink inside a tracked change (which WordprocessingML forbids).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..render import doctree as dt

# A space run, a number with its points ("0.3", "12,000"), a word, or one other character.
_TOKENS = re.compile(r"\s+|\d+(?:[.,:]\d+)*|[\w’'-]+|[^\w\s]", re.UNICODE)
# Below this likeness a rewritten passage reads better as one deletion and one
# insertion than as a scatter of small changes around the words that survived.
_REWRITTEN = 0.35
INS, DEL = ("ins",), ("del",)


def tokens(inlines: list, path: tuple = ()) -> list[tuple]:
    """(path, kind, value) for each token; path holds ("b",), ("i",), ("a", href) wrappers."""
    out: list[tuple] = []
    for node in inlines:
        if isinstance(node, dt.Text):
            out += [(path, "t", piece) for piece in _TOKENS.findall(node.text)]
        elif isinstance(node, dt.Strong):
            out += tokens(node.children, path + (("b",),))
        elif isinstance(node, dt.Emph):
            out += tokens(node.children, path + (("i",),))
        elif isinstance(node, dt.Link):
            out += tokens(node.children, path + (("a", node.href),))
        elif isinstance(node, dt.Note):
            out.append((path, "note", node))
        elif isinstance(node, dt.LineBreak):
            out.append((path, "br", None))
        else:
            raise TypeError(f"cannot compare inline {type(node).__name__}")
    return out


def key(token: tuple) -> tuple:
    path, kind, value = token
    return (path, kind, repr(value) if kind == "note" else value)


def signature(inlines: list) -> tuple:
    return tuple(key(t) for t in tokens(inlines))


def marked(inlines: list, mark: tuple) -> list:
    """``inlines`` with every token marked inserted (INS) or deleted (DEL)."""
    return build([(path + (mark,), kind, value) for path, kind, value in tokens(inlines)])


def compare(old: list, new: list) -> tuple[list, bool]:
    """The merged inlines, and whether anything differs."""
    a, b = tokens(old), tokens(new)
    ka, kb = [key(t) for t in a], [key(t) for t in b]
    if ka == kb:
        return new, False
    matcher = SequenceMatcher(None, ka, kb, autojunk=False)
    if matcher.ratio() < _REWRITTEN:
        chunks = [("replace", 0, len(a), 0, len(b))]
    else:
        chunks = _coalesce(matcher.get_opcodes(), a)
    out: list[tuple] = []
    for tag, i1, i2, j1, j2 in chunks:
        if tag == "equal":
            out += b[j1:j2]
            continue
        out += [(p + (DEL,), k, v) for p, k, v in a[i1:i2]]
        out += [(p + (INS,), k, v) for p, k, v in b[j1:j2]]
    return build(out), True


def _coalesce(opcodes: list, a: list) -> list:
    """Changes separated only by spaces become one change: "a b" → "c d", not four."""
    out: list[list] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between = (tag == "equal" and 0 < index < len(opcodes) - 1
                   and all(kind == "t" and not value.strip() for _, kind, value in a[i1:i2]))
        if between:
            tag = "replace"
        if tag != "equal" and out and out[-1][0] != "equal":
            out[-1][2], out[-1][4] = i2, j2
        else:
            out.append([tag if tag == "equal" else "replace", i1, i2, j1, j2])
    return [tuple(chunk) for chunk in out]


def build(tokens_: list[tuple]) -> list:
    """Inlines from (path, kind, value) tokens: runs of one path share their wrappers."""
    out: list = []
    index = 0
    while index < len(tokens_):
        path, kind, value = tokens_[index]
        if path:
            head = path[0]
            end = index
            while end < len(tokens_) and tokens_[end][0][:1] == (head,):
                end += 1
            children = build([(p[1:], k, v) for p, k, v in tokens_[index:end]])
            out.append(_wrap(head, children))
            index = end
            continue
        if kind == "t":
            text = value
            index += 1
            while index < len(tokens_) and not tokens_[index][0] and tokens_[index][1] == "t":
                text += tokens_[index][2]
                index += 1
            out.append(dt.Text(text))
            continue
        out.append(value if kind == "note" else dt.LineBreak())
        index += 1
    return out


def _wrap(head: tuple, children: list):
    if head == ("b",):
        return dt.Strong(children)
    if head == ("i",):
        return dt.Emph(children)
    if head == INS:
        return dt.Inserted(children)
    if head == DEL:
        return dt.Deleted(children)
    return dt.Link(head[1], children)
