"""lazy_patterns defers a library's patterns in the importing thread only, and always restores re.compile."""

from __future__ import annotations

import re
import sys
import threading

from framework_kit.lazy_patterns import import_module


def test_another_thread_compiling_during_the_import_gets_a_real_pattern(tmp_path, monkeypatch):
    inside, done = threading.Event(), threading.Event()
    (tmp_path / "slow_library.py").write_text(
        "import re, builtins\n"
        "OWN = re.compile('a+b')\n"
        "builtins._lazy_inside.set()\n"
        "builtins._lazy_done.wait(10)\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import builtins

    monkeypatch.setattr(builtins, "_lazy_inside", inside, raising=False)
    monkeypatch.setattr(builtins, "_lazy_done", done, raising=False)
    compile_before = re.compile
    importer = threading.Thread(target=import_module, args=("slow_library",))
    importer.start()
    assert inside.wait(10)
    elsewhere = re.compile("c+d")  # while the importer's swap is in place
    done.set()
    importer.join(10)
    assert isinstance(elsewhere, re.Pattern)
    assert type(sys.modules["slow_library"].OWN).__name__ == "_CompiledOnFirstUse"
    assert sys.modules["slow_library"].OWN.fullmatch("aab")
    assert re.compile is compile_before
    del sys.modules["slow_library"]
