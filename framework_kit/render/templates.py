"""The sandboxed Jinja2 environment that turns the view model into vocabulary XML.

Templates are looked up in the user's folder first, then in the packaged
defaults; ``default:NAME`` always names the packaged one, so an override can
``{% extends "default:term-sheet.xml" %}`` and replace a single block. The
environment is Jinja's immutable sandbox with autoescaping and strict undefined
variables, plus bounds on what one render may cost (:mod:`.sandbox`): a template
shared between offices may be careless or hostile, and rendering must still end
quickly with a message the drafter can act on. A file is read only where it
really lies inside its folder: a symbolic link leading out of it is refused. Every failure becomes a T001 diagnostic naming
the template file and line.
"""

from __future__ import annotations

import re
import threading
import traceback
import types
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from jinja2 import BaseLoader, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from markupsafe import Markup

from ..data import data_folder
from ..diagnostics import Diagnostic, Span, error
from . import markdown, vocabulary_write
from .codes import TEMPLATE_PROBLEM
from .sandbox import MAX_OUTPUT_CHARS, KitEnvironment, LimitExceeded

DEFAULT_PREFIX = "default:"
CODE = TEMPLATE_PROBLEM
MAX_TEMPLATE_BYTES = 512 * 1024
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_. -]*")


class TemplateProblem(Exception):
    """A template failed; ``diagnostic`` says where and why (``output``: what it wrote before
    its output passed the size bound, else "")."""

    def __init__(self, diagnostic: Diagnostic, output: str = ""):
        super().__init__(diagnostic.message)
        self.diagnostic, self.output = diagnostic, output


class _OutputTooLarge(LimitExceeded):
    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


# ---------------------------------------------------------------- loader


class FolderLoader(BaseLoader):
    """The user's folder first, then the packaged defaults; ``default:`` skips the user's."""

    def __init__(self, user_folder: Path | None, defaults: Path | None = None):
        self.defaults = defaults if defaults is not None else data_folder("templates")
        self.folders = ([Path(user_folder)] if user_folder else []) + [self.defaults]
        self.loaded: set[str] = set()  # paths read so far: error positions are looked up among them

    def get_source(self, environment, template: str):
        name, folders = template, self.folders
        if name.startswith(DEFAULT_PREFIX):
            name, folders = name[len(DEFAULT_PREFIX):], [self.defaults]
        segments = name.split("/")
        if "\\" in name or not all(_SEGMENT.fullmatch(s) and s != ".." for s in segments):
            raise TemplateNotFound(template, f"'{template}' is not a usable template name: give a file "
                                             "name inside the templates folder (no '..', no absolute path)")
        for index, folder in enumerate(folders):
            path, real = folder.joinpath(*segments), _inside(folder, segments, template)
            if real.is_file():
                self.loaded.add(str(path))  # named as the user wrote it, read where it really is
                data = _head(real)
                return self._decode(data, path), str(path), _unchanged(real, data, folders[:index], segments)
        searched = ", ".join(str(f) for f in folders)
        raise TemplateNotFound(template, f"template '{template}' not found; searched: {searched}")

    @staticmethod
    def _decode(data: bytes, path: Path) -> str:
        if len(data) > MAX_TEMPLATE_BYTES:
            raise TemplateSyntaxError(f"the template is larger than {MAX_TEMPLATE_BYTES // 1024} kB",
                                      1, path.name, str(path))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise TemplateSyntaxError("the template is not UTF-8 text", line, path.name, str(path)) from None


class LinkOutOfFolder(SecurityError):
    """A template reached through a symbolic link whose target lies outside its folder."""


def _inside(folder: Path, segments: list[str], template: str) -> Path:
    """``folder/segments`` with its links resolved; a link leading out of the folder is refused."""
    from ..output import OutsideFolder, confined_path

    try:
        return confined_path(folder, Path(*segments))
    except OutsideFolder:
        raise LinkOutOfFolder(f"'{template}' is a symbolic link leading outside the templates folder "
                              f"{folder}; only files inside it are read") from None


