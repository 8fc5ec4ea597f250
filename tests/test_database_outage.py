"""When the database is unavailable or cannot write (restarting, its connections killed, its disk
full, its file read-only, locked): requests are answered 503 with Retry-After and a message that
says so (a page, an htmx fragment, JSON for the API), nothing half-done is kept, the log has one
entry per outage, and commands stop with one line and a non-zero exit status. The failures are
the databases' own errors, raised where they would arise."""

import re
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from annotator import create_app
from annotator.annotations.models import Annotation, AnnotationEvent
from annotator.documents.models import Document, Passage
from annotator.extensions import db
from tests.conftest import csrf_token_in, paragraph_text

CLAIM = {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"}
HTMX = {"HX-Request": "true", "HX-Target": "workspace"}
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def disk_full(dialect: str) -> Exception:
    if dialect == "sqlite":
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = sqlite3.SQLITE_FULL
        return error
    import psycopg

    return psycopg.errors.DiskFull('could not extend file "base/16384/16420": No space left on device')


def unreachable(dialect: str) -> Exception:
    if dialect == "sqlite":
        error = sqlite3.OperationalError("unable to open database file")
        error.sqlite_errorcode = sqlite3.SQLITE_CANTOPEN
        return error
    import psycopg

    return psycopg.OperationalError(
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
        "Connection refused\n\tIs the server running on that host?"
    )


class Outage:
    """While started, the app's database fails as a full disk does (every write, from the
    `after`-th on, of `table` if given) or as an unreachable server does (every statement)."""

    def __init__(self, engine: sa.Engine):
        self.engine, self.kind, self.after, self.table, self.writes = engine, None, 0, None, 0
        sa.event.listen(engine, "before_cursor_execute", self._fail)

    def start(self, kind="disk full", after=0, table=None):
        self.kind, self.after, self.table, self.writes = kind, after, table, 0

    def stop(self):
        self.kind = None

    def _fail(self, connection, cursor, statement, parameters, context, executemany):
        if self.kind == "unreachable":
            raise unreachable(connection.dialect.name)
        if (
            self.kind == "disk full"
            and WRITES.match(statement)
            and (self.table is None or f" {self.table} " in statement)
        ):
            self.writes += 1
            if self.writes > self.after:
                raise disk_full(connection.dialect.name)


@pytest.fixture
def outage(app):
    watched = Outage(db.engine)
    yield watched
    sa.event.remove(db.engine, "before_cursor_execute", watched._fail)


@pytest.fixture
def bike_lanes(runner, make_project, make_documents, api_client):
    """A project with six passages (its `id`) and `ada`, an annotator calling the API, who holds
    the passage `held`: plain values, which a test reads while the database is out."""
    project = make_project("Bike lanes", overlap_k=2)
    make_documents(project, count=2, paragraphs=3)
    ada = api_client("ada")
    runner.invoke(args=["add-member", "Bike lanes", "ada", "--role", "annotator"])
    held = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    return SimpleNamespace(id=project.id, ada=ada, held=held)


def stored_labels() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(Annotation.id))) + db.session.scalar(
        sa.select(sa.func.count(AnnotationEvent.id))
    )


def test_a_label_sent_while_the_disk_is_full_is_answered_503_with_retry_after_and_stored_once_sent_again(
    bike_lanes, outage
):
    url = f"/api/passages/{bike_lanes.held}/annotations"
    outage.start("disk full")
    refused = bike_lanes.ada("POST", url, json={"labels": CLAIM})
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
    assert "database is unavailable or cannot write" in refused.get_json()["error"]
    assert stored_labels() == 0

    outage.stop()
    assert bike_lanes.ada("POST", url, json={"labels": CLAIM}).status_code == 201
    assert stored_labels() == 2  # the label and its event


