"""The command line a user types: projects, users, export, serve, the demo."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from annotator.extensions import db
from annotator.projects.models import Project, ProjectSchema
from annotator.users.models import User
from tests.conftest import FIXTURES, paragraph_text


def test_create_project_with_defaults(runner):
    result = runner.invoke(
        args=["create-project", "Bike lanes", "--target", "Cities should build bike lanes", "--overlap", "3"]
    )
    assert result.exit_code == 0, result.output
    project = db.session.scalar(sa.select(Project))
    assert (project.name, project.target, project.overlap_k, project.schema_version) == (
        "Bike lanes",
        "Cities should build bike lanes",
        3,
        1,
    )
    schema = db.session.scalar(sa.select(ProjectSchema.definition))
    assert [field["name"] for field in schema["fields"]] == ["claim_type", "stance", "verifiability"]


def test_create_project_with_adaptive_overlap_and_edit_its_k_max(runner):
    result = runner.invoke(args=["create-project", "P", "--k-min", "2", "--k-max", "4", "--agreement-threshold", "0.8"])
    assert result.exit_code == 0, result.output
    assert "overlap k=2 to 4 while agreement is below 0.8" in result.output
    project = db.session.scalar(sa.select(Project))
    assert (project.overlap_k, project.overlap_k_max, project.extra_annotator_below) == (2, 4, 0.8)
    edited = runner.invoke(args=["edit-project", "P", "--k-max", "3"])
    assert edited.output.strip() == '"P": changed k-max'
    db.session.refresh(project)
    assert project.overlap_k_max == 3
    refused = runner.invoke(args=["edit-project", "P", "--k-max", "1"])
    assert refused.exit_code != 0 and "at least overlap k" in refused.output + refused.stderr


def test_create_project_with_a_broken_schema_says_why_and_creates_nothing(runner, write_file):
    schema = write_file(
        "schema.json", json.dumps({"fields": [{"name": "x", "label": "X", "level": "categorical", "options": []}]})
    )
    result = runner.invoke(args=["create-project", "P", "--schema", str(schema)])
    assert result.exit_code == 1
    assert "fields[0].level: must be one of nominal, ordinal, interval, got 'categorical'" in result.stderr
    assert db.session.scalar(sa.select(sa.func.count(Project.id))) == 0


def test_project_names_are_unique(runner):
    runner.invoke(args=["create-project", "P"])
    result = runner.invoke(args=["create-project", "P"])
    assert result.exit_code == 1
    assert 'a project named "P" already exists' in result.stderr


def claim_schema(*options: str) -> dict:
    return {
        "fields": [
            {
                "name": "claim",
                "label": "Claim",
                "level": "nominal",
                "options": [{"value": value, "label": value.title()} for value in options],
            }
        ]
    }


def test_edit_project_changes_what_is_given_as_the_form_does_and_says_what(runner, write_file):
    runner.invoke(args=["create-project", "P", "--target", "Bike lanes"])
    schema = write_file("schema.json", json.dumps(claim_schema("no", "yes")))
    guidelines = write_file("guidelines.md", "# Label every sentence\n")
    result = runner.invoke(
        args=[
            "edit-project",
            "P",
            "--name",
            "Bike lanes",
            "--schema",
            str(schema),
            "--guidelines",
            str(guidelines),
            "--overlap",
            "3",
            "--extra-annotator-below",
            "0.5",
        ]
    )
    assert result.exit_code == 0, result.output
    assert (
        result.output.strip() == '"Bike lanes": changed name, guidelines, schema, one more annotator below, overlap k'
    )
    project = db.session.scalar(sa.select(Project))
    assert (project.name, project.target, project.overlap_k, project.extra_annotator_below) == (
        "Bike lanes",
        "Bike lanes",
        3,
        0.5,
    )
    assert (project.schema_version, project.guidelines_version, project.guidelines) == (
        2,
        2,
        "# Label every sentence\n",
    )
    assert db.session.scalar(sa.select(ProjectSchema.definition).where(ProjectSchema.version == 2)) == claim_schema(
        "no", "yes"
    )
    never = runner.invoke(args=["edit-project", "Bike lanes", "--extra-annotator-below", "never"])
    assert never.output.strip() == '"Bike lanes": changed one more annotator below'
    db.session.refresh(project)
    assert project.extra_annotator_below is None


def test_edit_project_with_nothing_new_says_so(runner, write_file):
    runner.invoke(args=["create-project", "P", "--target", "Bike lanes", "--overlap", "3"])
    result = runner.invoke(args=["edit-project", "P", "--target", "Bike lanes", "--overlap", "3"])
    assert result.exit_code == 0 and result.output.strip() == '"P": nothing changed'
    assert db.session.scalar(sa.select(Project.schema_version)) == 1


def test_edit_project_refuses_a_broken_schema_with_every_problem_and_changes_nothing(runner, write_file):
    runner.invoke(args=["create-project", "P"])
    broken = claim_schema("no")
    broken["fields"][0]["level"] = "categorical"
    result = runner.invoke(
        args=["edit-project", "P", "--name", "Q", "--schema", str(write_file("schema.json", json.dumps(broken)))]
    )
    assert result.exit_code == 1
    assert "fields[0].level: must be one of nominal, ordinal, interval, got 'categorical'" in result.stderr
    assert "fields[0].options: a list of at least two options is required" in result.stderr
    assert tuple(db.session.execute(sa.select(Project.name, Project.schema_version)).one()) == ("P", 1)


def test_edit_project_refuses_what_the_form_refuses(runner):
    runner.invoke(args=["create-project", "P"])
    runner.invoke(args=["create-project", "Q"])
    taken = runner.invoke(args=["edit-project", "P", "--name", "Q", "--overlap", "4"])
    assert taken.exit_code == 1 and 'a project named "Q" already exists' in taken.stderr
    threshold = runner.invoke(args=["edit-project", "P", "--extra-annotator-below", "1.5"])
    assert threshold.exit_code == 1 and "between 0 and 1" in threshold.stderr
    assert tuple(db.session.execute(sa.select(Project.name, Project.overlap_k).where(Project.name == "P")).one()) == (
        "P",
        2,
    )


def test_create_user_hashes_the_password(runner):
    result = runner.invoke(
        args=["create-user", "ada", "--role", "annotator", "--password-stdin"], input="correct horse battery\n"
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert (user.username, user.role, user.active) == ("ada", "annotator", True)
    assert "correct horse" not in user.password_hash and user.password_hash.startswith("scrypt:")
    assert check_password_hash(user.password_hash, "correct horse battery")


@pytest.mark.parametrize("password, message", [("short", "the password has 5 characters")])
def test_create_user_refuses_weak_passwords(runner, password, message):
    result = runner.invoke(args=["create-user", "bob", "--role", "admin", "--password-stdin"], input=password + "\n")
    assert result.exit_code == 1 and message in result.stderr
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_add_member_makes_a_user_annotator_or_reviewer_once(runner, make_project, make_user):
    from annotator.projects.models import ProjectMember

    make_project("P")
    make_user("ada")
    first = runner.invoke(args=["add-member", "P", "ada", "--role", "annotator"])
    again = runner.invoke(args=["add-member", "P", "ada", "--role", "annotator"])
    assert first.exit_code == 0 and 'ada is now annotator of "P"' in first.output
    assert again.exit_code == 0 and "already was" in again.output
    assert db.session.scalar(sa.select(sa.func.count(ProjectMember.id))) == 1
    missing = runner.invoke(args=["add-member", "P", "nobody", "--role", "reviewer"])
    assert missing.exit_code == 1 and 'no user named "nobody"' in missing.stderr


def test_export_passages_as_jsonl(runner, make_project, tmp_path):
    make_project("Claims")
    runner.invoke(args=["import-docs", "Claims", str(FIXTURES / "splitting" / "pdf_newsletter.txt")])
    output = tmp_path / "passages.jsonl"
    result = runner.invoke(args=["export", "Claims", "--kind", "passages", "-o", str(output)])
    assert result.exit_code == 0
    records = [json.loads(line) for line in output.read_text().splitlines()]
    assert [r["index"] for r in records] == list(range(7))
    assert set(records[0]) == {
        "passage_id",
        "document_id",
        "index",
        "text",
        "start",
        "end",
        "annotatable",
        "excluded_reason",
    }
    assert records[3] | {"passage_id": 0} == {
        "passage_id": 0,
        "document_id": "pdf_newsletter",
        "index": 3,
        "text": "Page 2",
        "start": 595,
        "end": 601,
        "annotatable": False,
        "excluded_reason": "boilerplate",
    }
    assert records[6]["excluded_reason"] == "duplicate"


def test_export_to_gzip(runner, make_project, tmp_path):
    import gzip

    make_project("Claims")
    runner.invoke(args=["import-docs", "Claims", str(FIXTURES / "splitting" / "blog_listing.txt")])
    output = tmp_path / "passages.jsonl.gz"
    runner.invoke(args=["export", "Claims", "--kind", "passages", "-o", str(output)])
    with gzip.open(output) as exported:
        assert len(exported.read().splitlines()) == 14


def test_setup_demo_creates_project_and_admin_once(runner):
    first = runner.invoke(args=["setup-demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["setup-demo"])
    password_line = [line for line in first.output.splitlines() if line.startswith("demo admin:")]
    assert password_line and password_line == [
        line for line in second.output.splitlines() if line.startswith("demo admin:")
    ]
    password = password_line[0].split("password ")[1].strip()
    admin = db.session.scalar(sa.select(User))
    assert admin.role == "admin" and check_password_hash(admin.password_hash, password)
    from annotator.projects.schema_store import schema_of

    projects = db.session.scalars(sa.select(Project).order_by(Project.id)).all()
    assert [project.name.startswith("Demo") for project in projects] == [True, True]
    assert [field.TYPE for field in schema_of(db.session, projects[1]).fields] == ["span"]
    from annotator.documents.models import Document, Passage

    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 8
    reasons = set(db.session.scalars(sa.select(Passage.excluded_reason)))
    assert {None, "boilerplate", "duplicate"} <= reasons


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_a_multithreaded_wsgi_server(tmp_path):
    port = _free_port()
    environment = {**os.environ, "ANNOTATOR_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}"}
    annotator = [sys.executable, "-c", "from annotator.__main__ import main; main()"]
    subprocess.run([*annotator, "init-db"], env=environment, check=True, capture_output=True)
    with open(tmp_path / "serve.log", "wb") as log:
        server = subprocess.Popen(
            [*annotator, "serve", "--port", str(port)], env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            with _get_when_up(f"http://127.0.0.1:{port}/") as response:
                assert response.status == 200
                assert response.headers["Server"] == "annotator"  # waitress with our ident, not Werkzeug
                assert b"annotator" in response.read()
        finally:
            server.terminate()
            server.wait(timeout=10)


def _get_when_up(url: str, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=5)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_reset_password_sets_a_new_password_and_ends_sessions(runner, make_user, login):
    make_user("ada")
    result = runner.invoke(args=["reset-password", "ada", "--password-stdin"], input="a fresh password\n")
    assert result.exit_code == 0 and 'new password set for "ada"' in result.output
    assert login("ada", "a fresh password").status_code == 303
    refused = runner.invoke(args=["reset-password", "ada", "--password-stdin"], input="short\n")
    assert refused.exit_code == 1 and "the password has 5 characters" in refused.stderr
    assert runner.invoke(args=["reset-password", "nobody", "--password-stdin"], input="whatever else\n").exit_code == 1


def test_serve_on_a_taken_port_says_so_in_one_line_and_exits_1(tmp_path):
    environment = {**os.environ, "ANNOTATOR_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}"}
    annotator = [sys.executable, "-c", "from annotator.__main__ import main; main()"]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*annotator, "serve", "--port", str(port)], env=environment, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: port {port} on 127.0.0.1 is taken (another annotator or program is serving there): choose another "
        f"with `make run PORT={port + 1}` or `annotator serve --port {port + 1}`"
    ]


def _children(pid: int, count: int, seconds: float = 20.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        if len(children) == count:
            return children
        time.sleep(0.1)
    raise AssertionError(f"serve did not start {count} processes")


def _api(port: int, token: str, method: str, path: str, body: dict | None = None):
    """One request on a connection of its own, so that any server process may take it."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read() or b"null")


