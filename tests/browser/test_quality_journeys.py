"""Quality control in real Chromium: an annotator fails then passes onboarding with feedback; a
spammer is paused by the gold checks and an admin resumes them; a reviewer promotes a decided
passage to gold."""

import pytest
import sqlalchemy as sa

from annotator.extensions import db
from annotator.quality.gold import add_imported_gold
from annotator.quality.models import GoldPassage, QualityEvent
from annotator.quality.settings import QualitySettings, set_quality_settings
from tests.browser.test_annotation_journeys import press, shown_passage, submit_and_wait

pytestmark = pytest.mark.browser

CLAIM = {"claim_type": "opinion", "stance": "against", "verifiability": "unverifiable"}
RIGHT_KEYS, WRONG_KEYS = ("1", "a", "x"), ("0",)  # opinion, against, unverifiable / no claim
GUIDELINES = "# Guidelines\n\n## Against\nThe passage opposes the target: count it against.\n"


@pytest.fixture
def project(runner, make_project, make_documents, make_user):
    """20 passages; the last four are gold (the answer CLAIM)."""
    project = make_project("Bike lanes", target="Cities should build protected bike lanes", guidelines=GUIDELINES)
    project.passages = make_documents(project, count=2, paragraphs=10)
    project.gold = project.passages[-4:]
    for name, role in (("ada", "annotator"), ("spam", "annotator"), ("rev", "reviewer")):
        make_user(name, role)
        runner.invoke(args=["add-member", "Bike lanes", name, "--role", role])
    make_user("root", "admin")
    return project


def with_gold(project, onboarding: int, **settings):
    set_quality_settings(db.session, project, QualitySettings(**settings))
    for number, passage in enumerate(project.gold):
        add_imported_gold(
            db.session, project, passage.id, CLAIM, f"Why {number}: it argues against", number < onboarding
        )
    db.session.commit()


def answer_onboarding(page, keys):
    press(page, *keys, "Enter")
    page.locator(".onboarding-feedback").wait_for()
    return page.inner_text(".onboarding-feedback")


def test_an_annotator_fails_then_passes_onboarding_with_feedback(open_browser, project):
    with_gold(project, onboarding=2, onboarding_required=True, onboarding_attempts=2)
    ada = open_browser("ada")
    ada.goto(f"/projects/{project.id}/annotate")
    assert "Onboarding, attempt 1 of 2: passage 1 of 2" in ada.inner_text(".onboarding-banner")
    assert shown_passage(ada) == project.gold[0].id

    feedback = answer_onboarding(ada, WRONG_KEYS)
    assert "Not quite" in feedback and "Why 0: it argues against" in feedback
    assert "No claim" in feedback and "Opinion" in feedback and "count it against" in feedback
    press(ada, "n")
    ada.locator(".onboarding-banner").wait_for()
    feedback = answer_onboarding(ada, WRONG_KEYS)
    assert "Not passed yet: you have 1 more attempt" in feedback

    press(ada, "n")  # the second attempt
    ada.wait_for_function("() => document.querySelector('.onboarding-banner')?.textContent.includes('attempt 2')")
    assert "Right" in answer_onboarding(ada, RIGHT_KEYS)
    press(ada, "n")
    ada.locator(".onboarding-banner").wait_for()
    assert "You passed: real passages come next" in answer_onboarding(ada, RIGHT_KEYS)
    press(ada, "n")
    ada.wait_for_function("() => document.querySelector('#workspace').dataset.passageId")
    assert shown_passage(ada) not in {gold.id for gold in project.gold}
    assert ada.locator(".onboarding-banner").count() == 0


def test_a_spammer_is_paused_and_an_admin_resumes_them(open_browser, project):
    with_gold(project, onboarding=0, gold_every=2, pause_below=0.6, pause_after_gold=2)
    spam = open_browser("spam")
    spam.goto(f"/projects/{project.id}/annotate")
    for _ in range(3):  # real, gold, real: after the fourth answer (gold, the second wrong) they are paused
        submit_and_wait(spam, *WRONG_KEYS)
    press(spam, *WRONG_KEYS, "Enter")
    spam.locator(".paused").wait_for()
    assert "You are paused in this project" in spam.inner_text("#workspace")

    admin = open_browser("root")
    admin.goto(f"/projects/{project.id}")
    row = admin.locator("tr[data-username=spam]")
    assert "Paused" in row.inner_text() and "0%" in row.inner_text()
    row.get_by_role("button", name="Resume spam").click()
    admin.wait_for_url(lambda url: url.endswith("#gold-checks"))
    assert "Resumed" in admin.inner_text("body") and "Active" in admin.locator("tr[data-username=spam]").inner_text()
    assert [e.kind for e in db.session.scalars(sa.select(QualityEvent).order_by(QualityEvent.id))] == [
        "paused",
        "resumed",
    ]

    spam.goto(f"/projects/{project.id}/annotate")
    assert spam.locator("#label-form").count() == 1 and shown_passage(spam)


def test_a_reviewer_promotes_a_decided_passage_to_gold(open_browser, project):
    from annotator.review.adjudicating import adjudicate
    from annotator.users.models import User

    reviewer_account = db.session.scalar(sa.select(User).where(User.username == "rev"))
    adjudicate(db.session, project, project.passages[0].id, reviewer_account, CLAIM)
    db.session.commit()
    rev = open_browser("rev")
    rev.goto(f"/projects/{project.id}/review/{project.passages[0].id}")
    promotion = rev.locator(".gold-promotion")
    promotion.locator("textarea[name=explanation]").fill("It says the lanes <waste> money")
    promotion.locator("input[name=onboarding]").check()
    promotion.get_by_role("button", name="Promote to gold").click()
    rev.locator(".gold-promotion .notice").wait_for()
    assert "This passage is gold, in the onboarding set" in rev.inner_text(".gold-promotion")
    assert rev.locator(".gold-promotion textarea").input_value() == "It says the lanes <waste> money"
    gold = db.session.scalar(sa.select(GoldPassage))
    assert gold.labels == CLAIM and gold.onboarding and gold.explanation == "It says the lanes <waste> money"
