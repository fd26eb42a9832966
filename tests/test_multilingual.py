"""Multilingual text (format 1.1): texts as mappings of language tags, S008, the languages keys."""

from __future__ import annotations

import pickle

from framework_kit import api
from framework_kit.spec.multilingual import Text, in_language, texts_of

# A valid design; {title}, {name} and {languages} are replaced by each test.
SPEC = """\
kit: 1
process:
  title: {title}
  date: 2026-03-02
{languages}
participants:
  - id: red
    name: {name}
    kind: state
    role: belligerent
  - {{id: blue, name: Blue, kind: state, role: belligerent}}
tables:
  - {{id: bi, name: Bilateral, level: bilateral, parties: [red, blue]}}
"""


def check(title="A Process", name="Red", languages="  languages: [en, uk, ru]"):
    text = SPEC.format(title=title, name=name, languages=languages)
    return api.check_bytes(text.encode(), "spec.yaml")


def codes(result, prefix="S"):
    return [(d.code, d.span.line, d.span.column) for d in result.diagnostics if d.code[0] == prefix]


def test_a_mapping_of_the_process_languages_is_a_text_in_the_first_language():
    result = check(name="\n      uk: Червона\n      en: Red\n      ru: Красная")
    assert codes(result) == []
    name = result.design.participants[0].name
    assert isinstance(name, Text) and name == "Red"  # the rules read the first language
    assert name.in_language("uk") == "Червона"
    assert (name.spans["ru"].line, name.spans["ru"].column) == (11, 11)
    assert (name.span.line, name.span.column) == (9, 7)


def test_s008_a_language_the_process_does_not_list_is_reported_at_its_key():
    result = check(name="\n      en: Red\n      ua: Червона\n      uk: Червона\n      ru: Красная")
    assert codes(result) == [("S008", 10, 7)]
    message = next(d for d in result.diagnostics if d.code == "S008")
    assert "'ua'" in message.message and "en, uk, ru" in message.message
    assert "add 'ua' to process.languages" in message.help


def test_s008_with_a_single_language_process():
    result = check(title="{en: A Process, fr: Un processus}", languages="  language: en")
    assert codes(result) == [("S008", 3, 26)]


def test_no_s008_when_every_tag_is_listed_even_before_the_languages_key():
    # The texts may come before process.languages in the file.
    text = SPEC.format(title="{en: A Process, fr: Un processus}", name="Red",
                       languages="").replace("process:\n", "process:\n  languages: [en, fr]\n", 1)
    text = text.replace("  title: {en: A Process, fr: Un processus}\n  languages: [en, fr]\n",
                        "  title: {en: A Process, fr: Un processus}\n")
    assert codes(api.check_bytes(text.encode(), "spec.yaml")) == []


def test_a_wrong_text_in_one_language_is_reported_at_that_language_line():
    result = check(name="\n      en: Red\n      uk: ''\n      ru: Красная")
    assert codes(result) == [("S004", 10, 11)]
    assert "name's 'uk' text is empty" in result.diagnostics[0].message


def test_a_mapping_without_any_language_tag_is_no_text():
    result = check(title="{a: b}")
    assert codes(result) == [("S004", 3, 11)]
    assert "title must be text, not a group of 'key: value' lines" in result.diagnostics[0].message


def test_a_key_that_is_no_language_tag_is_s004_at_the_key():
    result = check(name="{en: Red, 'u k': x}")
    assert codes(result) == [("S004", 8, 21)]


def test_ids_enums_and_codes_are_never_translated():
    assert codes(check(name="Red\n    neighbour: {en: true}")) == [("S004", 9, 17)]


def test_language_must_be_the_first_of_languages():
    result = check(languages="  language: uk\n  languages: [en, uk]")
    assert codes(result) == [("S004", 5, 13)]
    assert codes(check(languages="  language: en\n  languages: [en, uk]")) == []


def test_language_and_authentic_default_from_languages():
    design = check(languages="  languages: [uk, en]").design
    assert design.process.language == "uk" and design.process.authentic == ["uk", "en"]
    design = check(languages="  language: fr").design
    assert design.process.languages == ["fr"] and design.process.authentic == ["fr"]


def test_authentic_names_only_languages_of_the_process():
    result = check(languages="  languages: [en, uk]\n  authentic: [en, ru]")
    assert codes(result) == [("S004", 6, 19)]
    assert codes(check(languages="  languages: [en, uk]\n  authentic: [en]")) == []


def test_at_most_24_languages():
    tags = ", ".join(f"l{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(25))
    result = check(languages=f"  languages: [{tags}]")
    assert [(c, line) for c, line, _ in codes(result)] == [("S004", 5)]
    assert "at most 24" in result.diagnostics[0].message


def test_a_language_listed_twice_is_s004():
    assert codes(check(languages="  languages: [en, uk, en]")) == [("S004", 5, 23)]


def test_a_design_in_one_language_resolves_every_text_and_keeps_the_original():
    design = check(title="{en: A Process, uk: Процес, ru: Процесс}",
                   name="{en: Red, uk: Червона}").design
    ru = in_language(design, "ru", lambda text: f"[pending] {text}")
    assert ru.process.title == "Процесс" and type(ru.process.title) is str
    assert ru.participants[0].name == "[pending] Red"
    assert ru.participants[1].name == "Blue"  # plain text reads the same in every version
    assert design.process.title == "A Process" and isinstance(design.process.title, Text)
    assert [str(t) for t in texts_of(design)] == ["A Process", "Red"]


def test_a_text_survives_a_process_pool():
    design = check(title="{en: A Process, uk: Процес, ru: Процесс}").design
    title = pickle.loads(pickle.dumps(design.process.title))
    assert title == "A Process" and title.in_language("ru") == "Процесс"
    assert title.spans == design.process.title.spans


def test_the_schema_accepts_a_text_or_a_mapping_of_tags():
    schema = api.schema()
    text = schema["properties"]["tables"]["items"]["properties"]["name"]
    assert {"type": "object"}.items() <= text["anyOf"][1].items()
    assert text["anyOf"][1]["propertyNames"]["pattern"].startswith("^[A-Za-z]")
    topics = schema["properties"]["tables"]["items"]["properties"]["agenda"]["items"]["properties"]["topics"]
    assert "anyOf" not in topics["items"]
    languages = schema["properties"]["process"]["properties"]["languages"]
    assert languages["type"] == "array" and "anyOf" not in languages["items"]
