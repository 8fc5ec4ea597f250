"""The annotator sees the passage and the whole answer together: at 1366x900 with the default
schema's three fields showing, the passage, every field and Submit are on screen without
scrolling; on a 390 px phone nothing scrolls sideways and passage, options and Submit come in
that order."""

import pytest

from tests.browser.test_annotation_journeys import labels_of, press, project, shown_passage, submit_and_wait  # noqa: F401

pytestmark = pytest.mark.browser

ON_SCREEN = """selector => { const r = document.querySelector(selector).getBoundingClientRect();
  return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth; }"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def top_of(page, selector):
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().top + window.scrollY")


def test_passage_fields_and_submit_fit_one_1366x900_screen(open_browser, project):
    longest = max(project.passages, key=lambda passage: len(passage.text))
    page = open_browser("ada")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/projects/{project.id}/annotate")
    checked = 0
    while True:
        current = shown_passage(page)
        press(page, "2")  # a claim: all three fields show
        if current in (project.passages[0].id, longest.id) or checked == 0:
            for selector in (
                "#current-passage",
                "fieldset[data-field=claim_type]",
                "fieldset[data-field=stance]",
                "fieldset[data-field=verifiability]",
                "#label-form button.primary",
            ):
                assert page.evaluate(ON_SCREEN, selector), f"{selector} is not on screen for passage {current}"
            assert page.evaluate("() => window.scrollY") == 0
            assert page.evaluate(SIDEWAYS) == 0
            checked += 1
        if current == longest.id:
            break
        submit_and_wait(page, "0")
    assert checked >= 2 and len(longest.text) > 500


def test_a_390_px_phone_scrolls_down_only_with_passage_options_and_submit_in_order(open_browser, project):
    page = open_browser("ada")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/projects/{project.id}/annotate")
    press(page, "2")
    assert page.evaluate(SIDEWAYS) == 0
    order = [
        top_of(page, selector)
        for selector in (
            "#current-passage",
            "fieldset[data-field=claim_type] .option",
            "fieldset[data-field=verifiability] .option",
            "#label-form button.primary",
        )
    ]
    assert order == sorted(order)
    page.locator("#label-form button.primary").scroll_into_view_if_needed()
    assert page.evaluate(ON_SCREEN, "#label-form button.primary")
    first = shown_passage(page)
    page.locator("fieldset[data-field=stance] .option").first.click()
    page.locator("fieldset[data-field=verifiability] .option").first.click()
    page.locator("#label-form button.primary").click()
    page.wait_for_function("before => document.querySelector('#workspace').dataset.passageId != before", arg=first)
    assert labels_of("ada") == {first: {"claim_type": "quantity", "stance": "favor", "verifiability": "verifiable"}}
