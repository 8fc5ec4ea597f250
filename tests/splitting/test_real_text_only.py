"""Only real text is handed out: menus, headline lists, headings, bylines and scraps of the page
are excluded with a reason, decided from the run of lines they stand in, not from a word list."""

from annotator.splitting import split_document
from tests.splitting.test_split_document import assert_spans_hold_texts

FIRST = "The council approved the new harbour bridge on Monday by a vote of nine to four after a long debate."
SECOND = "Construction will cost 48 million euros and start in spring, the mayor told reporters afterwards."


def reasons(raw: str) -> list[tuple[str, str | None]]:
    passages = split_document(raw)
    assert_spans_hold_texts(raw, passages)
    return [(p.text, p.excluded_reason) for p in passages]


def annotatable(raw: str) -> list[str]:
    return [text for text, reason in reasons(raw) if reason is None]


def test_a_menu_of_one_to_three_words_a_line_without_bullets_is_boilerplate():
    # Words no list of menu words would hold: the run of short lines without sentences decides.
    raw = f"Quarterly Ledger\nGardens\nTide Tables\nLetters Home\n\n{FIRST}\n\n{SECOND}\n"
    assert reasons(raw) == [
        ("Quarterly Ledger Gardens Tide Tables Letters Home", "boilerplate"),
        (FIRST, None),
        (SECOND, None),
    ]


def test_menu_entries_between_blank_lines_are_one_menu():
    raw = f"Harbour\n\nMoorings\n\nPilots Guild\n\n{FIRST}\n"
    assert annotatable(raw) == [FIRST]
    assert [reason for _, reason in reasons(raw)[:3]] == ["boilerplate"] * 3


def test_related_headlines_in_title_case_without_bullets_are_boilerplate():
    raw = (
        f"{FIRST}\n\nMayor Says Bridge Will Open Next Year\nFerry Operators Raise Fares Again\n"
        f"Seals Return To The Old Docks After Forty Years\n\n{SECOND}\n"
    )
    assert annotatable(raw) == [FIRST, SECOND]


def test_related_headlines_in_sentence_case_with_bullets_are_boilerplate():
    raw = (
        f"{FIRST}\n\n• Mayor says the bridge will open next year\n• Ferry operators raise their fares again\n"
        f"• Seals return to the old docks after forty years\n"
    )
    assert annotatable(raw) == [FIRST]


def test_a_heading_and_a_byline_above_the_text_are_headings():
    raw = f"Council Approves Harbour Bridge\nBy Jane Smith\n{FIRST}\n{SECOND}\n"
    assert reasons(raw) == [
        ("Council Approves Harbour Bridge", "heading"),
        ("By Jane Smith", "heading"),
        (FIRST, None),
        (SECOND, None),
    ]


def test_a_heading_in_sentence_case_between_paragraphs_is_a_heading():
    raw = f"{FIRST}\n\nWhat the bridge will cost the harbour\n\n{SECOND}\n"
    assert reasons(raw)[1] == ("What the bridge will cost the harbour", "heading")


def test_a_title_cased_question_is_a_heading_but_a_question_in_a_sentence_is_text():
    question = "Would the council have approved the bridge if the ferry operators had objected?"
    raw = f"Why Did The Council Vote For It?\n\n{FIRST}\n\n{question}\n"
    assert reasons(raw) == [("Why Did The Council Vote For It?", "heading"), (FIRST, None), (question, None)]


def test_scraps_of_the_page_are_fragments():
    for scrap in ["Petition by", "PMOI", "Reached 1,234 signatures", "Photo: Jane Smith"]:
        raw = f"{FIRST}\n\n{scrap}\n"
        assert reasons(raw) == [(FIRST, None), (scrap, "fragment")], scrap


def test_a_line_glued_under_a_paragraph_is_no_part_of_it():
    raw = f"{FIRST}\nReached 1,234 signatures\n\n{SECOND}\n"
    assert reasons(raw) == [(FIRST, None), ("Reached 1,234 signatures", "fragment"), (SECOND, None)]


def test_pull_quote_shards_in_capitals_are_not_handed_out():
    raw = f"{FIRST}\n\nTHEY JUST\nWANT POWER.\n\n{SECOND}\n"
    assert annotatable(raw) == [FIRST, SECOND]


def test_a_short_sentence_is_a_fragment_but_not_a_short_paragraph_of_several_lines_of_prose():
    raw = f"{FIRST}\n\nHe denied it.\n\n{SECOND}\n"
    assert reasons(raw)[1] == ("He denied it.", "fragment")


def test_an_address_block_and_a_lead_in_are_not_handed_out():
    raw = (
        "This petition was delivered to:\n\nSecretary of State\nSecretary Hillary Rodham Clinton\n\n"
        "London, United Kingdom\n\n"
        f"{FIRST}\n"
    )
    assert annotatable(raw) == [FIRST]


def test_a_paragraph_without_final_punctuation_is_still_text_when_it_is_long():
    long_line = "The council approved the bridge and the ferry operators agreed to the new timetable " * 2
    raw = f"{long_line.strip()}\n\n{FIRST}\n"
    assert annotatable(raw) == [long_line.strip(), FIRST]


def test_a_pull_quote_in_quotes_before_the_paragraph_it_quotes_is_a_duplicate():
    source = "The engineer said nobody expected the harbour to fill again this quickly, and the council was not ready."
    raw = f"“Nobody expected the harbour to fill again this quickly.”\n\n{FIRST}\n\n{source}\n"
    passages = split_document(raw)
    assert [(p.excluded_reason, p.duplicate_of) for p in passages] == [("duplicate", 2), (None, None), (None, None)]


def test_a_pull_quote_that_repeats_a_paragraph_word_for_word_leaves_the_paragraph_annotatable():
    raw = f"“… {FIRST} …”\n\n{SECOND}\n\n{FIRST}\n"
    passages = split_document(raw)
    assert [(p.excluded_reason, p.duplicate_of) for p in passages] == [("duplicate", 2), (None, None), (None, None)]


def test_a_short_pull_quote_in_capitals_is_found_inside_its_source():
    source = "Nobody on the council said that the bridge would cost more than the ferries, the mayor recalled."
    raw = f"{source}\n\nCOST MORE THAN THE FERRIES\n\n{SECOND}\n"
    assert reasons(raw)[1] == ("COST MORE THAN THE FERRIES", "duplicate")


def test_a_sentence_ending_in_a_footnote_mark_is_text():
    raw = f'{FIRST}\n\nThe last thing they would do would be to make more trouble." [6]\n'
    assert reasons(raw)[1][1] is None


def test_a_sentence_set_ahead_of_the_longer_paragraph_that_holds_it_is_a_duplicate():
    quote = "Nobody expected the harbour to fill again this quickly, the engineer said."
    source = f"The water rose by two metres in a week. {quote} The council was not ready for it."
    raw = f"{quote}\n\n{FIRST}\n\n{source}\n"
    passages = split_document(raw)
    assert [(p.excluded_reason, p.duplicate_of) for p in passages] == [("duplicate", 2), (None, None), (None, None)]
