"""A browser upload is a background import job: the upload answers at once, its page follows
the import and then shows the result table, annotators keep working meanwhile, and a job
whose server stopped is shown as interrupted, never as running forever."""

import json
import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from annotator.documents.models import Document
from annotator.extensions import db
from annotator.importing import splitting_pool
from annotator.importing.job_runner import imports_folder, wait_for_jobs
from annotator.importing.jobs import interrupt_unfinished_jobs
from annotator.importing.models import ImportJob
from tests.conftest import csrf_token_in, paragraph_text
from tests.web.test_project_pages import a_file, as_admin, submit, upload_files  # noqa: F401  (as_admin: a fixture)

CLAIM = {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"}
SLOW = "This document is split slowly."


@pytest.fixture
def slow_split(monkeypatch):
    """Splitting a document holding SLOW waits until the test opens the gate (at most 10 s);
    `reached` is set once the job waits there. Every document is a batch of its own."""
    real = splitting_pool.split_texts

    class Gate:
        reached, opened = threading.Event(), threading.Event()
        waited: list[bool] = []

    def split_texts(texts, max_chars):
        if any(SLOW in text for text, _ in texts):
            Gate.reached.set()
            Gate.waited.append(Gate.opened.wait(10))
        return real(texts, max_chars)

    monkeypatch.setattr(splitting_pool, "split_texts", split_texts)
    monkeypatch.setattr("annotator.importing.service.BATCH_DOCUMENTS", 1)
    yield Gate
    Gate.opened.set()
    wait_for_jobs()


def start_upload(client, project, files):
    page = f"/admin/projects/{project.id}/documents"
    return submit(client, page, page, files=files)


def test_an_upload_answers_at_once_and_its_page_shows_progress_then_the_results(as_admin, make_project, slow_split):
    project = make_project("Bike lanes")
    started = start_upload(
        as_admin,
        project,
        [a_file(paragraph_text(1, 1), "first.txt"), a_file(f"{SLOW}\n\n{paragraph_text(1, 2)}", "second.txt")],
    )
    assert started.status_code == 303 and re.search(rf"/admin/projects/{project.id}/imports/\d+$", started.location)
    assert slow_split.reached.wait(10)
    running = as_admin.get(started.location).get_data(as_text=True)
    assert "Importing: 1 documents so far" in running and 'hx-trigger="every 1s"' in running
    assert "Import results" not in running
    poll = as_admin.get(started.location, headers={"HX-Request": "true", "HX-Target": "import-job"})
    fragment = poll.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="import-job"') and "<html" not in fragment
    assert "HX-Target" in poll.headers["Vary"]
    slow_split.opened.set()
    wait_for_jobs()
    done = as_admin.get(started.location, headers={"HX-Request": "true", "HX-Target": "import-job"}).get_data(
        as_text=True
    )
    assert "2 imported (3 passages), 0 skipped as identical, 0 rejected" in done
    assert "every 1s" not in done  # the page stops asking
    assert slow_split.waited == [True]


def test_annotators_label_while_an_upload_imports(
    app, as_admin, make_project, make_documents, runner, api_client, slow_split
):
    project = make_project("Bike lanes", overlap_k=1)
    make_documents(project, count=1, paragraphs=3)
    ada = api_client("ada")
    runner.invoke(args=["add-member", "Bike lanes", "ada", "--role", "annotator"])
    started = start_upload(
        as_admin,
        project,
        [a_file(paragraph_text(5, 1), "first.txt"), a_file(f"{SLOW}\n\n{paragraph_text(5, 2)}", "second.txt")],
    )
    assert started.status_code == 303
    assert slow_split.reached.wait(10)  # the first file's batch is written; the job splits the second
    for _ in range(2):
        passage = ada("GET", f"/api/projects/{project.id}/next")
        assert passage.status_code == 200
        labelled = ada("POST", f"/api/passages/{passage.get_json()['passage_id']}/annotations", json={"labels": CLAIM})
        assert labelled.status_code == 201
    slow_split.opened.set()
    wait_for_jobs()
    assert slow_split.waited == [True]  # the labels went in while the job was still at work
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 3


def test_a_bad_file_is_reported_by_name_while_the_good_ones_import(as_admin, make_project):
    project = make_project("Bike lanes")
    page = upload_files(
        as_admin,
        f"/admin/projects/{project.id}/documents",
        files=[a_file("title,body\nx,y\n", "table.csv"), a_file(paragraph_text(1, 1), "notes.txt")],
    )
    html = page.get_data(as_text=True)
    assert "1 imported (1 passages), 0 skipped as identical, 1 rejected" in html
    rows = [re.sub(r"\s+", " ", row).strip() for row in re.findall(r'<tr class="outcome-[^"]+">(.*?)</tr>', html, re.S)]
    assert rows[0].startswith("<td>rejected</td><td>table.csv</td>") and "no column &#34;text&#34;" in rows[0]
    assert rows[1].startswith("<td>imported</td><td>notes.txt</td>")
    assert not any(imports_folder(as_admin.application).iterdir())  # the saved files are gone


def test_a_job_left_running_by_a_stopped_server_is_interrupted_and_its_files_removed(app, as_admin, make_project):
    project = make_project("Bike lanes")
    job = ImportJob(project_id=project.id, state="running", options={}, total_bytes=10)
    db.session.add(job)
    db.session.commit()
    saved = imports_folder(app) / str(job.id) / "0"
    saved.mkdir(parents=True)
    (saved / "notes.txt").write_text("half imported")
    page = f"/admin/projects/{project.id}/imports/{job.id}"
    assert "Importing:" in as_admin.get(page).get_data(as_text=True)
    assert interrupt_unfinished_jobs(db.session, imports_folder(app)) == 1  # what `annotator serve` does first
    db.session.commit()
    html = as_admin.get(page).get_data(as_text=True)
    assert "The import was interrupted: the server stopped before it was done" in html and "every 1s" not in html
    assert not (imports_folder(app) / str(job.id)).exists()


def test_a_running_job_whose_runner_fell_silent_is_shown_interrupted(app, as_admin, make_project):
    project = make_project("Bike lanes")
    job = ImportJob(project_id=project.id, state="running", options={})
    db.session.add(job)
    db.session.commit()
    job.heartbeat_at -= timedelta(hours=1)
    db.session.commit()
    html = as_admin.get(f"/admin/projects/{project.id}/imports/{job.id}").get_data(as_text=True)
    assert "The import was interrupted" in html and "every 1s" not in html


def test_only_admins_see_a_job_and_only_under_its_own_project(client, login, make_user, make_project, runner):
    project, other = make_project("Bike lanes"), make_project("Other")
    job = ImportJob(project_id=project.id, state="done", options={})
    db.session.add(job)
    db.session.commit()
    make_user("rev", "reviewer")
    runner.invoke(args=["add-member", "Bike lanes", "rev", "--role", "reviewer"])
    login("rev")
    assert client.get(f"/admin/projects/{project.id}/imports/{job.id}").status_code == 403
    client.post("/auth/logout", data={"csrf_token": csrf_token_in(client.get("/").get_data(as_text=True))})
    make_user("root", "admin")
    login("root")
    assert client.get(f"/admin/projects/{project.id}/imports/{job.id}").status_code == 200
    assert client.get(f"/admin/projects/{other.id}/imports/{job.id}").status_code == 404


def test_a_large_upload_is_imported_in_a_process_of_its_own_with_the_same_results(app, as_admin, make_project):
    app.config["IMPORT_PROCESS_FROM_BYTES"] = 1  # every upload counts as large
    project = make_project("Bike lanes")
    articles = "\n".join(json.dumps({"id": f"a{number}", "text": paragraph_text(number, 1)}) for number in range(3))
    page = upload_files(
        as_admin,
        f"/admin/projects/{project.id}/documents",
        files=[a_file(articles + "\n{not json\n", "articles.jsonl"), a_file(paragraph_text(9, 9), "notes.txt")],
    )
    html = page.get_data(as_text=True)
    assert "4 imported (4 passages), 0 skipped as identical, 1 rejected" in html
    assert "<td>rejected</td><td>articles.jsonl</td><td>4</td><td>not valid JSON" in html
    assert db.session.scalars(sa.select(Document.source).order_by(Document.id)).all() == ["articles.jsonl"] * 3 + [
        "notes.txt"
    ]
    assert not any(imports_folder(app).iterdir())
