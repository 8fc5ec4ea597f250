"""The issue's journey in real Chromium: a project from the FEVER template over the seed
documents; two annotators mark overlapping claim spans with different verdicts and attach
evidence (by mouse and by keyboard); a reviewer adjudicates the spans on the decision screen,
starting from the gold span both marked; the decision holds the reviewer's spans in raw offsets,
and the training and FEVER exports hold it and load with `datasets`."""

import pytest
import sqlalchemy as sa

from annotator.annotations.adjudications import Adjudication
from annotator.documents.models import Document, Passage
from annotator.extensions import db
from tests.browser.test_annotation_journeys import labels_of, press, submit_and_wait
from tests.browser.test_review_journey import say_why_they_disagreed
from tests.browser.test_span_journeys import drag_words, span_item

pytestmark = pytest.mark.browser


@pytest.fixture
def fever(runner, make_user):
    from annotator.demo import CORPUS

    assert runner.invoke(args=["create-project", "Fact checks", "--template", "fever"]).exit_code == 0
    assert runner.invoke(args=["import-docs", "Fact checks", *map(str, sorted(CORPUS.glob("*.txt")))]).exit_code == 0
    for name, role in (("ada", "annotator"), ("bob", "annotator"), ("rev", "reviewer")):
        make_user(name, role)
        assert runner.invoke(args=["add-member", "Fact checks", name, "--role", role]).exit_code == 0
    return db.session.scalar(sa.select(Passage.project_id).limit(1))


def words_of(page) -> list[tuple[int, int]]:
    return [
        (int(word.get_attribute("data-start")), int(word.get_attribute("data-end")))
        for word in page.locator("#current-passage .word").all()
    ]


def add_evidence(item, url, relation, quote, evidence_set=1):
    item.locator("[data-evidence-action=add]").click()
    record = item.locator(".evidence-record").last
    record.locator("[data-record=url]").fill(url)
    record.locator("[data-record=relation]").select_option(relation)
    record.locator("[data-record=quote]").fill(quote)
    record.locator("[data-record=set]").fill(str(evidence_set))