def _head(path: Path) -> bytes:
    """The file's bytes, or one more than a template may have (enough to refuse it)."""
    with open(path, "rb") as handle:
        return handle.read(MAX_TEMPLATE_BYTES + 1)


def _unchanged(path: Path, data: bytes, earlier: list[Path], segments: list[str]):
    """Whether a compiled template still stands for its file: same bytes, not since shadowed.

    Bytes, not the modification time: an edit within the file system's clock
    tick must still be seen by a long-lived process (the environment is shared).
    """
    def check() -> bool:
        try:
            return _head(path) == data and not any(_inside(f, segments, "").is_file() for f in earlier)
        except (OSError, SecurityError):
            return False

    return check


def markdown_inline(text) -> Markup:
    """Filter ``markdown``: spec Markdown as inline markup (for a clause, cell or item)."""
    return _markdown_inline(_text(text))


def markdown_blocks(text) -> Markup:
    """Filter ``markdown_blocks``: spec Markdown as paragraphs and lists."""
    return _markdown_blocks(_text(text))


# The same text comes back in every term sheet (principles, names) and once per YAML alias
# of it (260 aliases of one long clause cost minutes): convert each text once.
@lru_cache(maxsize=512)
def _markdown_inline(text: str) -> Markup:
    return vocabulary_write.inline_markup(markdown.inlines(text))


@lru_cache(maxsize=512)
def _markdown_blocks(text: str) -> Markup:
    return vocabulary_write.block_markup(markdown.blocks(text))


