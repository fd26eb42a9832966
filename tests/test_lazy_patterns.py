"""lazy_patterns defers a library's patterns in the importing thread only, and always restores re.compile."""

from __future__ import annotations

import re
import subprocess
import sys
import threading

import pytest

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


# Each way a deferred module is reached (as reportlab, pypdfium2 and our raster module reach
# Pillow's Image module) loads the real module, in a fresh interpreter; nothing loads it before.
_REACHED = {
    "from-import": "from PIL import Image\nassert Image.new('RGB', (2, 1)).size == (2, 1)",
    "dotted-import": "import PIL.Image\nassert PIL.Image.new('RGB', (2, 1)).size == (2, 1)",
    "submodule-first": "from PIL import ImageDraw, Image\nImageDraw.Draw(Image.new('RGB', (2, 1))).point((0, 0))",
}


@pytest.mark.parametrize("use", _REACHED.values(), ids=_REACHED.keys())
def test_a_deferred_module_loads_when_used_however_it_was_imported(use):
    probe = ("import sys\nfrom framework_kit.lazy_patterns import defer_import\n"
             "defer_import('PIL.Image')\nimport PIL.Image\n"
             "assert 'PIL._imaging' not in sys.modules, 'loaded before use'\n"
             f"{use}\nassert 'PIL._imaging' in sys.modules\nprint('ok')\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
