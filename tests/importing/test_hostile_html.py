"""HTML pages built to exhaust the importer: each is refused as `FILE: message`, and the
other files of the same import still go in."""

import multiprocessing
import time

import sqlalchemy as sa

from annotator.documents.models import Document
from annotator.extensions import db
from annotator.importing import html

ARTICLE = """<html><head><title>Bridge vote</title></head><body><article>
<p>The city council approved the new harbour bridge on Monday by a vote of nine to four.</p>
</article></body></html>"""


def imported_ids():
    return db.session.scalars(sa.select(Document.external_id).order_by(Document.external_id)).all()


def import_with_article(runner, write_file, name, page):
    hostile = write_file(name, page)
    result = runner.invoke(args=["import-docs", "Claims", str(hostile), str(write_file("bridge.html", ARTICLE))])
    return hostile, result


def test_a_page_of_a_hundred_and_twenty_thousand_paragraphs_is_refused_and_the_other_page_imported(
    runner, make_project, write_file
):
    make_project("Claims")
    page = "<html><body>" + "<p>Item.</p>" * 120_000 + "</body></html>"
    hostile, result = import_with_article(runner, write_file, "listing.html", page)
    assert result.exit_code == 1
    assert (
        f"{hostile}: the HTML page has 120,002 elements, over the limit of 100,000; save its main text as "
        ".txt and import that" in result.stderr
    )
    assert imported_ids() == ["bridge"]


def test_a_page_nested_past_lxml_depth_is_refused_rather_than_cut_short(runner, make_project, write_file):
    """lxml stops reading 256 levels deep: the rest of the page would be lost unsaid."""
    make_project("Claims")
    page = (
        "<html><body><p>Opening words of the page, which are kept.</p>"
        + "<div>" * 300
        + "<p>The conclusion, which lxml drops.</p>"
        + "</div>" * 300
        + "</body></html>"
    )
    hostile, result = import_with_article(runner, write_file, "deep.html", page)
    assert result.exit_code == 1
    assert f"{hostile}: the HTML page nests elements more than 255 levels deep, past what lxml reads" in result.stderr
    assert imported_ids() == ["bridge"]


def test_a_page_nested_two_hundred_levels_deep_is_refused(runner, make_project, write_file):
    make_project("Claims")
    page = "<html><body>" + "<div>" * 220 + "<p>Deep down.</p>" + "</div>" * 220 + "</body></html>"
    hostile, result = import_with_article(runner, write_file, "deep.html", page)
    assert (
        f"{hostile}: the HTML page nests elements more than 200 levels deep; save its main text as .txt"
        in result.stderr
    )
    assert imported_ids() == ["bridge"]


def test_a_page_with_ten_megabytes_of_text_in_one_piece_is_refused_rather_than_cut_short(
    runner, make_project, write_file
):
    make_project("Claims")
    page = "<html><body><p>Opening words.</p><p>" + "Word. " * 2_000_000 + "</p><p>Conclusion.</p></body></html>"
    hostile, result = import_with_article(runner, write_file, "long.html", page)
    assert (
        f"{hostile}: the HTML page has over 10 MB of text without a tag between, past what lxml reads" in result.stderr
    )
    assert imported_ids() == ["bridge"]


def test_a_page_whose_extraction_runs_too_long_is_stopped(runner, make_project, write_file, monkeypatch):
    make_project("Claims")
    monkeypatch.setattr(html, "worker_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(html, "EXTRACTION_SECONDS", 5.0)
    real_extract = html.extract
    monkeypatch.setattr(html, "extract", lambda page: time.sleep(60) if "spin" in page else real_extract(page))
    hostile, result = import_with_article(runner, write_file, "spin.html", "<html><body><p>spin</p></body></html>")
    assert result.exit_code == 1
    assert (
        f"{hostile}: the HTML page took longer than 5 s to extract; save its main text as .txt and import that"
        in result.stderr
    ), result.stderr
    assert imported_ids() == ["bridge"]
