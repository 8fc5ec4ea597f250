"""`annotator import-docs`: what a user sees on good and bad input, and what lands in the database."""

import json

import pytest
import sqlalchemy as sa

from annotator.documents.models import Document, Passage
from annotator.extensions import db
from annotator.splitting import SPLITTER_VERSION
from tests.conftest import FIXTURES

SPLITTING = FIXTURES / "splitting"
TITLES = FIXTURES / "titles"


def documents():
    return db.session.execute(sa.select(Document.external_id, Document.title).order_by(Document.external_id)).all()


def passage_count():
    return db.session.scalar(sa.select(sa.func.count(Passage.id)))


def test_text_files_are_imported_with_passages_and_offsets(runner, make_project):
    make_project("Claims")
    result = runner.invoke(
        args=["import-docs", "Claims", str(SPLITTING / "pdf_newsletter.txt"), str(SPLITTING / "blog_listing.txt")]
    )
    assert result.exit_code == 0, result.output
    assert "2 imported (21 passages), 0 skipped as identical, 0 rejected" in result.stderr
    assert [row.external_id for row in documents()] == ["blog_listing", "pdf_newsletter"]
    document = db.session.scalar(sa.select(Document).where(Document.external_id == "pdf_newsletter"))
    assert document.raw_text == (SPLITTING / "pdf_newsletter.txt").read_text(encoding="utf-8")
    passages = db.session.scalars(
        sa.select(Passage).where(Passage.document_id == document.id).order_by(Passage.index)
    ).all()
    assert passages[0].text.startswith("Attitudes are shifting")
    assert document.raw_text[passages[0].start : passages[0].start + 9] == "Attitudes"
    assert [(p.excluded_reason, p.duplicate_of_id) for p in passages[-1:]] == [("duplicate", passages[2].id)]
    assert {p.splitter_version for p in passages} == {SPLITTER_VERSION}


def test_reimporting_identical_documents_is_a_reported_no_op(runner, make_project):
    make_project("Claims")
    path = str(SPLITTING / "blog_listing.txt")
    runner.invoke(args=["import-docs", "Claims", path])
    before = passage_count()
    result = runner.invoke(args=["import-docs", "Claims", path])
    assert result.exit_code == 0
    assert "0 imported (0 passages), 1 skipped as identical, 0 rejected" in result.stderr
    assert passage_count() == before


def test_same_id_with_other_text_is_rejected_and_the_original_kept(runner, make_project, write_file):
    make_project("Claims")
    runner.invoke(args=["import-docs", "Claims", str(write_file("letter.txt", "First version of the letter."))])
    changed = write_file("letter.txt", "Second version, quite different.")
    result = runner.invoke(args=["import-docs", "Claims", str(changed)])
    assert result.exit_code == 1
    assert f'{changed}: document id "letter" already exists in this project with different text' in result.stderr
    assert db.session.scalar(sa.select(Document.raw_text)) == "First version of the letter."


