"""The sandboxed Jinja2 environment that turns the view model into vocabulary XML.

Templates are looked up in the user's folder first, then in the packaged
defaults; ``default:NAME`` always names the packaged one, so an override can
``{% extends "default:term-sheet.xml" %}`` and replace a single block. The
environment is Jinja's immutable sandbox with autoescaping and strict undefined
variables, plus bounds on what one render may cost: a template shared between
offices may be careless or hostile, and rendering must still end quickly with a
message the drafter can act on. Every failure becomes a T001 diagnostic naming
the template file and line.
"""

from __future__ import annotations

import re
import threading
import time
import traceback
from pathlib import Path

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError, nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from ..data import data_folder
from ..diagnostics import Diagnostic, Span, error
from . import markdown, vocabulary
from .codes import TEMPLATE_PROBLEM

DEFAULT_PREFIX = "default:"
CODE = TEMPLATE_PROBLEM
MAX_TEMPLATE_BYTES = 512 * 1024
MAX_OUTPUT_CHARS = 4_000_000  # one document's XML; the real ones are well under 200 kB
MAX_VALUE_CHARS = MAX_OUTPUT_CHARS
MAX_RANGE = 10_000
MAX_INTEGER_ARGUMENT = 100_000
MAX_STEPS = 200_000  # loop iterations and calls in one render; a real document needs a few hundred
MAX_SECONDS = 10.0
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_. -]*")
_BIG_FORMAT = re.compile(r"\d{6,}|%[^a-zA-Z%]*\*")

# Filters a document template needs; the others can build huge strings (center,
# indent, wordwrap, format) or emit HTML (urlize, xmlattr, tojson), and `safe`
# would let spec text through unescaped.
ALLOWED_FILTERS = (
    "abs", "attr", "batch", "capitalize", "count", "d", "default", "dictsort", "e", "escape",
    "first", "float", "groupby", "int", "items", "join", "last", "length", "list", "lower",
    "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "select",
    "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "trim", "truncate",
    "unique", "upper", "wordcount",
)
# Methods a template may call on text: none of them can make a string grow.
STRING_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha",
    "isdigit", "islower", "isspace", "istitle", "isupper", "lower", "lstrip", "partition",
    "removeprefix", "removesuffix", "rfind", "rindex", "rpartition", "rsplit", "rstrip",
    "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper",
})


class TemplateProblem(Exception):
    """A template failed; ``diagnostic`` says where and why."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class LimitExceeded(Exception):
    """A template tried to do more work than a document can need."""


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


def _inside(folder: Path, segments: list[str], template: str) -> Path:
    """``folder/segments`` with its links resolved; a link leading out of the folder is refused."""
    from ..output import OutsideFolder, confined_path

    try:
        return confined_path(folder, Path(*segments))
    except OutsideFolder:
        raise SecurityError(f"'{template}' is a symbolic link leading outside the templates folder "
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


# ---------------------------------------------------------------- sandbox


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles loops and ``~`` so that each iteration and each join is counted."""

    def visit_For(self, node, frame):
        node.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iteration"), [node.iter], [],
                               None, None, lineno=node.iter.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node, frame):
        self.write("environment.bounded_value(")
        super().visit_Concat(node, frame)
        self.write(")")


class _Counted:
    def __init__(self, environment: "KitEnvironment", iterable):
        self.environment, self.iterable = environment, iterable

    def __len__(self):
        return len(self.iterable)

    def __iter__(self):
        for value in self.iterable:
            self.environment.step()
            yield value


class KitEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with a budget of steps, time and size per render."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, loader: BaseLoader):
        super().__init__(loader=loader, autoescape=True, undefined=StrictUndefined,
                         trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                         auto_reload=True)
        self.filters = {name: _bounded_filter(self, self.filters[name]) for name in ALLOWED_FILTERS}
        self.filters["markdown"] = markdown_inline
        self.filters["markdown_blocks"] = markdown_blocks
        self.globals = {"range": self.bounded_range, "dict": dict,
                        "namespace": self.globals["namespace"], "cycler": self.globals["cycler"],
                        "joiner": self.globals["joiner"]}
        self.reset()

    def reset(self) -> None:
        """Start a new render's budget of steps and time."""
        self.steps, self.deadline = 0, time.monotonic() + MAX_SECONDS

    def step(self) -> None:
        """Count one loop iteration or call; stop the render when the budget is spent."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise LimitExceeded(f"the template repeats work more than {MAX_STEPS:,} times")
        if self.steps % 1000 == 0 and time.monotonic() > self.deadline:
            raise LimitExceeded(f"the template ran for more than {MAX_SECONDS:g} seconds")

    def bounded_iteration(self, iterable):
        """What every ``{% for %}`` iterates: the same items, each one counted."""
        return _Counted(self, iterable)

    def bounded_value(self, value):
        """``value`` itself, unless it is a text or list too large for any document."""
        if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_VALUE_CHARS:
            raise LimitExceeded(f"the template built a value of more than {MAX_VALUE_CHARS:,} characters")
        return value

    def bounded_range(self, *args):
        """``range()`` for templates: at most MAX_RANGE numbers."""
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise LimitExceeded(f"range() of {len(numbers):,} numbers is refused (at most {MAX_RANGE:,})")
        return numbers

    def getattr(self, obj, attribute):
        """``obj.attribute`` in a template; text offers only the methods that cannot grow it."""
        # Jinja hands out str.format before asking is_safe_attribute; refuse it here.
        if isinstance(obj, str) and attribute not in STRING_METHODS and hasattr(str, attribute):
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if isinstance(obj, str) and attr not in STRING_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        """Every call a template makes: counted, its numbers and its result bounded."""
        __self.step()
        if getattr(__obj, "__func__", None) is not KitEnvironment.bounded_range:  # it says why itself
            _check_arguments(args, kwargs)
        return __self.bounded_value(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context, operator, left, right):
        """``*``, ``**``, ``+`` and ``%``: refused when they would build something huge."""
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise LimitExceeded("an exponent above 64 is refused")
        elif operator == "*":
            for value, times in ((left, right), (right, left)):
                if isinstance(value, (str, list, tuple)) and isinstance(times, int):
                    self.bounded_value(range(len(value) * max(times, 0)))
        elif operator == "%" and isinstance(left, str) and _BIG_FORMAT.search(left):
            raise LimitExceeded("a format with a very wide field is refused")
        return self.bounded_value(super().call_binop(context, operator, left, right))


def _check_arguments(args, kwargs) -> None:
    for value in list(args) + list(kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER_ARGUMENT:
            raise LimitExceeded(f"the number {value:,} is too large for this call")


def _bounded_filter(environment: KitEnvironment, function):
    from functools import wraps

    @wraps(function)  # keeps Jinja's pass_context / pass_environment marker
    def bounded(*args, **kwargs):
        environment.step()
        _check_arguments(args[1:], kwargs)
        _check_growth(function.__name__, args, kwargs)
        return environment.bounded_value(function(*args, **kwargs))

    return bounded


def _check_growth(name: str, args, kwargs) -> None:
    values = [a for a in args if not hasattr(a, "environment")]  # drop a passed context
    if name == "do_join" and values and hasattr(values[0], "__len__"):
        separator = values[1] if len(values) > 1 else kwargs.get("d", "")
        if len(str(separator)) * len(values[0]) > MAX_VALUE_CHARS:
            raise LimitExceeded("join() would build too long a text")
    if name == "do_replace" and len(values) >= 3:
        text, old, new = (str(v) for v in values[-3:])
        if old and text.count(old) * len(new) > MAX_VALUE_CHARS:
            raise LimitExceeded("replace() would build too long a text")


def markdown_inline(text) -> Markup:
    """Filter ``markdown``: spec Markdown as inline markup (for a clause, cell or item)."""
    return vocabulary.inline_markup(markdown.inlines(_text(text)))


def markdown_blocks(text) -> Markup:
    """Filter ``markdown_blocks``: spec Markdown as paragraphs and lists."""
    return vocabulary.block_markup(markdown.blocks(_text(text)))


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
        env.reset()
        pieces, size = [], 0
        for piece in template.generate(**context):
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise LimitExceeded(f"the output is larger than {MAX_OUTPUT_CHARS // 1_000_000} MB")
            pieces.append(piece)
        return "".join(pieces), path
    except Exception as exc:  # every failure inside a template is the template's: report it
        raise TemplateProblem(diagnostic_for(exc, path, env.loader.loaded)) from None


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
