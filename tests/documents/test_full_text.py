"""What a user types becomes search terms: words, phrases and prefixes, never query syntax."""

import pytest

from annotator.documents.full_text import Term, fts5_query, search_terms, tsquery


def test_words_are_lower_cased_terms_every_one_of_which_must_occur():
    assert search_terms("Bridge  COUNCIL") == [Term(("bridge",)), Term(("council",))]
    assert fts5_query(search_terms("Bridge council")) == '"bridge" AND "council"'
    assert tsquery(search_terms("Bridge council")) == "('bridge') & ('council')"


def test_quoted_words_are_a_phrase_and_a_trailing_star_a_prefix():
    terms = search_terms('"new bridge" counc*')
    assert terms == [Term(("new", "bridge")), Term(("counc",), prefix=True)]
    assert fts5_query(terms) == '"new bridge" AND "counc" *'
    assert tsquery(terms) == "('new' <-> 'bridge') & ('counc':*)"


@pytest.mark.parametrize(
    "typed, words",
    [
        ('"', []),
        ("*", []),
        ('""', []),
        ("AND OR NOT", ["and", "or", "not"]),  # words, not operators: each is quoted
        ("NEAR(a b)", ["near", "a", "b"]),
        ("'; DROP TABLE passage; --", ["drop", "table", "passage"]),
        ("bridge:* & !council | (x", ["bridge", "council", "x"]),
        ('unbalanced "new bridge', ["unbalanced", "new bridge"]),
        ("Zürich ÉCOLE naïve", ["zürich", "école", "naïve"]),  # case folded, diacritics kept
        ("don't 3.5 example.com", ["don", "t", "3", "5", "example", "com"]),
        ("東京 大学", ["東京", "大学"]),
    ],
)
def test_odd_input_becomes_plain_terms(typed, words):
    terms = search_terms(typed)
    assert [" ".join(term.words) for term in terms] == words
    for term in terms:
        assert all(character.isalnum() or character == " " for character in " ".join(term.words))


def test_a_very_long_query_is_cut_to_a_bounded_number_of_terms():
    assert len(search_terms("word " * 1000)) == 16
