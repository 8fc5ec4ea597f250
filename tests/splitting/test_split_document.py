"""The splitter on small documents that each carry one kind of real-world noise."""

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.splitting import split_document
from tests.conftest import FIXTURES

SPLITTING = FIXTURES / "splitting"


def summary(passages):
    return [(p.text, p.excluded_reason, p.duplicate_of) for p in passages]


def squash(text: str) -> str:
    """What must survive from source span to passage text: everything but whitespace,
    invisible characters and hyphens (line-break hyphens are removed when words rejoin)."""
    return re.sub(r"[\s\u00ad\u200b\u2060\ufeff\-\u2010]", "", unicodedata.normalize("NFC", text))


def assert_spans_hold_texts(raw, passages):
    previous_end = 0
    for passage in passages:
        assert previous_end <= passage.start < passage.end <= len(raw)
        assert squash(passage.text) == squash(raw[passage.start : passage.end]), passage
        previous_end = passage.end


def test_blog_listing_keeps_articles_and_flags_page_furniture():
    raw = (SPLITTING / "blog_listing.txt").read_text(encoding="utf-8")
    passages = split_document(raw)
    assert summary(passages) == [
        ("Harbour Watch • Home • News • Local • World • About Us • Contact", "boilerplate", None),
        ("Council approves harbour bridge", "heading", None),
        ("The city council approved the new harbour bridge on Monday by a vote of 9 to 4.", None, None),
        ("Construction will cost 48 million euros and start in spring, the mayor said.", None, None),
        ("March 3, 2025 0 comments FacebookTwitterPinterestEmail Transport", "boilerplate", None),
        ("Ferry fares rise again", "heading", None),
        ("Ferry operators raised fares by 12 percent, the third rise in two years.", None, None),
        ("March 2, 2025 0 comments FacebookTwitterPinterestEmail Newer Posts Older Posts", "boilerplate", None),
        ("Recent Posts", "boilerplate", None),
        ("• Council approves harbour bridge", "boilerplate", 1),
        ("March 3, 2025 • Ferry fares rise again", "boilerplate", None),
        ("March 2, 2025 • Facebook • Twitter", "boilerplate", None),
        ("© 2025 Harbour Watch. All Rights Reserved.", "boilerplate", None),
        ("Back To Top", "boilerplate", None),
    ]
    assert_spans_hold_texts(raw, passages)


def test_pdf_newsletter_rejoins_wrapped_lines_hyphen_breaks_and_page_breaks():
    raw = (SPLITTING / "pdf_newsletter.txt").read_text(encoding="utf-8")
    passages = split_document(raw)
    assert summary(passages) == [
        (
            "Attitudes are shifting over the future of the harbour, with the new Ambassador to the port "
            "authority introducing a new approach. But the July 4 article also highlights the danger that "
            "various groups still try to profit from the closure.",
            None,
            None,
        ),
        (
            'The council spokesperson said the deal would bring "jobs, not promises" to the Iranian-American '
            "community in the eastern district, and that the pro-democracy groups had been consulted.",
            None,
            None,
        ),
        (
            "Members of the board have urged us to speak out, because the plan would cost billions of dollars "
            "over the next ten years and leave the old docks empty.",
            None,
            None,
        ),
        ("Page 2", "boilerplate", None),
        ("The port authority has received a total of 240 complaints since January, mostly about noise.", None, None),
        (
            "Residents asked for a curfew on loading after ten, and the authority promised an answer before "
            "the summer.",
            None,
            None,
        ),
        (
            "... the plan would cost billions of dollars over the next ten years and leave the old docks empty ...",
            "duplicate",
            2,
        ),
    ]
    assert_spans_hold_texts(raw, passages)


@pytest.mark.parametrize("name", ["blog_listing.txt", "pdf_newsletter.txt"])
def test_windows_line_endings_give_the_same_passages(name):
    raw = (SPLITTING / name).read_text(encoding="utf-8")
    crlf = raw.replace("\n", "\r\n")
    assert summary(split_document(crlf)) == summary(split_document(raw))
    assert_spans_hold_texts(crlf, split_document(crlf))


def test_offsets_point_at_the_source_span():
    raw = "Intro line.\n\nThe mayor   said\nthat fares rise.\n"
    second = split_document(raw)[1]
    assert raw[second.start : second.end] == "The mayor   said\nthat fares rise."
    assert second.text == "The mayor said that fares rise."


def test_soft_hyphens_and_no_break_spaces_from_html_do_not_survive():
    raw = "The Ambas\u00adsador said\u00a0that prices rose by 4\u00a0percent.\n\nA second para\u00ad\ngraph here."
    passages = split_document(raw)
    assert [p.text for p in passages] == [
        "The Ambassador said that prices rose by 4 percent.",
        "A second paragraph here.",
    ]
    assert_spans_hold_texts(raw, passages)


