"""Titles of documents that come without one, as the document list shows them: the first real
line of text, not the menu, slide names, running header or address block above it."""

import pytest

from annotator.splitting.titles import MAX_TITLE, document_title
from tests.conftest import FIXTURES

TITLES = FIXTURES / "titles"
SPLITTING = FIXTURES / "splitting"
LETTER_LEAD = (
    "I was disappointed to read your report on the Mill Street bike lane trial, which quoted only "
    "the shop owners who oppose it."
)


NOISY_DOCUMENTS = [
    (TITLES / "web_dump_menus_first.txt", "Bus fares in Harbourton to rise by 8 percent in April"),
    (TITLES / "web_dump_one_line_menus.txt", "Harbour seals return to the old docks"),
    (SPLITTING / "blog_listing.txt", "Council approves harbour bridge"),
    (TITLES / "pdf_newsletter_page_headers.txt", "Ferry operators to raise fares for the third time in two years"),
    (TITLES / "letter_with_subject.txt", "Protected bike lane on Northfield Road"),
    (TITLES / "letter_to_the_editor.txt", LETTER_LEAD),
    (TITLES / "markdown_heading.md", "Harbour bridge: the council's case"),
]


@pytest.mark.parametrize("path, title", NOISY_DOCUMENTS, ids=[path.name for path, _ in NOISY_DOCUMENTS])
def test_the_title_is_the_first_real_line_past_the_noise(path, title):
    assert document_title(path.read_text(encoding="utf-8")) == title


def test_a_paragraph_that_comes_first_gives_its_first_sentence():
    raw = (SPLITTING / "pdf_newsletter.txt").read_text(encoding="utf-8")
    assert document_title(raw) == (
        "Attitudes are shifting over the future of the harbour, with the new Ambassador "
        "to the port authority introducing a new approach."
    )


def test_captions_tags_and_salutations_are_passed_over():
    raw = (
        "Harbour seals on the slipway.\n\nWildlife\n\nDear Friends of the Harbour\n\n"
        "The first seals in forty years were counted on the old docks last week. Volunteers counted 14.\n"
    )
    assert document_title(raw) == "The first seals in forty years were counted on the old docks last week."


def test_a_long_first_sentence_is_cut_at_a_word_with_an_ellipsis():
    sentence = "The council " + "and the harbour board " * 20 + "agreed."
    title = document_title(f"  • Home\n  • News\n  • Contact\n\n{sentence}\n")
    cut = title.removesuffix("…")
    assert len(title) <= MAX_TITLE and cut != title
    assert sentence.startswith(cut) and sentence[len(cut)] == " "  # at a word boundary
