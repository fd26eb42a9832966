"""The package plumbing: deterministic zips, bounded reading, XML-safe text, dates."""

from __future__ import annotations

import io
import zipfile

import pytest

from framework_kit.render.writers.docx import ooxml


def test_written_packages_read_back_with_zipfile_and_never_change():
    parts = {"word/document.xml": b"<a/>" * 500, "[Content_Types].xml": b"<Types/>",
             "word/media/\u0444.png": b"\x89PNG" + bytes(range(256))}
    first = ooxml.write_package(parts, static=frozenset({"word/document.xml"}))
    assert ooxml.write_package(parts) == first  # the cached compression changes nothing
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert {name: archive.read(name) for name in archive.namelist()} == parts
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_reading_is_bounded_and_can_skip_media():
    data = ooxml.write_package({"a.xml": b"x" * 1000, "b.png": b"y" * 1000})
    assert set(ooxml.read_package(data, xml_only=True)) == {"a.xml"}
    with pytest.raises(ValueError):
        ooxml.read_package(data, limit=1500)
    with pytest.raises(zipfile.BadZipFile):
        ooxml.read_package(b"PK not really")


def test_xml_text_drops_only_what_xml_cannot_hold():
    assert ooxml.xml_text("a\x00b\x0bc\x1fd\ud800e\ufffef\tg\nh") == "abcdef\tg\nh"
    assert ooxml.xml_text("Україна & <b> \U0001f54a") == "Україна & <b> \U0001f54a"


def test_package_dates_prefer_source_date_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert ooxml.package_date("2026-11-25") == "2026-11-25T00:00:00Z"
    assert ooxml.package_date("next Tuesday") == ""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert ooxml.package_date("2026-11-25") == "1970-01-01T00:00:00Z"
