"""Every endpoint against every role: who may, who is sent to sign in, who is refused."""

import re

import pytest

from tests.conftest import csrf_token_in

OK, REDIRECT, SIGN_IN, BAD_REQUEST, FORBIDDEN, UNAUTHORISED = 200, 303, 302, 400, 403, 401
CONFLICT, UNPROCESSABLE, NOT_FOUND, CREATED = 409, 422, 404, 201

# (method, url template, expected status for: anonymous, annotator, reviewer, admin)
MATRIX = [
    ("GET", "/", (SIGN_IN, OK, OK, OK)),
    ("GET", "/auth/login", (OK, OK, OK, OK)),
    ("POST", "/auth/login", (BAD_REQUEST, BAD_REQUEST, BAD_REQUEST, BAD_REQUEST)),  # no credentials sent
    ("POST", "/auth/logout", (REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    ("GET", "/auth/session", (OK, OK, OK, OK)),  # who is signed in, for a page whose session ended
    ("GET", "/account", (SIGN_IN, OK, OK, OK)),
    ("POST", "/account/tokens", (SIGN_IN, CREATED, CREATED, CREATED)),
    ("POST", "/account/tokens/{token}/revoke", (SIGN_IN, REDIRECT, NOT_FOUND, NOT_FOUND)),  # ada's token
    ("POST", "/account/password", (SIGN_IN, UNPROCESSABLE, UNPROCESSABLE, UNPROCESSABLE)),  # no password sent
    ("GET", "/admin/users", (SIGN_IN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/users", (SIGN_IN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE)),  # no username sent
    ("POST", "/admin/users/{ada}/password", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    ("POST", "/admin/users/{ada}/active", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    ("GET", "/admin/projects/{project}/members", (SIGN_IN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/projects/{project}/members", (SIGN_IN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE)),  # no user sent
    ("POST", "/admin/projects/{project}/members/{member}/remove", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    ("GET", "/admin/projects/new", (SIGN_IN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/projects", (SIGN_IN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE)),  # no name, no k
    ("GET", "/admin/projects/{project}/edit", (SIGN_IN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/admin/projects/{project}/imports/{job}", (SIGN_IN, FORBIDDEN, FORBIDDEN, OK)),  # an upload's import
    ("POST", "/admin/projects/{project}", (SIGN_IN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE)),  # no name, no k
    ("GET", "/admin/projects/{project}/documents", (SIGN_IN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/projects/{project}/documents", (SIGN_IN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE)),  # no files
    ("GET", "/projects/{project}", (SIGN_IN, FORBIDDEN, OK, OK)),
    ("GET", "/projects/{project}/review", (SIGN_IN, FORBIDDEN, OK, OK)),
    ("GET", "/projects/{project}/review/{passage}", (SIGN_IN, FORBIDDEN, OK, OK)),
    ("POST", "/projects/{project}/review/{passage}", (SIGN_IN, FORBIDDEN, UNPROCESSABLE, UNPROCESSABLE)),  # no labels
    ("GET", "/projects/{project}/agreement", (SIGN_IN, FORBIDDEN, OK, OK)),
    # a passage's discussion (in a document of its own: a discussed passage's document is not
    # removed below): ada has not labelled it, so only reviewers and admins
    ("GET", "/projects/{project}/passages/{discussed}/discussion", (SIGN_IN, FORBIDDEN, OK, OK)),
    ("POST", "/projects/{project}/passages/{discussed}/discussion", (SIGN_IN, FORBIDDEN, UNPROCESSABLE, UNPROCESSABLE)),
    ("POST", "/projects/{project}/passages/{discussed}/discussion/resolve", (SIGN_IN, FORBIDDEN, REDIRECT, REDIRECT)),
    # reopening what the row before resolved
    ("POST", "/projects/{project}/passages/{discussed}/discussion/reopen", (SIGN_IN, FORBIDDEN, REDIRECT, REDIRECT)),
    ("GET", "/projects/{project}/feedback", (SIGN_IN, OK, OK, OK)),  # decisions on one's own passages
    ("GET", "/api/projects/{project}/feedback", (UNAUTHORISED, OK, OK, OK)),
    ("POST", "/projects/{project}/agreement", (SIGN_IN, FORBIDDEN, OK, OK)),
    ("GET", "/projects/{project}/exports", (SIGN_IN, FORBIDDEN, OK, OK)),
    ("GET", "/projects/{project}/exports/{training}", (SIGN_IN, FORBIDDEN, OK, OK)),
    ("GET", "/projects/{project}/exports/{backup}", (SIGN_IN, FORBIDDEN, FORBIDDEN, OK)),  # admins only
    # the default schema has no verdict: reviewers get past the guard to the export's refusal
    ("GET", "/projects/{project}/exports/fever", (SIGN_IN, FORBIDDEN, CONFLICT, CONFLICT)),
    ("GET", "/projects/{project}/documents", (SIGN_IN, FORBIDDEN, OK, OK)),  # the data manager
    ("GET", "/projects/{project}/passages", (SIGN_IN, FORBIDDEN, OK, OK)),
    ("GET", "/projects/{project}/documents/{document}/passages", (SIGN_IN, FORBIDDEN, OK, OK)),
    ("GET", "/api/projects/{project}/documents", (UNAUTHORISED, FORBIDDEN, OK, OK)),
    ("GET", "/api/projects/{project}/passages", (UNAUTHORISED, FORBIDDEN, OK, OK)),
    ("GET", "/api/documents/{document}", (UNAUTHORISED, FORBIDDEN, OK, OK)),
    ("GET", "/api/projects", (UNAUTHORISED, OK, OK, OK)),
    ("GET", "/api/projects/{project}/progress", (UNAUTHORISED, OK, OK, OK)),
    ("POST", "/api/passages/{passage}/skip", (UNAUTHORISED, CONFLICT, FORBIDDEN, CONFLICT)),  # nothing handed out yet
    (
        "POST",
        "/api/passages/{passage}/annotations",
        (UNAUTHORISED, UNPROCESSABLE, FORBIDDEN, UNPROCESSABLE),
    ),  # no labels sent
    ("GET", "/api/projects/{project}/next", (UNAUTHORISED, OK, FORBIDDEN, OK)),
    ("GET", "/projects/{project}/annotate", (SIGN_IN, OK, FORBIDDEN, OK)),
    ("GET", "/projects/{project}/documents/{document}", (SIGN_IN, OK, OK, OK)),
    (
        "GET",
        "/projects/{project}/passages/{passage}/edit",
        (SIGN_IN, NOT_FOUND, FORBIDDEN, NOT_FOUND),
    ),  # nothing labelled yet
    ("POST", "/projects/{project}/passages/{other}/skip", (SIGN_IN, CONFLICT, FORBIDDEN, CONFLICT)),  # not handed out
    (
        "POST",
        "/projects/{project}/passages/{passage}/labels",
        (SIGN_IN, UNPROCESSABLE, FORBIDDEN, UNPROCESSABLE),
    ),  # no labels
    # gold and pausing (annotator.quality): reviewers promote decided passages only, admins alone resume
    ("POST", "/projects/{project}/review/{passage}/gold", (SIGN_IN, FORBIDDEN, CONFLICT, CONFLICT)),  # undecided
    ("POST", "/projects/{project}/review/{passage}/gold/remove", (SIGN_IN, FORBIDDEN, REDIRECT, REDIRECT)),
    ("POST", "/projects/{project}/annotators/{ada}/resume", (SIGN_IN, FORBIDDEN, FORBIDDEN, CONFLICT)),  # not paused
    ("POST", "/projects/{project}/annotators/{ada}/exclusion", (SIGN_IN, FORBIDDEN, REDIRECT, REDIRECT)),
    ("GET", "/api/projects/{project}/gold", (UNAUTHORISED, FORBIDDEN, OK, OK)),
    ("POST", "/api/projects/{project}/gold", (UNAUTHORISED, FORBIDDEN, BAD_REQUEST, BAD_REQUEST)),  # no passage
    ("DELETE", "/api/projects/{project}/gold/{passage}", (UNAUTHORISED, FORBIDDEN, NOT_FOUND, NOT_FOUND)),
    ("GET", "/api/projects/{project}/quality", (UNAUTHORISED, FORBIDDEN, OK, OK)),
    ("GET", "/api/projects/{project}/quality/me", (UNAUTHORISED, OK, FORBIDDEN, OK)),
    ("POST", "/api/projects/{project}/annotators/{ada}/resume", (UNAUTHORISED, FORBIDDEN, FORBIDDEN, CONFLICT)),
    ("POST", "/api/projects/{project}/annotators/{ada}/exclusion", (UNAUTHORISED, FORBIDDEN, BAD_REQUEST, BAD_REQUEST)),
    # corrections, admins only: refused corrections (nothing to do) go back with why, then real ones last
    ("POST", "/curation/passages/{passage}/exclude", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),  # no reason
    ("POST", "/curation/passages/{passage}/include", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),  # not excluded
    ("POST", "/curation/passages/{other}/merge-next", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),  # the last one
    ("GET", "/curation/passages/{passage}/split", (SIGN_IN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/curation/passages/{passage}/split", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),  # no offset
    ("POST", "/curation/documents/{document}/retitle", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),  # no title
    ("POST", "/curation/projects/{project}/unarchive", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),  # not archived
    ("GET", "/curation/projects/{project}/delete", (SIGN_IN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/curation/projects/{project}/delete", (SIGN_IN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE)),  # no name
    ("POST", "/api/passages/{other}/merge-next", (UNAUTHORISED, FORBIDDEN, FORBIDDEN, CONFLICT)),  # the last one
    ("POST", "/api/passages/{passage}/split", (UNAUTHORISED, FORBIDDEN, FORBIDDEN, UNPROCESSABLE)),  # no offset
    ("POST", "/api/projects/{project}/unarchive", (UNAUTHORISED, FORBIDDEN, FORBIDDEN, CONFLICT)),  # not archived
    ("PATCH", "/api/passages/{passage}", (UNAUTHORISED, FORBIDDEN, FORBIDDEN, UNPROCESSABLE)),  # no JSON
    ("PATCH", "/api/documents/{document}", (UNAUTHORISED, FORBIDDEN, FORBIDDEN, UNPROCESSABLE)),  # no title
    ("POST", "/api/documents/{document}/withdraw", (UNAUTHORISED, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/curation/documents/{document}/withdraw", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),  # already
    ("POST", "/curation/documents/{document}/remove", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),  # no labels
    ("DELETE", "/api/documents/{document}", (UNAUTHORISED, FORBIDDEN, FORBIDDEN, NOT_FOUND)),  # removed just now
    ("POST", "/api/projects/{project}/archive", (UNAUTHORISED, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/curation/projects/{project}/archive", (SIGN_IN, FORBIDDEN, FORBIDDEN, REDIRECT)),  # already
]
ROLES = ("anonymous", "annotator", "reviewer", "admin")


@pytest.fixture
def world(runner, make_user, make_project, make_documents):
    project = make_project("Bike lanes")
    passages = make_documents(project, count=2, paragraphs=2)
    ids = {
        "project": project.id,
        "passage": passages[0].id,
        "other": passages[1].id,
        "discussed": passages[2].id,
        "training": "training",
        "backup": "backup",
        "document": passages[0].document_id,
        "ada": make_user("ada", "annotator").id,
    }
    make_user("rev", "reviewer")
    make_user("root", "admin")
    runner.invoke(args=["add-member", "Bike lanes", "ada", "--role", "annotator"])
    runner.invoke(args=["add-member", "Bike lanes", "rev", "--role", "reviewer"])
    from annotator.extensions import db
    from annotator.projects.models import ProjectMember

    ids["member"] = db.session.query(ProjectMember.id).order_by(ProjectMember.id).first()[0]
    from annotator.users.models import ApiToken

    runner.invoke(args=["create-token", "ada"])
    ids["token"] = db.session.query(ApiToken.id).scalar()
    from annotator.importing.models import ImportJob

    job = ImportJob(project_id=project.id, state="done", options={})
    db.session.add(job)
    db.session.commit()
    ids["job"] = job.id
    return ids


USERNAMES = {"annotator": "ada", "reviewer": "rev", "admin": "root"}


def expect_matrix_column(client, world, column, sign_in_again=None):
    """Every endpoint of the matrix answers `client` as the column says; after signing out, the
    browser signs in again with `sign_in_again` (if given), as the next rows need."""
    token = csrf_token_in(client.get("/auth/login").get_data(as_text=True))
    for method, template, expected in MATRIX:
        url = template.format(**world)
        response = client.get(url) if method == "GET" else client.open(url, method=method, data={"csrf_token": token})
        response.get_data()  # a streamed download keeps its request open until read
        assert response.status_code == expected[column], f"{ROLES[column]} {method} {url}"
        assert_protected(response, f"{ROLES[column]} {method} {url}")
        if template == "/auth/logout":  # the session, and with it the CSRF token, is new
            if sign_in_again is not None:
                sign_in_again()
            token = csrf_token_in(client.get("/auth/login").get_data(as_text=True))


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
def test_every_endpoint_answers_each_role_as_it_should(client, login, world, role_index, role):
    sign_in = None if role == "anonymous" else lambda: login(USERNAMES[role])
    if sign_in:
        sign_in()
    expect_matrix_column(client, world, role_index, sign_in)


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_cookie_replayed_after_signing_out_is_answered_as_nobodys(app, client, login, world, role):
    login(USERNAMES[role])
    replayed = app.test_client()
    replayed.set_cookie("session", client.get_cookie("session").value)
    client.post("/auth/logout", data={"csrf_token": csrf_token_in(client.get("/auth/login").get_data(as_text=True))})
    expect_matrix_column(replayed, world, ROLES.index("anonymous"))


@pytest.mark.parametrize("role", ROLES[1:])
def test_guessing_a_password_elsewhere_locks_out_the_guesser_not_the_user(app, client, login, world, role):
    from tests.conftest import PASSWORD

    assert login(USERNAMES[role]).status_code == 303  # where they work (127.0.0.1)
    guesser = app.test_client()
    token = csrf_token_in(guesser.get("/auth/login").get_data(as_text=True))
    guesses = [
        guesser.post(
            "/auth/login",
            data={"csrf_token": token, "username": USERNAMES[role], "password": password},
            environ_base={"REMOTE_ADDR": "10.6.6.6"},
        ).status_code
        for password in ["guess"] * 10 + [PASSWORD]
    ]
    assert guesses[-1] == 429 and set(guesses) == {401, 429}
    client.post("/auth/logout", data={"csrf_token": csrf_token_in(client.get("/auth/login").get_data(as_text=True))})
    login(USERNAMES[role])
    expect_matrix_column(client, world, ROLES.index(role), lambda: login(USERNAMES[role]))


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def assert_protected(response, where: str) -> None:
    """The header rules, on every answer whatever its status: a strict Content-Security-Policy
    (nothing inline, no eval, images from the site only, never in a frame), no framing for older
    browsers, no sniffing, no Referer to other sites and no copy in any cache."""
    csp = csp_directives(response)
    assert csp.get("default-src") == ["'none'"], where
    assert csp.get("script-src") == ["'self'"] and csp.get("style-src") == ["'self'"], where
    assert csp.get("img-src") == ["'self'", "data:"] and csp.get("frame-ancestors") == ["'none'"], where
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & {value for values in csp.values() for value in values}, where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") in ("no-referrer", "same-origin"), where
    assert "no-store" in response.headers.get("Cache-Control", ""), where


def test_the_matrix_covers_every_endpoint(app):

    def shape(path):
        return re.sub(r"<[^>]+>|\{[^}]+\}", "*", path)

    covered = {(method, shape(template)) for method, template, _ in MATRIX}
    routes = {
        (method, shape(str(rule)))
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()
