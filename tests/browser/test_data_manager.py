"""A reviewer searches a project's passages in real Chromium: the results swap in place, the
address follows the search, a refused search says why, and a result leads to its place in the
document with everyone's labels."""

import re

import pytest

from tests.browser.test_review_journey import project  # noqa: F401  (imported labels, a reviewer)

pytestmark = pytest.mark.browser


def test_a_reviewer_searches_and_opens_a_result_in_its_document(open_browser, project):
    page = open_browser("rev")
    page.goto(f"/projects/{project.id}")
    page.get_by_role("link", name="Search passages").click()
    page.get_by_label("Words").fill("cycle lanes")
    page.get_by_label("Status").select_option("complete")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=cycle(\+|%20)lanes.*status=complete"))
    results = page.locator("#passage-results .passage-row")
    results.first.wait_for()
    assert results.count() >= 1 and "cycle lanes" in results.first.inner_text()
    assert page.locator("form.search-form").count() == 1  # swapped in place, the form kept

    page.get_by_label("Labelled by").fill("nobody")
    page.get_by_role("button", name="Search").click()
    page.locator("#passage-results [role=alert]").wait_for()
    assert "no account is named" in page.locator("#passage-results").inner_text()

    page.get_by_label("Labelled by").fill("carol")
    page.get_by_role("button", name="Search").click()
    page.locator("#passage-results .passage-row").first.wait_for()
    passage_id = page.locator("#passage-results .passage-row").first.get_attribute("data-passage-id")
    page.locator("#passage-results .passage-row").first.get_by_role("link").first.click()  # its document
    page.wait_for_url(re.compile(rf"/documents/\d+/passages#p{passage_id}$"))
    labelled = page.locator(f"#p{passage_id}")
    assert "carol" in labelled.inner_text() and "Gold" in labelled.inner_text()