def test_serve_with_two_processes_answers_from_both_and_they_share_the_labels(tmp_path):
    import signal
    import sqlite3

    port = _free_port()
    database = tmp_path / "serve.sqlite3"
    environment = {**os.environ, "ANNOTATOR_DATABASE_URL": f"sqlite:///{database}"}
    annotator = [sys.executable, "-m", "annotator"]

    def run(*args, given=""):
        return subprocess.run(
            [*annotator, *args], env=environment, check=True, capture_output=True, text=True, input=given
        )

    document = tmp_path / "report.txt"
    document.write_text("\n\n".join(paragraph_text(1, p) for p in range(4)))
    run("init-db")
    run("create-project", "Bike lanes", "--overlap", "1")
    run("import-docs", "Bike lanes", str(document))
    run("create-user", "ada", "--role", "annotator", "--password-stdin", given="a long enough password\n")
    run("add-member", "Bike lanes", "ada", "--role", "annotator")
    token = run("create-token", "ada").stdout.strip()
    with sqlite3.connect(database) as connection:  # an upload's import the last server left running
        connection.execute(
            "INSERT INTO import_job (project_id, state, options, total_bytes, done_bytes, failure, "
            "created_at, heartbeat_at) VALUES (1, 'running', '{}', 0, 0, '', '2026-12-01', '2026-12-01')"
        )
    with open(tmp_path / "serve.log", "wb") as log:
        server = subprocess.Popen(
            [*annotator, "serve", "--port", str(port), "--processes", "2"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            first, second = _children(server.pid, 2)
            _get_when_up(f"http://127.0.0.1:{port}/").close()
            os.kill(first, signal.SIGSTOP)  # only the second can answer
            status, passage = _api(port, token, "GET", "/api/projects/1/next")
            assert status == 200
            assert (
                _api(
                    port,
                    token,
                    "POST",
                    f"/api/passages/{passage['passage_id']}/annotations",
                    {"labels": {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"}},
                )[0]
                == 201
            )
            os.kill(first, signal.SIGCONT)
            os.kill(second, signal.SIGSTOP)  # only the first can answer
            status, progress = _api(port, token, "GET", "/api/projects/1/progress")
            assert status == 200 and progress["mine"]["labels"] == 1
            os.kill(second, signal.SIGCONT)
        finally:
            for child in _children(server.pid, 2, seconds=0.5) if server.poll() is None else []:
                os.kill(child, signal.SIGCONT)
            server.send_signal(signal.SIGINT)  # Ctrl+C
            server.wait(timeout=20)
        children_left = [pid for pid in (first, second) if Path(f"/proc/{pid}").exists()]
    assert children_left == []
    output = (tmp_path / "serve.log").read_text()
    assert "2 processes of 8 threads" in output and "1 upload imports were interrupted" in output
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT state FROM import_job").fetchall() == [("interrupted",)]
