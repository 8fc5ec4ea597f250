"""The whole document (key D) always shows the current passage's document, with the current
passage marked and scrolled into view: after submits, skips and Back."""

import pytest
import sqlalchemy as sa

from annotator.documents.models import Document, Passage
from annotator.extensions import db
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
    page.wait_for_function(
        "() => { const r = document.querySelector('#document-dialog .marked').getBoundingClientRect();"
        " const d = document.querySelector('#document-dialog').getBoundingClientRect();"
        " return r.top >= d.top && r.bottom <= d.bottom; }"
    )
    press(page, "Escape")
    assert not dialog.is_visible()


def test_the_document_key_follows_the_current_passage_across_documents(open_browser, project):
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    expect_document_of(page, shown_passage(page))
    documents = [project.passages[0].document_id]
    while len(documents) < 3:  # two changes of document
        submit_and_wait(page, "0")
        current = db.session.get(Passage, shown_passage(page))
        if current.document_id != documents[-1] or current.index % 3 == 0:
            expect_document_of(page, current.id)  # pressed at once: the swap has just happened
        if current.document_id != documents[-1]:
            documents.append(current.document_id)
    assert len(set(documents)) == 3  # each document once: the reading order never goes back

    before_skip = shown_passage(page)
    press(page, "s")
    page.keyboard.type("Broken or unreadable text")
    press(page, "Enter")
    page.wait_for_function(
        "before => document.querySelector('#workspace').dataset.passageId != before", arg=before_skip
    )
    expect_document_of(page, shown_passage(page))
    page.locator("#workspace [data-key=d]").click()  # a click as well as the key
    page.locator("#document-dialog .marked").wait_for()
    assert page.locator("#document-dialog .marked").inner_text() == db.session.get(Passage, shown_passage(page)).text
    press(page, "Escape")

    press(page, "b")  # back to the passage before the skipped one, in an earlier document
    page.wait_for_selector("text=changing your earlier labels")
    assert shown_passage(page) != before_skip
    expect_document_of(page, shown_passage(page))


def test_a_long_document_opens_around_the_passage_and_loads_more_on_demand(
    open_browser, runner, make_project, make_user, write_file
):
    from annotator.documents.context import CHUNK, WINDOW
    from tests.conftest import paragraph_text

    make_project("Long", overlap_k=1)
    make_user("ada")
    runner.invoke(args=["add-member", "Long", "ada", "--role", "annotator"])
    text = "\n\n".join(paragraph_text(3, number) for number in range(500))
    assert runner.invoke(args=["import-docs", "Long", str(write_file("long.txt", text))]).exit_code == 0
    passages = list(db.session.scalars(sa.select(Passage).order_by(Passage.index)))
    page = open_browser("ada")
    page.goto(f"/projects/{passages[0].project_id}/annotate")
    for _ in range(WINDOW + CHUNK + 10):  # far enough in for a full chunk before the window
        submit_and_wait(page, "0")
    current = db.session.get(Passage, shown_passage(page))
    dialog = open_document(page)
    shown = dialog.locator(".whole-document p")
    assert shown.count() == 2 * WINDOW + 1 and dialog.locator(".marked").inner_text() == current.text
    dialog.locator("button.more", has_text="Later passages").click()
    page.wait_for_function(
        f"() => document.querySelectorAll('#document-dialog .whole-document p').length > {2 * WINDOW + 1}"
    )
    dialog.locator("button.more", has_text="Earlier passages").click()
    page.wait_for_function(
        f"() => document.querySelectorAll('#document-dialog .whole-document p').length > {2 * WINDOW + 1 + CHUNK}"
    )
    texts = shown.all_inner_texts()
    assert texts == [
        passage.text for passage in passages[current.index - WINDOW - CHUNK : current.index + WINDOW + 1 + CHUNK]
    ]
