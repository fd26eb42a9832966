"""Every produced DOCX is a sound package: each part's relationships resolve in that
part's own .rels, every part has a content type, and pandoc reads every link target.

A footnote that holds a link is the case that once broke: footnotes.xml pointed at a
relationship that existed only in document.xml.rels.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import subprocess
import zipfile

import pytest
from lxml import etree

from conftest import EXAMPLES, UKRAINE, require
from framework_kit.api import render_bytes

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
NOTE_LINK = "https://www.icrc.org/en/document/ceasefire?lang=en&x=1"


def _with_linked_note() -> bytes:
    text = UKRAINE.read_text(encoding="utf-8")
    note = "note: Reservation of the Russian delegation, pending Table C."
    assert note in text
    linked = f"note: Reservation of the Russian delegation, see [the ICRC]({NOTE_LINK})."
    return text.replace(note, linked).encode("utf-8")


def _docx_files() -> list[tuple[str, bytes]]:
    specs = [(path.name, path.read_bytes()) for path in sorted(EXAMPLES.glob("*.yaml"))]
    specs.append(("linked-note.yaml", _with_linked_note()))
    produced = []
    for name, data in specs:
        result = render_bytes(data, name, formats=("docx",))
        produced += [(f"{name}:{f.filename}", f.data) for f in result.files]
    return produced


@pytest.fixture(scope="module")
def docx_files() -> list[tuple[str, bytes]]:
    files = _docx_files()
    assert len(files) >= 12
    return files


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relationship_problems(data: bytes) -> list[str]:
    """Every r:id (r:embed, r:link ...) that its part's .rels does not define, and every
    internal relationship whose target is not in the package."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        for part in sorted(names):
            if not part.endswith(".xml") or part == "[Content_Types].xml":
                continue
            root = etree.fromstring(archive.read(part))
            used = {value for node in root.iter() for key, value in node.attrib.items()
                    if key.startswith(f"{{{R}}}")}
            rels = {}
            if _rels_path(part) in names:
                for rel in etree.fromstring(archive.read(_rels_path(part))).iter(f"{PR}Relationship"):
                    rels[rel.get("Id")] = rel
            for rel_id in sorted(used - set(rels)):
                problems.append(f"{part}: {rel_id} is not in {_rels_path(part)}")
            for rel_id, rel in rels.items():
                if rel.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(part), rel.get("Target")))
                if target not in names:
                    problems.append(f"{part}: {rel_id} points at {target}, not in the package")
    return problems


def test_every_relationship_id_resolves_in_its_own_part(docx_files):
    problems = {name: relationship_problems(data) for name, data in docx_files}
    assert {name: found for name, found in problems.items() if found} == {}


def test_a_link_in_a_note_has_its_relationship_in_the_footnotes_part(docx_files):
    linked = [data for name, data in docx_files
              if name.startswith("linked-note.yaml:") and "term-sheet-table-a" in name]
    assert linked, [name for name, _ in docx_files]
    with zipfile.ZipFile(io.BytesIO(linked[0])) as archive:
        rels = archive.read("word/_rels/footnotes.xml.rels").decode()
        footnotes = archive.read("word/footnotes.xml").decode()
    assert "TargetMode=\"External\"" in rels and "www.icrc.org" in rels
    assert "w:hyperlink" in footnotes


def test_the_relationship_check_finds_a_dangling_id():
    # The check itself must be able to fail: move the footnotes' rels away.
    data = dict(_docx_files_named("term-sheet-table-a", _with_linked_note()))
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data["docx"])) as source, \
            zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            if info.filename != "word/_rels/footnotes.xml.rels":
                target.writestr(info, source.read(info))
    assert any("footnotes.xml" in p for p in relationship_problems(broken.getvalue()))


def _docx_files_named(fragment: str, spec: bytes):
    result = render_bytes(spec, "linked-note.yaml", formats=("docx",))
    return [("docx", f.data) for f in result.files if fragment in f.filename]


def test_every_part_has_a_content_type(docx_files):
    for name, data in docx_files:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            types = etree.fromstring(archive.read("[Content_Types].xml"))
            defaults = {d.get("Extension") for d in types.iter(f"{CT}Default")}
            overrides = {o.get("PartName") for o in types.iter(f"{CT}Override")}
            for part in archive.namelist():
                if part == "[Content_Types].xml":
                    continue
                assert ("/" + part in overrides or part.rsplit(".", 1)[-1] in defaults), (name, part)


def _links(node) -> list[str]:
    found = []
    if isinstance(node, dict):
        if node.get("t") == "Link":
            found.append(node["c"][2][0])
        for value in node.values():
            found += _links(value)
    elif isinstance(node, list):
        for value in node:
            found += _links(value)
    return found


