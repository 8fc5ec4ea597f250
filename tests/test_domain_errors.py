"""A service's refusal (annotator.domain_errors) is answered by its meaning alone: on the web a
404, 403, 409 or 400 page, or JSON when the request asks for it; on the command line one line
and exit status 1, with nothing stored."""

import pytest
import sqlalchemy as sa

from annotator.administration.projects import ProjectError
from annotator.assignment.service import NotAssigned
from annotator.documents.lookup import NoSuchPassage
from annotator.domain_errors import DomainError, Meaning
from annotator.extensions import db
from annotator.projects.access import NoSuchProject, NotAllowed
from annotator.projects.models import Project
from annotator.schema import LabelError, SchemaError
from annotator.users.services import UserError

REFUSALS = {
    "not-found": (NoSuchProject("project 41 not found"), 404),
    "forbidden": (NotAllowed("your account may not review in project Bike lanes"), 403),
    "conflict": (NotAssigned("this passage was not handed to you"), 409),
    "invalid": (ProjectError("overlap k must be at least 1"), 400),
}


@pytest.fixture
def refusing(app):
    """A view whose service refuses, as asked."""

    @app.get("/refusal/<kind>")
    def refusal_view(kind: str):
        raise REFUSALS[kind][0]

    return app.test_client()


@pytest.mark.parametrize("kind", REFUSALS)
def test_a_refusal_is_a_page_with_its_status_and_message(refusing, kind):
    refusal, status = REFUSALS[kind]
    response = refusing.get(f"/refusal/{kind}", headers={"Accept": "text/html"})
    assert response.status_code == status and response.mimetype == "text/html"
    assert str(refusal) in response.get_data(as_text=True)


@pytest.mark.parametrize("kind", REFUSALS)
def test_a_refusal_is_json_when_json_is_asked_for(refusing, kind):
    refusal, status = REFUSALS[kind]
    response = refusing.get(f"/refusal/{kind}", headers={"Accept": "application/json"})
    assert response.status_code == status
    assert response.get_json() == {"error": str(refusal)}


def test_every_refusal_of_the_services_is_a_domain_error_with_a_meaning():
    meanings = {
        error: error.meaning
        for error in (
            NoSuchProject,
            NotAllowed,
            NoSuchPassage,
            NotAssigned,
            ProjectError,
            UserError,
            LabelError,
            SchemaError,
        )
    }
    assert all(issubclass(error, DomainError) for error in meanings)
    assert meanings[NoSuchProject] is meanings[NoSuchPassage] is Meaning.NOT_FOUND
    assert (meanings[NotAllowed], meanings[NotAssigned]) == (Meaning.FORBIDDEN, Meaning.CONFLICT)
    assert {meanings[error] for error in (ProjectError, UserError, LabelError, SchemaError)} == {Meaning.INVALID}


def test_an_outsider_gets_403_and_an_unknown_project_404_in_json_from_the_api(api_client, make_project):
    project = make_project("Bike lanes")
    ada = api_client("ada")
    forbidden = ada("GET", f"/api/projects/{project.id}/next")
    assert forbidden.status_code == 403 and "may not annotate" in forbidden.get_json()["error"]
    missing = ada("GET", f"/api/projects/{project.id + 1}/next")
    assert missing.status_code == 404 and missing.get_json()["error"] == f"project {project.id + 1} not found"


def test_on_the_command_line_a_refusal_is_one_line_and_exit_status_1(runner):
    result = runner.invoke(args=["edit-project", "Nowhere", "--name", "Somewhere"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ['Error: no project named "Nowhere"']


def test_on_the_command_line_a_refusal_stores_nothing_of_the_command(runner, make_project):
    make_project("Bike lanes")
    result = runner.invoke(args=["edit-project", "Bike lanes", "--name", "Cycle lanes", "--extra-annotator-below", "2"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: the agreement below which a passage gets one more annotator is between 0 and 1"
    ]
    assert db.session.scalars(sa.select(Project.name).execution_options(populate_existing=True)).all() == ["Bike lanes"]
