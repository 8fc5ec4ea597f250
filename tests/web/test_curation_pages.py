"""The correction forms: what an admin does on the data pages and the project's settings, each
answered by a redirect back with what was done or why not; the delete confirmation; who may."""

import pytest
import sqlalchemy as sa
from flask import render_template

from annotator.curation.models import Correction
from annotator.documents.models import Document, Passage
from annotator.extensions import db
from annotator.projects.models import Project
from tests.conftest import csrf_token_in
from tests.curation.conftest import STORY, passages_of, story  # noqa: F401  (the three-paragraph project)


@pytest.fixture
def admin_client(client, make_user, login, story):
    make_user("root", "admin")
    login("root")
    return client


def settings_page(project) -> str:
    return f"/admin/projects/{project.id}/edit"


def post(client, url, project, **form):
    token = csrf_token_in(client.get(settings_page(project)).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **form})


def test_excluding_goes_back_to_the_page_given_and_says_so(admin_client, story):
    first = passages_of(story)[0]
    response = post(
        admin_client, f"/curation/passages/{first.id}/exclude", story, reason="a menu", next=settings_page(story)
    )
    assert response.status_code == 303 and response.headers["Location"] == settings_page(story)
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Passage 1 excluded: it is no longer handed out." in page
    assert db.session.get(Passage, first.id).excluded_reason == "manual"
    assert db.session.scalar(sa.select(Correction.reason)) == "a menu"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x", ""])
def test_a_next_address_off_the_site_is_not_followed(admin_client, story, target):
    first = passages_of(story)[0]
    response = post(admin_client, f"/curation/passages/{first.id}/exclude", story, reason="menu", next=target)
    assert response.status_code == 303 and response.headers["Location"] == settings_page(story)


def test_a_refused_correction_changes_nothing_and_says_why(admin_client, story):
    first = passages_of(story)[0]
    response = post(admin_client, f"/curation/passages/{first.id}/exclude", story, reason=" ", next="/")
    assert response.status_code == 303
    page = admin_client.get(settings_page(story)).get_data(as_text=True)
    assert "Not done: excluding a passage needs a reason: say why, for the audit trail." in page
    assert db.session.get(Passage, first.id).annotatable and db.session.scalar(sa.select(Correction.id)) is None


def test_merging_and_splitting_through_the_forms(admin_client, story):
    first, second, _ = passages_of(story)
    post(admin_client, f"/curation/passages/{first.id}/merge-next", story)
    assert len(passages_of(story)) == 2
    chooser = admin_client.get(f"/curation/passages/{first.id}/split?next=/").get_data(as_text=True)
    at = STORY.index("Officials")
    assert f'value="{at}"' in chooser  # the sentence end between the two former passages is offered
    post(admin_client, f"/curation/passages/{first.id}/split", story, at=str(at))
    assert [(p.start, p.end) for p in passages_of(story)][:2] == [(first.start, at - 2), (at, second.end)]
    inside = STORY.index("council") + 2
    post(admin_client, f"/curation/passages/{first.id}/split", story, at=str(inside))
    page = admin_client.get(settings_page(story)).get_data(as_text=True)
    assert "Not done: offset" in page and "falls inside a word" in page


def test_a_document_is_retitled_withdrawn_and_removed_through_the_forms(admin_client, story):
    document = db.session.scalar(sa.select(Document))
    post(admin_client, f"/curation/documents/{document.id}/retitle", story, title="Cycle lanes")
    post(admin_client, f"/curation/documents/{document.id}/withdraw", story, reason="wrong project")
    db.session.expire_all()
    assert db.session.get(Document, document.id).title == "Cycle lanes"
    assert db.session.get(Document, document.id).withdrawn_at is not None
    response = post(admin_client, f"/curation/documents/{document.id}/remove", story, next="/")
    assert response.headers["Location"] in (f"/projects/{story.id}", f"/projects/{story.id}/documents")
    assert db.session.get(Document, document.id) is None


