"""The forms' own rules: every form that changes something refuses a request without its CSRF
token and changes nothing; fields the database bounds are refused, by their label, when too long."""

import pytest
import sqlalchemy as sa

from annotator.extensions import db
from annotator.users.models import ApiToken, User
from tests.conftest import PASSWORD, csrf_token_in

NEW_PASSWORD = "tangerine submarine lighthouse"


def _post_forms(project_id: int, user_id: int, passage_id: int) -> dict[str, dict]:
    """Every form that changes something, by address, with what it sends."""
    return {
        "/account/tokens": {"name": "script"},
        "/account/password": {"current": PASSWORD, "new": NEW_PASSWORD},
        "/admin/users": {"username": "eve", "role": "annotator", "password": NEW_PASSWORD},
        f"/admin/users/{user_id}/password": {"password": NEW_PASSWORD},
        f"/admin/users/{user_id}/active": {"active": "0"},
        "/admin/projects": {"name": "Other", "overlap_k": "2"},
        f"/admin/projects/{project_id}": {"name": "Renamed", "overlap_k": "2"},
        f"/admin/projects/{project_id}/members": {"username": "bob", "role": "annotator"},
        f"/projects/{project_id}/passages/{passage_id}/labels": {"label-claim_type": "no_claim"},
        f"/projects/{project_id}/passages/{passage_id}/skip": {"reason": "unclear"},
        f"/projects/{project_id}/review/{passage_id}": {"label-claim_type": "no_claim"},
        f"/projects/{project_id}/agreement": {},
        "/auth/logout": {},
    }


@pytest.fixture
def signed_in_admin(make_user, make_project, make_documents, add_member, login):
    make_user("root", "admin")
    bob = make_user("bob")
    project = make_project()
    passages = make_documents(project, count=1, paragraphs=2)
    add_member(project, "root")
    login("root")
    return project, bob, passages[0]


def _state() -> tuple:
    """What any of the forms would change."""
    users = tuple(db.session.execute(sa.select(User.username, User.password_hash, User.active).order_by(User.id)))
    return users, db.session.scalar(sa.select(sa.func.count(ApiToken.id)))


@pytest.mark.parametrize("which", range(13))
def test_every_form_that_changes_something_refuses_a_request_without_its_csrf_token(which, client, signed_in_admin):
    project, bob, passage = signed_in_admin
    address, fields = list(_post_forms(project.id, bob.id, passage.id).items())[which]
    before = _state()
    response = client.post(address, data=fields)
    assert response.status_code == 400, address
    assert "CSRF" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _state() == before
    assert client.get("/account").status_code == 200  # still signed in


def test_a_token_name_longer_than_the_database_keeps_is_refused_by_its_label(client, make_user, login):
    make_user("ada")
    login("ada")
    token = csrf_token_in(client.get("/account").get_data(as_text=True))
    response = client.post("/account/tokens", data={"csrf_token": token, "name": "x" * 81})
    assert response.status_code == 422
    assert "What the token is for: at most 80 characters" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0
    created = client.post("/account/tokens", data={"csrf_token": token, "name": "x" * 80})
    assert created.status_code == 201


def test_a_csv_column_name_too_long_is_refused_by_its_label(client, make_user, make_project, login):
    import io

    make_user("root", "admin")
    project = make_project()
    login("root")
    token = csrf_token_in(client.get(f"/admin/projects/{project.id}/documents").get_data(as_text=True))
    response = client.post(
        f"/admin/projects/{project.id}/documents",
        content_type="multipart/form-data",
        data={
            "csrf_token": token,
            "text_column": "t" * 201,
            "files": (io.BytesIO(b"id,text\n1,Some text here.\n"), "a.csv"),
        },
    )
    assert response.status_code == 422
    assert "CSV text column: at most 200 characters" in response.get_data(as_text=True)


def test_the_label_form_has_a_field_per_schema_field_read_by_its_type(app):
    from werkzeug.datastructures import MultiDict

    from annotator.web.label_form import label_form
    from tests.schema.test_field_types import schema

    sent = MultiDict(
        [
            ("label-claim_types", "opinion"),
            ("label-claim_types", "event"),
            ("label-claim_types", ""),
            ("label-checkworthy", "yes"),
            ("label-rewrite", ""),
            ("note", "see the table"),
            ("unsure", "on"),
            ("client_time", "2026-12-01T09:00:00Z"),
            ("page_user", "7"),
        ]
    )
    with app.test_request_context("/", method="POST", data=sent):
        form = label_form(schema())
        assert [field.label.text for field in form if field.name.startswith("label-")] == [
            "Claim types",
            "Check-worthy?",
            "The claim in one sentence",
        ]
        assert form.labels() == {"claim_types": ["opinion", "event"], "checkworthy": "yes"}
        assert (form.note.data, form.unsure.data, form.client_time.data, form.page_user.data) == (
            "see the table",
            True,
            "2026-12-01T09:00:00Z",
            7,
        )
    with app.test_request_context("/", method="POST", data={"page_user": "99999999999"}):
        form = label_form(schema())
        assert form.labels() == {} and form.unsure.data is False and form.page_user.data is None
