"""Project pages: an admin creates and edits a project, uploads its documents in the browser,
and admins and the project's reviewers follow its progress on the overview."""

import io
import json
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from markupsafe import escape

from annotator import create_app
from annotator.documents.models import Document
from annotator.extensions import db
from annotator.projects.models import Project, ProjectGuidelines
from annotator.projects.schema_store import schema_of
from annotator.projects.templates import TEMPLATE_NAMES, TEMPLATES, template_named
from annotator.schema import Schema, SchemaError
from annotator.schema import default_definition as default_schema
from tests.conftest import FIXTURES, csrf_token_in, paragraph_text

CLAIM = {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"}
STANCE_ONLY = {
    "fields": [
        {
            "name": "stance",
            "label": "Stance",
            "level": "nominal",
            "required": True,
            "options": [
                {"value": "favor", "label": "Favor", "key": "f"},
                {"value": "against", "label": "Against", "key": "a"},
            ],
        }
    ]
}
BROKEN_SCHEMA = {
    "fields": [{"name": "Stance", "level": "interval", "options": [{"value": "x", "key": "s"}]}],
    "colour": "red",
}


@pytest.fixture
def as_admin(client, make_user, login):
    make_user("root", "admin")
    login("root")
    return client


def submit(client, page: str, url: str, **fields):
    """Fill in the form shown on `page` and send it to `url`, as a browser does (multipart)."""
    token = csrf_token_in(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields}, content_type="multipart/form-data")


def upload_files(client, page: str, **fields):
    """Upload files through the form on `page`, as a browser does: the upload answers at once
    with the way to its import job's page; that page, once the job is done."""
    from annotator.importing.job_runner import wait_for_jobs

    started = submit(client, page, page, **fields)
    assert started.status_code == 303, started.get_data(as_text=True)
    wait_for_jobs()
    return client.get(started.location)


def a_file(content: bytes | str, name: str):
    return io.BytesIO(content.encode() if isinstance(content, str) else content), name


def no_file():
    """What a browser sends for a file input left empty."""
    return io.BytesIO(b""), ""


def project_named(name: str) -> Project:
    return db.session.scalar(sa.select(Project).where(Project.name == name))


def test_admin_creates_a_project_with_the_default_schema(as_admin):
    response = submit(
        as_admin,
        "/admin/projects/new",
        "/admin/projects",
        name="Bike lanes",
        target="Cities should build bike lanes",
        guidelines="Label **every** claim.",
        overlap_k="3",
        schema=no_file(),
    )
    project = project_named("Bike lanes")
    assert response.status_code == 303 and response.location.endswith(f"/projects/{project.id}")
    assert (project.target, project.overlap_k, project.guidelines) == (
        "Cities should build bike lanes",
        3,
        "Label **every** claim.",
    )
    assert schema_of(db.session, project).definition == default_schema()
    page = as_admin.get(response.location).get_data(as_text=True)
    assert "Project Bike lanes created." in page and "Label <strong>every</strong> claim." in page


def test_an_uploaded_schema_becomes_the_projects_schema(as_admin):
    response = submit(
        as_admin,
        "/admin/projects/new",
        "/admin/projects",
        name="Stance only",
        overlap_k="2",
        schema=a_file(json.dumps(STANCE_ONLY), "stance.json"),
    )
    assert response.status_code == 303
    assert schema_of(db.session, project_named("Stance only")).definition == STANCE_ONLY


def test_a_broken_schema_shows_every_problem_and_creates_nothing(as_admin):
    with pytest.raises(SchemaError) as raised:
        Schema.load(json.dumps(BROKEN_SCHEMA))
    assert len(raised.value.problems) >= 4
    response = submit(
        as_admin,
        "/admin/projects/new",
        "/admin/projects",
        name="Kept name",
        target="Kept target",
        overlap_k="2",
        schema=a_file(json.dumps(BROKEN_SCHEMA), "broken.json"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"{len(raised.value.problems)} problems" in page
    for problem in raised.value.problems:
        assert f"<li><code>{escape(problem)}</code></li>" in page
    assert 'value="Kept name"' in page and 'value="Kept target"' in page
    assert db.session.scalar(sa.select(sa.func.count(Project.id))) == 0


def test_a_schema_file_that_is_not_utf8_or_not_json_is_refused_clearly(as_admin):
    latin1 = a_file('{"fields": [{"label": "Café"}]}'.encode("latin-1"), "schema.json")
    page = submit(as_admin, "/admin/projects/new", "/admin/projects", name="P", overlap_k="2", schema=latin1)
    assert page.status_code == 422 and "the file is not UTF-8 text" in page.get_data(as_text=True)
    page = submit(
        as_admin, "/admin/projects/new", "/admin/projects", name="P", overlap_k="2", schema=a_file("{oops", "s.json")
    )
    assert page.status_code == 422 and "line 1: not valid JSON" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Project.id))) == 0


