"""Requests no page sends get a clear 4xx, never a 500: line breaks and other hosts in `next`,
ids beyond what a database row can have (2^63 and up broke SQLite, 2^31 and up PostgreSQL), OPTIONS, odd
headers, forms that are not UTF-8."""

import re

import pytest

from annotator.web.ids import MAX_ID
from tests.conftest import PASSWORD, csrf_token_in
from tests.web.test_authorisation_matrix import MATRIX, ROLES, USERNAMES, world  # noqa: F401  (a fixture)

TOO_LARGE = MAX_ID + 1


def sign_in_with_next(client, target, username="ada"):
    token = csrf_token_in(client.get("/auth/login").get_data(as_text=True))
    return client.post(
        "/auth/login",
        query_string={"next": target},
        data={"csrf_token": token, "username": username, "password": PASSWORD},
    )


@pytest.mark.parametrize(
    "target", ["/\r\nSet-Cookie: stolen=1", "/account\n", "/\t/evil.example", "/\\evil.example", "/\\\\evil.example"]
)
def test_a_next_with_a_line_break_or_another_host_leads_home_and_the_user_is_signed_in(client, make_user, target):
    make_user("ada")
    response = sign_in_with_next(client, target)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "stolen" not in response.headers.get("Set-Cookie", "")
    assert client.get("/account").status_code == 200


def test_a_next_with_a_nul_is_refused_plainly_like_any_field_with_one(client, make_user):
    make_user("ada")
    response = sign_in_with_next(client, "/\x00")
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_a_next_on_this_site_is_still_followed(client, make_user):
    make_user("ada")
    assert sign_in_with_next(client, "/account?tab=tokens").headers["Location"] == "/account?tab=tokens"


def with_ids(template: str, world: dict, id_value: int) -> str:
    return template.format(**{key: (value if isinstance(value, str) else id_value) for key, value in world.items()})


@pytest.mark.parametrize("id_value, expected", [(2**63, 404), (10**30, 404), (TOO_LARGE, 404), (MAX_ID, 404)])
def test_ids_beyond_64_bits_name_nothing_on_every_route(client, login, world, id_value, expected):
    login("root")
    token = csrf_token_in(client.get("/auth/login").get_data(as_text=True))
    for method, template, _ in MATRIX:
        if not re.search(r"\{(project|passage|other|document|ada|member|token)\}", template):
            continue
        url = with_ids(template, world, id_value)
        response = client.get(url) if method == "GET" else client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == expected, f"{method} {url}"


def test_ids_beyond_64_bits_in_a_query_are_ignored(client, login, world):
    login("root")
    project = world["project"]
    for url in (
        f"/projects/{project}?after={2**63}",
        f"/projects/{project}?after={TOO_LARGE}",
        f"/projects/{project}/review?decided={TOO_LARGE}",
        f"/projects/{project}/review?after=0.5:{TOO_LARGE}",
        f"/projects/{project}/review?after=nan:1",
        f"/projects/{project}/documents/{world['document']}?passage={TOO_LARGE}",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ROLES)
def test_options_is_not_a_method_any_route_takes(client, login, world, role):
    if role != "anonymous":
        login(USERNAMES[role])
    for url in {with_ids(template, world, world["project"]) for _, template, _ in MATRIX} | {
        "/admin/users",
        "/admin/projects/new",
    }:
        response = client.open(url.format(**world), method="OPTIONS")
        assert response.status_code == 405, f"{role} OPTIONS {url}"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer ann_\xff\xfe\x00",
        "Bearer \x00",
        "Bearer " + "ann_" + "x" * 100_000,
        "Basic \xff",
        "Bearer",
        "bearer  ann_ ",
    ],
)
def test_an_odd_authorization_header_is_refused_as_no_credentials(client, header):
    response = client.get("/api/projects", headers={"Authorization": header})
    assert response.status_code == 401 and "error" in response.get_json()


def test_a_sign_in_form_that_is_not_utf8_or_has_control_characters_is_refused_plainly(client, make_user):
    make_user("ada")
    token = csrf_token_in(client.get("/auth/login").get_data(as_text=True))
    not_utf8 = client.post(
        "/auth/login",
        data=f"csrf_token={token}&username=%ff%fe&password=%ff%fe".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert not_utf8.status_code == 401
    nul = client.post("/auth/login", data={"csrf_token": token, "username": "ada\x00", "password": PASSWORD})
    assert nul.status_code == 400 and client.get("/account").status_code == 302


def test_an_address_a_proxy_wrote_oddly_is_still_counted(app, client, make_user):
    from annotator.config import trust_proxies

    app.config["PROXY_FIX"] = 1
    trust_proxies(app)
    make_user("ada")
    token = csrf_token_in(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login",
        data={"csrf_token": token, "username": "ada", "password": PASSWORD},
        headers={"X-Forwarded-For": "\x00not an address\xff"},
    )
    assert response.status_code == 303