def test_pandoc_reads_every_link_target(docx_files, tmp_path):
    require("pandoc")
    seen = []
    for name, data in docx_files:
        path = tmp_path / name.replace(":", "_")
        path.write_bytes(data)
        out = subprocess.run(["pandoc", "-f", "docx", "-t", "json", str(path)],
                             capture_output=True, timeout=120, check=True)
        links = _links(json.loads(out.stdout))
        assert all(target.strip() for target in links), (name, links)
        seen += links
    assert NOTE_LINK in seen


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_the_four_faces_are_embedded_as_word_embeds_them(docx_files):
    from framework_kit.render.fonts import font_files
    from framework_kit.render.writers.docx.fonts import obfuscate

    shipped = {face: path.read_bytes() for face, path in font_files().items()}
    tags = {"embedRegular": "regular", "embedBold": "bold", "embedItalic": "italic",
            "embedBoldItalic": "bold_italic"}
    for name, data in docx_files:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            table = etree.fromstring(archive.read("word/fontTable.xml"))
            rels = {rel.get("Id"): rel.get("Target") for rel in etree.fromstring(
                archive.read("word/_rels/fontTable.xml.rels")).iter(f"{PR}Relationship")}
            plex = [f for f in table.iter(f"{W}font") if f.get(f"{W}name") == "IBM Plex Serif"]
            assert len(plex) == 1, name
            found = {}
            for embed in plex[0]:
                tag = etree.QName(embed).localname
                if tag in tags:
                    part = "word/" + rels[embed.get(f"{{{R}}}id")]
                    stored = archive.read(part)
                    assert stored[:32] != shipped[tags[tag]][:32]  # really obfuscated
                    found[tags[tag]] = obfuscate(stored, embed.get(f"{W}fontKey"))
            assert found == shipped, name
            settings = etree.fromstring(archive.read("word/settings.xml"))
            assert settings.find(f"{W}embedTrueTypeFonts") is not None


def test_obfuscation_uses_the_guid_bytes_from_its_end():
    from framework_kit.render.writers.docx.fonts import obfuscate

    key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    # ECMA-376: the key is the GUID's bytes read from the end of its string form.
    expected = bytes.fromhex("FFEEDDCCBBAA99887766554433221100") * 2
    assert obfuscate(bytes(40), key) == expected + bytes(8)


def _pandoc_numbers(blocks, prefix: str = "") -> list[str]:
    """The numbers pandoc's reading gives to nested ordered list items: 1, 1.1, 1.2, 2 ..."""
    found = []
    for block in blocks:
        if block.get("t") == "OrderedList":
            (start, _, _), items = block["c"]
            for index, item in enumerate(items):
                number = f"{prefix}{start + index}"
                found.append(number)
                found += _pandoc_numbers(item, number + ".")
        elif block.get("t") in ("Div", "BlockQuote"):
            found += _pandoc_numbers(block["c"][-1], prefix)
    return found


def test_pandoc_reads_the_term_sheets_clause_numbers_as_our_pdf_prints_them(tmp_path):
    require("pandoc", "pdftotext")
    # Word numbers the clauses; pandoc has no "1.1" of its own but nests the lists, and
    # an attribution continues its clause instead of ending the list (numId 0).
    result = render_bytes(UKRAINE.read_bytes(), UKRAINE.name, only=["term-sheets"])
    files = {f.filename: f.data for f in result.files}
    checked = 0
    for name, data in files.items():
        if not name.endswith(".docx"):
            continue
        (tmp_path / name).write_bytes(data)
        tree = json.loads(subprocess.run(["pandoc", "-f", "docx", "-t", "json", str(tmp_path / name)],
                                         capture_output=True, timeout=120, check=True).stdout)
        printed = subprocess.run(["pdftotext", "-layout", "-", "-"], capture_output=True, check=True,
                                 input=files[name[:-5] + ".pdf"]).stdout.decode()
        expected = re.findall(r"(?m)^(\d+(?:\.\d+)?)\s{2,}\S", printed)
        assert len(expected) >= 6
        assert _pandoc_numbers(tree["blocks"]) == expected, name
        checked += 1
    assert checked == 3


def test_an_unreadable_font_file_is_a_font_error_not_a_traceback(tmp_path):
    from framework_kit.render import fonts
    from framework_kit.render.writers.docx import fonts as docx_fonts

    missing = {face: tmp_path / f"{face}.ttf" for face in ("regular", "bold", "italic", "bold_italic")}
    with pytest.raises(fonts.FontError, match="cannot be read"):
        docx_fonts.embed_fonts(None, "IBM Plex Serif", missing)