def test_people_get_a_page_and_the_annotate_screen_a_fragment_saying_so(bike_lanes, client, login, make_user, outage):
    from annotator.users.models import User
    from annotator.users.services import reset_password

    reset_password(
        db.session, db.session.scalar(sa.select(User).where(User.username == "ada")), "correct horse battery"
    )
    db.session.commit()
    login("ada")
    page = client.get(f"/projects/{bike_lanes.id}/annotate").get_data(as_text=True)
    token = csrf_token_in(page)
    outage.start("disk full")
    submit = client.post(
        f"/projects/{bike_lanes.id}/passages/{bike_lanes.held}/labels",
        headers=HTMX,
        data={"csrf_token": token, "label-claim_type": "no_claim"},
    )
    fragment = submit.get_data(as_text=True)
    assert submit.status_code == 503 and submit.headers["Retry-After"] == "5"
    assert "<html" not in fragment and "database is unavailable or cannot write" in fragment
    assert stored_labels() == 0

    outage.start("unreachable")
    answer = client.get(f"/projects/{bike_lanes.id}/annotate")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert "<h1>The server cannot store anything right now</h1>" in html and '<header class="site-header">' in html
    assert "Nothing of this request was saved" in html


def test_a_refusal_during_an_outage_is_still_its_own_page(bike_lanes, client, outage, caplog):
    # Signed out: a signed-in request reads its session from the database, so during an outage
    # it is answered 503 before any page is looked for.
    outage.start("unreachable")
    missing = client.get("/projects/nowhere")
    assert missing.status_code == 404 and "<h1>Nothing here</h1>" in missing.get_data(as_text=True)
    expired = client.post("/auth/logout", data={"csrf_token": "from an old page"})
    assert expired.status_code == 400 and "The form has expired" in expired.get_data(as_text=True)
    assert [record for record in caplog.records if record.levelname == "ERROR"] == []


def test_an_outage_is_logged_once_when_it_begins_and_once_when_it_is_over(app, bike_lanes, outage, caplog):
    from annotator.database_outage import QUIET_SECONDS, OutageLog
    from annotator.web.errors import OUTAGES

    now = [1000.0]
    app.extensions[OUTAGES] = OutageLog(app.logger, clock=lambda: now[0])
    progress = f"/api/projects/{bike_lanes.id}/progress"
    outage.start("unreachable")
    for _ in range(5):
        assert bike_lanes.ada("GET", progress).status_code == 503
        now[0] += 1
    errors = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    reason = str(unreachable(db.engine.dialect.name)).splitlines()[0]
    assert errors == [
        f"the database is unavailable or cannot write ({reason}): requests are answered 503 until it "
        f"is back; this is logged once per outage"
    ]

    outage.stop()
    assert bike_lanes.ada("GET", progress).status_code == 200  # too soon to call it over
    now[0] += QUIET_SECONDS
    assert bike_lanes.ada("GET", progress).status_code == 200
    back = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert back == ["the database is back: 5 requests were answered 503 over 4 s"]

    outage.start("unreachable")
    bike_lanes.ada("GET", progress)
    assert len([record for record in caplog.records if record.levelname == "ERROR"]) == 2  # a new outage


def test_a_fault_of_the_server_is_not_taken_for_an_outage(app, bike_lanes, outage, monkeypatch):
    progress = f"/api/projects/{bike_lanes.id}/progress"
    outage.start("unreachable")
    assert bike_lanes.ada("GET", progress).status_code == 503
    outage.stop()

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT nothing", {}, sqlite3.OperationalError("no such table: nothing"))

    monkeypatch.setattr("annotator.web.api.project_progress", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    answer = bike_lanes.ada("GET", progress)
    assert answer.status_code == 500 and "Retry-After" not in answer.headers


@pytest.mark.parametrize(
    "reason, expected",
    [
        (
            sqlite3.OperationalError("database is locked: no write turn within 30 s"),
            "database is locked: no write turn within 30 s",
        ),
        (sqlite3.OperationalError("no such table: nothing"), None),
        (sqlite3.IntegrityError("UNIQUE constraint failed: annotation.passage_id"), None),
    ],
)
def test_which_sqlite_errors_are_an_outage(reason, expected):
    from annotator.database_outage import outage_reason

    assert outage_reason(sa.exc.OperationalError("SQL", {}, reason)) == expected


def a_second_app(app, url: str):
    second = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "TESTING": True})
    second.instance_path = app.instance_path
    return second


