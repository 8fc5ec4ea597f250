"""An annotator submits, then skips, while the server's database cannot write (its disk full, or
restarting): the screen says so, keeps the choices (on screen and in the browser), sends them
again by itself as the server asks, and they are stored once the database is back, without a key
pressed."""

import pytest
import sqlalchemy as sa

from annotator.annotations.models import Skip
from annotator.extensions import db
from annotator.users.models import User
from tests.browser.test_annotation_journeys import press, project, shown_passage  # noqa: F401
from tests.browser.test_unsent_choices import (
    EVENT_NEUTRAL_VERIFIABLE,
    NOTE,
    choose_event_with_note,
    expect_choices_on_screen,
    status_of,
    stored,
    wait_for_next_passage,
)
from tests.test_database_outage import outage  # noqa: F401

pytestmark = pytest.mark.browser
DRAFTS = "Object.keys(localStorage).filter((key) => key.startsWith('annotator-draft:'))"


def ada_id() -> int:
    return db.session.scalar(sa.select(User.id).where(User.username == "ada"))


def refused_send(response) -> bool:
    return response.status == 503 and response.url.endswith("/labels")


def test_choices_sent_while_the_database_cannot_write_are_sent_again_by_themselves(app, open_browser, project, outage):  # noqa: F811
    app.config["DATABASE_RETRY_AFTER_SECONDS"] = 1
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    first = shown_passage(page)
    choose_event_with_note(page)
    outage.start("disk full")

    with page.expect_response(refused_send):
        press(page, "Enter")
    message = status_of(page)
    assert "cannot store anything right now" in message and "sent again by themselves" in message
    expect_choices_on_screen(page)
    assert page.evaluate(DRAFTS) == [f"annotator-draft:annotate:{ada_id()}:{first}"] and stored("ada") == []

    with page.expect_response(refused_send):  # no key pressed: the screen tries again
        pass
    expect_choices_on_screen(page)
    outage.stop()
    wait_for_next_passage(page, first)  # the next try is stored, and the next passage comes
    assert stored("ada") == [(first, EVENT_NEUTRAL_VERIFIABLE, NOTE, True)]
    page.wait_for_function(f"() => {DRAFTS}.length === 0")  # acknowledged: the browser's copy goes
    assert page.locator("#status").is_hidden()

    second = shown_passage(page)
    outage.start("disk full")
    press(page, "s")
    page.keyboard.type("Not a complete passage")
    with page.expect_response(lambda response: response.status == 503 and response.url.endswith("/skip")):
        press(page, "Enter")
    assert "Not skipped yet: the skip is sent again by itself" in status_of(page)
    outage.stop()
    wait_for_next_passage(page, second)
    assert db.session.scalar(sa.select(Skip.passage_id).where(Skip.user_id == ada_id())) == second
