"""The span and evidence field types: their definitions' checks, a value's checks and normal
form against the passage's words, and the gold they settle."""

import pytest

from annotator.schema import LabelError, Schema, SchemaError
from annotator.schema.types.span import majority_runs
from annotator.splitting.words import PassageWords, passage_words

RAW = "Title\n\nThe mayor said fares rose 8% in 2023. Critics say the figure is wrong.\n"
START = RAW.index("The mayor")
END = RAW.index("\n", START)
TEXT = RAW[START:END]
PASSAGE = PassageWords(7, TEXT, START, END, passage_words(TEXT, RAW[START:END], START))

RELATIONS = [
    {"value": "supports", "label": "Supports"},
    {"value": "refutes", "label": "Refutes"},
    {"value": "not_enough_info", "label": "Not enough info"},
]
FEVER_LIKE = {
    "fields": [
        {
            "name": "claims",
            "type": "span",
            "label": "Claims",
            "required": False,
            "max": 3,
            "fields": [
                {
                    "name": "verdict",
                    "label": "Verdict",
                    "level": "nominal",
                    "options": [{"value": "supports", "label": "Supports"}, {"value": "refutes", "label": "Refutes"}],
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
        }
    ]
}
SCHEMA = Schema.parse(FEVER_LIKE)


def at(words: str) -> tuple[int, int]:
    start = RAW.index(words)
    return start, start + len(words)


def span(words: str, verdict: str = "supports", **more) -> dict:
    start, end = at(words)
    return {"start": start, "end": end, "labels": {"verdict": verdict, **more}}


def test_a_span_is_stored_in_raw_offsets_with_its_words_text():
    labels = SCHEMA.check_labels({"claims": [span("fares rose 8% in 2023")]}, PASSAGE)
    (claim,) = labels["claims"]
    assert RAW[claim["start"] : claim["end"]] == "fares rose 8% in 2023" == claim["text"]
    assert claim["labels"] == {"verdict": "supports"}


def test_offsets_inside_words_snap_outward_and_a_given_text_is_ignored():
    start, end = at("fares rose")
    labels = SCHEMA.check_labels(
        {"claims": [{"start": start + 2, "end": end - 1, "text": "forged", "labels": {"verdict": "refutes"}}]}, PASSAGE
    )
    assert labels["claims"][0]["text"] == "fares rose"
    assert (labels["claims"][0]["start"], labels["claims"][0]["end"]) == (start, end)


def test_spans_come_back_in_reading_order():
    labels = SCHEMA.check_labels({"claims": [span("Critics say"), span("The mayor said")]}, PASSAGE)
    assert [claim["text"] for claim in labels["claims"]] == ["The mayor said", "Critics say"]


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ([{"start": 0, "end": 5, "labels": {"verdict": "supports"}}], "not inside the passage"),
        ([span("fares", verdict="maybe")], "Claims: Verdict"),
        ([span("fares"), span("fares")], "two spans cover the same words"),
        ([span("The"), span("mayor"), span("said"), span("fares")], "at most 3"),
        ([{"start": "1", "end": 4}], "a span is"),
        ([span("fares", evidence=[{"url": "javascript:alert(1)", "relation": "supports"}])], "http:// or https://"),
        ("fares", "a list of spans"),
    ],
)
def test_a_bad_span_is_refused_in_the_annotators_words(claims, message):
    with pytest.raises(LabelError, match=message):
        SCHEMA.check_labels({"claims": claims}, PASSAGE)


def test_a_required_sub_field_is_asked_inside_each_span():
    start, end = at("fares")
    with pytest.raises(LabelError, match="Verdict: choose a value") as refused:
        SCHEMA.check_labels({"claims": [{"start": start, "end": end, "labels": {}}]}, PASSAGE)
    assert refused.value.field == "claims.verdict"


def test_no_spans_is_no_answer():
    assert SCHEMA.check_labels({"claims": []}, PASSAGE) == {}


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ({"name": "c", "type": "span", "label": "C", "min": 3, "max": 2}, "min: 3 is more than max"),
        (
            {"name": "c", "type": "span", "label": "C", "fields": [{"name": "d", "type": "span", "label": "D"}]},
            "cannot hold another span",
        ),
        ({"name": "c", "type": "span", "label": "C", "fields": [{"name": "x", "label": "X"}]}, "fields[0].level"),
        ({"name": "e", "type": "evidence", "label": "E", "relations": RELATIONS[:1]}, "at least two options"),
        ({"name": "e", "type": "evidence", "label": "E", "relations": RELATIONS, "sets": 1}, "sets: must be true or"),
    ],
)
def test_a_bad_definition_is_named_by_its_path(field, problem):
    with pytest.raises(SchemaError) as refused:
        Schema.parse({"fields": [field]})
    assert any(problem in one for one in refused.value.problems), refused.value.problems


