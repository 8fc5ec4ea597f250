"""Claim spans in real Chromium: an annotator marks overlapping spans with the mouse and one
with the keyboard, answers each span's own fields (show_if among them), attaches evidence and
submits; the stored spans hold the raw offsets of the words marked. The same on a phone. A
reviewer starts from the gold spans, adjusts one, drops one, adds one, and decides."""

import copy
import json

import pytest
import sqlalchemy as sa

from annotator.annotations.adjudications import Adjudication
from annotator.documents.models import Document
from annotator.extensions import db
from annotator.projects.models import Project
from tests.browser.test_annotation_journeys import labels_of, press, shown_passage, submit_and_wait
from tests.browser.test_review_journey import say_why_they_disagreed
from tests.browser.test_screen_fit import ON_SCREEN, SIDEWAYS
from tests.schema.test_span_and_evidence import RELATIONS

pytestmark = pytest.mark.browser
FITS_ACROSS = """selector => { const r = document.querySelector(selector).getBoundingClientRect();
  return r.left >= 0 && r.right <= window.innerWidth; }"""

CLAIM_SPANS = {
    "fields": [
        {
            "name": "claims",
            "type": "span",
            "label": "Claims",
            "required": False,
            "max": 10,
            "fields": [
                {
                    "name": "stance",
                    "label": "Stance",
                    "level": "nominal",
                    "options": [
                        {"value": "favor", "label": "Favor", "key": "f"},
                        {"value": "against", "label": "Against", "key": "a"},
                        {"value": "none", "label": "None", "key": "n"},
                    ],
                },
                {
                    "name": "verdict",
                    "label": "Verdict",
                    "level": "nominal",
                    "required": False,
                    "show_if": {"field": "stance", "not_in": ["none"]},
                    "options": [
                        {"value": "supports", "label": "Supports", "key": "1"},
                        {"value": "refutes", "label": "Refutes", "key": "2"},
                        {"value": "not_enough_info", "label": "Not enough info", "key": "3"},
                    ],
                },
                {
                    "name": "evidence",
                    "type": "evidence",
                    "label": "Evidence",
                    "required": False,
                    "sets": True,
                    "relations": RELATIONS,
                },
            ],
        },
        {
            "name": "checkworthy",
            "label": "Check-worthy",
            "level": "nominal",
            "options": [{"value": "yes", "label": "Yes", "key": "y"}, {"value": "no", "label": "No", "key": "x"}],
        },
    ]
}


@pytest.fixture
def spans_project(runner, make_project, make_documents, make_user):
    project = make_project(
        "Spans", target="Cities should build bike lanes", overlap_k=2, schema=copy.deepcopy(CLAIM_SPANS)
    )
    project.passages = make_documents(project, count=1, paragraphs=3)
    for name, role in (("ada", "annotator"), ("bob", "annotator"), ("rev", "reviewer")):
        make_user(name, role)
        runner.invoke(args=["add-member", "Spans", name, "--role", role])
    return project


def word_index(page, text, after=0):
    """The index of the first word showing `text` at or after index `after`."""
    texts = page.locator("#current-passage .word").all_inner_texts()
    return next(index for index, word in enumerate(texts) if index >= after and word.strip() == text)


def centre(page, index):
    box = page.locator("#current-passage .word").nth(index).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_words(page, first, last):
    page.mouse.move(*centre(page, first))
    page.mouse.down()
    page.mouse.move(*centre(page, last), steps=5)
    page.mouse.up()


def raw_words(passage, *words) -> str:
    """The raw text of the passage from the first of `words` to the end of the last."""
    raw = db.session.get(Document, passage.document_id).raw_text
    start = raw.index(words[0], passage.start)
    end = raw.index(words[-1], start) + len(words[-1])
    return start, end


def span_item(page, position):
    return page.locator(".span-item").nth(position)


