"""Annotators in real Chromium: the keyboard only, skipping, going back, overlap with a second
annotator, failures that keep the annotator's choices, and what annotators may not see."""

import pytest
import sqlalchemy as sa

from annotator.annotations.models import Annotation, AnnotationEvent, Skip
from annotator.documents.models import Passage
from annotator.extensions import db
from annotator.users.models import User

pytestmark = pytest.mark.browser


@pytest.fixture
def project(runner, make_project, make_user):
    """The demo corpus (a news page with its menus, a letter, a blog post, a PDF newsletter),
    imported through the real importer; k = 2; ada and bob annotate."""
    from annotator.demo import CORPUS

    project = make_project(
        "Bike lanes",
        target="Cities should build protected bike lanes",
        overlap_k=2,
        guidelines="Label **every** passage.\n\n* Pick *no claim* when nothing is asserted.",
    )
    assert runner.invoke(args=["import-docs", "Bike lanes", *map(str, sorted(CORPUS.glob("*.txt")))]).exit_code == 0
    project.passages = list(
        db.session.scalars(sa.select(Passage).where(Passage.annotatable).order_by(Passage.document_id, Passage.index))
    )
    for name in ("ada", "bob"):
        make_user(name)
        runner.invoke(args=["add-member", "Bike lanes", name, "--role", "annotator"])
    return project


def shown_passage(page) -> int:
    return int(page.locator("#workspace").get_attribute("data-passage-id"))


def press(page, *keys):
    page.wait_for_function("() => document.readyState !== 'loading'")  # the keyboard script runs once parsed
    for key in keys:
        page.keyboard.press(key)


def submit_and_wait(page, *keys):
    """Press the keys, then Enter, and wait for the next passage to be swapped in."""
    before = shown_passage(page)
    press(page, *keys, "Enter")
    page.wait_for_function("before => document.querySelector('#workspace').dataset.passageId != before", arg=before)


def labels_of(username):
    user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
    rows = db.session.execute(
        sa.select(Annotation.passage_id, Annotation.labels).where(Annotation.user_id == user_id).order_by(Annotation.id)
    )
    return dict(rows.all())


