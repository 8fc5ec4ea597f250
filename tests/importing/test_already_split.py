"""Importing input that is already split (`--already-split`, the upload form's "Already split"):
each document is one annotatable passage, as given, however short; a text too long to be one
passage is refused by file and line while the good lines beside it go in."""

import json
import re

import sqlalchemy as sa

from annotator.data_manager.search import PassageFilters, search_passages
from annotator.documents.models import Document, Passage
from annotator.extensions import db
from annotator.importing.models import ImportJob
from annotator.importing.readers import ReadOptions
from annotator.importing.service import ImportSettings, import_paths
from annotator.projects.models import Project
from annotator.splitting import WHOLE_PASSAGE_FACTOR, split_document, whole_passage
from annotator.splitting.words import passage_words
from tests.web.test_project_pages import a_file, as_admin, upload_files  # noqa: F401  (as_admin: a fixture)

# Real claims that an import which splits leaves out: as page furniture ("Read more") or as a
# repeat of an earlier claim (c5 repeats c1 but for case and punctuation).
CLAIMS = {
    "c1": "Taxes rose 5%.",
    "c2": "Vaccines cause autism",
    "c3": "Obama: I never said that",
    "c4": "Read more",
    "c5": "TAXES ROSE 5%",
}
MAX_CHARS = 600


def test_the_splitter_reads_a_claim_alone_as_page_furniture():
    assert split_document(CLAIMS["c4"])[0].excluded_reason == "boilerplate"


def jsonl(claims: dict[str, str]) -> str:
    return "".join(json.dumps({"id": key, "text": text}) + "\n" for key, text in claims.items())


def stored_passages():
    return db.session.execute(
        sa.select(
            Document.external_id,
            Document.title,
            Passage.text,
            Passage.start,
            Passage.end,
            Passage.annotatable,
            Passage.excluded_reason,
            Passage.splitter_version,
            Document.raw_text,
        )
        .join(Document, Document.id == Passage.document_id)
        .order_by(Document.external_id, Passage.index)
    ).all()


def assert_each_claim_is_one_passage_to_annotate(claims: dict[str, str]) -> None:
    rows = stored_passages()
    assert [row.external_id for row in rows] == sorted(claims)  # one passage a document
    for row in rows:
        assert (row.text, row.annotatable, row.excluded_reason) == (claims[row.external_id].strip(), True, None)
        assert row.raw_text[row.start : row.end] == claims[row.external_id].strip()
        assert row.title == claims[row.external_id].strip()
        assert row.splitter_version == "as given"  # how the passage was made, in the audit export
    project = db.session.scalar(sa.select(Project))
    assert project.annotatable_passages == len(claims)


def test_command_imports_each_jsonl_line_as_one_passage_as_given(runner, make_project, write_file):
    make_project("Claims")
    path = write_file("claims.jsonl", jsonl(CLAIMS))
    result = runner.invoke(args=["import-docs", "Claims", str(path), "--already-split"])
    assert result.exit_code == 0, result.output
    assert "5 imported (5 passages), 0 skipped as identical, 0 rejected" in result.stderr
    assert_each_claim_is_one_passage_to_annotate(CLAIMS)


def test_without_the_option_some_of_the_same_claims_are_left_out(runner, make_project, write_file):
    make_project("Claims")
    runner.invoke(args=["import-docs", "Claims", str(write_file("claims.jsonl", jsonl(CLAIMS)))])
    excluded = {row.external_id: row.excluded_reason for row in stored_passages() if not row.annotatable}
    assert excluded == {"c4": "boilerplate", "c5": "duplicate"}


def test_csv_rows_and_text_files_are_one_passage_each_offsets_over_the_raw_text(runner, make_project, write_file):
    make_project("Claims")
    table = write_file("claims.csv", 'id,text\nc1,Taxes rose 5%.\nc2,"  Vaccines\n cause autism "\n')
    note = write_file("c3.txt", "\n  Obama: I never said that\n")
    result = runner.invoke(args=["import-docs", "Claims", str(table), str(note), "--already-split"])
    assert result.exit_code == 0, result.output
    rows = {row.external_id: row for row in stored_passages()}
    assert rows["c2"].text == "Vaccines cause autism"  # whitespace collapsed, as every passage's text is
    assert rows["c2"].raw_text[rows["c2"].start : rows["c2"].end] == "Vaccines\n cause autism"
    assert (rows["c3"].start, rows["c3"].end, rows["c3"].text) == (3, 27, "Obama: I never said that")
    assert all(row.annotatable for row in rows.values())


def test_claims_that_differ_only_in_case_are_each_annotated_and_identical_ones_skipped(
    runner, make_project, write_file
):
    make_project("Claims")
    first = write_file("claims.jsonl", jsonl(CLAIMS))
    runner.invoke(args=["import-docs", "Claims", str(first), "--already-split"])
    again = runner.invoke(args=["import-docs", "Claims", str(first), "--already-split"])
    assert "0 imported (0 passages), 5 skipped as identical, 0 rejected" in again.stderr
    assert [row.excluded_reason for row in stored_passages()] == [None] * 5  # c5 repeats c1 but for its case