def test_bad_files_are_named_and_good_files_beside_them_still_go_in(runner, make_project, write_file):
    make_project("Claims")
    good = write_file("good.txt", "A good document with a claim: fares rose 12 percent.")
    empty = write_file("empty.txt", b"")
    binary = write_file("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    unknown = write_file("table.xlsx", b"PK\x03\x04")
    missing = good.parent / "missing.txt"
    result = runner.invoke(
        args=["import-docs", "Claims", str(empty), str(binary), str(good), str(unknown), str(missing)]
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"{empty}: empty file" in lines
    assert f"{binary}: binary file (not text): contains NUL or control bytes" in lines
    assert f'{unknown}: unknown file type ".xlsx" (use --format txt|jsonl|csv|html)' in lines
    assert f"{missing}: no such file" in lines
    assert "1 imported (1 passages), 0 skipped as identical, 4 rejected" in lines[-1]
    assert [row.external_id for row in documents()] == ["good"]


def test_legacy_encoding_is_reported_and_decoded_correctly(runner, make_project, write_file):
    make_project("Claims")
    text = "The café’s owner said “déjà vu” — prices rose 5% in Zürich and Köln. Naïve readers won’t notice."
    path = write_file("legacy.txt", text.encode("cp1252"))
    result = runner.invoke(args=["import-docs", "Claims", str(path)])
    assert result.exit_code == 0
    assert f"{path}: not UTF-8: decoded as cp1252" in result.stderr
    assert db.session.scalar(sa.select(Document.raw_text)) == text
    assert db.session.scalar(sa.select(Passage.text)) == text


def test_jsonl_bad_lines_are_named_and_good_lines_kept(runner, make_project, write_file):
    make_project("Claims")
    lines = [
        json.dumps({"id": "a", "text": "Fares rose by 12 percent.", "title": "Fares", "meta": {"source": "x"}}),
        '{"id": "b", "text": "unterminated',
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": "   "}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"id": 7, "text": "Integer ids become text ids."}),
    ]
    path = write_file("docs.jsonl", "\n".join(lines) + "\n")
    result = runner.invoke(args=["import-docs", "Claims", str(path)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert errors[0].startswith(f"{path}:2: not valid JSON: ")
    assert errors[1:] == [
        f'{path}:3: missing "text" (a string)',
        f'{path}:4: "text" is empty',
        f'{path}:5: a line must be a JSON object with "id" and "text"',
    ]
    assert [tuple(row) for row in documents()] == [("7", "Integer ids become text ids."), ("a", "Fares")]
    assert db.session.scalar(sa.select(Document.meta).where(Document.external_id == "a")) == {"source": "x"}


@pytest.mark.parametrize("workers", [1, 2])
def test_documents_without_a_title_are_named_by_their_first_real_line(runner, make_project, write_file, workers):
    make_project("Claims")
    web_page = write_file("fares.txt", (TITLES / "web_dump_menus_first.txt").read_text(encoding="utf-8"))
    letters = write_file(
        "letters.jsonl",
        "".join(
            json.dumps(record) + "\n"
            for record in [
                {"id": "letter", "text": (TITLES / "letter_with_subject.txt").read_text(encoding="utf-8")},
                {
                    "id": "given",
                    "text": "# Bridge vote\n\nThe council approved the bridge.",
                    "title": "Council minutes, March",
                },
                {"id": "invisible", "text": "\u200b\u200b"},
            ]
        ),
    )
    bodies = write_file(
        "bodies.csv", 'id,text\nslides,"  • slide1.jpg\n  • slide2.jpg\n  • slide3.jpg\nShare Tweet Email\n"\n'
    )
    result = runner.invoke(
        args=["import-docs", "Claims", str(web_page), str(letters), str(bodies), "--workers", str(workers)]
    )
    assert result.exit_code == 0, result.stderr
    assert [tuple(row) for row in documents()] == [
        ("fares", "Bus fares in Harbourton to rise by 8 percent in April"),
        ("given", "Council minutes, March"),  # the file's own title is kept
        ("invisible", "invisible"),  # no text to take a title from: the id
        ("letter", "Protected bike lane on Northfield Road"),
        ("slides", "• slide1.jpg"),  # nothing but furniture: the first line
    ]


def test_documents_over_the_size_limit_are_rejected_whole(runner, make_project, write_file):
    make_project("Claims")
    big = write_file("big.txt", "A claim. " * 200)
    small = write_file(
        "small.jsonl",
        json.dumps({"id": "s", "text": "short"}) + "\n" + json.dumps({"id": "l", "text": "x" * 3000}) + "\n",
    )
    result = runner.invoke(args=["import-docs", "Claims", str(big), str(small), "--max-bytes", "1000"])
    assert result.exit_code == 1
    assert f"{big}: document is 0.0 MB, over the limit of 0.0 MB" in result.stderr
    assert f"{small}:2: document is over the limit of 0.0 MB" in result.stderr
    assert [row.external_id for row in documents()] == ["s"]
    assert passage_count() == 1


def test_csv_with_chosen_columns_and_a_bad_row(runner, make_project, write_file):
    make_project("Claims")
    path = write_file(
        "bodies.csv",
        'Body ID,articleBody,lang\n1,"Fares rose, the mayor said.",en\n2,,en\n3,"Second body.\n\nWith two '
        'paragraphs.",en\n',
    )
    result = runner.invoke(
        args=["import-docs", "Claims", str(path), "--text-column", "articleBody", "--id-column", "Body ID"]
    )
    assert result.exit_code == 1
    assert f'{path}:3: empty text in column "articleBody"' in result.stderr
    assert [row.external_id for row in documents()] == ["1", "3"]
    assert db.session.scalar(sa.select(Document.meta).where(Document.external_id == "3")) == {"lang": "en"}
    assert passage_count() == 3


def test_csv_without_the_text_column_names_the_columns(runner, make_project, write_file):
    make_project("Claims")
    path = write_file("bodies.csv", "Body ID,articleBody\n1,text\n")
    result = runner.invoke(args=["import-docs", "Claims", str(path)])
    assert result.exit_code == 1
    assert f'{path}: no column "text" (columns: Body ID, articleBody; choose with --text-column)' in result.stderr


def test_html_main_text_is_imported_without_navigation(runner, make_project, write_file):
    make_project("Claims")
    page = """<html><head><title>Bridge vote</title></head><body>
      <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
      <article><h1>Council approves harbour bridge</h1>
      <p>The city council approved the new harbour bridge on Monday by a vote of nine to four.</p>
      <p>Construction will cost 48 million euros and start in spring, the mayor said on Tuesday.</p>
      </article><footer>© 2025 Harbour Watch. All rights reserved.</footer></body></html>"""
    result = runner.invoke(args=["import-docs", "Claims", str(write_file("bridge.html", page))])
    assert result.exit_code == 0, result.stderr
    texts = db.session.scalars(sa.select(Passage.text).order_by(Passage.index)).all()
    assert "The city council approved the new harbour bridge on Monday by a vote of nine to four." in texts
    assert not any("Home" in text or "©" in text for text in texts)
    assert db.session.scalar(sa.select(Document.title)) == "Council approves harbour bridge"


def test_passages_repeated_across_documents_point_at_the_first(runner, make_project, write_file):
    make_project("Claims")
    shared = "The port authority has received 240 complaints since January."
    first = write_file("first.txt", f"Opening of the first report.\n\n{shared}\n")
    second = write_file("second.txt", f"Opening of the second report.\n\n{shared}\n")
    runner.invoke(args=["import-docs", "Claims", str(first)])
    runner.invoke(args=["import-docs", "Claims", str(second)])
    rows = db.session.execute(
        sa.select(Passage.id, Passage.text, Passage.excluded_reason, Passage.duplicate_of_id).order_by(Passage.id)
    ).all()
    original = next(row for row in rows if row.text == shared)
    repeat = [row for row in rows if row.text == shared][1]
    assert (repeat.excluded_reason, repeat.duplicate_of_id) == ("duplicate", original.id)
    assert original.excluded_reason is None


def test_repeats_within_one_batch_across_documents_are_flagged(runner, make_project, write_file):
    make_project("Claims")
    shared = "A reposted paragraph that appears in both documents of the file."
    path = write_file(
        "docs.jsonl", "\n".join(json.dumps({"id": n, "text": f"Intro {n}.\n\n{shared}"}) for n in ("a", "b")) + "\n"
    )
    runner.invoke(args=["import-docs", "Claims", str(path)])
    rows = db.session.execute(
        sa.select(Passage.id, Passage.excluded_reason, Passage.duplicate_of_id)
        .where(Passage.text == shared)
        .order_by(Passage.id)
    ).all()
    assert [(row.excluded_reason, row.duplicate_of_id) for row in rows] == [(None, None), ("duplicate", rows[0].id)]


def test_import_into_a_missing_project_fails_clearly(runner, write_file):
    result = runner.invoke(args=["import-docs", "Nope", str(write_file("a.txt", "text"))])
    assert result.exit_code == 1
    assert 'no project named "Nope"' in result.stderr


def test_folders_are_walked(runner, make_project, write_file):
    make_project("Claims")
    folder = write_file("one.txt", "First document.").parent
    write_file("two.md", "Second document.")
    result = runner.invoke(args=["import-docs", "Claims", str(folder)])
    assert result.exit_code == 0
    assert [row.external_id for row in documents()] == ["one", "two"]


def test_a_document_the_database_refuses_leaves_nothing_and_its_batch_still_goes_in(
    runner, make_project, write_file, monkeypatch
):
    from annotator.importing import splitting_pool
    from annotator.splitting import split_units

    def split_with_a_broken_passage(text, units, max_chars):
        passages = split_units(text, units, max_chars=max_chars)
        if "poison" in text:  # a passage whose span breaks the database's CHECK (end > start)
            passages[-1] = passages[-1]._replace(end=passages[-1].start)
        return passages

    monkeypatch.setattr(splitting_pool, "split_units", split_with_a_broken_passage)
    make_project("Claims")
    lines = [
        json.dumps({"id": name, "text": f"First paragraph of {name}.\n\nSecond paragraph of {name}."})
        for name in ("a", "poison", "c")
    ]
    path = write_file("docs.jsonl", "\n".join(lines) + "\n")
    result = runner.invoke(args=["import-docs", "Claims", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: could not be stored:" in result.stderr
    assert [row.external_id for row in documents()] == ["a", "c"]
    assert passage_count() == 4
