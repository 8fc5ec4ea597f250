"""A project made from a template, annotated in real Chromium: the CheckThat! questions about a
claim appear only once the annotator says there is one, and the keys answer the questions in
order."""

import pytest

from annotator.projects.templates import template_named
from tests.browser.test_annotation_journeys import labels_of, press, shown_passage, submit_and_wait

pytestmark = pytest.mark.browser


def test_an_annotator_answers_checkthat_by_keyboard_and_no_claim_skips_the_claim_questions(
    open_browser, make_project, make_documents, make_user, add_member
):
    template = template_named("checkthat")
    project = make_project("Tweets", schema=template.schema(), guidelines=template.guidelines(), overlap_k=1)
    passages = make_documents(project, count=1, paragraphs=3)
    make_user("ada")
    add_member(project, "ada")
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    claim_questions = page.locator("fieldset[data-field=false_information]")
    assert shown_passage(page) == passages[0].id and not claim_questions.is_visible()

    press(page, "y")
    assert claim_questions.is_visible()
    submit_and_wait(page, "1", "4", "3", "4", "1", "1")  # Q2 to Q5 in order (3 is "not sure" on Q4), then Q6, Q7
    press(page, "n")
    assert not claim_questions.is_visible()
    submit_and_wait(page, "2", "2")  # Q6 and Q7 straight after Q1

    assert labels_of("ada") == {
        passages[0].id: {
            "verifiable_claim": "yes",
            "false_information": "no_definitely",
            "public_interest": "yes_probably",
            "harmful": "not_sure",
            "check_worthiness": "very_urgent",
            "harm_type": "not_harmful",
            "attention_worthy": "not_interesting",
        },
        passages[1].id: {"verifiable_claim": "no", "harm_type": "joke_or_sarcasm", "attention_worthy": "not_sure"},
    }
