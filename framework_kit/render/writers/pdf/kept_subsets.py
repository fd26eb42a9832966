"""The font subsets a PDF embeds, kept compressed between runs.

For every face a document uses, the PDF embeds the subset of the font that
holds the document's characters: reportlab cuts it from the font file
(``makeSubset``) and Flate-compresses it with the document's other streams.
That is a sixth of a cold render's PDF time, and a drafter renders the same
documents again and again, whose characters seldom change. So each subset is
kept in the private cache folder, compressed, named by the font file
(:func:`..font_facts.state`: a house font replaced in place is cut again), the
characters asked for and zlib's version; the next run inflates it instead of
cutting it, and embeds the kept stream instead of compressing again. What is
kept is used only if it inflates whole (zlib checks its own checksum); the
stream is what zlib makes of those bytes, so the PDF is the same byte for byte.

A run keeps at most ``NEW_A_RUN`` new subsets (a batch of a thousand designs
would otherwise leave tens of thousands), and the first run to find more than
``KEPT`` in the folder removes the least recently used down to half.
"""

from __future__ import annotations

import os
import threading
import zlib

from ...font_facts import state
from ...private_cache import keep, kept_file, read_kept

NEW_A_RUN = 200
KEPT = 2000
_FOLDER = "font-subsets-1"

_streams: dict[bytes, bytes] = {}  # a subset -> its Flate stream, until its document writes it
_STREAMS_HELD = 64  # subsets cut but never written (a document that failed) are let go past this
_lock = threading.Lock()
_new_this_run = 0
_pruned = False


def subset(face, characters, cut) -> bytes:
    """``cut(face, characters)``, the font subset, read from the kept file when there is one."""
    file = _file(face, characters)
    packed = read_kept(file)
    if packed is not None:
        try:
            data = zlib.decompress(packed)
        except zlib.error:
            data = None
        if data is not None:
            _hold(data, packed)
            _used(file)
            return data
    data = cut(face, characters)
    packed = zlib.compress(data)
    _hold(data, packed)
    _keep_new(file, packed)
    return data


def stream(data) -> bytes | None:
    """The Flate stream of a subset cut by :func:`subset` in this process, or None."""
    return _streams.pop(data, None) if isinstance(data, bytes) else None


def _hold(data: bytes, packed: bytes) -> None:
    with _lock:
        if len(_streams) >= _STREAMS_HELD:
            _streams.clear()
        _streams[data] = packed


def _file(face, characters):
    try:
        key = state(face.filename)
    except (AttributeError, TypeError, OSError):  # a face read from bytes: no file to name it by
        return None
    name = (f"{key.path}\0{key.size}\0{key.mtime}\0{getattr(face, 'subfontIndex', 0)}\0"
            f"{','.join(map(str, characters))}")
    return kept_file(_FOLDER, name.encode("utf-8", "surrogatepass"), f"-zlib{zlib.ZLIB_RUNTIME_VERSION}.flate")


def _used(file) -> None:
    try:
        os.utime(file)  # recently used: the last to be removed
    except OSError:
        pass


def _keep_new(file, packed: bytes) -> None:
    global _new_this_run, _pruned
    if file is None:
        return
    with _lock:
        if _new_this_run >= NEW_A_RUN:
            return
        _new_this_run += 1
        prune, _pruned = not _pruned, True
    if prune:
        _prune(file.parent)
    keep(file, packed)


def _prune(folder) -> None:
    try:
        with os.scandir(folder) as entries:
            kept = [(entry.stat().st_mtime_ns, entry.path) for entry in entries
                    if entry.name.endswith(".flate") and entry.is_file(follow_symlinks=False)]
    except OSError:
        return
    if len(kept) <= KEPT:
        return
    for _mtime, path in sorted(kept)[:len(kept) - KEPT // 2]:
        try:
            os.unlink(path)
        except OSError:
            pass