def test_an_annotator_marks_overlapping_spans_by_mouse_and_keyboard_with_evidence(
    open_browser, spans_project, screenshot_to
):
    passage = spans_project.passages[0]
    page = open_browser("ada")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/projects/{spans_project.id}/annotate")
    press(page)
    for selector in (
        "#current-passage",
        "fieldset[data-field=claims]",
        "fieldset[data-field=checkworthy]",
        "#label-form button.primary",
    ):
        assert page.evaluate(ON_SCREEN, selector), f"{selector} is not on the 1366x900 screen"
    # "the council says that it spent" and, overlapping it, "it spent 0 thousand pounds"
    drag_words(page, word_index(page, "the"), word_index(page, "spent"))
    drag_words(page, word_index(page, "it"), word_index(page, "pounds"))
    assert page.locator(".span-item").count() == 2
    numbers = page.locator("#current-passage .span-number")
    assert numbers.all_inner_texts() == ["1", "2"]
    assert numbers.nth(0).get_attribute("class") != numbers.nth(1).get_attribute("class")  # other layers
    press(page, "a", "2")  # the newest span (active): against, refutes

    # the keyboard: M starts after the last span, Shift+arrows extend, Enter marks
    press(page, "m", "Shift+ArrowRight", "Shift+ArrowRight", "Enter")
    assert page.locator(".span-item").count() == 3
    assert span_item(page, 2).locator(".span-text").inner_text() == "on cycle lanes"
    press(page, "n")  # stance none: its verdict is not asked
    assert not span_item(page, 2).locator("fieldset[data-sub-field=verdict]").is_visible()
    assert span_item(page, 1).locator("input[value=against]").is_checked()
    assert span_item(page, 1).locator(".span-summary").inner_text() == "Against · Refutes"

    first = span_item(page, 0)
    assert not first.locator("fieldset[data-sub-field=stance]").is_visible()  # only the span worked on is open
    assert first.locator(".span-summary").inner_text() == "no answers yet"
    first.locator(".span-text").click()
    first.locator("label.option", has_text="Favor").click()
    first.locator("label.option", has_text="Supports").click()
    first.locator("[data-evidence-action=add]").click()
    first.locator("[data-record=url]").fill("https://example.org/budget?year=2023")
    first.locator("[data-record=relation]").select_option("supports")
    first.locator("[data-record=quote]").fill("spent on cycle lanes")
    first.locator("[data-record=set]").fill("2")
    link = first.locator(".record-link")
    assert link.get_attribute("href") == "https://example.org/budget?year=2023"
    assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
    assert link.get_attribute("referrerpolicy") == "no-referrer"
    screenshot_to(page, "images/span-screen.png", full_page=False)  # the README's span screen, 1366x900

    # a tap on a word while typing starts marking there: the keys mark (Esc cancels), not type
    page.locator("#current-passage .word").nth(word_index(page, "year")).click()
    assert page.locator("[data-marking]").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("[data-marking]").is_visible()
    assert first.locator("[data-record=set]").input_value() == "2"
    press(page, "m", "ArrowRight", "Escape", "y")
    assert page.locator(".span-item").count() == 3
    submit_and_wait(page)

    (labels,) = labels_of("ada").values()
    assert labels["checkworthy"] == "yes"
    claims = labels["claims"]
    assert [claim["text"] for claim in claims] == [
        "the council says that it spent",
        "it spent 0 thousand pounds",
        "on cycle lanes",
    ]
    assert [(claim["start"], claim["end"]) for claim in claims] == [
        raw_words(passage, "the council", "spent"),
        raw_words(passage, "it spent", "pounds"),
        raw_words(passage, "on cycle", "lanes"),
    ]
    assert [claim["labels"] for claim in claims] == [
        {
            "stance": "favor",
            "verdict": "supports",
            "evidence": [
                {
                    "url": "https://example.org/budget?year=2023",
                    "relation": "supports",
                    "quote": "spent on cycle lanes",
                    "set": 2,
                }
            ],
        },
        {"stance": "against", "verdict": "refutes"},
        {"stance": "none"},
    ]

    press(page, "b")  # back: the spans and their answers are shown again
    page.wait_for_selector("text=changing your earlier labels")
    assert page.locator(".span-item").count() == 3
    assert page.locator("#current-passage .span-number").count() == 3
    assert span_item(page, 0).locator("input[value=favor]").is_checked()
    assert span_item(page, 0).locator("[data-record=url]").input_value() == "https://example.org/budget?year=2023"


def test_spans_fit_a_390_px_phone_and_are_marked_by_tapping(open_browser, spans_project):
    passage = spans_project.passages[0]
    page = open_browser("ada")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/projects/{spans_project.id}/annotate")
    press(page)
    page.locator("#current-passage .word").nth(word_index(page, "council")).click()
    page.locator("#current-passage .word").nth(word_index(page, "says")).click()
    page.locator("[data-span-action=confirm]").click()
    span_item(page, 0).locator("label.option", has_text="Against").click()
    span_item(page, 0).locator("[data-evidence-action=add]").click()
    assert page.evaluate(SIDEWAYS) == 0
    span_item(page, 0).locator("[data-record=url]").fill("http://example.org/x")
    span_item(page, 0).locator("[data-record=relation]").select_option("refutes")
    page.locator("fieldset[data-field=checkworthy] label.option", has_text="No").click()
    for selector in ("#current-passage", ".span-item", ".evidence-record", "#label-form button.primary"):
        assert page.evaluate(FITS_ACROSS, selector), f"{selector} is wider than the phone"
    page.locator("#label-form button.primary").scroll_into_view_if_needed()
    assert page.evaluate(ON_SCREEN, "#label-form button.primary")
    assert page.evaluate(SIDEWAYS) == 0
    first = shown_passage(page)
    page.locator("#label-form button.primary").click()
    page.wait_for_function("before => document.querySelector('#workspace').dataset.passageId != before", arg=first)
    (labels,) = labels_of("ada").values()
    (claim,) = labels["claims"]
    assert (claim["start"], claim["end"]) == raw_words(passage, "council", "says")
    assert claim["labels"] == {
        "stance": "against",
        "evidence": [{"url": "http://example.org/x", "relation": "refutes", "set": 1}],
    }