def test_an_annotator_labels_five_passages_with_the_keyboard_skips_one_and_changes_one(
    open_browser, project, screenshot_to
):
    passages = [p.id for p in project.passages]
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    assert "Cities should build protected bike lanes" in page.locator(".annotate-header").inner_text()
    assert shown_passage(page) == passages[0]

    press(page, "2")  # a quantity claim: stance and verifiability appear
    assert page.locator("fieldset[data-field=stance]").is_visible()
    press(page, "a", "v")
    screenshot_to(page, "annotate.png")
    submit_and_wait(page)
    submit_and_wait(page, "0")  # no claim: nothing else is asked
    press(page, "1")
    page.keyboard.press("0")  # changed her mind: no claim after all; the other fields go away
    assert not page.locator("fieldset[data-field=stance]").is_visible()
    submit_and_wait(page)
    submit_and_wait(page, "4", "f", "p")
    press(page, "1", "n", "x", "!", "/")
    page.keyboard.type("sarcastic? fine: 0 s b g d typed here")  # keys are text while typing
    press(page, "Escape")
    submit_and_wait(page)
    assert page.locator("[data-testid=my-labels]").inner_text() == "5"

    press(page, "s")
    page.keyboard.type("Broken or unreadable text")
    before = shown_passage(page)
    press(page, "Enter")
    page.wait_for_function("before => document.querySelector('#workspace').dataset.passageId != before", arg=before)

    press(page, "b")  # back to the last labelled passage, labels shown as chosen
    page.wait_for_selector("text=changing your earlier labels")
    assert shown_passage(page) == passages[4]
    assert page.locator("input[value=opinion]").is_checked() and page.locator("input[name=unsure]").is_checked()
    assert page.locator("textarea[name=note]").input_value() == "sarcastic? fine: 0 s b g d typed here"
    press(page, "6", "u", "x")  # a prediction now
    submit_and_wait(page)
    assert shown_passage(page) == passages[6]  # back where she was

    assert labels_of("ada") == {
        passages[0]: {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"},
        passages[1]: {"claim_type": "no_claim"},
        passages[2]: {"claim_type": "no_claim"},
        passages[3]: {"claim_type": "causal", "stance": "favor", "verifiability": "partly_verifiable"},
        passages[4]: {"claim_type": "prediction", "stance": "unrelated", "verifiability": "unverifiable"},
    }
    assert db.session.scalar(sa.select(Skip.passage_id)) == passages[5]
    assert db.session.scalar(sa.select(sa.func.count(AnnotationEvent.id)).where(AnnotationEvent.kind == "labels")) == 6

    # the second annotator gets the passages ada started, in reading order, blind to her labels
    other = open_browser("bob")
    other.goto(f"/projects/{project.id}/annotate")
    for expected in passages[:5]:
        assert shown_passage(other) == expected
        assert other.locator("input[type=radio]:checked").count() == 0
        assert "sarcastic" not in other.content()
        submit_and_wait(other, "0")
    assert shown_passage(other) == passages[6]  # held by ada, one place left
    assert len(labels_of("bob")) == 5


def test_guidelines_document_and_keys_are_one_key_away(open_browser, project):
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    press(page, "g")
    dialog = page.locator("#guidelines-dialog")
    assert dialog.is_visible() and dialog.locator("strong").inner_text() == "every"
    press(page, "Escape")
    assert not dialog.is_visible()
    press(page, "d")
    document = page.locator("#document-dialog")
    document.locator(".marked").wait_for()
    assert document.locator(".marked").inner_text() == project.passages[0].text
    in_document = db.session.scalar(
        sa.select(sa.func.count(Passage.id)).where(Passage.document_id == project.passages[0].document_id)
    )
    assert document.locator("p[dir=auto]").count() == in_document  # menus and all, for the record
    press(page, "Escape")
    press(page, "?")
    assert page.locator("#keys-dialog").is_visible()


def test_a_failed_submit_keeps_the_choices_says_so_and_a_retry_stores_one_label(open_browser, project):
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    first = shown_passage(page)
    page.route("**/labels", lambda route: route.abort("connectionrefused"))
    press(page, "3", "n", "v", "Enter")
    status = page.locator("#status")
    status.wait_for(state="visible")
    assert "Not saved" in status.inner_text() and "press Enter to try again" in status.inner_text()
    assert page.locator("input[value=event]").is_checked() and page.locator("input[value=neutral]").is_checked()
    assert labels_of("ada") == {}

    page.unroute("**/labels")
    page.route("**/labels", lambda route: route.fulfill(status=500, body="boom"))
    press(page, "Enter")
    page.wait_for_function("() => document.querySelector('#status').innerText.includes('500')")
    assert page.locator("input[value=event]").is_checked()

    page.unroute("**/labels")
    press(page, "Enter")
    page.wait_for_function("first => document.querySelector('#workspace').dataset.passageId != first", arg=first)
    assert status.is_hidden()
    assert labels_of("ada") == {first: {"claim_type": "event", "stance": "neutral", "verifiability": "verifiable"}}


def test_a_double_submit_stores_one_label(open_browser, project):
    import time

    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    first = shown_passage(page)

    def slowly(route):
        time.sleep(0.5)  # the second Enter arrives while the first submit is on its way
        route.continue_()

    page.route("**/labels", slowly)
    press(page, "0", "Enter", "Enter")
    page.wait_for_function("first => document.querySelector('#workspace').dataset.passageId != first", arg=first)
    page.unroute("**/labels")
    assert labels_of("ada") == {first: {"claim_type": "no_claim"}}
    assert db.session.scalar(sa.select(sa.func.count(AnnotationEvent.id))) == 1
    assert page.locator("[data-testid=my-labels]").inner_text() == "1"


def test_annotators_cannot_open_admin_pages_or_other_annotators_labels(open_browser, project, server_url):
    ada = open_browser("ada")
    ada.goto(f"/projects/{project.id}/annotate")
    first = shown_passage(ada)
    submit_and_wait(ada, "0")
    bob = open_browser("bob")
    for path in ("/admin/users", f"/admin/projects/{project.id}/members"):
        assert bob.goto(path).status == 403
    assert bob.goto(f"/projects/{project.id}/passages/{first}/edit").status == 404
    assert "Accounts" not in bob.goto("/").text()