def test_bad_settings_are_shown_on_the_form(as_admin, make_project):
    make_project("Taken")
    for name, k, message in (
        ("New", "0", "overlap k must be a whole number, 1 or more"),
        ("New", "two", "overlap k must be a whole number, 1 or more"),
        ("Taken", "2", "a project named &#34;Taken&#34; already exists"),
        ("  ", "2", "a project needs a name"),
        ("x" * 201, "2", "a project name has at most 200 characters"),
    ):
        response = submit(as_admin, "/admin/projects/new", "/admin/projects", name=name, overlap_k=k, schema=no_file())
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Project.id))) == 1


def test_editing_changes_k_and_adds_a_guidelines_version(as_admin, make_project):
    project = make_project("Bike lanes", target="Bike lanes", guidelines="Old rules.\nLine two.", overlap_k=2)
    edit = f"/admin/projects/{project.id}/edit"
    response = submit(
        as_admin,
        edit,
        f"/admin/projects/{project.id}",
        name="Bike lanes",
        target="Bike lanes",
        guidelines="New *rules*.",
        overlap_k="3",
        schema=no_file(),
    )
    assert response.status_code == 303
    assert "Saved: guidelines, overlap k." in as_admin.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert (project.overlap_k, project.guidelines, project.guidelines_version) == (3, "New *rules*.", 2)
    versions = db.session.execute(
        sa.select(ProjectGuidelines.version, ProjectGuidelines.text)
        .where(ProjectGuidelines.project_id == project.id)
        .order_by(ProjectGuidelines.version)
    ).all()
    assert [tuple(row) for row in versions] == [(1, "Old rules.\nLine two."), (2, "New *rules*.")]


def test_saving_the_form_unchanged_changes_nothing(as_admin, make_project):
    project = make_project("Bike lanes", guidelines="\nStarts with a blank line.\nTwo lines.", overlap_k=2)
    form = as_admin.get(f"/admin/projects/{project.id}/edit").get_data(as_text=True)
    shown = re.search(r'<textarea name="guidelines"[^>]*>\n(.*?)</textarea>', form, re.S).group(1)
    response = submit(
        as_admin,
        f"/admin/projects/{project.id}/edit",
        f"/admin/projects/{project.id}",
        name="Bike lanes",
        target="",
        guidelines=shown.replace("\n", "\r\n"),
        overlap_k="2",
        schema=no_file(),
    )
    assert "Nothing changed." in as_admin.get(response.location).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ProjectGuidelines.id))) == 1


def test_a_new_schema_file_on_edit_becomes_version_2(as_admin, make_project):
    project = make_project("Bike lanes")
    response = submit(
        as_admin,
        f"/admin/projects/{project.id}/edit",
        f"/admin/projects/{project.id}",
        name="Bike lanes",
        overlap_k="2",
        schema=a_file(json.dumps(STANCE_ONLY), "stance.json"),
    )
    assert "Saved: schema." in as_admin.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert project.schema_version == 2 and schema_of(db.session, project).definition == STANCE_ONLY


def test_an_invalid_k_on_edit_is_refused_and_nothing_changes(as_admin, make_project):
    project = make_project("Bike lanes", overlap_k=2)
    response = submit(
        as_admin,
        f"/admin/projects/{project.id}/edit",
        f"/admin/projects/{project.id}",
        name="Renamed",
        overlap_k="-1",
        schema=no_file(),
    )
    assert response.status_code == 422 and "overlap k must be a whole number" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (db.session.get(Project, project.id).name, db.session.get(Project, project.id).overlap_k) == (
        "Bike lanes",
        2,
    )


