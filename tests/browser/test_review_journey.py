"""A reviewer settles a disagreement in real Chromium: two annotators label a passage
differently, the reviewer decides it from the keyboard, and its gold label shows adjudicated."""

import json
import random

import pytest
import sqlalchemy as sa

from annotator.annotations.adjudications import Adjudication
from annotator.extensions import db
from tests.browser.test_annotation_journeys import press, shown_passage, submit_and_wait

pytestmark = pytest.mark.browser


def say_why_they_disagreed(page, steps_down: int = 1):
    """From the keyboard: the key shown beside "Why they disagreed" takes the reviewer to the
    list, the arrow keys choose (1: ambiguous text, 2: a gap in the guidelines, ...), Esc leaves it."""
    press(page, page.locator("select[name=category]").get_attribute("data-key"))
    press(page, *["ArrowDown"] * steps_down, "Escape")


@pytest.fixture
def project(runner, make_project, make_documents, make_user, write_file):
    """Passage 0 is left for the browser; three annotators of another tool labelled the others
    over three weeks (imported), with the disagreements real annotators have."""
    project = make_project("Bike lanes", target="Cities should build protected bike lanes", overlap_k=2)
    project.passages = make_documents(project, count=3, paragraphs=8)
    for name, role in (("ada", "annotator"), ("bob", "annotator"), ("rev", "reviewer")):
        make_user(name, "reviewer" if role == "reviewer" else "annotator")
        runner.invoke(args=["add-member", "Bike lanes", name, "--role", role])
    result = runner.invoke(
        args=[
            "import-annotations",
            "Bike lanes",
            str(write_file("earlier.jsonl", imported_labels(project))),
            "--create-users",
        ]
    )
    assert result.exit_code == 0, result.stderr
    return project


def imported_labels(project) -> str:
    rng = random.Random(7)
    claims = ["no_claim", "opinion", "quantity", "event", "causal"]
    lines = []
    for number, passage in enumerate(project.passages[1:]):
        truth = (
            rng.choice(claims),
            rng.choice(["favor", "against", "neutral"]),
            rng.choice(["verifiable", "unverifiable"]),
        )
        for annotator, skill in (("carol", 0.9), ("dan", 0.75), ("erin", 0.6)):
            claim, stance, check = (
                value if rng.random() < skill else rng.choice(pool)
                for value, pool in zip(
                    truth,
                    (claims, ["favor", "against", "neutral"], ["verifiable", "partly_verifiable", "unverifiable"]),
                    strict=False,
                )
            )
            labels = (
                {"claim_type": claim}
                if claim == "no_claim"
                else {"claim_type": claim, "stance": stance, "verifiability": check}
            )
            lines.append(
                json.dumps(
                    {
                        "passage_id": passage.id,
                        "annotator": annotator,
                        "labels": labels,
                        "created_at": f"2026-11-{2 + 7 * (number % 3) + number % 5:02d}T10:00:00Z",
                    }
                )
            )
    return "\n".join(lines)


def test_two_annotators_disagree_and_the_reviewer_decides(open_browser, project, screenshot_to):
    ada, bob = open_browser("ada"), open_browser("bob")
    for page, keys in ((ada, ("3", "f", "v")), (bob, ("1", "n", "x"))):  # a tie on every field
        page.goto(f"/projects/{project.id}/annotate")
        assert shown_passage(page) == project.passages[0].id
        submit_and_wait(page, *keys)

    reviewer = open_browser("rev")
    reviewer.set_viewport_size({"width": 1366, "height": 900})
    reviewer.goto(f"/projects/{project.id}/review?field=claim_type")
    row = reviewer.locator(f"tr[data-passage-id='{project.passages[0].id}']")
    assert (
        "is the case) (ada)" in row.inner_text() and "Opinion (bob)" in row.inner_text()
    )  # the conflict, before opening
    row.locator("a").click()
    reviewer.wait_for_selector("table.opinions")
    opinions = reviewer.inner_text("table.opinions")
    assert "ada" in opinions and "bob" in opinions and "Event" in opinions and "Opinion" in opinions
    assert reviewer.locator("#label-form input[type=radio]:checked").count() == 0  # nothing chosen for her
    position = reviewer.locator("[data-testid=position]").inner_text()
    assert position.startswith("Passage 1 of ") and "waiting for review" in position

    press(reviewer, "Enter")  # one Enter stores nothing: every disputed value is hers to choose
    reviewer.locator("#label-form .error").wait_for()
    assert db.session.scalar(sa.select(sa.func.count(Adjudication.id))) == 0

    bobs_key = reviewer.locator("button[data-take-answer]").nth(1).get_attribute("data-key")
    press(reviewer, bobs_key)  # bob's whole answer as the start...
    assert reviewer.locator("#label-form input[value=opinion]").is_checked()
    assert reviewer.locator("#label-form input[value=neutral]").is_checked()
    press(reviewer, "p", "/")  # ...with verifiability changed
    reviewer.keyboard.type("opinion presented as a figure")
    press(reviewer, "Escape")
    say_why_they_disagreed(reviewer, 2)  # a gap in the guidelines
    screenshot_to(reviewer, "review.png", full_page=False)
    press(reviewer, "Enter")
    reviewer.wait_for_url(lambda url: f"decided={project.passages[0].id}" in url)  # on to the next one
    confirmation = reviewer.locator(".decision-saved").inner_text()
    assert "Decision saved for passage 1" in confirmation and "not any one annotator's answer" in confirmation
    decided = db.session.scalar(sa.select(Adjudication))
    assert decided.labels == {"claim_type": "opinion", "stance": "neutral", "verifiability": "partly_verifiable"}
    assert decided.note == "opinion presented as a figure" and decided.category == "guidelines_gap"

    reviewer.goto(f"/projects/{project.id}/review/{project.passages[0].id}")
    gold = reviewer.locator("tr[data-field=claim_type] .gold-now").inner_text()
    assert gold.startswith("Opinion") and "(adjudicated)" in gold
    reviewer.goto(f"/projects/{project.id}/agreement")
    assert "1 adjudicated" in reviewer.inner_text("section[data-field=claim_type]")
    reviewer.set_viewport_size({"width": 1280, "height": 1500})
    screenshot_to(reviewer, "agreement.png", full_page=False)
