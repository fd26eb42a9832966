"""Script detection and the language tag of a piece of text (render/scripts.py)."""

from __future__ import annotations

from framework_kit.render.scripts import language_of, pieces, script_of, script_of_language, slot_of

PROCESS = ("en", "uk", "ru")


def test_text_is_cut_where_the_script_changes_and_punctuation_stays_with_its_word():
    assert pieces("Україна (Ukraine), 2026") == [("Україна (", "Cyrl"), ("Ukraine), 2026", "Latn")]
    assert pieces("1. Ελλάδα") == [("1. Ελλάδα", "Grek")]
    assert pieces("— ") == [("— ", "")]
    assert pieces("") == []


def test_scripts_of_characters_and_language_tags():
    assert [script_of(c) for c in "aЖλش中7 "] == ["Latn", "Cyrl", "Grek", "Arab", "Hani", "", ""]
    assert script_of_language("uk") == "Cyrl" and script_of_language("sr-Latn") == "Latn"
    assert script_of_language("fr-CH") == "Latn" and script_of_language("ar") == "Arab"


def test_a_piece_in_the_document_script_keeps_the_document_language():
    assert language_of("Ukraine", "Latn", "en", PROCESS) == "en"
    assert language_of("2026", "", "en", PROCESS) == "en"


def test_cyrillic_gets_the_process_language_its_letters_show():
    assert language_of("Україна", "Cyrl", "en", PROCESS) == "uk"
    assert language_of("Объединённые Нации", "Cyrl", "en", PROCESS) == "ru"
    assert language_of("Київ", "Cyrl", "en", ("en", "uk")) == "uk"
    # A Russian name only, in a process whose one Cyrillic language is Russian.
    assert language_of("Москва", "Cyrl", "en", ("en", "ru")) == "ru"


def test_without_the_language_known_the_tag_names_the_script():
    assert language_of("Україна", "Cyrl", "en", ("en",)) == "und-Cyrl"
    assert language_of("Москва", "Cyrl", "en", PROCESS) == "und-Cyrl"  # uk or ru: unknown
    assert language_of("Ελλάδα", "Grek", "en", PROCESS) == "und-Grek"
    assert language_of("Kyiv", "Latn", "uk", ("uk",)) == "und-Latn"
    assert language_of("Kyiv", "Latn", "uk", ("uk", "en")) == "en"


def test_east_asian_and_right_to_left_scripts_have_their_own_slot():
    assert slot_of("Hani") == "eastAsia" and slot_of("Arab") == "bidi" and slot_of("Cyrl") == "val"