def test_unsent_spans_come_back_after_a_reload(open_browser, spans_project):
    page = open_browser("ada")
    page.goto(f"/projects/{spans_project.id}/annotate")
    press(page)
    drag_words(page, word_index(page, "council"), word_index(page, "spent"))
    press(page, "f")
    page.reload()
    press(page)
    page.locator("#notice").wait_for(state="visible")
    assert page.locator(".span-item").count() == 1
    assert span_item(page, 0).locator(".span-text").inner_text() == "council says that it spent"
    assert span_item(page, 0).locator("input[value=favor]").is_checked()
    assert labels_of("ada") == {}


def annotate_through_api(api_client, project, username, claims):
    caller = api_client(username)
    passage_id = caller("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    labels = {"claims": claims, "checkworthy": "yes"}
    response = caller("POST", f"/api/passages/{passage_id}/annotations", json={"labels": labels})
    assert response.status_code in (200, 201), response.get_json()
    return passage_id


def test_a_reviewer_adjusts_drops_and_adds_spans_starting_from_the_gold_ones(open_browser, spans_project, api_client):
    passage = spans_project.passages[0]
    council = raw_words(passage, "council", "says")
    spent = raw_words(passage, "spent", "pounds")
    report = raw_words(passage, "report", "report")
    ada = [
        {"start": council[0], "end": council[1], "labels": {"stance": "favor", "verdict": "supports"}},
        {
            "start": spent[0],
            "end": spent[1],
            "labels": {
                "stance": "against",
                "verdict": "refutes",
                "evidence": [{"url": "https://example.org/e", "relation": "refutes"}],
            },
        },
    ]
    bob = [
        {"start": council[0], "end": council[1], "labels": {"stance": "favor", "verdict": "supports"}},
        {"start": spent[0], "end": spent[1], "labels": {"stance": "none"}},
        {"start": report[0], "end": report[1], "labels": {"stance": "none"}},
    ]
    assert annotate_through_api(api_client, spans_project, "ada", ada) == passage.id
    assert annotate_through_api(api_client, spans_project, "bob", bob) == passage.id

    page = open_browser("rev")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/projects/{spans_project.id}/review/{passage.id}")
    press(page)
    cards = page.locator(".span-card")
    assert cards.count() == 2 and cards.nth(1).locator(".span-number").count() == 3
    evidence_link = cards.nth(0).locator(".evidence-view a")
    assert evidence_link.get_attribute("rel") == "noopener noreferrer"
    assert page.locator(".span-item").count() == 2  # the gold: both annotators' two common spans
    second = span_item(page, 1)
    assert second.locator(".span-text").inner_text() == "spent 0 thousand pounds"
    span_item(page, 0).locator("[data-span-action=end-later]").click()  # "council says that"
    second.locator("[data-span-action=remove]").click()
    drag_words(page, word_index(page, "cycle"), word_index(page, "lanes"))
    assert page.locator(".span-item").count() == 2
    span_item(page, 1).locator("label.option", has_text="Against").click()
    span_item(page, 1).locator("label.option", has_text="Refutes").click()
    page.locator("fieldset[data-field=checkworthy] label.option", has_text="Yes").click()
    say_why_they_disagreed(page)
    page.locator("#label-form button.primary").click()
    page.wait_for_url("**/review**decided=*")

    db.session.expire_all()
    decided = db.session.scalar(sa.select(Adjudication.labels).where(Adjudication.passage_id == passage.id))
    assert [(claim["start"], claim["end"], claim["text"]) for claim in decided["claims"]] == [
        (council[0], raw_words(passage, "council", "that")[1], "council says that"),
        (*raw_words(passage, "cycle", "lanes"), "cycle lanes"),
    ]
    assert [claim["labels"] for claim in decided["claims"]] == [
        {"stance": "favor", "verdict": "supports"},
        {"stance": "against", "verdict": "refutes"},
    ]
    assert json.dumps(decided).count("gold") == 0


AVERITEC_LIKE = {
    "fields": [
        {"name": "claims", "type": "span", "label": "Claims", "required": False, "key": "c"},
        {
            "name": "sources",
            "type": "evidence",
            "label": "Sources",
            "required": False,
            "question": True,
            "relations": RELATIONS,
        },
    ]
}


def tab_to(page, selector, most=80):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_spans_and_passage_evidence_with_the_keyboard_only(
    open_browser, runner, make_project, make_documents, make_user
):
    project = make_project("Questions", overlap_k=1, schema=copy.deepcopy(AVERITEC_LIKE))
    passage = make_documents(project, count=1, paragraphs=2)[0]
    make_user("ada")
    runner.invoke(args=["add-member", "Questions", "ada", "--role", "annotator"])
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    press(page, "c", "End", "Shift+ArrowLeft", "Shift+ArrowLeft", "Enter")  # "the year ."
    press(page, "c", "ArrowRight", "Escape")  # started and cancelled: nothing more
    assert page.locator(".span-item").count() == 1
    tab_to(page, "fieldset[data-field=sources] [data-evidence-action=add]")
    press(page, "Enter")  # adds a record, the cursor in its URL
    page.keyboard.type("https://example.org/q?a=1")
    for key, text in (("Tab", None), ("Tab", "a council report"), ("Tab", "How much?")):
        page.keyboard.press(key)
        if text:
            page.keyboard.type(text)
    assert page.evaluate("() => document.activeElement.dataset.record") == "question"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back to the relation
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # "Refutes"
    page.keyboard.press("Escape")  # leaves the field: keys are shortcuts again
    submit_and_wait(page)
    (labels,) = labels_of("ada").values()
    (claim,) = labels["claims"]
    assert claim["text"] == "the year." and (claim["start"], claim["end"]) == raw_words(passage, "the year", ".")
    assert labels["sources"] == [
        {
            "url": "https://example.org/q?a=1",
            "relation": "refutes",
            "quote": "a council report",
            "question": "How much?",
        }
    ]


def test_a_reviewer_takes_an_annotators_spans_whole(open_browser, spans_project, api_client):
    passage = spans_project.passages[0]
    council = raw_words(passage, "council", "says")
    report = raw_words(passage, "report", "report")
    bob = [
        {"start": council[0], "end": council[1], "labels": {"stance": "favor", "verdict": "supports"}},
        {"start": report[0], "end": report[1], "labels": {"stance": "none"}},
    ]
    annotate_through_api(
        api_client, spans_project, "ada", [{"start": report[0], "end": report[1], "labels": {"stance": "none"}}]
    )
    annotate_through_api(api_client, spans_project, "bob", bob)
    page = open_browser("rev")
    page.goto(f"/projects/{spans_project.id}/review/{passage.id}")
    page.locator("button[data-take-answer]", has_text="bob").click()
    assert page.locator(".span-item").count() == 2 and page.locator("#current-passage .span-number").count() == 2
    say_why_they_disagreed(page)
    page.locator("#label-form button.primary").click()
    page.wait_for_url("**decided=*")
    db.session.expire_all()
    decided = db.session.scalar(sa.select(Adjudication.labels).where(Adjudication.passage_id == passage.id))
    assert [(claim["start"], claim["end"], claim["labels"]) for claim in decided["claims"]] == [
        (report[0], report[1], {"stance": "none"}),
        (council[0], council[1], {"stance": "favor", "verdict": "supports"}),
    ]


def test_the_claim_extraction_template_from_the_keyboard(open_browser, runner, make_documents, make_user):
    assert runner.invoke(args=["create-project", "Extraction", "--template", "claim-extraction"]).exit_code == 0
    project = db.session.scalar(sa.select(Project).where(Project.name == "Extraction"))
    passage = make_documents(project, count=1, paragraphs=1)[0]
    make_user("ada")
    runner.invoke(args=["add-member", "Extraction", "ada", "--role", "annotator"])
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")
    press(page, "c", "Shift+ArrowRight", "Enter", "2", "f", "v", "r")  # "In report": quantity, favor, verifiable
    page.keyboard.type("cycling spend rose")  # c, r, s... are text here
    press(page, "Escape", "c", "Shift+ArrowRight", "Enter", "1", "a", "x")  # "0,": the caret starts after the last span
    assert page.locator(".span-item").count() == 2
    submit_and_wait(page)
    (labels,) = labels_of("ada").values()
    assert [(claim["text"], claim["labels"]) for claim in labels["claims"]] == [
        (
            "In report",
            {
                "claim_type": "quantity",
                "stance": "favor",
                "verifiability": "verifiable",
                "rewrite": "cycling spend rose",
            },
        ),
        ("0,", {"claim_type": "opinion", "stance": "against", "verifiability": "unverifiable"}),
    ]
    assert labels["claims"][0]["start"] == passage.start