def test_two_annotators_mark_overlapping_claims_and_a_reviewer_adjudicates_them(
    open_browser, fever, runner, tmp_path, monkeypatch
):
    project_id = fever
    ada = open_browser("ada")
    ada.goto(f"/projects/{project_id}/annotate")
    press(ada)
    passage_id = int(ada.locator("#workspace").get_attribute("data-passage-id"))
    words = words_of(ada)
    assert len(words) >= 10
    drag_words(ada, 0, 4)  # the mouse: words 0-4
    press(ada, "1")  # supports
    add_evidence(span_item(ada, 0), "https://example.org/minutes", "supports", "voted 7 to 4")
    ada.keyboard.press("Escape")
    press(ada, "c", "ArrowRight", "Shift+ArrowRight", "Shift+ArrowRight", "Enter")  # the keyboard: words 6-8
    press(ada, "3")  # not enough info: no evidence asked
    assert not span_item(ada, 1).locator("fieldset[data-sub-field=evidence]").is_visible()
    submit_and_wait(ada)

    bob = open_browser("bob")
    bob.goto(f"/projects/{project_id}/annotate")
    press(bob)
    assert int(bob.locator("#workspace").get_attribute("data-passage-id")) == passage_id
    drag_words(bob, 2, 5)  # overlaps ada's first claim
    press(bob, "2")  # refutes
    add_evidence(span_item(bob, 0), "https://example.org/report", "refutes", "the count was 6 to 5")
    add_evidence(span_item(bob, 0), "https://example.org/video", "refutes", "a recount", evidence_set=2)
    submit_and_wait(bob)

    (ada_labels,) = labels_of("ada").values()
    (bob_labels,) = labels_of("bob").values()
    assert [(claim["start"], claim["end"], claim["labels"]["verdict"]) for claim in ada_labels["claims"]] == [
        (words[0][0], words[4][1], "supports"),
        (words[6][0], words[8][1], "not_enough_info"),
    ]
    assert [(claim["start"], claim["end"], claim["labels"]["verdict"]) for claim in bob_labels["claims"]] == [
        (words[2][0], words[5][1], "refutes")
    ]
    assert [record["set"] for record in bob_labels["claims"][0]["labels"]["evidence"]] == [1, 2]

    rev = open_browser("rev")
    rev.goto(f"/projects/{project_id}/review/{passage_id}")
    press(rev)
    assert rev.locator(".span-card").count() == 2
    assert rev.locator(".span-card").nth(1).locator(".evidence-view a").count() == 2
    gold = span_item(rev, 0)
    assert rev.locator(".span-item").count() == 1  # the words both marked: 2-4
    raw = db.session.scalar(sa.select(Document.raw_text).join(Passage).where(Passage.id == passage_id))
    assert gold.locator(".span-text").inner_text().split() == raw[words[2][0] : words[4][1]].split()
    gold.locator("[data-span-action=end-later]").click()  # adjust: words 2-5
    press(rev, "2")  # refutes: the evidence both cited comes up
    records = gold.locator(".evidence-record")
    assert records.count() == 3
    records.nth(0).locator("[data-evidence-action=remove]").click()  # ada's supporting record goes
    press(rev, "c", "ArrowRight", "Shift+ArrowRight", "Enter")  # add: words 7-8
    press(rev, "3")
    say_why_they_disagreed(rev)
    rev.locator("#label-form button.primary").click()
    rev.wait_for_url("**decided=*")

    db.session.expire_all()
    decided = db.session.scalar(sa.select(Adjudication.labels).where(Adjudication.passage_id == passage_id))
    claims = decided["claims"]
    assert [(claim["start"], claim["end"], claim["labels"]["verdict"]) for claim in claims] == [
        (words[2][0], words[5][1], "refutes"),
        (words[7][0], words[8][1], "not_enough_info"),
    ]
    assert [(record["url"], record["set"]) for record in claims[0]["labels"]["evidence"]] == [
        ("https://example.org/report", 1),
        ("https://example.org/video", 2),
    ]

    training = tmp_path / "training.jsonl"
    result = runner.invoke(args=["export", "Fact checks", "--kind", "training", "-o", str(training)])
    assert result.exit_code == 0, (result.stderr, result.exception)
    rows = load_with_datasets(training, tmp_path, monkeypatch)
    (row,) = [row for row in rows if row["passage_id"] == passage_id]
    assert row["gold"]["claims"]["source"] == "adjudicated"
    exported = [(claim["start"], claim["end"], claim["text"]) for claim in row["labels"]["claims"]]
    assert exported == [(claim["start"], claim["end"], claim["text"]) for claim in claims]
    assert all(raw[start:end].split() == text.split() for start, end, text in exported)
    assert len(row["annotations"]) == 2

    fever_file = tmp_path / "fever.jsonl"
    result = runner.invoke(args=["export", "Fact checks", "--kind", "fever", "-o", str(fever_file)])
    assert result.exit_code == 0, (result.stderr, result.exception)
    fever_rows = [
        row for row in load_with_datasets(fever_file, tmp_path, monkeypatch) if row["passage_id"] == passage_id
    ]
    assert [(row["start"], row["end"], row["claim"], row["label"], row["source"]) for row in fever_rows] == [
        (words[2][0], words[5][1], claims[0]["text"], "REFUTES", "adjudicated"),
        (words[7][0], words[8][1], claims[1]["text"], "NOT ENOUGH INFO", "adjudicated"),
    ]
    assert [[record["url"] for record in evidence_set] for evidence_set in fever_rows[0]["evidence"]] == [
        ["https://example.org/report"],
        ["https://example.org/video"],
    ]
    assert fever_rows[1]["evidence"] == []


def load_with_datasets(path, tmp_path, monkeypatch):
    """The export as `datasets.load_dataset("json", ...)` reads it, offline."""
    for name in ("HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE"):
        monkeypatch.setenv(name, "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # third-party deprecations are not this test's concern
        import datasets

        return datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache"))
