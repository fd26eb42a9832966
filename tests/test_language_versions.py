"""Language versions: one file per language, each with its own furniture (format 1.1)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from lxml import etree
from pypdf import PdfReader

from framework_kit import api

from conftest import EXAMPLES

MULTILINGUAL = EXAMPLES / "ukraine-three-level-en-uk-ru.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What the shipped templates print in English around the design's own texts.
ENGLISH_FURNITURE = ["Page ", "Participants", "Proposed by", "Initials", "Version", "Status",
                     "Marking", "DRAFT", "Guiding principles", "Done at", "State of the text",
                     "Represented by", "Party", "level", "Place", "Date", "Reference"]


@pytest.fixture(scope="module")
def term_sheets():
    result = api.render_bytes(MULTILINGUAL.read_bytes(), str(MULTILINGUAL), only=["term-sheets"])
    assert result.ok, result.diagnostics
    return {(f.language, f.format): f for f in result.files if f.key == "term-sheet-table-a"}


def pdf_text(rendered) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages)


def test_one_file_per_language_named_with_the_language(term_sheets):
    names = sorted(f.filename for f in term_sheets.values())
    assert names == sorted(f"ukraine-three-level-process_v0.3_term-sheet-table-a_{lang}.{ext}"
                           for lang in ("en", "uk", "ru") for ext in ("docx", "pdf"))


def test_the_ukrainian_version_has_ukrainian_furniture_and_no_english(term_sheets):
    text = pdf_text(term_sheets["uk", "pdf"])
    for words in ("Сторінка 1 з 2", "Перелік умов — Майданчик A", "Учасники", "Парафа",
                  "Запропоновано: Україна", "25 листопада 2026 р.", "ПРОЄКТ — ЛИШЕ ДЛЯ ОБГОВОРЕННЯ",
                  "Сторони дотримуються повного і всеосяжного припинення вогню",
                  "англійською, українською та російською мовами"):
        assert words in " ".join(text.split()), words
    for words in ENGLISH_FURNITURE:
        assert words not in text, words


def test_the_russian_version_has_russian_furniture(term_sheets):
    text = " ".join(pdf_text(term_sheets["ru", "pdf"]).split())
    for words in ("Страница 1 из 2", "Участники", "25 ноября 2026 г.", "Предложено: Украина",
                  "на английском, украинском и русском языках"):
        assert words in text, words
    assert "Page " not in text and "Сторінка" not in text


def test_the_english_version_ends_with_the_authentic_texts(term_sheets):
    text = " ".join(pdf_text(term_sheets["en", "pdf"]).split())
    assert "in the English, Ukrainian and Russian languages, all texts being equally authentic." in text
    assert "Page 1 of 2" in text and "Сторінка" not in text


def _docx_part(rendered, name: str):
    with zipfile.ZipFile(io.BytesIO(rendered.data)) as package:
        return etree.fromstring(package.read(name))


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_docx_versions_are_in_their_language(term_sheets, language):
    rendered = term_sheets[language, "docx"]
    styles = _docx_part(rendered, "word/styles.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}val") == language
    body = _docx_part(rendered, "word/document.xml")
    tagged = {run.findtext(f"{W}t"): run.find(f"{W}rPr/{W}lang").get(f"{W}val")
              for run in body.iter(f"{W}r") if run.find(f"{W}rPr/{W}lang") is not None}
    # The English texts left untranslated are tagged English; the rest is the version's.
    assert tagged.get("Office of the President of Ukraine") == "en"
    footer = etree.tostring(_docx_part(rendered, "word/footer1.xml"), encoding="unicode")
    assert {"uk": "Сторінка ", "ru": "Страница "}[language] in footer and "Page " not in footer


SMALL = """\
kit: 1
process:
  title: {{en: Small design, fr: Petit projet}}
  date: 2026-03-02
  languages: [en, {other}]
participants:
  - {{id: red, name: {{en: Red}}, kind: state, role: belligerent}}
  - {{id: blue, name: Blue, kind: state, role: belligerent}}
tables:
  - id: bi
    name: {{en: Bilateral, {other}: Bilatéral}}
    level: bilateral
    parties: [red, blue]
    agenda:
      - title: Ceasefire
        terms:
          - {{text: "A ceasefire.", proposed_by: red}}
