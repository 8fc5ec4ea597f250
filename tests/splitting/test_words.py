"""A passage's words carry their place in the raw text, through everything the splitter does
to a passage's text: hard line wraps, hyphen breaks rejoined, list markers and invisible
characters dropped, case restored after a rejoined break."""

import re

import pytest

from annotator.splitting import split_document
from annotator.splitting.words import PassageWords, passage_words

NEWSLETTER = (
    "COUNCIL NEWS\n\n"
    "The council voted on Tuesday to ex-\n"
    "tend the bike lane network by 12 km,\n"
    "a move the mayor called “long over-\n"
    "due”. Cycling rose 8.5% last year.\n\n"
    "• Residents can com-\nment until 1 March.\n"
)


def squeezed(text: str) -> str:
    return re.sub(r"[\s\-\u00ad\u200b]", "", text).lower()


def words_of(raw: str) -> list[tuple[str, str]]:
    pairs = []
    for passage in split_document(raw):
        for word in passage_words(passage.text, raw[passage.start : passage.end], passage.start):
            pairs.append((passage.text[word.text_start : word.text_end], raw[word.raw_start : word.raw_end]))
    return pairs


def test_every_word_points_at_its_own_raw_characters():
    pairs = words_of(NEWSLETTER)
    assert pairs, "the newsletter has words"
    assert [(text, raw) for text, raw in pairs if squeezed(text) != squeezed(raw)] == []


def test_a_rejoined_hyphen_break_is_one_word_spanning_the_line_break():
    pairs = dict(words_of(NEWSLETTER))
    assert pairs["extend"] == "ex-\ntend"
    assert pairs["comment"] == "com-\nment"


def test_numbers_and_punctuation_are_words_of_their_own():
    texts = [text for text, _ in words_of(NEWSLETTER)]
    assert "8.5" in texts and "%" in texts and "“" in texts and "12" in texts


def test_an_invisible_character_inside_a_word_stays_inside_its_raw_extent():
    raw = "Read more at example.\u200bcom about the vote today in the council chamber."
    pairs = words_of(raw)
    assert ("example.com", "example.\u200bcom") in pairs


@pytest.fixture
def vote() -> PassageWords:
    raw = "Intro.\n\nThe council voted to ex-\ntend the lanes."
    start = raw.index("The")
    text = "The council voted to extend the lanes."
    return PassageWords(1, text, start, len(raw), passage_words(text, raw[start:], start)), raw


def test_snapping_widens_an_offset_inside_a_word_to_the_whole_word(vote):
    words, raw = vote
    inside_council = raw.index("council") + 3
    inside_extend = raw.index("tend") + 2
    start, end, text = words.snapped(inside_council, inside_extend)
    assert raw[start:end] == "council voted to ex-\ntend"
    assert text == "council voted to extend"


def test_a_stretch_of_only_whitespace_covers_no_word(vote):
    words, raw = vote
    gap = raw.index(" council")
    assert words.snapped(gap, gap + 1) is None
