"""Which language a piece of text is in, as far as its script tells: for proofing tags.

A Word document has one default language; a Cyrillic name inside English text must
carry its own tag (``w:lang``) or Word spell-checks it as English. The text is cut
where its script changes, and each piece gets a BCP-47 tag: the document's language
when the scripts agree, else the language of the process written in that script (its
distinctive letters choose between, say, Ukrainian and Russian), else, when that is
not known, the script alone (``und-Cyrl``). The writers and the language versions share this module; it
imports nothing heavy.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ASCII_LETTER = re.compile("[A-Za-z]")

# The first word of a character's Unicode name -> its ISO 15924 script.
_SCRIPT_OF_NAME = {
    "LATIN": "Latn", "CYRILLIC": "Cyrl", "GREEK": "Grek", "ARMENIAN": "Armn",
    "GEORGIAN": "Geor", "HEBREW": "Hebr", "ARABIC": "Arab", "SYRIAC": "Syrc",
    "DEVANAGARI": "Deva", "BENGALI": "Beng", "THAI": "Thai", "CJK": "Hani",
    "HIRAGANA": "Jpan", "KATAKANA": "Jpan", "HANGUL": "Kore", "ETHIOPIC": "Ethi",
}
# A language's usual script, by primary subtag; any other language is taken as Latin.
_SCRIPT_OF_LANGUAGE = {
    **dict.fromkeys(("ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"), "Cyrl"),
    "el": "Grek", "hy": "Armn", "ka": "Geor", **dict.fromkeys(("he", "yi"), "Hebr"),
    **dict.fromkeys(("ar", "fa", "ur", "ps"), "Arab"), **dict.fromkeys(("hi", "mr", "ne"), "Deva"),
    "bn": "Beng", "th": "Thai", "zh": "Hani", "ja": "Jpan", "ko": "Kore", "am": "Ethi",
}
# Letters that only some languages of a script use: they decide between the languages
# of the process that share the script.
_DISTINCTIVE = {"uk": "ґєїі", "ru": "ыэъё", "be": "ўі", "bg": "ъ", "sr": "ђћџљњј",
                "mk": "ѓќџљњѕј", "kk": "әғқңөұүһі"}
# Where Word keeps a run's language: East Asian and right-to-left scripts have their own slot.
_SLOT = {"Hani": "eastAsia", "Jpan": "eastAsia", "Kore": "eastAsia",
         "Arab": "bidi", "Hebr": "bidi", "Syrc": "bidi"}


@lru_cache(maxsize=4096)
def script_of(char: str) -> str:
    """The ISO 15924 script of one character; "" for characters every script shares
    (spaces, digits, punctuation, symbols)."""
    if not char.isalpha():
        return ""
    name = unicodedata.name(char, "")
    return _SCRIPT_OF_NAME.get(name.split(" ", 1)[0], "")


def script_of_language(tag: str) -> str:
    """The script a BCP-47 tag is written in: its script subtag, else the usual one."""
    parts = tag.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title()
    return _SCRIPT_OF_LANGUAGE.get(parts[0].lower(), "Latn")


def pieces(text: str) -> list[tuple[str, str]]:
    """``text`` cut where its script changes, as (piece, script); characters of no
    script stay with the piece before them (with the first piece when leading)."""
    if text.isascii():  # most text of most documents: one Latin piece, found at C speed
        return [(text, "Latn" if _ASCII_LETTER.search(text) else "")] if text else []
    found: list[list[str]] = []
    for char in text:
        script = script_of(char)
        if found and (not script or script == found[-1][1] or not found[-1][1]):
            found[-1][0] += char
            found[-1][1] = found[-1][1] or script
        else:
            found.append([char, script])
    return [(piece, script) for piece, script in found]


def language_of(piece: str, script: str, default: str, languages: tuple[str, ...] = ()) -> str:
    """The tag for ``piece`` written in ``script``: ``default`` when that is the
    document language's script (or the piece has none); else the process language
    in that script, the one whose distinctive letters the piece uses when there are
    several; else, when that is not known, ``und-`` and the script."""
    if not script or script == script_of_language(default):
        return default
    candidates = [tag for tag in dict.fromkeys(languages) if script_of_language(tag) == script]
    if len(candidates) > 1:
        lowered = piece.lower()
        candidates = [tag for tag in candidates
                      if set(_DISTINCTIVE.get(tag.split("-")[0].lower(), "")) & set(lowered)]
    return candidates[0] if len(candidates) == 1 else f"und-{script}"


def slot_of(script: str) -> str:
    """The w:lang attribute that holds a run's language for ``script``: val, eastAsia
    or bidi."""
    return _SLOT.get(script, "val")