def _text(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("the markdown filter takes text")
    return value


def environment(user_folder: str | Path | None = None) -> KitEnvironment:
    """A fresh sandboxed environment over the user's folder (if any) and the defaults.

    The packaged templates' compiled code is kept between runs (see
    :mod:`.template_cache`); the user's templates are compiled on every run.
    """
    from .template_cache import defaults_cache

    loader = FolderLoader(Path(user_folder) if user_folder else None)
    env = KitEnvironment(loader)
    env.filters["markdown"] = markdown_inline
    env.filters["markdown_blocks"] = markdown_blocks
    env.bytecode_cache = defaults_cache(loader.defaults)
    return env


_SHARED = threading.local()  # the budget of steps lives on the environment: one per thread
_SHARED_FOLDERS = 8


def shared_environment(user_folder: str | Path | None = None) -> KitEnvironment:
    """This thread's environment over ``user_folder``: a batch compiles each template once.

    Compiling the templates costs more than rendering them; a changed or newly
    shadowing template file is seen on the next render all the same.
    """
    key = str(Path(user_folder).resolve()) if user_folder else None
    cache = getattr(_SHARED, "environments", None)
    if cache is None:
        cache = _SHARED.environments = {}
    env = cache.pop(key, None) or environment(user_folder)
    cache[key] = env  # the most recently used last; the least is dropped first
    while len(cache) > _SHARED_FOLDERS:
        cache.pop(next(iter(cache)))
    return env


# ---------------------------------------------------------------- rendering


def render(env: KitEnvironment, name: str, context: dict) -> tuple[str, str]:
    """Render template ``name`` -> (XML text, path of the template file used).

    Raises :class:`TemplateProblem` for any failure, with the file and line.
    """
    path = name
    try:
        template = env.get_template(name)
        path = template.filename or name
        if len(env.loader.folders) > 1:  # the packaged templates alone are known to be consistent
            from .template_blocks import unknown_block

            problem = unknown_block(env, name, str(env.loader.defaults))
            if problem is not None:
                raise TemplateProblem(problem)
        env.reset()
        pieces, size = [], 0
        for piece in template.generate(**context):
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise _OutputTooLarge(f"the output is larger than {MAX_OUTPUT_CHARS // 1_000_000} MB",
                                      "".join(pieces))
            pieces.append(piece)
        return "".join(pieces), path
    except TemplateProblem:
        raise
    except Exception as exc:  # every failure inside a template is the template's: report it
        raise TemplateProblem(diagnostic_for(exc, path, env.loader.loaded), getattr(exc, "output", "")) from None


def output_origin(env: KitEnvironment, name: str, context: dict, offset: int) -> tuple[str, int] | None:
    """The template file and line that wrote character ``offset`` of template ``name``'s output.

    The template is rendered again (the same context gives the same output),
    noting after each piece which template statement produced it: the frame of
    the innermost template generator running (blocks are ``yield from``, an
    include loops over the included template's generator). Only asked for when
    the output is faulty, so an ordinary render pays nothing for it. None when
    it cannot be told.
    """
    try:
        template = env.get_template(name)
        env.reset()
        generator = template.generate(**context)
        starts, origins, written = [], [], 0
        for piece in generator:
            starts.append(written)
            origins.append((_producer(generator), piece))
            written += len(piece)
            if written > offset:
                break
    except Exception:  # the first render got this far; a second failure just means: unknown
        return None
    index = bisect_right(starts, offset) - 1
    if index < 0 or origins[index][0] is None:
        return None
    (file, line), piece = origins[index]
    return file, line + piece.count("\n", 0, offset - starts[index])


def _producer(generator) -> tuple[str, int] | None:
    found = None
    while generator is not None and getattr(generator, "gi_frame", None) is not None:
        frame = generator.gi_frame
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            found = (template.filename, template.get_corresponding_lineno(frame.f_lineno))
        inner = generator.gi_yieldfrom
        if inner is None:  # an {% include %} runs the included template's generator in a loop
            local = frame.f_locals.get("gen")
            inner = local if isinstance(local, types.GeneratorType) and local.gi_suspended else None
        generator = inner
    return found


def diagnostic_for(exc: BaseException, path: str, template_files=frozenset()) -> Diagnostic:
    """A T001 diagnostic for an exception raised while loading or running a template.

    ``template_files`` are the paths of the templates loaded so far: the last
    traceback frame among them is the line at fault.
    """
    file, line = _template_position(exc, path, set(template_files))
    message, help = _describe(exc)
    return error(CODE, message, Span(line, 1), help).with_file(file)


def _template_position(exc: BaseException, path: str, template_files: set) -> tuple[str, int]:
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        return exc.filename or path, exc.lineno
    last = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in template_files | {path}:
            last = frame
    if last is not None:
        return last.filename, last.lineno or 1
    return path, 1


def _describe(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, TemplateNotFound):
        return exc.message or f"template '{exc.name}' not found", \
            "check the name in {% extends %}, {% include %} or {% import %}"
    if isinstance(exc, TemplateSyntaxError):
        return f"template syntax error: {exc.message}", "see the Jinja2 template documentation"
    if isinstance(exc, LinkOutOfFolder):
        return f"refused: {exc}", "copy the file into the templates folder instead of linking to it"
    if isinstance(exc, SecurityError):
        return f"refused by the template sandbox: {exc}", \
            "templates may use the data they are given, not Python internals"
    if isinstance(exc, UndefinedError):
        text = str(exc)
        if "unsafe" in text:
            return f"refused by the template sandbox: {text}", \
                "templates may use the data they are given, not Python internals"
        text = re.sub(r"^'[\w ]+ object' has no attribute '(.+)'$", r"there is no '\1' here", text)
        return f"undefined value in template: {text}", \
            "check the spelling; templates/README.md lists every variable a template receives"
    if isinstance(exc, LimitExceeded):
        return f"template stopped: {exc}", "templates/README.md explains the limits"
    if isinstance(exc, RecursionError):
        return "template stopped: it calls itself without end", \
            "check {% extends %}, {% include %} and recursive macros"
    if isinstance(exc, TemplateError):
        return f"template error: {exc}", ""
    return f"template error ({type(exc).__name__}): {exc}", ""