def test_compounds_keep_their_hyphen_while_broken_words_are_rejoined():
    raw = (
        "Shoppers in the self-\ndefense class and well-\nknown traders said re-\nceipts rose in Paki-\nstan and anti-\n"
        "Americanism fell.\n"
    )
    assert split_document(raw)[0].text == (
        "Shoppers in the self-defense class and well-known traders said receipts rose in Pakistan "
        "and anti-Americanism fell."
    )


def test_a_dash_at_the_end_of_a_line_is_not_a_hyphen_break():
    raw = "The vote was close --\nand the mayor conceded -\nthen left the hall.\n"
    assert split_document(raw)[0].text == "The vote was close -- and the mayor conceded - then left the hall."


def test_paragraph_cut_by_a_page_break_inside_a_sentence_is_joined():
    raw = (
        "Human Rights Watch published its report in 2005, which was widely read \n"
        "and quoted by the press, but what have they done \n\n\n"
        "since then? Nobody could say.\n"
    )
    passages = split_document(raw)
    assert [p.text for p in passages] == [
        "Human Rights Watch published its report in 2005, which was widely read and quoted by the press, "
        "but what have they done since then? Nobody could say."
    ]


def test_headings_and_single_line_paragraphs_of_web_text_stay_apart():
    long_line = "The debate over the port has drawn critics and supporters alike, " * 3
    raw = f"{long_line.strip()}\nThe Debate over Delisting\n{long_line.strip()}\n"
    assert [p.text for p in split_document(raw)] == [
        long_line.strip(),
        "The Debate over Delisting",
        long_line.strip(),
    ]


def test_lines_that_each_end_a_sentence_are_paragraphs_even_without_blank_lines():
    lines = [
        "The council met on Monday to discuss the new harbour bridge plans in detail.",
        "Residents complained that the bridge would block the view of the old lighthouse.",
        "The mayor said construction would begin in spring and last about two years.",
        "A final vote on the budget is expected before the end of the month, officials said.",
    ]
    assert [p.text for p in split_document("\n".join(lines))] == lines


def test_wrapped_lines_that_happen_to_end_a_sentence_stay_joined():
    raw = (
        "The port authority has received a total of 240 complaints\n"
        "since January. Most of them concern noise at night, and\n"
        "residents asked for a curfew on loading after ten o'clock.\n"
        "The authority promised an answer before the summer break.\n"
    )
    assert len(split_document(raw)) == 1


def test_an_indented_first_line_starts_a_paragraph():
    raw = (
        "    The first paragraph starts here and runs on over\n"
        "several lines until it comes to its very end here.\n"
        "    The second paragraph begins with an indent and\n"
        "continues on this line until it is done as well.\n"
    )
    assert [p.text for p in split_document(raw)] == [
        "The first paragraph starts here and runs on over several lines until it comes to its very end here.",
        "The second paragraph begins with an indent and continues on this line until it is done as well.",
    ]


def test_bylines_with_dates_and_comment_counts_are_headings():
    raw = "The shop has been here for nineteen years.\n\nPosted by Mill Street Hardware | 9 March 2026 | 14 comments\n"
    assert [p.excluded_reason for p in split_document(raw)] == [None, "heading"]


def test_bare_page_numbers_are_boilerplate():
    raw = "End of the first page of the report.\n\n- 12 -\n\n13\n\nStart of the next page of the report.\n"
    assert [(p.text, p.excluded_reason) for p in split_document(raw)] == [
        ("End of the first page of the report.", None),
        ("- 12 -", "boilerplate"),
        ("13", "boilerplate"),
        ("Start of the next page of the report.", None),
    ]


def test_breadcrumbs_file_names_cookie_notices_and_running_headers_are_boilerplate_and_bylines_headings():
    furniture = [
        "Home > News > Transport",
        "News | Sport | Weather | Opinion",
        "slide1.jpg",
        "We use cookies to give you the best experience on our website. By continuing to browse, "
        "you agree to our use of cookies and to our privacy policy.",
        "Accept all cookies",
        "Harbour News · Issue 14 · Page 3",
        "HARBOURTON TRANSPORT FORUM NEWSLETTER | Spring 2026",
    ]
    article = [
        "Ferry fares rose by 12 percent in March, the third rise in two years.",
        "By 2030 the harbour will carry twice as many ferries as it does today.",
        "By the end of the year, the operator said, fares would be frozen.",
    ]
    bylines = ["By Jane Smith, Transport Correspondent", "BY TOM LEE | 01/12/15 10:09 AM"]
    not_a_header = "Mill Street | 23 | 4"  # too short to annotate, but no running header
    passages = split_document("\n\n".join(furniture + bylines + article + [not_a_header]) + "\n")
    assert [(p.text, p.excluded_reason) for p in passages] == (
        [(text, "boilerplate") for text in furniture]
        + [(text, "heading") for text in bylines]
        + [(text, None) for text in article]
        + [(not_a_header, "fragment")]
    )


