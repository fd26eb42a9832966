"""The template sandbox: Jinja's immutable sandbox with a budget per render.

A template shared between offices may be careless or hostile; a render must
still end in about :data:`MAX_SECONDS` with a message, never exhaust memory.
So every loop step and call is counted and checked against the deadline, and
anything that makes values grow is sized *before* it is built: repetition
(``*``), concatenation (``+``, ``~``), ``join``, ``replace`` (an empty ``old``
inserts between every character), ``sum`` (done in linear time), powers (the
base as well as the exponent), and what ``{{ }}`` prints (a list prints every
item). A value's size counts the items of lists and mappings, however deeply
nested and however often one item is repeated, since that is what printing it
costs. The filters that walk a whole sequence (``sort``, ``unique`` ...) look at
the clock as they go.
"""

from __future__ import annotations

import re
import time
from functools import wraps

from jinja2 import BaseLoader, StrictUndefined, nodes, pass_environment
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .furniture import gettext as furniture_gettext

MAX_OUTPUT_CHARS = 4_000_000  # one document's XML; the real ones are well under 200 kB
MAX_VALUE_CHARS = MAX_OUTPUT_CHARS
MAX_RANGE = 10_000
MAX_INTEGER_ARGUMENT = 100_000
MAX_STEPS = 200_000  # loop iterations and calls in one render; a real document needs a few hundred
MAX_SECONDS = 10.0
MAX_EXPONENT = 64
MAX_INTEGER_BITS = 4096  # about 1,200 digits: far beyond any number a document prints
MAX_SORTED_ITEMS = 100_000  # what sort, unique, groupby, min and max take: the seats of 100 tables
_CLOCK_EVERY = 1024  # items a walking filter takes between two looks at the clock
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
# Filters that consume their whole input: it reaches them through a clock-watching iterator.
_WALKING_FILTERS = frozenset({"do_sort", "do_unique", "do_join", "do_list", "do_map", "do_select",
                              "do_reject", "do_selectattr", "do_rejectattr", "sync_do_groupby",
                              "do_min", "do_max", "sync_do_join", "sync_do_list", "sync_do_map",
                              "sync_do_select", "sync_do_reject", "sync_do_selectattr",
                              "sync_do_rejectattr", "_linear_sum"})
# Filters that compute a key for every item before any answer: their input is capped.
_SORTING_FILTERS = {"do_sort": "sort", "do_unique": "unique", "sync_do_groupby": "groupby",
                    "do_dictsort": "dictsort", "do_min": "min", "do_max": "max"}
# Filters whose input is collected first when it has no length, so that it can be sized.
_COLLECTED_FILTERS = frozenset(_SORTING_FILTERS) | {"do_join", "sync_do_join"}
# Methods a template may call on text: none of them can make a string grow.
STRING_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha",
    "isdigit", "islower", "isspace", "istitle", "isupper", "lower", "lstrip", "partition",
    "removeprefix", "removesuffix", "rfind", "rindex", "rpartition", "rsplit", "rstrip",
    "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper",
})


class LimitExceeded(Exception):
    """A template tried to do more work than a document can need."""


