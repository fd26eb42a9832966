"""Encoded words: thousands of random Cyrillic and Latin subjects and display names, read back
by several parsers (the standard library's compat32 and default policies, and RFC 2047
decoding of the raw header), must arrive as typed.

CPython's modern address parser before gh-128110 was fixed keeps the folding space
between two encoded words of a display name, against RFC 2047; where this Python has
that bug, a display name may only differ from what was typed by a doubled space where
it had one (never by a word cut in two: "медіаці ї").
"""

from __future__ import annotations

import random
import re
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser

from framework_kit import mail

CYRILLIC = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯёъыэ"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüçñ"
PUNCTUATION = [",", ".", "—", "-", "'", "(", ")", ":", "\"", "№", "«", "»"]
SAMPLES = 1200


def _word(rng: random.Random) -> str:
    letters = rng.choice([CYRILLIC, CYRILLIC, LATIN])
    word = "".join(rng.choice(letters) for _ in range(rng.randint(1, 16)))
    if rng.random() < 0.2:
        word += rng.choice(PUNCTUATION)
    return word


def _text(rng: random.Random, words: int) -> str:
    return " ".join(_word(rng) for _ in range(rng.randint(1, words)))


def _head(header) -> bytes:
    message = EmailMessage(policy=mail.SMTP_POLICY)
    message[header.name] = header
    message.set_content("x")
    raw = message.as_bytes()
    head = raw.split(b"\r\n\r\n")[0]
    assert all(len(line) <= 78 for line in head.split(b"\r\n")), head
    return raw


def _unfold(value: str) -> str:
    """RFC 5322 unfolding: a line break followed by white space is removed, the space kept."""
    return re.sub(r"\r?\n(?=[ \t])", "", value)


def _raw_value(raw: bytes, name: str) -> str:
    """The header's value as it stands in the bytes, unfolded, before any parser sees it."""
    head = _unfold(raw.split(b"\r\n\r\n")[0].decode("ascii"))  # every header is 7-bit
    line = next(line for line in head.split("\r\n") if line.startswith(f"{name}: "))
    return line[len(name) + 2:]


def _keeps_space_between_encoded_words() -> bool:
    """True where this Python's address parser has the gh-128110 bug."""
    raw = b"From: =?utf-8?q?a_?= =?utf-8?q?b?= <x@example.org>\r\n\r\n"
    name = BytesParser(policy=policy.default).parsebytes(raw)["From"].addresses[0].display_name
    return name != "a b"


def test_random_subjects_round_trip_through_every_parser():
    rng = random.Random(15)
    for _ in range(SAMPLES):
        text = _text(rng, 30)
        if rng.random() < 0.1:
            text = "  " + text.replace(" ", "  ", 1) + " "  # spaces a folder could lose
        raw = _head(mail.text_header("Subject", text))
        assert BytesParser(policy=policy.default).parsebytes(raw)["Subject"] == text
        compat = _unfold(BytesParser(policy=policy.compat32).parsebytes(raw)["Subject"])
        assert str(make_header(decode_header(compat))) == text
        assert str(make_header(decode_header(_raw_value(raw, "Subject")))) == text


def test_random_display_names_round_trip_through_every_parser():
    rng = random.Random(16)
    lenient = _keeps_space_between_encoded_words()
    for _ in range(SAMPLES):
        name = _text(rng, 8)
        address = Address(name, "olena.petrenko", "mfa.example.org")
        raw = _head(mail.address_header("From", [address, Address("", "desk", "example.org")]))
        parsed = BytesParser(policy=policy.default).parsebytes(raw)["From"].addresses
        assert [a.addr_spec for a in parsed] == ["olena.petrenko@mfa.example.org", "desk@example.org"]
        got = parsed[0].display_name
        if lenient:
            assert got.split() == name.split(), (name, got)  # no word cut in two
        else:
            assert got == name
        compat = _unfold(BytesParser(policy=policy.compat32).parsebytes(raw)["From"])
        decoded = str(make_header(decode_header(compat)))
        # RFC 2047 decoding gives the name exactly, in the form the header wrote it.
        assert decoded in (f"{name} <olena.petrenko@mfa.example.org>, desk@example.org",
                           f"{address}, desk@example.org"), (name, decoded)


def test_the_reported_name_keeps_its_last_word_whole():
    name = "Група підтримки медіації"
    raw = _head(mail.address_header("From", [Address(name, "msu", "mfa.example.org")]))
    got = BytesParser(policy=policy.default).parsebytes(raw)["From"].addresses[0].display_name
    assert got.split() == ["Група", "підтримки", "медіації"]
    compat = _unfold(BytesParser(policy=policy.compat32).parsebytes(raw)["From"])
    assert str(make_header(decode_header(compat))) == f"{name} <msu@mfa.example.org>"