def test_a_text_too_long_for_one_passage_is_refused_by_line_and_the_lines_beside_it_go_in(
    runner, make_project, write_file
):
    make_project("Claims")
    long_text = "A sentence of a long article. " * (WHOLE_PASSAGE_FACTOR * MAX_CHARS // 30 + 1)
    path = write_file("claims.jsonl", jsonl({"c1": CLAIMS["c1"], "long": long_text, "c2": CLAIMS["c2"]}))
    result = runner.invoke(args=["import-docs", "Claims", str(path), "--already-split"])
    assert result.exit_code == 1
    assert "2 imported (2 passages), 0 skipped as identical, 1 rejected" in result.stderr
    refusal = f"{path}:2: the text is {len(long_text.strip()):,} characters, too long to be one passage (at most 6,000)"
    assert refusal in result.stderr
    assert "without the already-split option" in result.stderr
    assert [row.external_id for row in stored_passages()] == ["c1", "c2"]


def test_an_empty_text_is_still_refused_by_line(runner, make_project, write_file):
    make_project("Claims")
    path = write_file("claims.jsonl", jsonl({"c1": CLAIMS["c1"], "blank": "  \n ", "hidden": "\u200b\u00ad"}))
    result = runner.invoke(args=["import-docs", "Claims", str(path), "--already-split"])
    assert result.exit_code == 1
    assert f'{path}:2: "text" is empty' in result.stderr
    assert f"{path}:3: the text is empty" in result.stderr
    assert [row.external_id for row in stored_passages()] == ["c1"]


def test_the_importer_takes_documents_whole_and_search_finds_them(app, make_project, write_file):
    project = make_project("Claims")
    path = write_file("claims.jsonl", jsonl(CLAIMS))
    settings = ImportSettings(read=ReadOptions(1 << 20), max_passage_chars=MAX_CHARS, already_split=True)
    outcomes = list(import_paths(db.session, project, [path], settings))
    db.session.commit()
    assert [(outcome.status, outcome.passages) for outcome in outcomes] == [("imported", 1)] * 5
    assert_each_claim_is_one_passage_to_annotate(CLAIMS)
    found = search_passages(db.session, project, PassageFilters(words="autism")).passages
    assert [(passage.text, passage.status) for passage in found] == [("Vaccines cause autism", "open")]


def test_the_upload_form_imports_already_split_files_when_ticked(as_admin, make_project):
    project = make_project("Claims")
    page = f"/admin/projects/{project.id}/documents"
    form = as_admin.get(page).get_data(as_text=True)
    assert 'name="already_split"' in form and "Already split: each document is one passage, as given" in form
    result = upload_files(as_admin, page, files=[a_file(jsonl(CLAIMS), "claims.jsonl")], already_split="y")
    html = result.get_data(as_text=True)
    assert "5 imported (5 passages), 0 skipped as identical, 0 rejected" in html
    assert "Already split: each document imported as one passage, as given." in html
    assert db.session.scalar(sa.select(ImportJob.options))["already_split"] is True
    assert_each_claim_is_one_passage_to_annotate(CLAIMS)


def test_the_upload_form_splits_when_not_ticked(as_admin, make_project):
    project = make_project("Claims")
    page = f"/admin/projects/{project.id}/documents"
    html = upload_files(as_admin, page, files=[a_file(jsonl(CLAIMS), "claims.jsonl")]).get_data(as_text=True)
    assert "Already split: each document imported" not in html
    assert re.search(r"5 imported \(5 passages\)", html)
    assert db.session.scalar(sa.select(Project.annotatable_passages)) < len(CLAIMS)


def test_the_command_says_what_the_option_does(runner):
    result = runner.invoke(args=["import-docs", "--help"])
    help_text = " ".join(result.output.lower().split())
    assert "each document is one passage, as given: nothing is split or left out" in help_text


def test_documents_taken_whole_need_no_splitting_workers(app, make_project, write_file, monkeypatch):
    def no_splitting(jobs, workers):
        raise AssertionError("documents taken whole were sent to the splitter")

    monkeypatch.setattr("annotator.importing.service.split_batches", no_splitting)
    project = make_project("Claims")
    settings = ImportSettings(read=ReadOptions(1 << 20), workers=4, already_split=True)
    outcomes = list(import_paths(db.session, project, [write_file("claims.jsonl", jsonl(CLAIMS))], settings))
    assert [outcome.status for outcome in outcomes] == ["imported"] * 5


def test_a_passage_taken_whole_lines_its_words_up_with_the_raw_text_for_claim_spans():
    raw = "\n  Obama:\u00a0I never\n  said\u200b that \n"
    (passage,) = whole_passage(raw)
    words = passage_words(passage.text, raw[passage.start : passage.end], passage.start)
    assert [raw[word.raw_start : word.raw_end] for word in words] == ["Obama", ":", "I", "never", "said", "that"]
    assert [passage.text[word.text_start : word.text_end] for word in words] == [
        "Obama",
        ":",
        "I",
        "never",
        "said",
        "that",
    ]