def size(value, limit: int = MAX_VALUE_CHARS) -> int:
    """About how many characters printing ``value`` takes; stops counting past ``limit``.

    Items of lists, tuples and mappings count every time they appear, so
    ``[s] * 1000`` is a thousand times ``s``: what printing or joining it builds.
    """
    if isinstance(value, str):  # nearly every value a document template handles
        return len(value)
    total, pending = 0, [value]
    while pending and total <= limit:
        item = pending.pop()
        kind = type(item)
        if kind is dict or isinstance(item, dict):
            total += 2 + 4 * len(item)
            pending.extend(item.keys())
            pending.extend(item.values())
        elif kind in (list, tuple) or isinstance(item, (list, tuple)):
            total += 2 + 2 * len(item)  # brackets and separators
            for child in item:
                if type(child) is int:  # the common case, counted without a stack entry
                    total += child.bit_length() // 3 + 1
                else:
                    pending.append(child)
        elif isinstance(item, str):
            total += len(item)
        elif kind is int:
            total += item.bit_length() // 3 + 1  # digits, roughly
        else:
            total += 8
    return total


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles loops and ``~`` so that each iteration is counted and each join sized first."""

    def visit_For(self, node, frame):
        node.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iteration"), [node.iter], [],
                               None, None, lineno=node.iter.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node, frame):  # Jinja's own, with the pieces sized before the join
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"environment.bounded_value({join}(environment.sized_operands((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))))")

    def _output_child_pre(self, node, frame, finalize):  # the value of every {{ ... }}
        super()._output_child_pre(node, frame, finalize)
        self.write("environment.printable(")

    def _output_child_post(self, node, frame, finalize):
        self.write(")")
        super()._output_child_post(node, frame, finalize)


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
        self.filters["sum"] = _bounded_filter(self, _linear_sum)
        self.globals = {"range": self.bounded_range, "dict": dict,
                        "namespace": self.globals["namespace"], "cycler": self.globals["cycler"],
                        "joiner": self.globals["joiner"],
                        "_": furniture_gettext}  # the words in the version's language
        self.reset()

    def reset(self) -> None:
        """Start a new render's budget of steps and time."""
        self.steps, self.deadline = 0, time.monotonic() + MAX_SECONDS

    def step(self) -> None:
        """Count one loop iteration or call; stop the render when the budget is spent."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise LimitExceeded(f"the template repeats work more than {MAX_STEPS:,} times")
        self.check_clock()

    def check_clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"the template ran for more than {MAX_SECONDS:g} seconds")

    def watched(self, iterable):
        """``iterable``'s items, looking at the clock every so often (inside a long filter)."""
        for index, value in enumerate(iterable):
            if index % _CLOCK_EVERY == 0:
                self.check_clock()
            yield value

    def bounded_iteration(self, iterable):
        """What every ``{% for %}`` iterates: the same items, each one counted."""
        return _Counted(self, iterable)

    def bounded_value(self, value):
        """``value`` itself, unless it is a text or list too large for any document."""
        if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_VALUE_CHARS:
            raise LimitExceeded(f"the template built a value of more than {MAX_VALUE_CHARS:,} characters")
        return value

    def refuse_larger(self, chars: int, what: str) -> None:
        if chars > MAX_VALUE_CHARS:
            raise LimitExceeded(f"{what} would build more than {MAX_VALUE_CHARS:,} characters")

    def sized_operands(self, pieces: tuple) -> tuple:
        """What ``~`` joins, refused before the join when the pieces are too large together."""
        self.refuse_larger(sum(size(piece) for piece in pieces), "joining with ~")
        return pieces

    def printable(self, value):
        """The value of a ``{{ ... }}``, refused when printing it would be too large."""
        if not isinstance(value, str):
            self.refuse_larger(size(value), "printing this value")
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
            _check_power(left, right)
        elif operator == "*":
            for value, times in ((left, right), (right, left)):
                if isinstance(times, int) and not isinstance(times, bool):
                    if isinstance(value, (str, list, tuple)):
                        self.refuse_larger(size(value) * max(times, 0), "repeating this value")
                    elif isinstance(value, int) and not isinstance(value, bool) and \
                            value.bit_length() + times.bit_length() > MAX_INTEGER_BITS:
                        raise LimitExceeded("the product is too large a number")
        elif operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                self.refuse_larger(size(left) + size(right), "joining these values")
        elif operator == "%" and isinstance(left, str) and _BIG_FORMAT.search(left):
            raise LimitExceeded("a format with a very wide field is refused")
        return self.bounded_value(super().call_binop(context, operator, left, right))


def _check_power(base, exponent) -> None:
    if isinstance(exponent, (int, float)) and abs(exponent) > MAX_EXPONENT:
        raise LimitExceeded(f"an exponent above {MAX_EXPONENT} is refused")
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and \
            base.bit_length() * exponent > MAX_INTEGER_BITS:
        raise LimitExceeded("the power is too large a number")


