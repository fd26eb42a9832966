"""Where a cold ``kit render`` spends its time: one fresh process, stage by stage.

Run by ``bench/run.py`` (several times, medians taken); it prints one JSON object
of stage -> milliseconds. The stages follow what ``kit render SPEC`` does, in the
same order, so that each import is charged to the first stage that needs it.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time

STARTED = time.perf_counter()


def main(spec: str) -> None:
    stages: dict[str, float] = {}
    last = STARTED

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        stages[name] = (now - last) * 1000
        last = now

    import framework_kit.cli  # noqa: F401  (typer, the API, the spec model)
    from framework_kit import api

    lap("import the command line (typer, spec model)")
    checked = api.check_file(spec)
    lap("read and check the spec")
    from framework_kit.render import build
    from framework_kit.render.theme import load_theme

    lap("import the template engine (Jinja2, markdown-it)")
    theme = load_theme(None)
    from framework_kit.render.fonts import names_for

    names_for(theme)  # the diagram's layout measures its labels with them
    lap("import reportlab's font machinery and load the four font faces")
    built = build.build_documents(checked.design, checked.assessment)
    lap("templates -> document trees (compile, render, parse, diagram layout)")
    from framework_kit.render.writers.pdf.writer import write_pdf

    lap("import the PDF writer (reportlab)")
    pdfs = [write_pdf(item.tree, theme)[0] for item in built]
    lap("write 6 PDFs (fonts, layout, subsetting)")
    from framework_kit.render.writers.docx.writer import write_docx

    lap("import the DOCX writer (lxml)")
    docxs = [write_docx(item.tree, theme, None) for item in built]
    lap("write 6 DOCX (figure PNG, reference styles, zip)")
    from framework_kit.output import write_files

    with tempfile.TemporaryDirectory() as folder:
        write_files(folder, [(f"{i}.pdf", data) for i, data in enumerate(pdfs)]
                    + [(f"{i}.docx", data) for i, data in enumerate(docxs)])
        lap("write the 12 files")
    print(json.dumps(stages))


if __name__ == "__main__":
    main(sys.argv[1])
