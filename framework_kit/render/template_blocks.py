"""A block a template overrides must exist in the template it extends.

Jinja silently ignores ``{% block legnd %}`` when the parent has no block of
that name: the default legend stays, and nobody notices the customisation
never took. Before a render, each user template in the ``{% extends %}`` chain
is read for the blocks it defines at its top level; one its ancestors lack is
a T001 at that block's line, naming the blocks there are, with a did-you-mean.
Blocks nested inside an override are new blocks for a further template to
fill, and the packaged templates are known to be consistent: neither is checked.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import nodes

from ..diagnostics import Diagnostic, Span, did_you_mean, error
from .codes import TEMPLATE_PROBLEM

MAX_CHAIN = 20  # extends within extends; Jinja's own recursion limit stops cycles further down


def unknown_block(env, name: str, defaults_folder: str) -> Diagnostic | None:
    """The first overridden block of ``name``'s chain that no ancestor has, as a diagnostic.

    None too when the chain cannot be followed (a parent that does not exist or
    does not compile): the render itself then reports that, at its own line.
    """
    try:
        return _first_unknown(env, name, defaults_folder)
    except Exception:
        return None


def _first_unknown(env, name: str, defaults_folder: str) -> Diagnostic | None:
    for _ in range(MAX_CHAIN):
        source, filename, _uptodate = env.loader.get_source(env, name)
        parent, blocks = _outline(env, source, name, filename)
        if parent is None:
            return None
        if not filename.startswith(defaults_folder):
            available = _all_blocks(env, parent)
            for block, line in blocks:
                if block not in available:
                    return _diagnostic(block, line, filename, parent, available)
        name = parent
    return None


def _all_blocks(env, name: str) -> set[str]:
    found: set[str] = set()
    for _ in range(MAX_CHAIN):
        template = env.get_template(name)
        found.update(template.blocks)
        source, filename, _uptodate = env.loader.get_source(env, name)
        name = _outline(env, source, name, filename)[0]
        if name is None:
            break
    return found


@lru_cache(maxsize=64)
def _outline(env, source: str, name: str, filename: str) -> tuple[str | None, tuple]:
    """(the template it extends or None, its top-level blocks as (name, line))."""
    tree = env.parse(source, name, filename)
    extends = next(iter(tree.find_all(nodes.Extends)), None)
    parent = extends.template.value if extends is not None and isinstance(extends.template, nodes.Const) \
        and isinstance(extends.template.value, str) else None
    every = list(tree.find_all(nodes.Block))
    nested = {inner.name for block in every for inner in block.find_all(nodes.Block)}
    return parent, tuple((block.name, block.lineno) for block in every if block.name not in nested)


def _diagnostic(block: str, line: int, filename: str, parent: str, available: set[str]) -> Diagnostic:
    names = ", ".join(sorted(available)) or "none"
    hint = did_you_mean(block, sorted(available), "")
    return error(TEMPLATE_PROBLEM,
                 f"the block '{block}' is not in {parent}, so it would change nothing"
                 + (f"; {hint}" if hint else ""),
                 Span(line, 1),
                 f"the blocks {parent} has: {names}").with_file(filename)
