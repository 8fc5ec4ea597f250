"""File names chosen by whoever uploads: every file gets its line in the result table, and
the ones with content go in, whatever their names."""

import re

import sqlalchemy as sa

from annotator.documents.models import Document
from annotator.extensions import db
from tests.conftest import paragraph_text
from tests.web.test_project_pages import a_file, as_admin, upload_files  # noqa: F401  (as_admin: a fixture)


def result_rows(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", row).strip() for row in re.findall(r'<tr class="outcome-[^"]+">(.*?)</tr>', page, re.S)]


def documents() -> list[tuple[str, str]]:
    return [
        tuple(row) for row in db.session.execute(sa.select(Document.external_id, Document.source).order_by(Document.id))
    ]


def test_a_file_name_of_three_hundred_characters_is_kept_shortened_and_the_other_files_import(as_admin, make_project):
    project = make_project("Bike lanes")
    upload = f"/admin/projects/{project.id}/documents"
    long_name = "Minutes of the harbour board " * 10 + ".txt"
    response = upload_files(
        as_admin, upload, files=[a_file(paragraph_text(1, 1), long_name), a_file(paragraph_text(1, 2), "notes.txt")]
    )
    assert response.status_code == 200
    assert "2 imported (2 passages), 0 skipped as identical, 0 rejected" in response.get_data(as_text=True)
    (first_id, first_source), second = documents()
    assert first_id.startswith("Minutes_of_the_harbour_board_Minutes") and len(first_id) <= 100
    assert first_source == long_name[:254] + "…"
    assert second == ("notes", "notes.txt")


def test_two_long_names_alike_in_their_first_hundred_characters_stay_two_documents(as_admin, make_project):
    project = make_project("Bike lanes")
    upload = f"/admin/projects/{project.id}/documents"
    stem = "Annual report of the transport committee " * 5
    upload_files(
        as_admin,
        upload,
        files=[a_file(paragraph_text(1, 1), f"{stem} 2024.txt"), a_file(paragraph_text(1, 2), f"{stem} 2025.txt")],
    )
    ids = [external_id for external_id, _ in documents()]
    assert len(ids) == 2 and ids[0] != ids[1]


def test_hostile_names_get_a_safe_name_or_a_clear_refusal_and_never_stop_the_upload(as_admin, make_project):
    project = make_project("Bike lanes")
    upload = f"/admin/projects/{project.id}/documents"
    names = [
        "....txt",
        "отчёт за март.txt",
        "报告.txt",
        "../../etc/passwd.txt",
        "nul\x00byte.txt",
        "CON.txt",
        "title\x1b]0;owned\x07.txt",
    ]
    response = upload_files(
        as_admin, upload, files=[a_file(paragraph_text(2, number), name) for number, name in enumerate(names)]
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "6 imported (6 passages), 0 skipped as identical, 1 rejected" in page
    assert result_rows(page)[0].startswith("<td>rejected</td><td>....txt</td><td></td><td>no usable file name")
    assert [external_id for external_id, _ in documents()] == [
        "отчёт_за_март",
        "报告",
        "passwd",
        "nul_byte",
        "_CON",
        "title_0_owned",
    ]
    sources = [source for _, source in documents()]
    assert sources[3] == "nul\\x00byte.txt" and sources[5] == "title\\x1b]0;owned\\x07.txt"
