"""Admin pages: accounts and project membership, through the forms an admin uses."""

import sqlalchemy as sa

from annotator.extensions import db
from annotator.projects.models import ProjectMember
from annotator.users.models import User
from tests.conftest import PASSWORD, csrf_token_in


def post(client, url, page, **form):
    token = csrf_token_in(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **form}, follow_redirects=True)


def test_admin_creates_an_account_that_can_sign_in(client, make_user, login):
    make_user("root", "admin")
    login("root")
    page = post(client, "/admin/users", "/admin/users", username="ada", role="reviewer", password="a good password")
    assert "Account created." in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(User.role).where(User.username == "ada")) == "reviewer"
    client.post("/auth/logout", data={"csrf_token": csrf_token_in(page.get_data(as_text=True))})
    assert login("ada", "a good password").status_code == 303


def test_bad_account_input_is_shown_and_nothing_is_created(client, make_user, login):
    make_user("root", "admin")
    login("root")
    page = post(client, "/admin/users", "/admin/users", username="ada", role="annotator", password="short").get_data(
        as_text=True
    )
    assert "the password has 5 characters" in page
    page = post(
        client, "/admin/users", "/admin/users", username="root", role="annotator", password="long enough, really"
    ).get_data(as_text=True)
    assert "a user named &#34;root&#34; already exists" in page
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_a_refused_account_keeps_what_was_typed_but_the_password(client, make_user, login):
    make_user("root", "admin")
    login("root")
    token = csrf_token_in(client.get("/admin/users").get_data(as_text=True))
    response = client.post(
        "/admin/users",
        data={"csrf_token": token, "username": "root", "role": "reviewer", "password": "a secret password"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Not created: a user named &#34;root&#34; already exists." in html
    assert 'name="username" value="root"' in html and '<option value="reviewer" selected>' in html
    assert "a secret password" not in html


def test_a_refused_member_keeps_the_choices(client, make_user, make_project, login):
    from annotator.users.authentication import deactivate

    project = make_project("Bike lanes")
    make_user("root", "admin")
    ada = make_user("ada")
    make_user("bob")
    login("root")
    members_page = f"/admin/projects/{project.id}/members"
    token = csrf_token_in(client.get(members_page).get_data(as_text=True))
    deactivate(db.session, ada)  # between showing the form and sending it
    db.session.commit()
    response = client.post(members_page, data={"csrf_token": token, "username": "ada", "role": "reviewer"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Not added: user &#34;ada&#34; is deactivated." in html
    assert "<option selected>reviewer</option>" in html


def test_reset_password_and_deactivate_end_the_users_sessions(app, make_user, login, client):
    ada = make_user("ada")
    make_user("root", "admin")
    other = app.test_client()
    token = csrf_token_in(other.get("/auth/login").get_data(as_text=True))
    other.post("/auth/login", data={"csrf_token": token, "username": "ada", "password": PASSWORD})
    assert other.get("/").status_code == 200
    login("root")
    post(client, f"/admin/users/{ada.id}/password", "/admin/users", password="another password")
    assert other.get("/").status_code == 302
    post(client, f"/admin/users/{ada.id}/active", "/admin/users", active="0")
    db.session.expire_all()
    assert db.session.get(User, ada.id).active is False
    page = post(client, f"/admin/users/{ada.id}/active", "/admin/users", active="1").get_data(as_text=True)
    assert "ada reactivated." in page


def test_admins_cannot_lock_themselves_out(client, make_user, login):
    root = make_user("root", "admin")
    login("root")
    page = post(client, f"/admin/users/{root.id}/active", "/admin/users", active="0").get_data(as_text=True)
    assert "You cannot deactivate your own account." in page
    assert client.get("/").status_code == 200


def test_members_are_added_and_removed(client, make_user, make_project, login):
    project = make_project("Bike lanes")
    make_user("root", "admin")
    make_user("ada")
    login("root")
    members_page = f"/admin/projects/{project.id}/members"
    page = post(client, members_page, members_page, username="ada", role="annotator").get_data(as_text=True)
    assert "Member added." in page and "<td>ada</td><td>annotator</td>" in page
    member = db.session.scalar(sa.select(ProjectMember))
    page = post(client, f"{members_page}/{member.id}/remove", members_page).get_data(as_text=True)
    assert "Member removed." in page and db.session.scalar(sa.select(sa.func.count(ProjectMember.id))) == 0


def test_user_supplied_names_are_escaped_on_admin_pages(client, make_user, make_project, login):
    project = make_project("<b>bold</b>")
    make_user("<img src=x onerror=alert(1)>")
    make_user("root", "admin")
    login("root")
    for page in ("/admin/users", f"/admin/projects/{project.id}/members"):
        html = client.get(page).get_data(as_text=True)
        assert "<img src=x" not in html and "<b>bold</b>" not in html