def test_a_database_that_cannot_be_reached_is_503_for_the_api(app, tmp_path, database_url, bike_lanes):
    url = (
        f"sqlite:///{tmp_path / 'gone' / 'annotator.sqlite3'}"
        if database_url.startswith("sqlite")
        else sa.make_url(database_url).set(port=1).render_as_string(hide_password=False)
    )  # nothing listens on port 1
    unreachable_app = a_second_app(app, url)
    with unreachable_app.app_context():
        answer = unreachable_app.test_client().get("/api/projects", headers=bike_lanes.ada.headers)
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
        db.engine.dispose()


def test_a_read_only_sqlite_file_shows_pages_and_answers_503_to_a_write(app, database_url, bike_lanes):
    if not database_url.startswith("sqlite"):
        pytest.skip("a SQLite file")
    read_only = a_second_app(app, f"sqlite:///file:{sa.make_url(database_url).database}?mode=ro&uri=true")
    with read_only.app_context():
        client = read_only.test_client()
        assert client.get(f"/api/projects/{bike_lanes.id}/progress", headers=bike_lanes.ada.headers).status_code == 200
        answer = client.post(
            f"/api/passages/{bike_lanes.held}/annotations", json={"labels": CLAIM}, headers=bike_lanes.ada.headers
        )
        assert answer.status_code == 503 and "readonly database" not in answer.get_json()["error"]
        db.engine.dispose()
    assert stored_labels() == 0


def test_a_sqlite_file_locked_by_another_process_past_the_wait_is_503(app, database_url, bike_lanes):
    if not database_url.startswith("sqlite"):
        pytest.skip("a SQLite file")
    db.engine.dispose()
    short_wait = lambda connection, record: connection.execute("PRAGMA busy_timeout=50")  # noqa: E731
    sa.event.listen(db.engine, "connect", short_wait)
    other = sqlite3.connect(sa.make_url(database_url).database, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        answer = bike_lanes.ada("POST", f"/api/passages/{bike_lanes.held}/annotations", json={"labels": CLAIM})
        assert answer.status_code == 503
    finally:
        other.execute("ROLLBACK")
        other.close()
        sa.event.remove(db.engine, "connect", short_wait)
        db.engine.dispose()
    assert (
        bike_lanes.ada("POST", f"/api/passages/{bike_lanes.held}/annotations", json={"labels": CLAIM}).status_code
        == 201
    )


def terminate_connections(database_url: str) -> int:
    """Kill every other connection to the test database, as a PostgreSQL restart or an admin does."""
    import psycopg

    url = sa.make_url(database_url)
    with psycopg.connect(
        host=url.host, port=url.port or 5432, user=url.username, dbname=url.database, autocommit=True
    ) as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]


def test_killed_postgresql_connections_cost_only_the_requests_using_them(database_url, bike_lanes):
    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL connections")
    progress = f"/api/projects/{bike_lanes.id}/progress"
    db.session.close()  # the test's own session gives its connection back to the pool, to be killed too
    assert terminate_connections(database_url) >= 1
    assert bike_lanes.ada("GET", progress).status_code == 200  # pooled connections are tried before use

    killed = []

    def killed_in_flight(connection, cursor, statement, parameters, context, executemany):
        if WRITES.match(statement) and not killed:
            killed.append(terminate_connections(database_url))

    sa.event.listen(db.engine, "before_cursor_execute", killed_in_flight)
    url = f"/api/passages/{bike_lanes.held}/annotations"
    try:
        assert bike_lanes.ada("POST", url, json={"labels": CLAIM}).status_code == 503  # in flight: told to try again
        assert bike_lanes.ada("POST", url, json={"labels": CLAIM}).status_code == 201
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", killed_in_flight)
    assert killed and stored_labels() == 2


# --- commands ---------------------------------------------------------------------------------