def test_archive_and_unarchive_from_the_settings_page(admin_client, story, make_user, add_member, login, client):
    page = admin_client.get(settings_page(story)).get_data(as_text=True)
    assert f'action="/curation/projects/{story.id}/archive"' in page
    post(admin_client, f"/curation/projects/{story.id}/archive", story, next=settings_page(story))
    page = admin_client.get(settings_page(story)).get_data(as_text=True)
    assert "Archived on" in page and f'action="/curation/projects/{story.id}/unarchive"' in page
    saved = post(admin_client, f"/admin/projects/{story.id}", story, name="Story", overlap_k="3")
    assert saved.status_code == 409 and "is archived, so it is read-only" in saved.get_data(as_text=True)
    make_user("ada")
    add_member(story, "ada")
    login("ada")
    assert "Story" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/projects/{story.id}/annotate").status_code == 404


def test_a_project_is_deleted_after_its_backup_is_offered_and_its_name_typed(admin_client, story):
    page = admin_client.get(f"/curation/projects/{story.id}/delete").get_data(as_text=True)
    assert f'href="/projects/{story.id}/exports/backup"' in page
    token = csrf_token_in(page)
    wrong = admin_client.post(f"/curation/projects/{story.id}/delete", data={"csrf_token": token, "name": "story"})
    assert wrong.status_code == 422 and "type the project&#39;s name exactly" in wrong.get_data(as_text=True)
    assert db.session.get(Project, story.id) is not None
    done = admin_client.post(f"/curation/projects/{story.id}/delete", data={"csrf_token": token, "name": "Story"})
    assert done.status_code == 303 and done.headers["Location"] == "/"
    assert "Project Story deleted" in admin_client.get("/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Project)) == 0


def test_a_correction_without_its_csrf_token_is_refused(admin_client, story):
    first = passages_of(story)[0]
    response = admin_client.post(f"/curation/passages/{first.id}/exclude", data={"reason": "menu"})
    assert response.status_code == 400 and db.session.get(Passage, first.id).annotatable


def test_the_fragments_show_the_controls_a_passage_and_a_document_allow(app, story):
    first, second, _ = passages_of(story)
    first.label_count = 2  # as the data pages pass it
    document = db.session.get(Document, first.document_id)
    with app.test_request_context("/"):
        labelled = render_template("curation/_passage_actions.html", project=story, passage=first, back="/here")
        fresh = render_template("curation/_passage_actions.html", project=story, passage=second, back="/here")
        heading = render_template("curation/_document_actions.html", project=story, document=document, back="/here")
    db.session.rollback()
    assert "cannot be merged or split" in labelled and "merge-next" not in labelled and "Exclude" in labelled
    assert f'action="/curation/passages/{second.id}/merge-next"' in fresh
    assert f'min="{second.start + 1}" max="{second.end - 1}"' in fresh and 'name="next" value="/here"' in fresh
    assert f'action="/curation/documents/{document.id}/withdraw"' in heading and "Change the title" in heading


def test_an_annotator_who_submits_a_passage_excluded_meanwhile_is_told_so(client, login, story, make_user, add_member):
    import re

    from annotator.annotations.models import Annotation
    from annotator.curation import service

    admin = make_user("root", "admin")
    make_user("ada")
    add_member(story, "ada")
    login("ada")
    page = client.get(f"/projects/{story.id}/annotate").get_data(as_text=True)
    held = int(re.search(r'data-passage-id="(\d+)"', page).group(1))
    service.exclude_passage(db.session, story, held, admin, "a menu")
    db.session.commit()
    response = client.post(
        f"/projects/{story.id}/passages/{held}/labels",
        data={"csrf_token": csrf_token_in(page), "label-claim_type": "no_claim"},
        headers={"HX-Request": "true", "HX-Target": "workspace"},
    )
    assert response.status_code == 409
    assert "an admin took this passage out of annotation after it was handed to you" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Annotation)) == 0
    following = client.get(f"/projects/{story.id}/annotate").get_data(as_text=True)
    assert int(re.search(r'data-passage-id="(\d+)"', following).group(1)) != held
