"""The landing page lists only the projects a user may work on."""

from tests.conftest import PASSWORD


def test_annotators_see_their_projects_and_admins_see_all(client, runner, make_user, make_project, login):
    make_project("Bike lanes")
    make_project("Secret audit")
    make_user("ada", "annotator")
    make_user("root", "admin")
    assert runner.invoke(args=["add-member", "Bike lanes", "ada", "--role", "annotator"]).exit_code == 0
    login("ada")
    page = client.get("/").get_data(as_text=True)
    assert "Bike lanes" in page and "Secret audit" not in page
    client.post("/auth/logout", data={"csrf_token": _token(client)})
    login("root", PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert "Bike lanes" in page and "Secret audit" in page


def test_project_names_are_escaped(client, make_user, make_project, login):
    make_project("<script>alert(1)</script>")
    make_user("root", "admin")
    login("root")
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def _token(client):
    from tests.conftest import csrf_token_in

    return csrf_token_in(client.get("/").get_data(as_text=True))
