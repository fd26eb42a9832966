"""The page furniture in the document's language: gettext catalogues and Babel dates.

Every word the tool itself prints (headings, legends, "Page X of Y", "Proposed by",
dates) is an English message id, translated through the catalogue ``<tag>.po`` of the
user's templates folder, else of the shipped templates (English needs none). The
catalogues are compiled with Babel when first used. A language without a catalogue
prints English furniture, and rendering warns (T002).

Templates call ``_("Participants")`` or ``_("Page {page} of {pages}", page=1, pages=2)``;
``_`` is one function of the template environment that reads the furniture of the
document being built from a context variable, so threads rendering different
languages at once never share one, and a macro imported without context has it too.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
from pathlib import Path

from ..data import data_folder
from .codes import MISSING_CATALOGUE

CATALOGUE_MAX_BYTES = 1_000_000  # a catalogue of the shipped size is 10 kB
# Babel's locale for a tag whose own default form is not the one a ministry prints.
_DATE_LOCALE = {"en": "en_GB"}
# English, the default language, is written without Babel: loading its locale data costs
# 40 ms of a cold render, for what these twelve names give (a test compares with Babel).
_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                   "September", "October", "November", "December")


class CatalogueError(Exception):
    """A user's catalogue that cannot be read; ``path`` names it."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


class Furniture:
    """The words and dates of one language version."""

    def __init__(self, language: str, messages: dict[str, str], catalogue: Path | None) -> None:
        self.language = language
        self.messages = messages
        self.catalogue = catalogue  # the file read, or None (English, or no catalogue found)

    @property
    def missing(self) -> bool:
        """True when this language has no catalogue and prints English furniture."""
        return self.catalogue is None and _base(self.language) != "en"

    def text(self, message: str, /, **values) -> str:
        """``message`` in this language, each ``{name}`` replaced by ``values[name]``.

        Placeholders are replaced, never formatted: a catalogue is user input.
        """
        out = self.messages.get(message) or message
        for name, value in values.items():
            out = out.replace("{" + name + "}", str(value))
        return out

    def date(self, value: dt.date | None) -> str:
        """A date in the language's own long form: 2 March 2026, 2 березня 2026 р., 2 mars 2026."""
        if value is None:
            return ""
        if self.language.lower() == "en":
            return f"{value.day} {_ENGLISH_MONTHS[value.month - 1]} {value.year}"
        from babel.core import UnknownLocaleError
        from babel.dates import format_date

        try:
            return _printable(format_date(value, format="long", locale=_babel_locale(self.language)))
        except (UnknownLocaleError, ValueError):
            return format_date(value, format="long", locale="en_GB")

    def number(self, value: int) -> str:
        if self.language.lower() == "en":
            return f"{value:,}"
        from babel.core import UnknownLocaleError
        from babel.numbers import format_decimal

        try:
            return _printable(format_decimal(value, locale=_babel_locale(self.language)))
        except (UnknownLocaleError, ValueError):
            return f"{value:,}"

    def language_name(self, tag: str) -> str:
        """The name of language ``tag`` as this language's final clause uses it.

        The catalogue may give the form its grammar needs ("англійською" for the
        Ukrainian "… мовами"); otherwise Babel's name of the language, else the tag.
        """
        english = _language_name(tag, "en")
        translated = self.messages.get(f"language:{english}")
        return translated or _language_name(tag, self.language)

    def pending(self, text: str) -> str:
        """A text not yet translated into this language, marked so."""
        return self.text("(translation pending) {text}", text=text)


def _printable(text: str) -> str:
    """CLDR puts a narrow no-break space in "2026 р." and "12 000"; the shipped font has none,
    so it becomes the no-break space every font has (the words still never part)."""
    return text.replace("\u202f", "\u00a0")


def autonym(tag: str) -> str:
    """A language's name in itself, as a column heading: English, Українська, Русский."""
    name = _language_name(tag, tag)
    return name[:1].upper() + name[1:]


def _base(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _babel_locale(tag: str) -> str:
    return _DATE_LOCALE.get(tag.lower(), tag.replace("-", "_"))


@functools.lru_cache(maxsize=256)
def _language_name(tag: str, in_language: str) -> str:
    from babel import Locale
    from babel.core import UnknownLocaleError

    try:
        return Locale.parse(_babel_locale(in_language)).languages.get(_base(tag)) or tag
    except (UnknownLocaleError, ValueError):
        return tag


def _candidates(language: str) -> list[str]:
    """File names tried for a tag: fr-CH.po, fr_CH.po, then fr.po."""
    names = [language, language.replace("-", "_"), _base(language)]
    return [f"{name}.po" for name in dict.fromkeys(names)]


def furniture(language: str, user_folder: str | Path | None = None) -> Furniture:
    """The furniture of ``language``: the user's catalogue first, then the shipped one."""
    folders = ([Path(user_folder)] if user_folder else []) + [data_folder("templates")]
    for folder in folders:
        for name in _candidates(language):
            path = folder / name
            if path.is_file():
                stat = path.stat()
                return Furniture(language, _messages(path, stat.st_size, stat.st_mtime_ns), path)
    return Furniture(language, {}, None)


@functools.lru_cache(maxsize=32)
def _messages(path: Path, size: int, mtime: int) -> dict[str, str]:
    """msgid -> msgstr of a catalogue, compiled with Babel (cached while the file is unchanged)."""
    if size > CATALOGUE_MAX_BYTES:
        raise CatalogueError(path, f"the catalogue is {size:,} bytes; at most {CATALOGUE_MAX_BYTES:,} are read")
    import io

    from babel.messages.pofile import PoFileError, read_po

    try:
        with path.open("rb") as handle:
            catalog = read_po(io.BytesIO(handle.read()), abort_invalid=True)
    except (OSError, PoFileError, UnicodeDecodeError, ValueError) as exc:
        raise CatalogueError(path, f"the catalogue cannot be read: {exc}") from None
    return {str(message.id): str(message.string) for message in catalog
            if message.id and isinstance(message.id, str) and isinstance(message.string, str)
            and message.string and not message.fuzzy}


ENGLISH = Furniture("en", {}, None)
CURRENT: contextvars.ContextVar[Furniture] = contextvars.ContextVar("furniture", default=ENGLISH)


def gettext(message: str, /, **values) -> str:
    """The templates' ``_``: ``message`` in the language of the document being built.

    A value that is already markup (a macro's output) is kept as markup, and the
    message around it escaped, so that nothing is escaped twice.
    """
    if any(hasattr(value, "__html__") for value in values.values()):
        from markupsafe import Markup, escape

        words = CURRENT.get().text(str(message))
        out = escape(words)
        for name, value in values.items():
            out = Markup(str(out).replace("{" + name + "}", str(escape(value))))
        return out
    return CURRENT.get().text(str(message), **values)


__all__ = ["CURRENT", "CatalogueError", "ENGLISH", "Furniture", "MISSING_CATALOGUE", "furniture",
           "gettext"]
