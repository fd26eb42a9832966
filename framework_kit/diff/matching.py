"""Which item of one version is which item of the other: agenda items and clauses.

Agenda items are matched by id, then title, then place; clauses by id where both
versions give one, then by the likeness of their words within their item; a clause
left over on both sides with the same id or the same words in another item moved.
"""

from __future__ import annotations

import bisect
from difflib import SequenceMatcher

# How alike two clause texts must be to count as one clause edited rather than one
# removed and another added.
SIMILAR = 0.5
# Comparing every clause of an item with every other is quadratic: past this many pairs
# (an item of thousands of clauses) only the clauses at the same place are compared.
MAX_PAIRS = 20_000


def match_items(old_items, new_items):
    """(old index, new index) pairs, then unmatched new and old indexes.

    By id; items without an id (on either side) by their title, then by place.
    Two items that both carry ids, different ones, are different items.
    """
    pairs: list[tuple[int, int]] = []
    free_old = list(range(len(old_items)))
    free_new = list(range(len(new_items)))

    def loose(i, j):
        return old_items[i].id is None or new_items[j].id is None

    def take(test) -> None:
        for j in list(free_new):
            i = next((i for i in free_old if test(i, j)), None)
            if i is not None:
                pairs.append((i, j))
                free_old.remove(i)
                free_new.remove(j)

    take(lambda i, j: old_items[i].id is not None and old_items[i].id == new_items[j].id)
    take(lambda i, j: loose(i, j) and old_items[i].title == new_items[j].title)
    take(lambda i, j: loose(i, j) and i == j)
    return sorted(pairs), free_new, free_old


def match_clauses(old_terms, new_terms) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """(old, new) index pairs of one agenda item's clauses, then unmatched new and old indexes."""
    pairs: list[tuple[int, int]] = []
    new_ids = {c.id: j for j, c in enumerate(new_terms) if c.id}
    for i, clause in enumerate(old_terms):
        if clause.id and clause.id in new_ids:
            pairs.append((i, new_ids[clause.id]))
    used_old = {i for i, _ in pairs}
    used_new = {j for _, j in pairs}
    # Two clauses that both carry ids but different ones are different clauses.
    candidates = []
    for i, j in candidate_pairs(len(old_terms), len(new_terms)):
        a, b = old_terms[i], new_terms[j]
        if i not in used_old and j not in used_new and not (a.id and b.id):
            ratio = similarity(a, b)
            if ratio >= SIMILAR:
                candidates.append((-ratio, abs(i - j), i, j))
    for _, _, i, j in sorted(candidates):
        if i not in used_old and j not in used_new:
            pairs.append((i, j))
            used_old.add(i)
            used_new.add(j)
    return (sorted(pairs), [j for j in range(len(new_terms)) if j not in used_new],
            [i for i in range(len(old_terms)) if i not in used_old])


def candidate_pairs(count_a: int, count_b: int):
    """Every (i, j) to compare; only (i, i) when that would be more than MAX_PAIRS."""
    if count_a * count_b <= MAX_PAIRS:
        return ((i, j) for i in range(count_a) for j in range(count_b))
    return ((i, i) for i in range(min(count_a, count_b)))


def similarity(a, b) -> float:
    if a.text == b.text:
        return 1.0
    return SequenceMatcher(None, a.text.split(), b.text.split(), autojunk=False).ratio()


class Moves:
    """Clauses that left one agenda item for another: same id, or the same text, both unique."""

    def __init__(self, old, new):
        self.old_places = _clause_places(old)
        self.new_places = _clause_places(new)
        self.pairs: dict[tuple, tuple] = {}  # old place -> new place
        unmatched_old = self._unmatched(old, new, side="old")
        unmatched_new = self._unmatched(old, new, side="new")
        for key_of in (lambda c: ("id", c.id) if c.id else None, lambda c: ("text", c.text)):
            a = _unique(unmatched_old, key_of, self.pairs.keys())
            b = _unique(unmatched_new, key_of, self.pairs.values())
            for k, place in a.items():
                if k in b and place[:2] != b[k][:2] and not self._other_ids(place, b[k]):
                    self.pairs[place] = b[k]
        self.by_new = {v: k for k, v in self.pairs.items()}

    @staticmethod
    def _unmatched(old, new, side):
        """(table id, item index, clause index, clause) of clauses left unmatched within their item."""
        out = []
        olds = {t.id: t for t in old.tables}
        news = {t.id: t for t in new.tables}
        for tid in (news if side == "new" else olds):
            mine = (news if side == "new" else olds)[tid]
            other = (olds if side == "new" else news).get(tid)
            if other is None:
                for k, item in enumerate(mine.agenda):
                    out += [(tid, k, c, clause) for c, clause in enumerate(item.terms)]
                continue
            pairs, added, removed = (match_items(other.agenda, mine.agenda) if side == "new"
                                     else match_items(mine.agenda, other.agenda))
            partner = {j: i for i, j in pairs} if side == "new" else {i: j for i, j in pairs}
            for k, item in enumerate(mine.agenda):
                if k not in partner:
                    out += [(tid, k, c, clause) for c, clause in enumerate(item.terms)]
                    continue
                counterpart = other.agenda[partner[k]]
                if side == "new":
                    _, free, _ = match_clauses(counterpart.terms, item.terms)
                else:
                    _, _, free = match_clauses(item.terms, counterpart.terms)
                out += [(tid, k, c, item.terms[c]) for c in free]
        return out

    def _other_ids(self, old_place, new_place) -> bool:
        """Two clauses that both carry ids, different ones, are different clauses."""
        a, b = self.old_places[old_place].id, self.new_places[new_place].id
        return bool(a and b and a != b)

    def moved_to(self, tid, item, index):
        """The old place of the clause now at (tid, item, index), if it moved in from another item."""
        return self.by_new.get((tid, item, index))

    def moved_from(self, tid, item, index):
        return self.pairs.get((tid, item, index))


def _clause_places(design) -> dict:
    return {(t.id, k, c): clause for t in design.tables for k, item in enumerate(t.agenda)
            for c, clause in enumerate(item.terms)}


def _unique(entries, key_of, taken) -> dict:
    seen: dict = {}
    twice = set()
    for tid, k, c, clause in entries:
        key = key_of(clause)
        if key is None or (tid, k, c) in taken:
            continue
        if key in seen:
            twice.add(key)
        seen[key] = (tid, k, c)
    return {key: place for key, place in seen.items() if key not in twice}


def longest_increasing(values: list[int], keys: list[int]) -> set[tuple[int, int]]:
    """The (key, value) pairs of a longest run whose values increase (patience sorting)."""

    tails: list[int] = []
    tail_at: list[int] = []
    previous = [-1] * len(values)
    for index, value in enumerate(values):
        position = bisect.bisect_left(tails, value)
        if position == len(tails):
            tails.append(value)
            tail_at.append(index)
        else:
            tails[position] = value
            tail_at[position] = index
        previous[index] = tail_at[position - 1] if position else -1
    out = set()
    index = tail_at[-1] if tail_at else -1
    while index >= 0:
        out.add((keys[index], values[index]))
        index = previous[index]
    return out
