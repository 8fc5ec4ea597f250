"""The exports: every kind from the command line, valid against its JSON Schema; training
records with their gold, filters, context and splits; the audit trail in order; gzip."""

import gzip
import json
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa

from annotator.extensions import db
from annotator.project_agreement.snapshot import agreement_figures
from annotator.review.adjudicating import adjudicate
from annotator.splitting import SPLITTER_VERSION
from annotator.users.models import User
from tests.exporting.conftest import import_unlabelled
from tests.review.conftest import LABELS

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "export-schemas"
KINDS = ("passages", "annotations", "training", "audit", "backup")


def export(runner, *options) -> list[dict]:
    result = runner.invoke(args=["export", "Bike lanes", *options])
    assert result.exit_code == 0, (result.stderr, result.exception)
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_exports_lines_valid_against_its_schema(runner, decided, kind):
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    lines = export(runner, "--kind", kind)
    assert lines
    validator = jsonschema.Draft202012Validator(schema)
    for line in lines:
        validator.validate(line)


def test_training_has_one_line_per_annotatable_passage_with_gold_and_its_source(runner, decided):
    lines = export(runner, "--kind", "training")
    p = decided.passages
    assert [line["passage_id"] for line in lines] == [passage.id for passage in p]
    by_id = {line["passage_id"]: line for line in lines}
    first = by_id[p[0].id]  # opinion x3; stance favor, favor, against
    assert (first["labels"]["claim_type"], first["labels"]["verifiability"]) == ("opinion", "verifiable")
    assert first["gold"]["claim_type"]["source"] == "unanimous"
    # two of three said favor: Dawid-Skene keeps the majority, or overrules it and says so
    stance = first["gold"]["stance"]
    assert stance["source"] == {"favor": "majority", "against": "estimated"}[first["labels"]["stance"]]
    assert stance["agreement"] == pytest.approx(1 / 3) and 0.5 <= stance["probability"] <= 1
    assert first["annotators"] == 3 and first["agreement"] == pytest.approx(1 / 3)
    decided_line = by_id[p[2].id]
    assert decided_line["adjudicated"] and decided_line["gold"]["verifiability"] == {
        "source": "adjudicated",
        "probability": 1.0,
        "agreement": 1.0,
    }
    assert decided_line["labels"]["verifiability"] == "partly_verifiable"
    no_claim = by_id[p[1].id]
    assert no_claim["labels"] == {"claim_type": "no_claim", "stance": None, "verifiability": None}
    assert [a["annotator"] for a in first["annotations"]] == ["annotator-1", "annotator-2", "annotator-3"]
    assert "ada" not in json.dumps(lines)


def test_training_holds_labelled_passages_unless_every_passage_is_asked_for(runner, decided, import_texts, write_file):
    from annotator.documents.models import Passage

    unlabelled = import_unlabelled(decided, import_texts, write_file)
    assert len(unlabelled) == 6
    labelled = [passage.id for passage in decided.passages]
    assert [line["passage_id"] for line in export(runner, "--kind", "training")] == labelled
    everything = export(runner, "--kind", "training", "--all-passages")
    assert [line["passage_id"] for line in everything] == labelled + [passage.id for passage in unlabelled]
    assert all(line["annotators"] == 0 and set(line["labels"].values()) == {None} for line in everything[6:])
    decided_alone = unlabelled[0]  # a reviewer's decision without label sets still counts as labelled
    adjudicate(
        db.session,
        decided,
        decided_alone.id,
        db.session.scalar(sa.select(User).where(User.username == "rev")),
        {"claim_type": "no_claim"},
        "",
    )
    db.session.commit()
    assert [line["passage_id"] for line in export(runner, "--kind", "training")] == labelled + [decided_alone.id]
    assert db.session.get(Passage, decided_alone.id).annotatable


