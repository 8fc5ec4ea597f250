"""Discussion and feedback from review in real Chromium: a reviewer decides a disputed passage
with a disagreement category and discusses it (comment, resolve, reopen from the data manager);
an annotator sees the decision on a passage of theirs once it is complete, never before, and
joins its discussion."""

import pytest
import sqlalchemy as sa

from annotator.annotations.adjudications import Adjudication
from annotator.discussion.models import DiscussionEntry
from annotator.extensions import db
from annotator.review.adjudicating import adjudicate
from annotator.users.models import User
from tests.browser.test_annotation_journeys import press, shown_passage, submit_and_wait
from tests.discussion.conftest import discussed  # noqa: F401  (ada and bob disagree on a complete passage)

pytestmark = pytest.mark.browser

HOSTILE = 'Is a plan an event? <img src=x onerror="alert(1)">'


def test_a_reviewer_decides_with_a_category_and_discusses_the_passage(open_browser, discussed, screenshot_to):
    rev = open_browser("rev")
    rev.goto(f"/projects/{discussed.id}/review/{discussed.complete}")
    press(rev, rev.locator("button[data-take-answer]").first.get_attribute("data-key"))  # ada's answer
    category = rev.locator("select[name=category]")
    press(rev, category.get_attribute("data-key"))  # the key shown beside it takes her there
    assert rev.evaluate("() => document.activeElement.name") == "category"
    category.select_option("guidelines_gap")
    press(rev, "Escape", "Enter")
    rev.wait_for_url(lambda url: f"decided={discussed.complete}" in url)
    assert db.session.scalar(sa.select(Adjudication.category)) == "guidelines_gap"

    rev.goto(f"/projects/{discussed.id}/review/{discussed.complete}")
    thread = rev.locator("#discussion")
    thread.locator("textarea[name=body]").fill(HOSTILE)
    thread.get_by_role("button", name="Add comment").click()
    comment = rev.locator("#discussion .thread-entry.comment .comment-body")
    comment.wait_for()
    assert comment.inner_text() == HOSTILE and rev.locator("#discussion img").count() == 0  # text, not markup
    elsewhere = open_browser("rev")  # the same reviewer in another window, before the resolve
    elsewhere.goto(f"/projects/{discussed.id}/review/{discussed.complete}")
    rev.locator("#discussion").get_by_role("button", name="Resolve the discussion").click()
    resolved = rev.locator("[data-testid=resolved-by]")
    resolved.wait_for()
    assert resolved.inner_text().startswith("Resolved by rev on ")
    elsewhere.get_by_role("button", name="Resolve the discussion").click()  # resolved meanwhile: says so
    elsewhere.locator("#discussion .error").wait_for()
    assert "the discussion is already resolved" in elsewhere.locator("#discussion .error").inner_text()
    assert elsewhere.locator("#discussion .thread-state.resolved").count() == 1
    screenshot_to(rev, "discussion.png")

    rev.goto(f"/projects/{discussed.id}/agreement")
    assert rev.locator("tr[data-category=guidelines_gap] td").inner_text() == "1"
    rev.goto(f"/projects/{discussed.id}/passages")
    rev.locator(f"li[data-passage-id='{discussed.complete}']").get_by_role("link", name="Discussion").click()
    rev.locator("#discussion .thread-state.resolved").wait_for()
    assert HOSTILE in rev.locator("#discussion").inner_text()
    rev.get_by_role("button", name="Reopen the discussion").click()
    rev.locator("#discussion .thread-state.open").wait_for()
    kinds = db.session.scalars(sa.select(DiscussionEntry.kind).order_by(DiscussionEntry.id)).all()
    assert kinds == ["comment", "resolve", "reopen"]


@pytest.fixture
def fresh(make_project, make_documents, make_user, add_member):
    """Two passages nobody has labelled yet (k = 2); ada and bob annotate, rev reviews."""
    project = make_project("Fares", target="Bus fares should be frozen", overlap_k=2)
    project.passages = make_documents(project, count=1, paragraphs=2)
    for name, role in (("ada", "annotator"), ("bob", "annotator"), ("rev", "reviewer")):
        make_user(name, role)
        add_member(project, name, role)
    return project


def test_an_annotator_sees_a_decision_on_a_completed_passage_and_discusses_it(open_browser, fresh, screenshot_to):
    first = fresh.passages[0].id
    ada = open_browser("ada")
    ada.goto(f"/projects/{fresh.id}/annotate")
    assert shown_passage(ada) == first
    submit_and_wait(ada, "3", "f", "v")  # event, in favour, verifiable
    rev = db.session.scalar(sa.select(User).where(User.username == "rev"))
    decision = {"claim_type": "quantity", "stance": "favor", "verifiability": "verifiable"}
    adjudicate(db.session, fresh, first, rev, decision, "It gives a figure", category="annotator_error")
    db.session.commit()

    ada.get_by_role("link", name="Decisions on your passages").click()
    count = ada.locator("[data-testid=feedback-count]")
    assert count.inner_text().startswith("No decision on a passage you labelled differs")  # not complete yet

    bob = open_browser("bob")
    bob.goto(f"/projects/{fresh.id}/annotate")
    assert shown_passage(bob) == first
    submit_and_wait(bob, "1", "n", "x")  # the passage is complete now

    ada.reload()
    assert count.inner_text().startswith("A reviewer decided 1 passage you labelled differently")
    entry = ada.locator(f"li.feedback-entry[data-passage-id='{first}']")
    text = entry.inner_text()
    assert "you said Event" in text and "the decision is Quantity" in text and "It gives a figure" in text
    assert "Annotator error" in text and "Opinion" not in text and "Neutral" not in text  # never bob's answer
    screenshot_to(ada, "feedback.png")
    entry.get_by_role("link", name="Discuss it").click()
    ada.locator("[data-testid=decision]").wait_for()
    assert "Where your answer differs" in ada.locator("[data-testid=decision]").inner_text()
    ada.locator("#discussion textarea[name=body]").fill("I took the plan for an event: thanks")
    ada.get_by_role("button", name="Add comment").click()
    ada.locator("#discussion .thread-entry.comment").wait_for()
    assert "ada" in ada.locator("#discussion .thread-entry.comment").inner_text()
    assert ada.get_by_role("button", name="Resolve the discussion").count() == 0  # reviewers resolve
    assert ada.goto(f"/projects/{fresh.id}/passages/{fresh.passages[1].id}/discussion").status == 403
