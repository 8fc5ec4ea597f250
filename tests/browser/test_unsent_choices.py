"""Nothing an annotator chose is lost: a session that ends mid-passage (cookies cleared, password
reset by an admin, someone else signing in on the same browser), a reload, a closed tab. The
choices are kept in the browser until the server acknowledges them, and the advertised way back
(sign in again, in another tab or this one, then Enter) stores them."""

import pytest
import sqlalchemy as sa

from annotator.annotations.models import Annotation
from annotator.extensions import db
from annotator.users.models import User
from annotator.users.services import reset_password
from tests.browser.test_annotation_journeys import labels_of, press, project, shown_passage  # noqa: F401
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
NOTE = "checked against the council minutes"
EVENT_NEUTRAL_VERIFIABLE = {"claim_type": "event", "stance": "neutral", "verifiability": "verifiable"}


def choose_event_with_note(page):
    press(page, "3", "n", "v", "!", "/")
    page.keyboard.type(NOTE)
    press(page, "Escape")


def stored(username):
    user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
    db.session.expire_all()
    return db.session.execute(
        sa.select(Annotation.passage_id, Annotation.labels, Annotation.note, Annotation.unsure).where(
            Annotation.user_id == user_id
        )
    ).all()


def status_of(page):
    status = page.locator("#status")
    status.wait_for(state="visible")
    return status.inner_text()


def sign_in(page, username="ada", password=PASSWORD):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click(".login button[type=submit]")


def sign_in_in_another_tab(page, username="ada", address="/auth/login", landing="**/"):
    """Sign in in a new tab of the same browser (so: a new session for the page's cookies too)."""
    other_tab = page.context.new_page()
    other_tab.goto(address)
    sign_in(other_tab, username)
    other_tab.wait_for_url(landing)
    other_tab.close()


def wait_for_next_passage(page, passage_id):
    page.wait_for_function("before => document.querySelector('#workspace').dataset.passageId != before", arg=passage_id)


def expect_choices_on_screen(page):
    assert page.locator("input[value=event]").is_checked() and page.locator("input[value=neutral]").is_checked()
    assert page.locator("input[value=verifiable]").is_checked() and page.locator("input[name=unsure]").is_checked()
    assert page.locator("textarea[name=note]").input_value() == NOTE


def test_cookies_cleared_then_signing_in_in_another_tab_and_enter_stores_the_choices(open_browser, project):
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    first = shown_passage(page)
    choose_event_with_note(page)
    page.context.clear_cookies()
    press(page, "Enter")
    message = status_of(page)
    assert "signed out" in message and "press Enter" in message
    assert page.locator("#status a[target=_blank]").count() == 1
    expect_choices_on_screen(page)
    assert stored("ada") == []

    sign_in_in_another_tab(
        page, address=page.locator("#status a[target=_blank]").get_attribute("href"), landing="**/annotate"
    )
    page.bring_to_front()
    press(page, "Enter")
    wait_for_next_passage(page, first)
    assert stored("ada") == [(first, EVENT_NEUTRAL_VERIFIABLE, NOTE, True)]


def test_a_password_reset_then_signing_in_again_in_the_same_tab_keeps_and_stores_the_choices(open_browser, project):
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    first = shown_passage(page)
    choose_event_with_note(page)
    ada = db.session.scalar(sa.select(User).where(User.username == "ada"))
    reset_password(db.session, ada, "a brand new password")  # what the admin's accounts page does
    db.session.commit()
    press(page, "Enter")
    assert "signed out" in status_of(page)
    assert stored("ada") == []

    page.locator("#status a:not([target])").click()  # sign in here
    sign_in(page, password="a brand new password")
    page.wait_for_url("**/annotate")
    assert shown_passage(page) == first  # still held for her
    expect_choices_on_screen(page)
    assert "unsent choices" in page.locator("#notice").inner_text()
    press(page, "Enter")
    wait_for_next_passage(page, first)
    assert stored("ada") == [(first, EVENT_NEUTRAL_VERIFIABLE, NOTE, True)]

    page.reload()  # acknowledged: nothing comes back for the next passage
    assert page.locator("input[type=radio]:checked").count() == 0
    assert page.locator("#notice").is_hidden()


def test_signing_in_again_elsewhere_renews_the_page_and_enter_sends_at_once(open_browser, project):
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    first = shown_passage(page)
    choose_event_with_note(page)
    sign_in_in_another_tab(page)  # a new session in the same browser: the page's token is stale
    press(page, "Enter")
    wait_for_next_passage(page, first)
    assert page.locator("#status").is_hidden()
    assert stored("ada") == [(first, EVENT_NEUTRAL_VERIFIABLE, NOTE, True)]


def test_a_reload_or_a_closed_tab_keeps_the_unsent_choices_of_the_passage(open_browser, project):
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    first = shown_passage(page)
    choose_event_with_note(page)
    page.reload()
    assert shown_passage(page) == first
    expect_choices_on_screen(page)
    assert page.locator("fieldset[data-field=stance]").is_visible()  # the conditional fields follow

    context = page.context
    page.close()
    page = context.new_page()
    page.goto(f"/projects/{project.id}/annotate")
    expect_choices_on_screen(page)
    press(page, "Enter")
    wait_for_next_passage(page, first)
    assert stored("ada") == [(first, EVENT_NEUTRAL_VERIFIABLE, NOTE, True)]


def test_another_user_signed_in_on_the_same_browser_never_gets_the_page_s_choices(open_browser, project):
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    choose_event_with_note(page)
    sign_in_in_another_tab(page, "bob")
    press(page, "Enter")
    message = status_of(page)
    assert "signed in as bob" in message
    page.wait_for_timeout(300)
    assert stored("ada") == [] and stored("bob") == []
    expect_choices_on_screen(page)
