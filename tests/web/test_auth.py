"""Signing in and out: passwords, CSRF, deactivation, cookies, redirects (throttling: test_throttling.py)."""

from annotator.extensions import db
from annotator.users.authentication import deactivate, set_password
from tests.conftest import PASSWORD, csrf_token_in


def test_pages_need_a_signed_in_user(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_signing_in_leads_to_the_page_asked_for(client, make_user, login):
    make_user("ada")
    page = client.get("/auth/login?next=/")
    token = csrf_token_in(page.get_data(as_text=True))
    response = client.post("/auth/login?next=/", data={"csrf_token": token, "username": "ada", "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert '<a href="/account">ada</a> <span>(annotator)</span>' in client.get("/").get_data(as_text=True)


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user, login):
    make_user("ada")
    wrong_password = login("ada", "not the password")
    unknown_user = login("bob", "not the password")
    for response in (wrong_password, unknown_user):
        assert response.status_code == 401
        assert "Wrong username or password" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_the_login_form_needs_its_csrf_token(client, make_user):
    make_user("ada")
    response = client.post("/auth/login", data={"username": "ada", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_a_deactivated_user_is_out_at_once(client, make_user, login):
    user = make_user("ada")
    login("ada")
    assert client.get("/").status_code == 200
    deactivate(db.session, user)
    db.session.commit()
    assert client.get("/").status_code == 302
    assert login("ada").status_code == 401


def test_a_password_reset_ends_existing_sessions(client, make_user, login):
    user = make_user("ada")
    login("ada")
    set_password(db.session, user, "a brand new password")
    db.session.commit()
    assert client.get("/").status_code == 302
    assert login("ada", "a brand new password").status_code == 303


def test_signing_out_takes_a_post_with_the_csrf_token(client, make_user, login):
    make_user("ada")
    login("ada")
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    token = csrf_token_in(client.get("/").get_data(as_text=True))
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/").status_code == 302


def test_next_never_leads_off_the_site(client, make_user):
    make_user("ada")
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        page = client.get("/auth/login")
        token = csrf_token_in(page.get_data(as_text=True))
        response = client.post(
            "/auth/login",
            query_string={"next": target},
            data={"csrf_token": token, "username": "ada", "password": PASSWORD},
        )
        assert response.headers["Location"] == "/", target
        client.post("/auth/logout", data={"csrf_token": csrf_token_in(client.get("/").get_data(as_text=True))})


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user, login):
    make_user("ada")
    cookie = login("ada").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_htmx_requests_carry_the_csrf_token_in_a_header(client, make_user, login):
    make_user("ada")
    login("ada")
    html = client.get("/").get_data(as_text=True)
    assert """hx-headers='{"X-CSRFToken": \"""" in html
    assert csrf_token_in(html) in html.split("hx-headers=")[1]
