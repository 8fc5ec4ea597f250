"""A project of two passages (k = 2): ada and bob labelled the first differently (complete), ada
alone the second (not complete); cy labelled nothing; rev reviews."""

import pytest

from annotator.extensions import db

ADA = {"claim_type": "event", "stance": "favor", "verifiability": "verifiable"}
BOB = {"claim_type": "opinion", "stance": "against", "verifiability": "unverifiable"}


@pytest.fixture
def discussed(make_project, make_documents, make_user, add_member, import_labels):
    project = make_project("Bike lanes", target="Cities should build bike lanes", overlap_k=2)
    passages = make_documents(project, count=1, paragraphs=2)
    for name in ("ada", "bob", "cy"):
        make_user(name)
        add_member(project, name)
    make_user("rev", "reviewer")
    add_member(project, "rev", "reviewer")
    import_labels(
        project,
        [
            {"passage_id": passages[0].id, "annotator": "ada", "labels": ADA},
            {"passage_id": passages[0].id, "annotator": "bob", "labels": BOB},
            {"passage_id": passages[1].id, "annotator": "ada", "labels": ADA},
        ],
    )
    db.session.refresh(project)
    project.complete, project.incomplete = passages[0].id, passages[1].id
    return project


def thread_url(project, passage_id: int, action: str = "") -> str:
    return f"/projects/{project.id}/passages/{passage_id}/discussion" + (f"/{action}" if action else "")