def test_guidelines_render_markdown_with_html_and_script_links_made_harmless(as_admin, make_project):
    guidelines = (
        "A **bold** rule.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        "[click me](javascript:alert(3)) and [the manual](https://example.org/manual)"
    )
    project = make_project("Bike lanes", guidelines=guidelines)
    page = as_admin.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "<strong>bold</strong>" in page
    assert '<a href="https://example.org/manual">the manual</a>' in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and 'href="javascript:' not in page


def test_several_files_upload_at_once_with_a_result_per_document(as_admin, make_project):
    project = make_project("Bike lanes")
    report = "\n\n".join(paragraph_text(1, p) for p in range(3))
    upload = f"/admin/projects/{project.id}/documents"
    first = upload_files(as_admin, upload, files=[a_file(report, "report.txt")])
    assert "1 imported (3 passages), 0 skipped as identical, 0 rejected" in first.get_data(as_text=True)
    articles = json.dumps({"id": "a1", "text": paragraph_text(2, 0), "title": "Council spending"}) + "\n{not json\n"
    response = upload_files(
        as_admin,
        upload,
        files=[
            a_file(report, "report.txt"),
            a_file(articles, "articles.jsonl"),
            a_file(paragraph_text(3, 0), "notes.md"),
        ],
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 imported (2 passages), 1 skipped as identical, 1 rejected" in page
    rows = [re.sub(r"\s+", " ", row).strip() for row in re.findall(r'<tr class="outcome-[^"]+">(.*?)</tr>', page, re.S)]
    assert rows[0].startswith("<td>skipped</td><td>report.txt</td><td></td><td>skipped report: identical")
    assert rows[1].startswith("<td>imported</td><td>articles.jsonl</td><td>1</td><td>imported a1: 1 passages")
    assert rows[2].startswith("<td>rejected</td><td>articles.jsonl</td><td>2</td><td>not valid JSON")
    assert rows[3].startswith("<td>imported</td><td>notes.md</td>")
    assert "annotator-upload-" not in page
    documents = db.session.execute(sa.select(Document.external_id, Document.source).order_by(Document.id)).all()
    assert [tuple(row) for row in documents] == [
        ("report", "report.txt"),
        ("a1", "articles.jsonl"),
        ("notes", "notes.md"),
    ]


def test_uploads_without_files_or_usable_names_are_refused(as_admin, make_project):
    project = make_project("Bike lanes")
    upload = f"/admin/projects/{project.id}/documents"
    empty = submit(as_admin, upload, upload, files=no_file())
    assert empty.status_code == 422 and "Choose one or more files to import." in empty.get_data(as_text=True)
    response = upload_files(
        as_admin,
        upload,
        files=[a_file(paragraph_text(1, 1), "#?!.txt"), a_file(paragraph_text(1, 2), "Board minutes.txt")],
    )
    page = response.get_data(as_text=True)
    assert "<td>rejected</td><td>#?!.txt</td><td></td><td>no usable file name" in page
    assert "1 imported (1 passages), 0 skipped as identical, 1 rejected" in page
    assert db.session.scalars(sa.select(Document.external_id)).all() == ["Board_minutes"]


def test_the_upload_limit_comes_from_the_settings_and_a_larger_upload_gets_413(
    app, as_admin, make_project, monkeypatch, tmp_path
):
    assert app.config["MAX_CONTENT_LENGTH"] == app.config["MAX_UPLOAD_BYTES"] == 64 * 1024 * 1024
    monkeypatch.setenv("ANNOTATOR_DATABASE_URL", f"sqlite:///{tmp_path / 'limit.sqlite3'}")
    monkeypatch.setenv("ANNOTATOR_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("ANNOTATOR_MAX_UPLOAD_BYTES", "5000")
    assert create_app().config["MAX_CONTENT_LENGTH"] == 5000
    project = make_project("Bike lanes")
    upload = f"/admin/projects/{project.id}/documents"
    app.config["MAX_CONTENT_LENGTH"] = 5000
    response = submit(as_admin, upload, upload, files=[a_file(paragraph_text(1, 1) * 100, "big.txt")])
    assert response.status_code == 413
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 0


class Clock:
    """Stands in for the API's clock: each reading is `step` later than the one before."""

    def __init__(self, step: timedelta):
        self.now, self.step = datetime(2026, 1, 5, 9, 0), step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


def test_the_overview_counts_what_annotators_did(
    client, login, make_user, runner, make_project, make_documents, api_client, monkeypatch
):
    project = make_project("Bike lanes", overlap_k=2)
    make_documents(project, count=2, paragraphs=3)
    ada, bob = api_client("ada"), api_client("bob")
    for name in ("ada", "bob"):
        runner.invoke(args=["add-member", "Bike lanes", name, "--role", "annotator"])
    monkeypatch.setattr("annotator.web.api.utcnow", Clock(timedelta(seconds=12.3)))  # from next to submit: 12.3 s
    labelled = []
    for annotator in (ada, ada, bob):
        passage_id = annotator("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
        assert annotator("POST", f"/api/passages/{passage_id}/annotations", json={"labels": CLAIM}).status_code == 201
        labelled.append(passage_id)
    assert labelled[2] == labelled[0]  # bob gets the passage ada started: one passage complete, one in progress
    make_user("root", "admin")
    login("root")
    page = re.sub(r"\s+", " ", client.get(f"/projects/{project.id}").get_data(as_text=True))
    assert (
        "<dt>Complete</dt><dd>1</dd>" in page
        and "<dt>In progress</dt><dd>1</dd>" in page
        and "<dt>Open</dt><dd>4</dd>" in page
    )
    assert '<progress value="1" max="6"' in page and "1 of 6 passages complete (17%)" in page
    assert "<tr><td>ada</td><td>2</td><td>0</td> <td>12.3 s</td></tr>" in page
    assert "<tr><td>bob</td><td>1</td><td>0</td> <td>12.3 s</td></tr>" in page
    first, second = re.findall(
        r"<tr> <td>(doc\d+)</td> <td>.*?</td> <td>(\d+)</td> <td>(\d+)</td> <td>(\d+)</td> </tr>", page
    )
    assert first == ("doc0000", "3", "1", "2") and second == ("doc0001", "3", "0", "0")


def test_the_document_list_pages_by_keyset(as_admin, make_project, make_documents):
    project = make_project("Bike lanes")
    make_documents(project, count=60, paragraphs=1)
    first = as_admin.get(f"/projects/{project.id}").get_data(as_text=True)
    ids = re.findall(r"<td>(doc\d+)</td>", first)
    assert ids == [f"doc{number:04d}" for number in range(50)]
    last_on_page = db.session.scalar(sa.select(Document.id).where(Document.external_id == "doc0049"))
    next_link = re.search(r'<a rel="next" href="([^"]+)">Next page</a>', first).group(1)
    assert next_link == f"/projects/{project.id}?after={last_on_page}"
    second = as_admin.get(next_link).get_data(as_text=True)
    assert re.findall(r"<td>(doc\d+)</td>", second) == [f"doc{number:04d}" for number in range(50, 60)]
    assert "Next page" not in second and "First page" in second


def test_the_document_list_names_an_uploaded_web_page_by_its_headline_not_its_menu(as_admin, make_project):
    project = make_project("Bike lanes")
    upload = f"/admin/projects/{project.id}/documents"
    web_page = (FIXTURES / "titles" / "web_dump_menus_first.txt").read_text(encoding="utf-8")
    upload_files(as_admin, upload, files=[a_file(web_page, "fares.txt")])
    page = re.sub(r"\s+", " ", as_admin.get(f"/projects/{project.id}").get_data(as_text=True))
    assert "<td>fares</td> <td>Bus fares in Harbourton to rise by 8 percent in April</td>" in page
    assert "Skip to content" not in page


def test_names_and_titles_are_escaped(as_admin, make_project):
    project = make_project("<script>alert('name')</script>", target="<b>target</b>")
    upload = f"/admin/projects/{project.id}/documents"
    hostile = json.dumps({"id": "<i>id</i>", "text": paragraph_text(1, 1), "title": "<img src=x onerror=alert(1)>"})
    result = upload_files(as_admin, upload, files=[a_file(hostile, "<svg onload=alert(2)>.jsonl")]).get_data(
        as_text=True
    )
    pages = [result] + [
        as_admin.get(url).get_data(as_text=True)
        for url in (f"/projects/{project.id}", f"/admin/projects/{project.id}/edit", "/")
    ]
    for page in pages:
        assert "<script>alert(" not in page and "<img src=x" not in page and "<b>target" not in page
        assert "<svg" not in page and "<i>id" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[1] and "&lt;i&gt;id&lt;/i&gt;" in pages[1]


def test_only_admins_and_the_projects_reviewers_see_the_overview(client, runner, login, make_user, make_project):
    project = make_project("Bike lanes")
    other = make_project("Other")
    make_user("ada", "annotator")
    make_user("rev", "reviewer")
    runner.invoke(args=["add-member", "Bike lanes", "ada", "--role", "annotator"])
    runner.invoke(args=["add-member", "Bike lanes", "rev", "--role", "reviewer"])
    login("ada")
    assert client.get(f"/projects/{project.id}").status_code == 403
    for page in (
        "/admin/projects/new",
        f"/admin/projects/{project.id}/edit",
        f"/admin/projects/{project.id}/documents",
    ):
        assert client.get(page).status_code == 403
    assert f'/projects/{project.id}"' not in client.get("/").get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_token_in(client.get("/").get_data(as_text=True))})
    login("rev")
    assert client.get(f"/projects/{project.id}").status_code == 200
    assert client.get(f"/projects/{other.id}").status_code == 403
    assert client.get(f"/admin/projects/{project.id}/edit").status_code == 403
    index = client.get("/").get_data(as_text=True)
    assert f'href="/projects/{project.id}">overview</a>' in index and "/edit" not in index


def test_admins_find_every_project_page_from_the_start_page(as_admin, make_project):
    project = make_project("Bike lanes")
    index = as_admin.get("/").get_data(as_text=True)
    for link in (
        "/admin/projects/new",
        f"/projects/{project.id}",
        f"/admin/projects/{project.id}/edit",
        f"/admin/projects/{project.id}/documents",
        f"/admin/projects/{project.id}/members",
        "/admin/users",
    ):
        assert f'href="{link}"' in index
        assert as_admin.get(link).status_code == 200


def test_the_one_more_annotator_threshold_is_set_and_checked_on_the_form(as_admin, make_project):
    from tests.conftest import csrf_token_in

    project = make_project("Bike lanes", overlap_k=2)
    page = as_admin.get(f"/admin/projects/{project.id}/edit").get_data(as_text=True)
    form = {"csrf_token": csrf_token_in(page), "name": "Bike lanes", "target": "", "guidelines": "", "overlap_k": "2"}
    refused = as_admin.post(f"/admin/projects/{project.id}", data={**form, "extra_annotator_below": "1.5"})
    assert refused.status_code == 422 and "at most 1" in refused.get_data(as_text=True)
    assert (
        as_admin.post(f"/admin/projects/{project.id}", data={**form, "extra_annotator_below": "0.7"}).status_code == 303
    )
    db.session.refresh(project)
    assert project.extra_annotator_below == 0.7
    as_admin.post(f"/admin/projects/{project.id}", data={**form, "extra_annotator_below": ""})
    db.session.refresh(project)
    assert project.extra_annotator_below is None


def test_adaptive_overlap_is_set_on_the_form_and_shown_on_the_overview(as_admin, make_project):
    from tests.conftest import csrf_token_in

    project = make_project("Bike lanes", overlap_k=2)
    page = as_admin.get(f"/admin/projects/{project.id}/edit").get_data(as_text=True)
    form = {"csrf_token": csrf_token_in(page), "name": "Bike lanes", "target": "", "guidelines": "", "overlap_k": "2"}
    no_room = {**form, "extra_annotator_below": "0.7", "overlap_k_max": "2"}
    refused = as_admin.post(f"/admin/projects/{project.id}", data=no_room)
    assert refused.status_code == 422 and "k-max must be above overlap k" in refused.get_data(as_text=True)
    adaptive = {**form, "extra_annotator_below": "0.7", "overlap_k_max": "4"}
    assert as_admin.post(f"/admin/projects/{project.id}", data=adaptive).status_code == 303
    db.session.refresh(project)
    assert (project.overlap_k, project.overlap_k_max, project.extra_annotator_below) == (2, 4, 0.7)
    overview = as_admin.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "2 to 4 annotators per passage (adaptive)" in overview
    assert 'name="overlap_k_max" type="number" min="1" step="1" value="4"' in as_admin.get(
        f"/admin/projects/{project.id}/edit"
    ).get_data(as_text=True)


def test_the_overview_of_a_project_without_documents_says_what_to_do(as_admin, make_project):
    project = make_project("Empty")
    html = as_admin.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "No documents yet: annotators have nothing to label until" in html
    assert f'href="/admin/projects/{project.id}/documents">upload documents</a>' in html


# --- templates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_admin_creates_a_project_from_a_template_with_its_guidelines(as_admin, name):
    response = submit(
        as_admin,
        "/admin/projects/new",
        "/admin/projects",
        name="From a template",
        target="Cities should build bike lanes",
        overlap_k="2",
        template=name,
        guidelines="",
        schema=no_file(),
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    project = project_named("From a template")
    assert schema_of(db.session, project).definition == template_named(name).schema()
    assert project.guidelines == template_named(name).guidelines()


def test_the_new_project_form_offers_every_template_and_fills_in_its_guidelines(as_admin):
    page = as_admin.get("/admin/projects/new").get_data(as_text=True)
    for template in TEMPLATES:
        assert f'<option value="{template.name}"' in page and str(escape(template.description)) in page
    assert '<option value="claims" selected>' in page
    assert str(escape(template_named("claims").guidelines())) in page
    chosen = as_admin.get(
        "/admin/projects/new?template=fever", headers={"HX-Request": "true", "HX-Target": "template-guidelines"}
    )
    fragment = chosen.get_data(as_text=True)
    assert "HX-Target" in chosen.headers["Vary"]
    assert fragment.lstrip().startswith('<label id="template-guidelines">') and "<form" not in fragment
    assert str(escape(template_named("fever").guidelines())) in fragment


def test_guidelines_typed_on_the_form_win_over_the_templates(as_admin):
    submit(
        as_admin,
        "/admin/projects/new",
        "/admin/projects",
        name="P",
        overlap_k="2",
        template="claimbuster",
        guidelines="Our own rules.",
        schema=no_file(),
    )
    project = project_named("P")
    assert project.guidelines == "Our own rules."
    assert schema_of(db.session, project).definition == template_named("claimbuster").schema()


@pytest.mark.parametrize(
    ("template", "schema", "target", "problem"),
    [
        ("fnc-1", lambda: a_file(json.dumps(STANCE_ONLY), "s.json"), "", "both a template (&#34;fnc-1&#34;)"),
        ("", no_file, "", "choose a template, or upload a label schema file of your own"),
        ("semeval-stance", no_file, "", "judges stance toward the project&#39;s target: give the project a target"),
        ("prodigy", no_file, "", "&#39;prodigy&#39; is not a template: choose one of claims, claimbuster"),
    ],
)
def test_a_template_that_cannot_be_used_as_chosen_is_refused_on_the_form(as_admin, template, schema, target, problem):
    response = submit(
        as_admin,
        "/admin/projects/new",
        "/admin/projects",
        name="Kept name",
        overlap_k="2",
        target=target,
        template=template,
        schema=schema(),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and problem in page, page
    assert 'value="Kept name"' in page
    assert db.session.scalar(sa.select(sa.func.count(Project.id))) == 0


def test_an_own_schema_file_is_used_when_the_form_says_so(as_admin):
    response = submit(
        as_admin,
        "/admin/projects/new",
        "/admin/projects",
        name="Own",
        overlap_k="2",
        template="",
        schema=a_file(json.dumps(STANCE_ONLY), "stance.json"),
    )
    assert response.status_code == 303
    assert schema_of(db.session, project_named("Own")).definition == STANCE_ONLY


def test_an_unknown_template_asked_for_by_address_is_a_bad_request_naming_the_templates(as_admin):
    response = as_admin.get("/admin/projects/new?template=prodigy")
    assert response.status_code == 400
    assert "no template named &#34;prodigy&#34;: the templates are claims" in response.get_data(as_text=True)