def test_the_exports_gold_is_the_dashboards(runner, decided):
    figures = agreement_figures(db.session, decided).figures
    db.session.commit()
    lines = export(runner, "--kind", "training")
    for field in ("claim_type", "stance", "verifiability"):
        counted = {
            source: sum(line["gold"][field]["source"] == source for line in lines)
            for source in figures["fields"][field]["gold"]["sources"]
        }
        assert counted == figures["fields"][field]["gold"]["sources"], field


def test_training_is_the_same_whether_or_not_the_figures_were_kept(runner, decided):
    cold = export(runner, "--kind", "training")  # no figures kept: the export fits Dawid-Skene itself
    agreement_figures(db.session, decided)
    db.session.commit()
    assert export(runner, "--kind", "training") == cold
    assert {line["gold"]["claim_type"]["source"] for line in cold} >= {"adjudicated", "unanimous", "majority"}


def test_an_annotator_who_shares_no_passage_gives_single_gold_without_a_probability(runner, decided, loner):
    cold = export(runner, "--kind", "training")
    agreement_figures(db.session, decided)
    db.session.commit()
    assert export(runner, "--kind", "training") == cold
    by_id = {line["passage_id"]: line for line in cold}
    assert by_id[loner[0]]["labels"] == {"claim_type": "opinion", "stance": "favor", "verifiability": "verifiable"}
    assert by_id[loner[0]]["gold"]["claim_type"] == {"source": "single", "probability": None, "agreement": None}
    assert by_id[decided.passages[0].id]["gold"]["claim_type"]["probability"] is not None


def test_training_filters_fields_names_context_and_split(runner, decided):
    p = decided.passages
    assert [line["passage_id"] for line in export(runner, "--kind", "training", "--adjudicated-only")] == [p[2].id]
    agreed = export(runner, "--kind", "training", "--min-agreement", "1")
    assert [line["passage_id"] for line in agreed] == [p[1].id, p[5].id]  # everybody agreed on every field
    only = export(runner, "--kind", "training", "--fields", "claim_type", "--names", "--context")
    assert set(only[0]["labels"]) == {"claim_type"} and set(only[0]["annotations"][0]["labels"]) == {"claim_type"}
    assert [a["annotator"] for a in only[0]["annotations"]] == sorted(LABELS)
    assert only[0]["context"] == {"before": None, "after": p[1].text} and only[1]["context"]["before"] == p[0].text


def test_a_split_keeps_each_documents_lines_together(runner, five_documents):
    split = export(runner, "--kind", "training", "--split", "60/20/20", "--seed", "0")
    assert len(split) == 14 and {line["split"] for line in split} == {"train", "dev", "test"}
    assert all(
        len({line["split"] for line in split if line["document_id"] == document}) == 1
        for document in {line["document_id"] for line in split}
    )
    assert split == export(runner, "--kind", "training", "--split", "60/20/20", "--seed", "0")