documents: [term-sheets]
checks: {{ignore: [E102, E103, E206]}}
"""


def render_small(other: str, templates_dir=None):
    text = SMALL.format(other=other).replace(", fr: Petit projet", "" if other != "fr" else ", fr: Petit projet")
    return api.render_bytes(text.encode(), "small.yaml", formats=("pdf",), templates_dir=templates_dir)


def test_a_missing_translation_prints_the_first_language_marked_pending():
    result = render_small("fr")
    assert [(d.code, d.span.line) for d in result.diagnostics if d.code == "W107"] == [("W107", 7)]
    french = next(f for f in result.files if f.language == "fr")
    text = " ".join(pdf_text(french).split())
    assert "(traduction en attente) Red" in text
    assert "Fiche de conditions — Bilatéral" in text and "Page 1 sur 1" in text
    assert "2 mars 2026" in text and "Proposé par (traduction en attente) Red" in text


def test_a_language_without_a_catalogue_renders_english_furniture_with_t002():
    result = render_small("de")
    assert result.ok
    warnings = [d for d in result.diagnostics if d.code == "T002"]
    assert len(warnings) == 1 and "'de'" in warnings[0].message and warnings[0].severity.value == "warning"
    assert warnings[0].span.line == 5  # the languages line
    german = next(f for f in result.files if f.language == "de")
    text = pdf_text(german)
    assert "Page 1 of 1" in text and "2. März 2026" in text  # English words, the language's own date


def test_a_users_catalogue_adds_a_language(tmp_path):
    (tmp_path / "de.po").write_text('msgid "Page {page} of {pages}"\nmsgstr "Seite {page} von {pages}"\n\n'
                                    'msgid "Participants"\nmsgstr "Teilnehmer"\n', encoding="utf-8")
    result = render_small("de", tmp_path)
    assert result.ok and not [d for d in result.diagnostics if d.code == "T002"]
    text = pdf_text(next(f for f in result.files if f.language == "de"))
    assert "Seite 1 von 1" in text and "Teilnehmer" in text and "Page 1" not in text


def test_a_broken_catalogue_is_a_template_problem_and_nothing_is_rendered(tmp_path):
    (tmp_path / "fr.po").write_bytes(b'msgid "Participants"\nmsgstr "Participants\n\xff\xfe')
    result = render_small("fr", tmp_path)
    assert not result.ok and result.files == []
    problem = next(d for d in result.diagnostics if d.is_error)
    assert problem.code == "T001" and problem.file.endswith("fr.po")


def test_a_catalogue_cannot_inject_markup(tmp_path):
    (tmp_path / "fr.po").write_text('msgid "Participants"\nmsgstr "<b>Participants</b> & co"\n', encoding="utf-8")
    result = render_small("fr", tmp_path)
    assert result.ok, result.diagnostics
    text = pdf_text(next(f for f in result.files if f.language == "fr"))
    assert "<b>Participants</b> & co" in text


def _catalogue_ids(language: str) -> set[str]:
    from babel.messages.pofile import read_po

    from framework_kit.data import data_folder

    with (data_folder("templates") / f"{language}.po").open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id and m.string}


def _message_ids() -> set[str]:
    """Every message the templates and the renderer ask for: extracted with Babel, plus the
    ones chosen at run time from tables of words."""
    from babel.messages.extract import extract_from_dir

    from framework_kit.documents import KINDS
    from framework_kit.render import build, diagram, view
    from framework_kit.spec.model import DEFAULT_MARKING

    root = EXAMPLES.parent
    found = extract_from_dir(str(root), [("framework_kit/render/**.py", "python"),
                                         ("templates/**.xml", "jinja2.ext:babel_extract")],
                             options_map={"templates/**.xml": {"trim_blocks": "true", "lstrip_blocks": "true"}},
                             keywords={"_": None})
    ids = {message for _, _, message, _, _ in found if isinstance(message, str)}
    ids.discard(" linkage: {tables}")  # the diagram's "<Kind> linkage: {tables}", listed below
    for words in (view.STATUS_TEXT, view.CAPACITY_TEXT, view.LEVEL_TEXT, view.CATEGORY_TEXT,
                  view.TERRITORY_STATUS_TEXT, view._LINKAGE_TEXT, build._KEYWORDS, diagram.LEVEL_NAMES,
                  diagram._LEGEND):
        ids |= set(words.values())
    ids |= {kind.title for kind in KINDS} | {DEFAULT_MARKING, "level", "(translation pending) {text}"}
    ids |= {f"{kind} linkage: {{tables}}" for kind in ("Interlocking", "Conditional", "Sequential")}
    ids |= {"Met", "Waived by the drafters", "Not met", "Followed", "Points open",
            "This table opens once {tables} have concluded.", "withdrawal in {count} phases",
            "{count} findings not shown", view._WAITS, view._WAIT}
    return ids


@pytest.mark.parametrize("language", ["fr", "es", "ru", "uk", "ar"])
def test_every_shipped_catalogue_translates_every_message(language):
    missing = _message_ids() - _catalogue_ids(language)
    assert not missing, sorted(missing)


def test_a_template_without_a_page_label_numbers_pages_in_english(tmp_path):
    (tmp_path / "term-sheet.xml").write_text('<document>\n<meta title="x"/>\n<p>Text</p>\n</document>\n',
                                             encoding="utf-8")
    result = render_small("fr", tmp_path)
    assert result.ok, result.diagnostics
    assert "Page 1 of 1" in pdf_text(next(f for f in result.files if f.language == "fr"))


def test_r004_points_at_the_language_line_that_holds_the_character():
    text = SMALL.format(other="uk").replace(", fr: Petit projet", "").replace(
        "name: {en: Red}", 'name: {en: Red, uk: "Черв ქართ"}')
    result = api.render_bytes(text.encode(), "small.yaml", formats=("pdf",))
    assert result.files == []
    r004 = [d for d in result.diagnostics if d.code == "R004"]
    assert [(d.span.line, d.span.column) for d in r004] == [(7, 41)]
    assert "(language 'uk')" in r004[0].message and "GEORGIAN" in r004[0].message


def test_the_languages_own_dates_and_numbers_need_no_character_the_font_lacks():
    from framework_kit.render.furniture import furniture
    import datetime as dt

    for language in ("uk", "ru", "fr"):
        words = furniture(language)
        printed = words.date(dt.date(2026, 3, 2)) + words.number(12000)
        assert "\u202f" not in printed, language  # CLDR's narrow no-break space: not in the font
    assert furniture("uk").date(dt.date(2026, 3, 2)) == "2 березня 2026\u00a0р."


def test_a_catalogue_over_its_size_bound_is_refused(tmp_path):
    from framework_kit.render.furniture import CATALOGUE_MAX_BYTES

    (tmp_path / "fr.po").write_text("# " + "x" * CATALOGUE_MAX_BYTES + "\n", encoding="utf-8")
    result = render_small("fr", tmp_path)
    problem = next(d for d in result.diagnostics if d.is_error)
    assert problem.code == "T001" and "at most 1,000,000" in problem.message and result.files == []


def test_kit_diff_of_a_process_in_several_languages_compares_its_first_language(tmp_path):
    from framework_kit.diff.run import diff_files

    result = diff_files(MULTILINGUAL, MULTILINGUAL, tmp_path, only=["term-sheets"], formats=("pdf",))
    assert result.exit_code == 0, result.diagnostics
    redline = tmp_path / "ukraine-three-level-process_v0.3-v0.3_term-sheet-table-a_redline.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(str(redline)).pages)
    assert "Term Sheet — Table A: Bilateral Negotiations" in " ".join(text.split())
    assert "Перелік умов" not in text and "Перечень условий" not in text


@pytest.mark.parametrize("month", range(1, 13))
def test_english_dates_and_numbers_are_babels_without_babel(month):
    from babel.dates import format_date
    from babel.numbers import format_decimal

    from framework_kit.render.furniture import furniture

    english, day = furniture("en"), dt.date(2027, month, 9 + month)
    assert english.date(day) == format_date(day, format="long", locale="en_GB")
    for number in (0, 7, 999, 1000, 12_000, 1_234_567):
        assert english.number(number) == format_decimal(number, locale="en_GB")


def test_an_english_render_does_not_load_babel():
    import subprocess
    import sys

    from conftest import UKRAINE

    code = ("import sys; from framework_kit import api; "
            f"result = api.render_bytes(open({str(UKRAINE)!r}, 'rb').read(), formats=('pdf',)); "
            "print(result.ok, sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.stdout.split("\n")[0] == "True []", done.stderr[-2000:]


def test_notes_too_long_for_the_foot_of_a_page_are_headed_in_the_versions_language():
    long_notes = MULTILINGUAL.read_text(encoding="utf-8").replace(
        '"Застереження російської делегації до рішення майданчика C."',
        '"' + "Застереження російської делегації до рішення майданчика C. " * 90 + '"').replace(
        '"Оговорка российской делегации до решения площадки C."',
        '"' + "Оговорка российской делегации до решения площадки C. " * 90 + '"')
    result = api.render_bytes(long_notes.encode("utf-8"), str(MULTILINGUAL), only=["term-sheets"],
                              formats=("pdf",))
    assert result.ok, result.diagnostics
    headings = {f.language: [line for line in pdf_text(f).splitlines()
                             if line.strip() in ("Notes", "Примітки", "Примечания")]
                for f in result.files if f.key == "term-sheet-table-a"}
    assert headings == {"en": [], "uk": ["Примітки"], "ru": ["Примечания"]}
