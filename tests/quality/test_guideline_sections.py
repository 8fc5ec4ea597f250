"""Feedback quotes the guideline sections that speak to the right answer."""

from annotator.quality.guideline_sections import answer_terms, matching_sections

GUIDELINES = """Intro text.

## Stance

### Against
Opposes the target.

### Favor
Supports it.

## Claims
A claim is checkable.
"""


def test_the_sections_named_by_the_answers_values_are_found_and_no_other():
    found = matching_sections(GUIDELINES, answer_terms({"stance": "against"}))
    assert found[0].startswith("## Stance") and "### Against\nOpposes the target." in found
    assert not any("Supports it" in text and text.startswith("### Favor") for text in found)


def test_nothing_matches_an_answer_the_guidelines_do_not_name():
    assert matching_sections(GUIDELINES, ["unrelated"]) == []
    assert matching_sections("", ["stance"]) == []
