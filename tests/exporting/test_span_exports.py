"""Claim spans and evidence records in the exports: the training export's gold spans (their
agreed extent with its exact words, the raw offsets that give them back) and records with their
provenance, as JSON Lines and CSV; the FEVER-shaped export (one line per gold claim, evidence
as alternative sets, refused for a schema without a verdict); both valid against their JSON
Schemas and loaded by `datasets`."""

import csv
import io
import json
import warnings
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa

from annotator.documents.models import Document
from annotator.exporting.training_csv import CONTROL_STARTS, FORMULA_STARTS
from annotator.extensions import db
from tests.exporting.conftest import AUDIT, BLOG, RELATIONS, REPORT, words_at

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "export-schemas"


def export(runner, kind: str, *options, project: str = "Fares") -> list[dict]:
    result = runner.invoke(args=["export", project, "--kind", kind, *options])
    assert result.exit_code == 0, (result.stderr, result.exception)
    return [json.loads(line) for line in result.stdout.splitlines()]


def valid(lines: list[dict], kind: str) -> None:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for line in lines:
        validator.validate(line)


def normalised(text: str) -> str:
    return " ".join(text.split())


def test_a_gold_span_is_the_extent_a_majority_marked_with_its_exact_words(runner, fever_project):
    lines = export(runner, "training")
    first = lines[0]
    (span,) = first["labels"]["claims"]
    # ada: "the council says that it spent ...", bob: "it spent ... on cycle lanes": two of three agree
    assert span["text"] == "it spent 0 thousand pounds"
    assert (span["start"], span["end"]) == words_at(fever_project.passages[0], "it spent 0 thousand pounds")
    raw_text = db.session.get(Document, fever_project.passages[0].document_id).raw_text
    assert normalised(raw_text[span["start"] : span["end"]]) == span["text"]
    assert span["gold"] == {"source": "majority", "annotators": 2, "of": 3}
    assert span["labels"]["verdict"] == "refutes"
    assert span["labels"]["claim"] is None  # every sub-field, null where none: every line has the same shape
    assert first["gold"]["claims"]["source"] == "majority"


def test_a_decision_without_spans_leaves_the_annotators_majority_span(runner, fever_project):
    from annotator.review.adjudicating import adjudicate
    from annotator.users.models import User

    reviewer = db.session.scalar(sa.select(User).where(User.username == "rev"))
    adjudicate(db.session, fever_project, fever_project.passages[0].id, reviewer, {"checkworthy": "yes"})
    db.session.commit()
    first = export(runner, "training")[0]
    assert first["adjudicated"] and first["labels"]["checkworthy"] == "yes"
    assert [span["text"] for span in first["labels"]["claims"]] == ["it spent 0 thousand pounds"]


def test_gold_evidence_records_say_who_cited_them(runner, fever_project):
    first = export(runner, "training")[0]
    records = first["labels"]["claims"][0]["labels"]["evidence"]
    assert [(record["url"], record["set"], record["gold"]) for record in records] == [
        (REPORT, 1, {"source": "cited", "cited_by": 2, "of": 2}),
        (AUDIT, 2, {"source": "cited", "cited_by": 1, "of": 2}),
    ]
    assert records[1] | {"gold": None} == {
        "url": AUDIT,
        "relation": "refutes",
        "quote": None,
        "set": 2,
        "note": None,
        "gold": None,
    }


def test_a_reviewers_spans_and_records_are_marked_adjudicated(runner, fever_project):
    decided = export(runner, "training")[2]
    (span,) = decided["labels"]["claims"]
    assert span["text"] == "cycle lanes during the year"
    assert span["gold"] == {"source": "adjudicated", "annotators": None, "of": None}
    assert {record["gold"]["source"] for record in span["labels"]["evidence"]} == {"adjudicated"}
    assert decided["gold"]["claims"]["source"] == "adjudicated"


def test_the_training_export_with_spans_is_valid_against_its_schema(runner, fever_project):
    lines = export(runner, "training", "--context")
    assert len(lines) == 4
    valid(lines, "training")
    valid(export(runner, "annotations"), "annotations")


