"""A schema with every field type, labelled in real Chromium from the keyboard: options toggled
in a multi field, a field shown only when the multi field's answer lets it through, "not sure",
a free text; the reviewer starts from an annotator's whole answer. And the browser's show_if
evaluator gives the server's answer on every case."""

import copy
import itertools

import pytest
import sqlalchemy as sa

from annotator.annotations.adjudications import Adjudication
from annotator.annotations.models import Annotation
from annotator.extensions import db
from annotator.schema import Schema
from annotator.users.models import User
from tests.browser.test_annotation_journeys import press, shown_passage, submit_and_wait
from tests.browser.test_review_journey import say_why_they_disagreed
from tests.schema.test_field_types import ALL_TYPES

pytestmark = pytest.mark.browser


@pytest.fixture
def typed(runner, make_project, make_documents, make_user):
    project = make_project(
        "Typed", target="Cities should build bike lanes", overlap_k=2, schema=copy.deepcopy(ALL_TYPES)
    )
    project.passages = make_documents(project, count=1, paragraphs=4)
    for name, role in (("ada", "annotator"), ("bob", "annotator"), ("rev", "reviewer")):
        make_user(name, role)
        runner.invoke(args=["add-member", "Typed", name, "--role", role])
    return project


def stored(username):
    db.session.expire_all()
    return dict(
        db.session.execute(
            sa.select(Annotation.passage_id, Annotation.labels)
            .join(User, User.id == Annotation.user_id)
            .where(User.username == username)
        ).all()
    )


def visible(page, field):
    return page.locator(f"fieldset[data-field={field}]").is_visible()


def test_every_field_type_from_the_keyboard_and_a_reviewer_starts_from_one_answer(open_browser, typed):
    ada = open_browser("ada")
    ada.goto(f"/projects/{typed.id}/annotate")
    first = shown_passage(ada)
    assert not visible(ada, "checkworthy")
    press(ada, "1")  # opinion only: check-worthiness is not asked
    assert not visible(ada, "checkworthy")
    press(ada, "3")  # and an event: it is
    assert visible(ada, "checkworthy")
    press(ada, "1")  # opinion off again: the event alone still asks it
    assert visible(ada, "checkworthy") and not ada.locator("input[value=opinion]").is_checked()
    press(ada, "x", "w")  # not sure; then the text box
    ada.keyboard.type("The council voted 7 to 4.")
    press(ada, "Escape")
    submit_and_wait(ada)
    assert stored("ada") == {
        first: {"claim_types": ["event"], "checkworthy": "not_sure", "rewrite": "The council voted 7 to 4."}
    }

    bob = open_browser("bob")
    bob.goto(f"/projects/{typed.id}/annotate")
    assert shown_passage(bob) == first
    submit_and_wait(bob, "2", "3", "y")  # quantity and event, worth checking, no text
    assert stored("bob") == {first: {"claim_types": ["quantity", "event"], "checkworthy": "yes"}}

    rev = open_browser("rev")
    rev.goto(f"/projects/{typed.id}/review/{first}")
    opinions = rev.inner_text("table.opinions")
    assert "Quantity, Event" in opinions and "Not sure" in opinions and "The council voted 7 to 4." in opinions
    assert rev.locator("#label-form input:checked").count() == 0  # no answer was given alike
    ada_key = rev.locator("button[data-take-answer]").first.get_attribute("data-key")
    press(rev, ada_key)
    assert rev.locator("#label-form input[value=not_sure]").is_checked()
    assert rev.locator("#label-form textarea[name=label-rewrite]").input_value() == "The council voted 7 to 4."
    press(rev, "2", "y")  # add quantity, and say it is worth checking
    say_why_they_disagreed(rev)
    press(rev, "Enter")
    rev.wait_for_url(lambda url: f"decided={first}" in url)
    decided = db.session.scalar(sa.select(Adjudication.labels))
    assert decided == {
        "claim_types": ["quantity", "event"],
        "checkworthy": "yes",
        "rewrite": "The council voted 7 to 4.",
    }
    assert "Claim types: <strong>Quantity, Event</strong>" in rev.locator(".decision-saved").inner_html()


def test_the_browser_evaluates_show_if_as_the_server_does(open_browser, typed):
    schema = Schema.parse(copy.deepcopy(ALL_TYPES))
    condition = schema.field("checkworthy").show_if
    cases = [
        list(chosen) for size in range(4) for chosen in itertools.combinations(["opinion", "quantity", "event"], size)
    ]
    page = open_browser("ada")
    page.goto(f"/projects/{typed.id}/annotate")
    in_browser = page.evaluate(
        "([rule, cases]) => cases.map((chosen) => window.annotatorConditionHolds(rule, chosen))",
        [condition.as_data(), cases],
    )
    assert in_browser == [condition.holds(chosen) for chosen in cases]
    assert in_browser.count(True) == 6  # every set but the empty one and opinion alone


def test_unsent_choices_of_every_field_type_come_back_after_a_reload(open_browser, typed):
    ada = open_browser("ada")
    ada.goto(f"/projects/{typed.id}/annotate")
    first = shown_passage(ada)
    press(ada, "2", "3", "y", "w")  # two claim types, worth checking; then the text box
    ada.keyboard.type("Seven of eleven voted for it.")
    press(ada, "Escape")
    ada.reload()
    assert shown_passage(ada) == first
    assert ada.locator("input[value=quantity]").is_checked() and ada.locator("input[value=event]").is_checked()
    assert not ada.locator("input[value=opinion]").is_checked()
    assert ada.locator("input[value=yes]").is_checked()
    assert ada.locator("textarea[name=label-rewrite]").input_value() == "Seven of eleven voted for it."
    submit_and_wait(ada)
    assert stored("ada") == {
        first: {"claim_types": ["quantity", "event"], "checkworthy": "yes", "rewrite": "Seven of eleven voted for it."}
    }
