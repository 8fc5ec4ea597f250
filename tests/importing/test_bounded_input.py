"""Documents built to break the importer or the database: each is refused as `FILE:LINE:
message`, the others of the same file go in, and both databases answer alike."""

import json
import tracemalloc

import sqlalchemy as sa

from annotator.documents.models import Document
from annotator.extensions import db
from annotator.splitting import split_document

GOOD = {"id": "good", "text": "The council approved the harbour bridge on Monday by nine votes to four."}
ALSO_GOOD = {"id": "also-good", "text": "Construction starts in spring and will cost 48 million euros."}


def imported_ids():
    return db.session.scalars(sa.select(Document.external_id).order_by(Document.id)).all()


def jsonl(*lines) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


def test_a_line_whose_meta_nests_a_thousand_levels_is_refused_and_the_others_go_in(runner, make_project, write_file):
    make_project("Claims")
    deep = '{"id": "deep", "text": "A document.", "meta": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}"
    path = write_file("docs.jsonl", jsonl(GOOD, deep, ALSO_GOOD))
    result = runner.invoke(args=["import-docs", "Claims", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{path}:2: JSON nested more than 64 levels deep"
    assert imported_ids() == ["good", "also-good"]


def test_meta_counts_toward_the_document_size_limit(runner, make_project, write_file):
    """A row of a few words and 3,000 other columns is 150 KB of meta: over a 100 KB limit."""
    make_project("Claims")
    columns = [f"column {number}" for number in range(3000)]
    header = ",".join(["id", "text", *columns])
    wide = ",".join(["wide", "A short text.", *(["some value in a column"] * 3000)])
    narrow = ",".join(["narrow", "Another short text.", *([""] * 3000)])
    path = write_file("rows.csv", "\n".join([header, wide, narrow]) + "\n")
    result = runner.invoke(args=["import-docs", "Claims", str(path), "--max-bytes", "100000"])
    assert result.exit_code == 1
    assert f"{path}:2: document is over the limit of 0.1 MB" in result.stderr
    assert imported_ids() == ["narrow"]


def test_a_json_line_far_over_the_limit_is_skipped_without_being_read_into_memory(runner, make_project, write_file):
    make_project("Claims")
    endless = '{"id": "endless", "text": "' + "x" * 20_000_000 + '"}'
    path = write_file("docs.jsonl", jsonl(GOOD, endless, ALSO_GOOD))
    del endless
    split_document("Load the word list first: bil-\nlions.")  # 30 MB of its own, once per process
    tracemalloc.start()
    try:
        result = runner.invoke(args=["import-docs", "Claims", str(path), "--max-bytes", "100000"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert f"{path}:2: document is over the limit of 0.1 MB" in result.stderr
    assert imported_ids() == ["good", "also-good"]
    assert peak < 10_000_000  # the line alone is 20 MB


def test_nul_characters_are_refused_in_text_title_meta_and_id_alike_on_every_database(runner, make_project, write_file):
    make_project("Claims")
    path = write_file(
        "docs.jsonl",
        jsonl(
            {"id": "text", "text": "A claim\u0000 with a NUL."},
            {"id": "title", "text": "A claim with a NUL in its title.", "title": "Title\u0000"},
            {"id": "meta", "text": "A claim with a NUL in its meta.", "meta": {"source": {"name": "x\u0000"}}},
            {"id": "id\u0000", "text": "A claim with a NUL in its id."},
            GOOD,
        ),
    )
    result = runner.invoke(args=["import-docs", "Claims", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:4] == [
        f"{path}:1: the text contains a NUL character (U+0000), which cannot be stored",
        f"{path}:2: the title contains a NUL character (U+0000), which cannot be stored",
        f"{path}:3: the meta contains a NUL character (U+0000), which cannot be stored",
        f"{path}:4: the id contains a NUL character (U+0000), which cannot be stored",
    ]
    assert imported_ids() == ["good"]


def test_a_text_file_with_a_nul_past_its_first_bytes_is_refused(runner, make_project, write_file):
    """The binary check reads the first 64 KB; a NUL further on reached the database."""
    make_project("Claims")
    late = write_file("late.txt", "A sentence about the harbour.\n\n" * 3000 + "Then a NUL\u0000 here.\n")
    good = write_file("good.txt", GOOD["text"])
    result = runner.invoke(args=["import-docs", "Claims", str(late), str(good)])
    assert result.exit_code == 1
    assert f"{late}: the text contains a NUL character (U+0000), which cannot be stored" in result.stderr
    assert imported_ids() == ["good"]


def test_an_id_longer_than_the_database_keeps_is_refused_on_every_database(runner, make_project, write_file):
    """SQLite stored a 600-character id; PostgreSQL's column holds 500, and the import failed whole."""
    make_project("Claims")
    path = write_file("docs.jsonl", jsonl({"id": "x" * 600, "text": "A claim with a long id."}, GOOD))
    result = runner.invoke(args=["import-docs", "Claims", str(path)])
    assert result.exit_code == 1
    assert f"{path}:1: the id is 600 characters long, over the limit of 500" in result.stderr
    assert imported_ids() == ["good"]


def test_a_missing_column_lists_a_few_columns_not_all_of_a_million(runner, make_project, write_file):
    make_project("Claims")
    path = write_file("wide.csv", ",".join(f"c{number}" for number in range(100_000)) + "\n" + "x," * 99_999 + "x\n")
    result = runner.invoke(args=["import-docs", "Claims", str(path)])
    assert result.exit_code == 1
    assert f'{path}: no column "text" (columns: c0, c1, ' in result.stderr
    assert "c19 and 99,980 more; choose with --text-column)" in result.stderr
    assert len(result.stderr) < 1000
