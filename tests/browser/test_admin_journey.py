"""An admin sets a project up in real Chromium: creates it, uploads documents, adds two
annotators, and follows their progress on the overview."""

import pytest
import sqlalchemy as sa

from annotator.documents.models import Document
from annotator.extensions import db
from annotator.projects.models import Project, ProjectMember
from annotator.projects.schema_store import schema_of
from annotator.projects.templates import template_named
from tests.browser.test_annotation_journeys import submit_and_wait
from tests.conftest import paragraph_text

pytestmark = pytest.mark.browser


def test_an_admin_creates_a_project_uploads_documents_and_adds_two_annotators(
    open_browser, make_user, tmp_path, screenshot_to
):
    make_user("root", "admin")
    for name in ("ada", "bob"):
        make_user(name)
    files = []
    for number in range(2):
        path = tmp_path / f"council-report-{number}.txt"
        path.write_text("\n\n".join(paragraph_text(number, p) for p in range(4)) + "\n")
        files.append(path)
    broken = tmp_path / "letters.jsonl"
    broken.write_text(
        '{"id": "letter-1", "text": "The mayor promised forty new bike lanes by next spring, a pledge."}\n{not json\n'
    )

    admin = open_browser("root")
    admin.click("text=New project")
    admin.fill("input[name=name]", "Bike lanes <2026>")
    admin.fill("input[name=target]", "Cities should build protected bike lanes")
    admin.fill("textarea[name=guidelines]", "Label **every** passage; pick *no claim* when nothing is asserted.")
    admin.fill("input[name=overlap_k]", "2")
    admin.click("button:has-text('Create project')")
    admin.wait_for_selector("h1:has-text('Bike lanes <2026>')")
    project = db.session.scalar(sa.select(Project))
    assert (project.target, project.overlap_k) == ("Cities should build protected bike lanes", 2)

    admin.click("text=Upload documents")
    admin.set_input_files("input[name=files]", [str(path) for path in files + [broken]])
    admin.click("button:has-text('Import')")
    results = admin.locator("table").first
    results.wait_for()
    text = results.inner_text()
    assert text.count("imported") >= 3 and "letters.jsonl" in text and "rejected" in text
    assert "3 imported" in admin.content()
    assert sorted(db.session.scalars(sa.select(Document.external_id))) == [
        "council-report-0",
        "council-report-1",
        "letter-1",
    ]

    admin.goto(f"/admin/projects/{project.id}/members")
    for name in ("ada", "bob"):
        admin.select_option("select[name=username]", name)
        admin.select_option("select[name=role]", "annotator")
        admin.click("button:has-text('Add')")
        admin.wait_for_selector(f"td:has-text('{name}')")
    members = db.session.scalars(sa.select(ProjectMember.role)).all()
    assert members == ["annotator", "annotator"]

    ada = open_browser("ada")
    ada.click("a.annotate-link")
    ada.wait_for_selector("#workspace[data-passage-id]")
    for keys in (("2", "a", "v"), ("0",), ("1", "f", "x")):
        submit_and_wait(ada, *keys)
    bob = open_browser("bob")
    bob.click("a.annotate-link")
    submit_and_wait(bob, "0")

    admin.goto(f"/projects/{project.id}")
    assert "1 of 9 passages complete" in admin.inner_text(".progress-summary")
    rows = admin.locator("table.listing").nth(0).inner_text()
    assert "ada\t3\t0" in rows and "bob\t1\t0" in rows
    screenshot_to(admin, "overview.png")


def test_an_admin_starts_a_project_from_a_template_and_reads_its_guidelines_before_creating_it(open_browser, make_user):
    make_user("root", "admin")
    admin = open_browser("root")
    admin.goto("/admin/projects/new")
    guidelines = admin.locator("textarea[name=guidelines]")
    assert guidelines.input_value() == template_named("claims").guidelines()
    admin.select_option("select[name=template]", "fnc-1")
    admin.wait_for_function(
        "() => document.querySelector('textarea[name=guidelines]').value.includes('The target is the headline')"
    )
    admin.fill("input[name=name]", "Headlines")
    admin.click("button:has-text('Create project')")
    admin.wait_for_selector("h1:has-text('Headlines')")
    project = db.session.scalar(sa.select(Project))
    assert project.guidelines == template_named("fnc-1").guidelines()
    assert schema_of(db.session, project).definition == template_named("fnc-1").schema()