def one_line_and_exit_1(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


def test_import_docs_into_a_full_disk_stops_in_one_line_and_leaves_nothing_partial(
    runner, make_project, write_file, outage
):
    make_project("Claims")
    paths = [str(write_file(f"doc{n}.txt", "\n\n".join(paragraph_text(n, p) for p in range(4)))) for n in range(3)]
    outage.start("disk full", table="passage")
    message = one_line_and_exit_1(runner.invoke(args=["import-docs", "Claims", *paths]))
    reason = str(disk_full(db.engine.dialect.name))
    assert f"Error: the database is unavailable or cannot write ({reason}): import-docs stopped" in message
    assert "run it again" in message
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 0  # no document without its passages
    outage.stop()
    result = runner.invoke(args=["import-docs", "Claims", *paths])
    assert result.exit_code == 0 and "3 imported (12 passages)" in result.stderr


def test_import_docs_into_a_sqlite_file_that_fills_up_keeps_only_whole_documents(
    app, database_url, runner, make_project, write_file, monkeypatch
):
    if not database_url.startswith("sqlite"):
        pytest.skip("a SQLite file's page limit")
    make_project("Claims")
    monkeypatch.setattr("annotator.importing.service.BATCH_DOCUMENTS", 1)
    text = lambda n: "\n\n".join(paragraph_text(n, p) * 20 for p in range(30))  # noqa: E731
    paths = [str(write_file(f"doc{n}.txt", text(n))) for n in range(12)]
    db.engine.dispose()
    pages = db.session.connection().exec_driver_sql("PRAGMA page_count").scalar()
    db.session.rollback()
    db.engine.dispose()
    cap = lambda connection, record: connection.execute(f"PRAGMA max_page_count={pages + 60}")  # noqa: E731
    sa.event.listen(db.engine, "connect", cap)
    try:
        message = one_line_and_exit_1(runner.invoke(args=["import-docs", "Claims", *paths]))
    finally:
        sa.event.remove(db.engine, "connect", cap)
        db.engine.dispose()
    assert "database or disk is full" in message
    kept = dict(passages_per_document())
    assert 0 < len(kept) < 12 and db.session.scalar(sa.select(sa.func.count(Document.id))) == len(kept)
    result = runner.invoke(args=["import-docs", "Claims", *paths])
    assert result.exit_code == 0 and f"{12 - len(kept)} imported" in result.stderr
    whole = dict(passages_per_document())
    assert len(whole) == 12 and all(whole[document] == passages for document, passages in kept.items())
    assert len(set(whole.values())) == 1  # every document alike: the ones kept were whole


def passages_per_document() -> list[tuple[str, int]]:
    db.session.expire_all()
    return db.session.execute(
        sa.select(Document.external_id, sa.func.count(Passage.id)).join(Passage).group_by(Document.external_id)
    ).all()


def test_other_commands_stop_in_one_line_and_an_export_leaves_no_half_file(runner, bike_lanes, outage, tmp_path):
    outage.start("disk full")
    message = one_line_and_exit_1(runner.invoke(args=["create-project", "Another"]))
    assert str(disk_full(db.engine.dialect.name)) in message and "create-project stopped" in message
    outage.start("unreachable")
    target = tmp_path / "passages.jsonl"
    message = one_line_and_exit_1(runner.invoke(args=["export", "Bike lanes", "--kind", "passages", "-o", str(target)]))
    assert "export stopped" in message and list(tmp_path.glob("*passages*")) == []
    outage.stop()
    assert runner.invoke(args=["export", "Bike lanes", "--kind", "passages", "-o", str(target)]).exit_code == 0
    assert len(target.read_text().splitlines()) == 6 and list(Path(tmp_path).glob(".*")) == []


def test_the_installed_command_on_a_read_only_database_says_so_in_one_line(tmp_path, write_file):
    import os
    import subprocess
    import sys

    database = tmp_path / "annotator.sqlite3"
    annotator = [sys.executable, "-c", "from annotator.__main__ import main; main()"]
    environment = {**os.environ, "ANNOTATOR_DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run([*annotator, "init-db"], env=environment, check=True, capture_output=True)
    subprocess.run([*annotator, "create-project", "Claims"], env=environment, check=True, capture_output=True)
    document = write_file("doc.txt", paragraph_text(1, 1))
    environment["ANNOTATOR_DATABASE_URL"] = f"sqlite:///file:{database}?mode=ro&uri=true"
    result = subprocess.run(
        [*annotator, "import-docs", "Claims", str(document)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: the database is unavailable or cannot write (attempt to write a readonly database): import-docs "
        "stopped and what it had not stored yet was rolled back; run it again once the database is back"
    ]
