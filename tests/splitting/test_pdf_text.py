"""PDF text: paragraphs separated by a single line break, hard wraps, hyphen breaks in words of
every case, and long sentences cut only where a reader would pause."""

import re

import pytest

from annotator.splitting import split_document
from tests.splitting.test_split_document import assert_spans_hold_texts

TIGHT_PDF = (
    "The council approved the new harbour bridge on Monday by a\n"
    "vote of nine to four after a long debate in the town hall.\n"
    "It was close.\n"
    "Construction will cost 48 million euros and start in the\n"
    "spring, the mayor told reporters after the vote, and the\n"
    "first ferries go a year later.\n"
    "Critics said the bridge would block the view of the old\n"
    "lighthouse and called for a referendum on it.\n"
)


def texts(raw: str, **options) -> list[str]:
    passages = split_document(raw, **options)
    assert_spans_hold_texts(raw, passages)
    return [p.text for p in passages]


def test_paragraphs_separated_by_a_single_line_break_end_at_their_short_last_line():
    assert texts(TIGHT_PDF) == [
        "The council approved the new harbour bridge on Monday by a vote of nine to four after a long debate "
        "in the town hall. It was close.",
        "Construction will cost 48 million euros and start in the spring, the mayor told reporters after the "
        "vote, and the first ferries go a year later.",
        "Critics said the bridge would block the view of the old lighthouse and called for a referendum on it.",
    ]


def test_windows_line_endings_soft_hyphens_and_no_break_spaces_change_nothing():
    messy = TIGHT_PDF.replace("48 million", "48\u00a0million").replace("reporters", "re\u00adporters")
    assert texts(messy.replace("\n", "\r\n")) == texts(TIGHT_PDF)


def test_a_heading_glued_above_a_paragraph_of_pdf_text_stands_apart():
    raw = "Council Approves Bridge\n" + TIGHT_PDF
    passages = split_document(raw)
    assert (passages[0].text, passages[0].excluded_reason) == ("Council Approves Bridge", "heading")
    assert passages[1].text.startswith("The council approved")


def test_a_sentence_going_on_after_a_blank_line_below_a_full_line_is_joined():
    raw = (
        "Support for the group grew after the first Gulf War, when it\n"
        "helped put down the uprisings in the south of the country\n"
        "and in the north right after the war ended. The fact that\n"
        "\n"
        "MEK revealed some information about the programme angered many.\n"
    )
    assert len(texts(raw)) == 1


def test_a_dash_opening_a_line_inside_a_sentence_is_no_list_marker():
    raw = (
        "The Iranian people will not forgive or forget this decision and the\n"
        "harm it does to the movement for democracy in the country -\n"
        "- particularly given the history of foreign interference there.\n"
    )
    assert len(texts(raw)) == 1


def test_a_year_ending_a_sentence_on_its_own_line_is_no_page_number():
    raw = "Sylvia Robinson, the founder of the label that released the song, died in\n2011.\n"
    passages = split_document(raw)
    assert [p.excluded_reason for p in passages] == [None]
    assert passages[0].text.endswith("died in 2011.")


@pytest.mark.parametrize(
    "broken, joined",
    [
        ("ISTAN-\nBUL", "ISTANBUL"),
        ("Istan-\nbul", "Istanbul"),
        ("AI-\nPAC", "AIPAC"),
        ("MOVE-\nMent", "MOVEMENT"),
        ("Paki-\nstan", "Pakistan"),
        ("ambassa-\ndor", "ambassador"),
        ("Iranian-\nAmerican", "Iranian-American"),
        ("IRANIAN-\nAMERICAN", "IRANIAN-AMERICAN"),
        ("middle-\nclass", "middle-class"),
        ("co-\nfounder", "co-founder"),
        ("self-\ndefense", "self-defense"),
        ("COVID-\n19", "COVID-19"),
    ],
)
def test_hyphen_breaks_in_words_of_every_case_follow_word_frequency(broken, joined):
    raw = f"The report on the {broken} question was read by everyone in the town hall that evening.\n"
    assert joined in split_document(raw)[0].text.split()


def test_a_long_paragraph_is_cut_only_at_sentence_ends():
    sentences = [
        f"The {n}th ferry of the day left the harbour at {n} o'clock with {n * 7} passengers on board, "
        "most of them commuters."
        for n in range(1, 16)
    ]
    passages = split_document(" ".join(sentences))
    assert len(passages) > 1
    assert all(p.text.endswith("commuters.") for p in passages)


NAMES_SENTENCE = (
    "Support came from Republicans like the former New York mayor Rudy Giuliani and the former Homeland "
    "Security secretary Tom Ridge, from Democrats like the former Vermont governor Howard Dean; and even "
    "the former top counterterrorism official of the State Department Dell Dailey who argued unsuccessfully "
    "for ending the listing as long ago as 2008 when the group was still in Iraq under American protection."
)


def test_a_sentence_longer_than_the_cap_is_cut_at_clause_punctuation():
    passages = split_document(NAMES_SENTENCE, max_chars=300)
    assert [p.text[-1] for p in passages[:-1]] == [";"]
    assert " ".join(p.text for p in passages) == NAMES_SENTENCE


def test_a_sentence_without_clause_punctuation_is_never_cut_inside_a_name():
    sentence = re.sub(r"[,;]", "", NAMES_SENTENCE)
    for cap in range(120, 300, 7):
        passages = split_document(sentence, max_chars=cap)
        for before, after in zip(passages, passages[1:], strict=False):
            assert not (before.text.split()[-1][0].isupper() and after.text[0].isupper()), (cap, before.text)
        assert all(len(p.text) <= cap for p in passages)


def test_a_sentence_end_the_segmenter_missed_is_preferred_to_a_clause():
    sentence = (
        "The council met on Monday, and the mayor spoke for an hour about the bridge, the ferries, the lighthouse "
        "and the docks. " * 2
    ).replace(". The", ".The")
    passages = split_document(sentence, max_chars=150)
    assert passages[0].text.endswith("docks.")


def test_two_lines_whose_last_word_goes_on_after_a_blank_line_are_prose():
    raw = (
        "The overtures by U.S. nemesis Iran come amid tensions between\n"
        "Washington and three governments that have each received bil-\n"
        "\n"
        "lions of dollars in U.S. aid.\n"
    )
    passages = split_document(raw)
    assert [(p.text, p.excluded_reason) for p in passages] == [
        (
            "The overtures by U.S. nemesis Iran come amid tensions between Washington and three governments "
            "that have each received billions of dollars in U.S. aid.",
            None,
        )
    ]