def test_a_split_that_leaves_a_split_empty_is_refused_with_a_seed_that_works(runner, five_documents):
    result = runner.invoke(args=["export", "Bike lanes", "--kind", "training", "--split", "80/10/10"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: the split 80/10/10 (seed 0) leaves dev empty: of the 5 documents with lines in this export, train gets "
        "4, dev gets 0, test gets 1 (a document's passages stay in one split); seed 11 gives every split at least one "
        "document"
    ]
    assert {line["split"] for line in export(runner, "--kind", "training", "--split", "80/10/10", "--seed", "11")} == {
        "train",
        "dev",
        "test",
    }
    assert export(runner, "--kind", "training", "--split", "80/20/0")  # a split left out needs no document


def test_a_split_keeps_documents_whole_and_follows_the_shares():
    from annotator.exporting.splits import parse_split, split_of

    shares = parse_split("80/10/10")
    splits = [split_of(f"doc-{number}", shares, seed=3) for number in range(5000)]
    assert abs(splits.count("train") / 5000 - 0.8) < 0.03 and abs(splits.count("test") / 5000 - 0.1) < 0.02
    assert splits == [split_of(f"doc-{number}", shares, seed=3) for number in range(5000)]
    assert splits != [split_of(f"doc-{number}", shares, seed=4) for number in range(5000)]
    with pytest.raises(ValueError, match="adding up to 100"):
        parse_split("80/10/5")


def test_a_refused_split_says_what_would_work_with_few_documents():
    from annotator.exporting.splits import check_split, split_sizes

    with pytest.raises(
        ValueError, match=r"2 documents cannot fill 3 splits: use two, like 80/20/0 \(seed \d+\)$"
    ) as refused:
        check_split(["a", "b"], (80, 10, 10), seed=0)
    seed = int(str(refused.value).rsplit("seed ", 1)[1].rstrip(")"))
    assert split_sizes(["a", "b"], (80, 20, 0), seed) == {"train": 1, "dev": 1, "test": 0}
    with pytest.raises(ValueError, match="one document cannot be split: export without a split"):
        check_split(["a"], (80, 10, 10))
    check_split([], (80, 10, 10))  # nothing to export, nothing to refuse
    check_split(["a"], (100, 0, 0))


@pytest.mark.parametrize(
    "options, message",
    [
        (("--split", "80/10"), 'three whole numbers adding up to 100, like 80/10/10, not "80/10"'),
        (("--fields", "claim_type,mood"), "mood"),
        (("--min-agreement", "1.5"), "1.5"),
    ],
)
def test_bad_training_options_are_refused_with_what_was_wrong(runner, decided, options, message):
    result = runner.invoke(args=["export", "Bike lanes", "--kind", "training", *options])
    assert result.exit_code != 0 and message in result.output + result.stderr and not result.stdout.startswith("{")


def test_training_as_csv(runner, decided):
    import csv
    import io

    result = runner.invoke(args=["export", "Bike lanes", "--kind", "training", "--csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 6 and rows[2]["verifiability_source"] == "adjudicated"
    assert rows[1]["stance"] == "" and json.loads(rows[0]["annotations"])[0]["annotator"] == "annotator-1"


def test_the_audit_trail_lists_every_change_in_order_under_its_rules(runner, decided):
    lines = export(runner, "--kind", "audit")
    header, events = lines[0], lines[1:]
    assert header["type"] == "header" and header["project"]["name"] == "Bike lanes"
    assert header["schemas"][0]["definition"]["fields"][0]["name"] == "claim_type"
    assert header["agreement"]["claim_type"]["alpha"] is not None
    assert [event["type"] for event in events] == ["labels"] * 18 + ["adjudication"]
    decision = events[-1]
    assert (decision["actor"], decision["annotator"], decision["after"]["note"]) == ("rev", None, "per the report")
    assert all(event["guidelines_sha256"] == header["guidelines"][0]["sha256"] for event in events)
    assert {event["splitter_version"] for event in events} == {SPLITTER_VERSION}
    assert [e["server_time"] for e in events] == sorted(e["server_time"] for e in events)


def test_a_gz_output_is_gzipped(runner, decided, tmp_path):
    target = tmp_path / "training.jsonl.gz"
    result = runner.invoke(args=["export", "Bike lanes", "--kind", "training", "-o", str(target)])
    assert result.exit_code == 0 and result.stderr.strip() == "exported 6 training lines"
    with gzip.open(target, "rt") as lines:
        assert len([json.loads(line) for line in lines]) == 6


def test_datasets_loads_the_training_export_as_is(runner, five_documents, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    target = tmp_path / "training.jsonl"
    result = runner.invoke(
        args=[
            "export",
            "Bike lanes",
            "--kind",
            "training",
            "--context",
            "--split",
            "50/25/25",
            "--seed",
            "2",
            "-o",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.stderr
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # third-party deprecations are not this test's concern
        import datasets

        loaded = datasets.load_dataset("json", data_files=str(target), split="train", cache_dir=str(tmp_path / "cache"))
    assert loaded.num_rows == 14
    assert loaded.features["labels"]["stance"].dtype == "string"
    assert loaded[1]["labels"]["stance"] is None and loaded[0]["gold"]["claim_type"]["source"] == "unanimous"