EVIDENCE = Schema.parse(
    {
        "fields": [
            {"name": "evidence", "type": "evidence", "label": "Evidence", "question": True, "relations": RELATIONS}
        ]
    }
)


def test_an_evidence_record_keeps_what_was_given_and_drops_empty_keys():
    labels = EVIDENCE.check_labels(
        {
            "evidence": [
                {
                    "url": " https://stats.example.org/fares?year=2023 ",
                    "relation": "refutes",
                    "quote": "Fares rose 3%.",
                    "question": "How much did fares rise?",
                    "answer": "3%",
                    "note": "",
                }
            ]
        }
    )
    assert labels["evidence"] == [
        {
            "url": "https://stats.example.org/fares?year=2023",
            "relation": "refutes",
            "quote": "Fares rose 3%.",
            "question": "How much did fares rise?",
            "answer": "3%",
        }
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/a", "http:// or https://"),
        ("data:text/html,<script>alert(1)</script>", "http:// or https://"),
        ("https:///nohost", "no host"),
        ("https://example.org/a b", "spaces"),
        ("https://example.org/" + "a" * 2000, "longer than 2000"),
        ("", "a source URL is required"),
    ],
)
def test_only_http_and_https_urls_with_a_host_are_accepted(url, message):
    with pytest.raises(LabelError, match=message):
        EVIDENCE.check_labels({"evidence": [{"url": url, "relation": "supports"}]})


def test_a_set_number_is_refused_where_the_protocol_has_no_sets():
    with pytest.raises(LabelError, match='"set" is not asked here'):
        EVIDENCE.check_labels({"evidence": [{"url": "https://a.example", "relation": "supports", "set": 2}]})


def test_majority_runs_are_the_characters_more_than_half_marked():
    # ada 0-10, bob 5-15, cy 8-20: 5-15 is marked by two of three (8-10 by all three).
    assert majority_runs([(0, 0, 10), (1, 5, 15), (2, 8, 20)], 3) == [(5, 15)]
    # one annotator's overlapping spans count once
    assert majority_runs([(0, 0, 10), (0, 2, 8)], 3) == []
    assert majority_runs([(0, 0, 10), (1, 20, 30)], 2) == []


def test_gold_spans_are_those_a_majority_marked_with_their_majority_answer():
    field = SCHEMA.field("claims")
    ada = SCHEMA.check_labels({"claims": [span("fares rose 8% in 2023"), span("Critics say")]}, PASSAGE)["claims"]
    bob = SCHEMA.check_labels({"claims": [span("fares rose 8%", verdict="refutes")]}, PASSAGE)["claims"]
    cy = SCHEMA.check_labels({"claims": [span("fares rose 8% in 2023", verdict="supports")]}, PASSAGE)["claims"]
    gold, summary = field.settle([ada, bob, cy], None, PASSAGE)
    assert [one["text"] for one in gold] == ["fares rose 8% in 2023"]
    assert gold[0]["labels"] == {"verdict": "supports"}
    assert gold[0]["gold"] == {"source": "unanimous", "annotators": 3, "of": 3}
    assert summary["source"] == "unanimous"


def test_a_reviewers_spans_are_the_gold():
    field = SCHEMA.field("claims")
    decided = SCHEMA.check_labels({"claims": [span("Critics say the figure is wrong", verdict="refutes")]}, PASSAGE)
    gold, summary = field.settle([None, None], decided["claims"])
    assert gold == decided["claims"] and summary["source"] == "adjudicated"


def test_evidence_gold_counts_who_cited_each_source():
    field = EVIDENCE.field("evidence")
    cited = {"url": "https://a.example", "relation": "refutes", "quote": "Fares rose 3%."}
    given = [[cited], [{**cited, "relation": "refutes"}], [{**cited, "relation": "supports"}], None]
    gold, _ = field.settle(given, None)
    assert gold == [{**cited, "relation": "refutes", "gold": {"cited_by": 3, "of": 4}}]
