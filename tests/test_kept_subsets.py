"""The PDF's font subsets kept compressed between runs: the same PDFs as without them, never
required, a damaged file cut again, and a folder that stays bounded."""

from __future__ import annotations

import os
import zlib

import pytest

from framework_kit import api
from framework_kit.render.writers.pdf import kept_subsets, reportlab_patches

from conftest import UKRAINE


@pytest.fixture
def cache_home(private_cache_home, monkeypatch):
    """An empty cache folder, and this process as a new run would find it."""
    monkeypatch.setattr(kept_subsets, "_new_this_run", 0)
    monkeypatch.setattr(kept_subsets, "_pruned", False)
    kept_subsets._streams.clear()
    yield private_cache_home
    kept_subsets._streams.clear()


@pytest.fixture
def cuts(monkeypatch) -> list:
    """Each subset reportlab cuts from a font file (its number of characters)."""
    made: list = []
    real = reportlab_patches._make_subset_alone
    monkeypatch.setattr(reportlab_patches, "_make_subset_alone",
                        lambda face, characters: made.append(len(characters)) or real(face, characters))
    return made


def pdfs() -> dict:
    result = api.render_bytes(UKRAINE.read_bytes(), str(UKRAINE), formats=("pdf",))
    assert result.ok
    return {file.filename: file.data for file in result.files}


def kept(home) -> list:
    return sorted(home.rglob("*.flate"))


def test_the_pdfs_are_the_same_with_kept_subsets_without_them_and_when_they_are_made(
        cache_home, cuts, monkeypatch):
    making = pdfs()
    assert len(cuts) == len(kept(cache_home)) > 6  # several faces in each of six documents
    cuts.clear()
    compressed = []
    real = zlib.compress
    monkeypatch.setattr(zlib, "compress", lambda data, *a: compressed.append(bytes(data[:4])) or real(data, *a))
    assert pdfs() == making
    monkeypatch.setattr(zlib, "compress", real)
    assert cuts == []  # every subset came from its kept file,
    assert compressed and not {b"\x00\x01\x00\x00", b"true"} & set(compressed)  # and its stream with it
    monkeypatch.setenv("KIT_NO_CACHE", "1")
    assert pdfs() == making
    assert cuts


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", "cut short", "a wrong byte"])
def test_a_damaged_kept_subset_is_cut_again(cache_home, cuts, damage):
    making = pdfs()
    for file in kept(cache_home):
        data = file.read_bytes()
        file.write_bytes(damage if isinstance(damage, bytes) else
                         data[:len(data) // 2] if damage == "cut short" else
                         data[:100] + bytes([data[100] ^ 0xFF]) + data[101:])
    cuts.clear()
    assert pdfs() == making
    assert len(cuts) == len(kept(cache_home))


def test_a_run_keeps_a_bounded_number_of_new_subsets(cache_home, monkeypatch):
    monkeypatch.setattr(kept_subsets, "NEW_A_RUN", 3)
    making = pdfs()
    assert len(kept(cache_home)) == 3
    monkeypatch.setenv("KIT_NO_CACHE", "1")
    assert pdfs() == making


def test_a_full_folder_loses_its_least_recently_used_subsets(cache_home, monkeypatch):
    monkeypatch.setattr(kept_subsets, "KEPT", 10)
    pdfs()  # makes the folder
    folder = kept(cache_home)[0].parent
    for file in kept(cache_home):
        file.unlink()
    old = []
    for age in range(30):
        file = folder / f"{age:032x}-zlib0.flate"
        file.write_bytes(b"x")
        os.utime(file, ns=(age * 10**9, age * 10**9))
        old.append(file)
    monkeypatch.setattr(kept_subsets, "_pruned", False)
    monkeypatch.setattr(kept_subsets, "_new_this_run", 0)
    pdfs()
    assert [file.exists() for file in old] == [False] * 25 + [True] * 5  # the five used last stay
    assert len(kept(cache_home)) > 5  # and this run's own subsets were kept


def test_without_a_cache_folder_nothing_is_kept(tmp_path, monkeypatch, cuts):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("KIT_NO_CACHE", "1")
    pdfs()
    pdfs()
    assert cuts and not list(tmp_path.rglob("*.flate"))
    assert len(cuts) % 2 == 0  # cut anew each time
