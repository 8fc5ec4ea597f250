"""The whole document (key D) always shows the current passage's document, with the current
passage marked and scrolled into view: after submits, skips and Back."""

import pytest
import sqlalchemy as sa

from annotator.db import db
from annotator.documents.models import Document, Passage
from tests.browser.test_annotation_journeys import press, project, shown_passage, submit_and_wait  # noqa: F401

pytestmark = pytest.mark.browser


def open_document(page):
    press(page, "d")
    dialog = page.locator("#document-dialog")
    dialog.locator(".marked").wait_for()
    return dialog


def expect_document_of(page, passage_id):
    dialog = open_document(page)
    passage = db.session.get(Passage, passage_id)
    title = db.session.scalar(sa.select(Document.title).where(Document.id == passage.document_id))
    assert dialog.locator("h2").inner_text() == title
    assert dialog.locator(".marked").inner_text() == passage.text
    assert dialog.locator(".marked").count() == 1
    page.wait_for_function("() => { const r = document.querySelector('#document-dialog .marked').getBoundingClientRect();"
                           " const d = document.querySelector('#document-dialog').getBoundingClientRect();"
                           " return r.top >= d.top && r.bottom <= d.bottom; }")
    press(page, "Escape")
    assert not dialog.is_visible()


def test_the_document_key_follows_the_current_passage_across_documents(open_browser, project):
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    expect_document_of(page, shown_passage(page))
    documents = [project.passages[0].document_id]
    for _ in range(len(project.passages) // 2):
        submit_and_wait(page, "0")
        current = db.session.get(Passage, shown_passage(page))
        if current.document_id != documents[-1] or current.index % 3 == 0:
            expect_document_of(page, current.id)  # pressed at once: the swap has just happened
        if current.document_id != documents[-1]:
            documents.append(current.document_id)
    assert len(documents) >= 3  # two changes of document at least

    before_skip = shown_passage(page)
    press(page, "s")
    page.keyboard.type("Broken or unreadable text")
    press(page, "Enter")
    page.wait_for_function("before => document.querySelector('#workspace').dataset.passageId != before", arg=before_skip)
    expect_document_of(page, shown_passage(page))
    page.locator("#workspace [data-key=d]").click()  # a click as well as the key
    page.locator("#document-dialog .marked").wait_for()
    assert page.locator("#document-dialog .marked").inner_text() == db.session.get(Passage, shown_passage(page)).text
    press(page, "Escape")

    press(page, "b")  # back to the passage before the skipped one, in an earlier document
    page.wait_for_selector("text=changing your earlier labels")
    assert shown_passage(page) != before_skip
    expect_document_of(page, shown_passage(page))