def test_long_paragraphs_are_cut_at_sentence_boundaries_under_the_limit():
    sentences = [
        f"Sentence number {n} reports that {n * 7} ferries were late in the week of the storm." for n in range(1, 13)
    ]
    raw = " ".join(sentences) + " Yes."
    passages = split_document(raw, max_chars=300)
    assert len(passages) > 1
    assert all(len(p.text) <= 300 for p in passages)
    assert all(p.text.endswith(".") for p in passages)
    assert " ".join(p.text for p in passages) == raw
    assert passages[-1].text.endswith("storm. Yes.")  # the tiny last sentence joined its neighbour
    assert_spans_hold_texts(raw, passages)


def test_a_sentence_longer_than_the_limit_is_cut_at_whitespace():
    raw = "word " * 200
    passages = split_document(raw, max_chars=120)
    assert all(len(p.text) <= 120 for p in passages)
    assert " ".join(p.text for p in passages) == raw.strip()


def test_unicode_is_kept_and_composed():
    persian = "دولت گفت که قیمت‌ها ۱۰ درصد افزایش یافت."
    raw = f"“Caf\u0065\u0301 prices rose,” she said.\n\n{persian}\n"
    passages = split_document(raw)
    assert [p.text for p in passages] == ["“Café prices rose,” she said.", persian]
    assert_spans_hold_texts(raw, passages)


def test_repeats_inside_a_document_point_at_the_first_occurrence():
    raw = (
        "The harbour seals on the slipway.\n\nThe harbour seals on the slipway.\n\n"
        "Body text that is long enough to matter here.\n"
    )
    assert summary(split_document(raw)) == [
        ("The harbour seals on the slipway.", None, None),
        ("The harbour seals on the slipway.", "duplicate", 0),
        ("Body text that is long enough to matter here.", None, None),
    ]


def test_a_pull_quote_before_its_source_points_at_the_source():
    source = "The trial will run for eighteen months, long enough for regular users to change their habits and routes."
    raw = f"“… long enough for regular users to change their habits …”\n\n{source}\n"
    assert summary(split_document(raw)) == [
        ("“… long enough for regular users to change their habits …”", "duplicate", 1),
        (source, None, None),
    ]


def test_a_passage_sharing_only_a_phrase_is_not_a_repeat():
    raw = (
        "The council said the new harbour bridge will open in spring next year.\n\n"
        "Critics said the new harbour bridge will cost far more than the council admits today.\n"
    )
    assert [p.excluded_reason for p in split_document(raw)] == [None, None]


def test_empty_and_blank_documents_have_no_passages():
    assert split_document("") == []
    assert split_document(" \n\r\n\t\n") == []


_PIECES = st.sampled_from(
    [
        "word",
        "Word",
        "claim",
        "bil-",
        "lions",
        "pro-",
        "Iranian-",
        "American",
        ".",
        ",",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r\n",
        "\u00ad",
        "\u00a0",
        "• ",
        "  - ",
        "... ",
        "“",
        "”",
        "é",
        "e\u0301",
        "۱۰",
        "قیمت",
        "\f",
        "March 3, 2025 0 comments",
        "FacebookTwitter",
        "©",
        "Back To Top",
        "1. ",
        "Page 2",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=120), st.integers(min_value=20, max_value=400))
def test_every_passage_text_is_its_span_and_no_letter_is_lost(pieces, max_chars):
    raw = "".join(pieces)
    passages = split_document(raw, max_chars=max_chars)
    assert_spans_hold_texts(raw, passages)
    covered = set()
    for passage in passages:
        covered.update(range(passage.start, passage.end))
    assert all(position in covered for position, char in enumerate(raw) if char.isalpha())
    assert [p.index for p in passages] == list(range(len(passages)))
    for passage in passages:
        assert (passage.excluded_reason is None) == passage.annotatable
        assert passage.duplicate_of is None or passage.duplicate_of != passage.index


@pytest.mark.parametrize("claim", ["Taxes rose 5%.", "Vaccines cause autism", "Obama: I never said that"])
def test_a_document_that_is_one_short_claim_is_annotated_not_left_out_as_a_scrap(claim):
    assert summary(split_document(f"\n{claim}\n")) == [(claim, None, None)]


def test_the_same_short_lines_beside_other_text_are_still_headings_and_fragments():
    study = "A study of 650,000 children found no link between the vaccine and autism."
    raw = f"Vaccines cause autism\n\n{study}\n\nTaxes rose 5%.\n"
    assert [(p.text, p.excluded_reason) for p in split_document(raw)] == [
        ("Vaccines cause autism", "heading"),
        (study, None),
        ("Taxes rose 5%.", "fragment"),
    ]


@pytest.mark.parametrize("furniture", ["Read more", "Share this"])
def test_page_furniture_on_its_own_is_still_boilerplate(furniture):
    assert summary(split_document(furniture)) == [(furniture, "boilerplate", None)]