def _check_arguments(args, kwargs) -> None:
    for value in list(args) + list(kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER_ARGUMENT:
            raise LimitExceeded(f"the number {value:,} is too large for this call")


def _bounded_filter(environment: KitEnvironment, function):
    walking = function.__name__ in _WALKING_FILTERS

    @wraps(function)  # keeps Jinja's pass_context / pass_environment marker
    def bounded(*args, **kwargs):
        environment.step()
        _check_arguments(args[1:], kwargs)
        if function.__name__ in _COLLECTED_FILTERS:
            args = _collected(environment, function.__name__, args, kwargs)
        _check_growth(environment, function.__name__, args, kwargs)
        if walking:
            args = _watch_input(environment, args)
        return environment.bounded_value(function(*args, **kwargs))

    return bounded


def _collected(environment: KitEnvironment, name: str, args: tuple, kwargs) -> tuple:
    """The same arguments, a sequence without a length (``map``, ``select``) collected into a list.

    Without a length, join and the sorting filters could not be sized before they
    ran: ``range(1000) | map("string") | join(s)`` built 3 GB before the value was
    found too large, and ``s | select | sort`` sorted 3,000,000 items. The items are
    counted as they come (the items' size and the separators for ``join``).
    """
    args = list(args)
    for index, value in enumerate(args):
        if hasattr(value, "environment") or hasattr(value, "autoescape"):  # a context
            continue
        if isinstance(value, (str, dict)) or hasattr(value, "__len__") or not hasattr(value, "__iter__"):
            return tuple(args)
        joining = name in ("do_join", "sync_do_join")
        separator = len(str(args[index + 1] if len(args) > index + 1 else kwargs.get("d", ""))) \
            if joining else 0
        items, chars = [], 0
        for item in environment.watched(value):
            items.append(item)
            if joining:
                chars += size(item) + separator
                environment.refuse_larger(chars, "join()")
            elif len(items) > MAX_SORTED_ITEMS:
                raise LimitExceeded(f"{_SORTING_FILTERS[name]}() of more than {MAX_SORTED_ITEMS:,} "
                                    f"items is refused")
        args[index] = items
        return tuple(args)
    return tuple(args)


def _watch_input(environment: KitEnvironment, args: tuple) -> tuple:
    """The same arguments, the sequence a walking filter consumes replaced by a watched iterator."""
    args = list(args)
    for index, value in enumerate(args):
        if not hasattr(value, "environment") and not hasattr(value, "autoescape"):  # not a context
            if not isinstance(value, (str, dict)) and hasattr(value, "__iter__"):
                args[index] = environment.watched(value)
            break
    return tuple(args)


def _check_growth(environment: KitEnvironment, name: str, args, kwargs) -> None:
    values = [a for a in args if not hasattr(a, "environment") and not hasattr(a, "autoescape")]
    if name in _SORTING_FILTERS and values and hasattr(values[0], "__len__") \
            and len(values[0]) > MAX_SORTED_ITEMS:
        raise LimitExceeded(f"{_SORTING_FILTERS[name]}() of {len(values[0]):,} items is refused "
                            f"(at most {MAX_SORTED_ITEMS:,})")
    if name in ("do_join", "sync_do_join") and values and hasattr(values[0], "__len__"):
        separator = values[1] if len(values) > 1 else kwargs.get("d", "")
        environment.refuse_larger(size(values[0]) + len(str(separator)) * len(values[0]), "join()")
    if name == "do_replace" and len(values) >= 3:
        text, old, new = (str(v) for v in values[:3])
        count = text.count(old) if old else len(text) + 1  # an empty `old` matches between letters
        environment.refuse_larger(len(text) + count * len(new), "replace()")


@pass_environment
def _linear_sum(environment, iterable, attribute=None, start=0):
    """Jinja's ``sum``, but lists and tuples are joined in one pass instead of one copy per item."""
    from jinja2.filters import make_attrgetter, sync_do_sum

    if not isinstance(start, (list, tuple)):
        return sync_do_sum(environment, iterable, attribute, start)
    if attribute is not None:
        iterable = map(make_attrgetter(environment, attribute), iterable)
    total = list(start)
    for item in iterable:
        if type(item) is not type(start):
            raise TypeError(f"sum() cannot add {type(item).__name__} to {type(start).__name__}")
        environment.refuse_larger(len(total) + len(item), "sum()")  # printing it is sized apart
        total.extend(item)
    return type(start)(total)