def test_the_training_csv_holds_spans_as_json_in_one_safe_cell(runner, fever_project):
    result = runner.invoke(args=["export", "Fares", "--kind", "training", "--csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    jsonl = export(runner, "training")
    assert [json.loads(row["claims"]) for row in rows] == [line["labels"]["claims"] for line in jsonl]
    assert [row["claims_source"] for row in rows] == ["majority", "unanimous", "adjudicated", "unanimous"]
    cells = [cell for row in csv.reader(io.StringIO(result.stdout, newline="")) for cell in row]
    assert any("=SUM(A1)" in cell for cell in cells)  # the quote is there, inside the JSON cell
    assert not [cell for cell in cells if cell.lstrip().startswith(FORMULA_STARTS) or cell.startswith(CONTROL_STARTS)]


def test_fever_has_one_line_per_gold_claim_with_a_verdict(runner, fever_project):
    lines = export(runner, "fever")
    p = fever_project.passages
    refuted, not_enough, supported = lines  # passage 3's claim has three verdicts: no gold one
    assert refuted == {
        "id": f"{p[0].id}:{refuted['start']}-{refuted['end']}",
        "claim": "it spent 0 thousand pounds",
        "label": "REFUTES",
        "evidence": [
            [{"url": REPORT, "quote": "=SUM(A1) fares rose", "relation": "refutes"}],
            [{"url": AUDIT, "quote": None, "relation": "refutes"}],
        ],
        "passage_id": p[0].id,
        "document_id": "doc0000",
        "start": words_at(p[0], "it spent 0 thousand pounds")[0],
        "end": words_at(p[0], "it spent 0 thousand pounds")[1],
        "source": "majority",
    }
    # the annotators' own wording of the claim; bob cited a blog, but NOT ENOUGH INFO has no evidence
    assert (not_enough["claim"], not_enough["label"], not_enough["evidence"]) == ("+44 said", "NOT ENOUGH INFO", [])
    assert not_enough["source"] == "unanimous" and BLOG not in json.dumps(lines)
    assert (supported["label"], supported["source"]) == ("SUPPORTS", "adjudicated")
    # sets in the order of their numbers, whatever order the records were given in
    assert [[record["url"] for record in one] for one in supported["evidence"]] == [[AUDIT], [REPORT]]
    valid(lines, "fever")


@pytest.fixture
def passage_verdicts(make_project, make_documents, make_user, add_member, import_labels):
    """A project whose verdict is a passage-level field, with AVeriTeC-style questions."""
    schema = {
        "fields": [
            {"name": "verdict", "label": "Verdict", "level": "nominal", "options": RELATIONS},
            {
                "name": "evidence",
                "type": "evidence",
                "label": "Evidence",
                "required": False,
                "question": True,
                "relations": RELATIONS,
            },
        ]
    }
    project = make_project("Verdicts", overlap_k=1, schema=schema)
    passages = make_documents(project, count=1, paragraphs=2)
    make_user("ada")
    add_member(project, "ada")
    record = {"url": REPORT, "relation": "supports", "question": "How much?", "answer": "0"}
    import_labels(
        project,
        [
            {"passage_id": passages[0].id, "annotator": "ada", "labels": {"verdict": "supports", "evidence": [record]}},
            {"passage_id": passages[1].id, "annotator": "ada", "labels": {"verdict": "refutes"}},
        ],
    )
    return passages


def test_a_passage_level_verdict_makes_each_passage_a_claim(runner, passage_verdicts):
    lines = export(runner, "fever", project="Verdicts")
    assert [(line["claim"], line["label"], line["source"]) for line in lines] == [
        (passage_verdicts[0].text, "SUPPORTS", "single"),
        (passage_verdicts[1].text, "REFUTES", "single"),
    ]
    assert lines[0]["evidence"] == [
        [{"url": REPORT, "quote": None, "relation": "supports", "question": "How much?", "answer": "0"}]
    ]
    assert (lines[0]["start"], lines[0]["end"]) == (passage_verdicts[0].start, passage_verdicts[0].end)
    valid(lines, "fever")


def test_fever_is_refused_for_a_schema_without_a_verdict(runner, labelled):
    result = runner.invoke(args=["export", "Bike lanes", "--kind", "fever"])
    assert result.exit_code == 1
    assert "the fever export needs a verdict" in result.stderr and "this project's schema has none" in result.stderr
    assert result.stdout == ""


def test_the_exports_page_offers_fever_only_for_a_schema_with_a_verdict(
    fever_project, make_project, make_user, login, client
):
    plain = make_project("Bike lanes")  # the default claim schema: no verdict
    make_user("boss", "admin")
    login("boss")
    page = client.get(f"/projects/{fever_project.id}/exports").get_data(as_text=True)
    assert f"/projects/{fever_project.id}/exports/fever" in page
    download = client.get(f"/projects/{fever_project.id}/exports/fever")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith('attachment; filename="Fares-fever.jsonl"')
    assert [json.loads(line)["label"] for line in download.get_data(as_text=True).splitlines()] == [
        "REFUTES",
        "NOT ENOUGH INFO",
        "SUPPORTS",
    ]
    assert "/exports/fever" not in client.get(f"/projects/{plain.id}/exports").get_data(as_text=True)
    refused = client.get(f"/projects/{plain.id}/exports/fever")
    assert refused.status_code == 409 and "needs a verdict" in refused.get_data(as_text=True)


def load_with_datasets(path: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # third-party deprecations are not this test's concern
        import datasets

        return datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache"))


@pytest.mark.parametrize("kind", ["training", "fever"])
def test_datasets_loads_the_span_exports(runner, fever_project, tmp_path, monkeypatch, kind):
    target = tmp_path / f"{kind}.jsonl"
    result = runner.invoke(args=["export", "Fares", "--kind", kind, "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    loaded = load_with_datasets(target, tmp_path, monkeypatch)
    expected = [json.loads(line) for line in target.read_text().splitlines()]
    assert loaded.num_rows == len(expected)
    if kind == "fever":
        assert loaded["label"] == ["REFUTES", "NOT ENOUGH INFO", "SUPPORTS"]
        assert loaded[0]["evidence"][1][0] == {"url": AUDIT, "quote": None, "relation": "refutes"}
        assert loaded[1]["evidence"] == []
    else:
        span = loaded[0]["labels"]["claims"][0]
        assert (span["text"], span["gold"]["source"]) == ("it spent 0 thousand pounds", "majority")
        assert loaded[2]["labels"]["claims"][0]["gold"]["annotators"] is None


def test_of_the_templates_fever_alone_has_claims_with_a_verdict():
    from annotator.exporting.fever import fever_shape
    from annotator.projects.templates import TEMPLATES
    from annotator.schema import Schema

    shapes = {template.name: fever_shape(Schema.parse(template.schema())) for template in TEMPLATES}
    assert [name for name, shape in shapes.items() if shape is not None] == ["fever"]
    fever = shapes["fever"]
    assert (fever.span.name, fever.verdict.name, fever.evidence.name) == ("claims", "verdict", "evidence")


def test_a_fever_template_project_exports_its_claims(
    runner, make_project, make_documents, make_user, add_member, import_labels, tmp_path, monkeypatch
):
    from annotator.projects.templates import template_named
    from tests.exporting.conftest import claim

    project = make_project("Fever", overlap_k=2, schema=template_named("fever").schema())
    passages = make_documents(project, count=1, paragraphs=2)
    for name in ("ada", "bob"):
        make_user(name)
        add_member(project, name)
    cited = [{"url": REPORT, "quote": "fares", "relation": "supports", "set": 1}]
    import_labels(
        project,
        [
            {"passage_id": passages[0].id, "annotator": name, "labels": {"claims": [labels]}}
            for name, labels in (
                ("ada", claim(passages[0], "the council says", "supports", evidence=cited)),
                ("bob", claim(passages[0], "the council says", "supports", evidence=cited)),
            )
        ],
    )
    target = tmp_path / "fever.jsonl"
    assert runner.invoke(args=["export", "Fever", "--kind", "fever", "-o", str(target)]).exit_code == 0
    (line,) = [json.loads(text) for text in target.read_text().splitlines()]
    assert (line["claim"], line["label"], line["source"]) == ("the council says", "SUPPORTS", "unanimous")
    assert line["evidence"] == [[{"url": REPORT, "quote": "fares", "relation": "supports"}]]
    valid([line], "fever")
    assert load_with_datasets(target, tmp_path, monkeypatch)["label"] == ["SUPPORTS"]
