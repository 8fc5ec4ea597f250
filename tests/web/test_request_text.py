"""What forms and the API may carry: a NUL character is refused with a clear 400 on every
database (PostgreSQL cannot store it, SQLite did), and a JSON body nested thousands of levels
deep is a 4xx, never a 500."""

import sqlalchemy as sa
from markupsafe import escape

from annotator.annotations.models import Annotation
from annotator.extensions import db
from annotator.projects.models import Project
from annotator.users.models import ApiToken, User
from tests.conftest import csrf_token_in
from tests.web.test_api_annotation import CLAIM, setup_project

REFUSED = "contains a NUL character (U+0000), which cannot be stored: remove it and send again."


def refusal_of(field: str) -> str:
    """The refusal as the error page shows it."""
    return str(escape(f'"{field}" {REFUSED}'))


def post(client, page: str, url: str, **form):
    token = csrf_token_in(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **form})


def test_a_username_with_a_nul_is_refused_at_sign_in_and_on_the_accounts_page(client, make_user, login):
    make_user("root", "admin")
    refused = login("root\x00")
    assert refused.status_code == 400 and refusal_of("username") in refused.get_data(as_text=True)
    login("root")
    created = post(
        client, "/admin/users", "/admin/users", username="ada\x00", role="annotator", password="a good password"
    )
    assert created.status_code == 400 and refusal_of("username") in created.get_data(as_text=True)
    assert db.session.scalars(sa.select(User.username)).all() == ["root"]


def test_project_names_and_token_names_with_a_nul_are_refused(client, make_user, login):
    make_user("root", "admin")
    login("root")
    project = post(
        client, "/admin/projects/new", "/admin/projects", name="Bike\x00lanes", target="", guidelines="", overlap_k="2"
    )
    assert project.status_code == 400 and refusal_of("name") in project.get_data(as_text=True)
    token = post(client, "/account", "/account/tokens", name="script\x00")
    assert token.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Project.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_a_note_with_a_nul_sent_to_the_api_is_refused_in_json(runner, make_project, make_documents, api_client):
    ada = api_client("ada")
    project, _ = setup_project(runner, make_project, make_documents)
    passage_id = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    response = ada("POST", f"/api/passages/{passage_id}/annotations", json={"labels": CLAIM, "note": "p.\x00 4"})
    assert response.status_code == 400 and response.get_json() == {"error": f"the JSON body {REFUSED}"}
    assert db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 0


def test_a_json_body_nested_a_hundred_thousand_levels_is_refused_not_a_server_error(
    runner, make_project, make_documents, api_client
):
    ada = api_client("ada")
    project, _ = setup_project(runner, make_project, make_documents)
    passage_id = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    deep = '{"labels": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = ada("POST", f"/api/passages/{passage_id}/annotations", data=deep, content_type="application/json")
    assert response.status_code == 422 and "error" in response.get_json()
    assert db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 0
