"""The application: settings, pages, packaging."""

import subprocess
import sys
import zipfile
from pathlib import Path

from annotator import create_app

ROOT = Path(__file__).resolve().parent.parent


def test_pages_load_the_vendored_htmx(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert b"/static/vendor/htmx.min.js" in response.data
    assert b"https://" not in response.data
    with client.get("/static/vendor/htmx.min.js") as script:
        assert script.status_code == 200 and b"htmx" in script.data


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_SECRET_KEY", raising=False)
    monkeypatch.setenv("ANNOTATOR_DATABASE_URL", f"sqlite:///{tmp_path / 'a.sqlite3'}")
    app_one = _app_with_instance(tmp_path)
    app_two = _app_with_instance(tmp_path)
    assert app_one.config["SECRET_KEY"] == app_two.config["SECRET_KEY"]
    assert len(app_one.config["SECRET_KEY"]) == 64
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def _app_with_instance(tmp_path):
    from flask import Flask

    import annotator.config as config

    app = Flask("annotator_test", instance_path=str(tmp_path / "instance"), instance_relative_config=True)
    config.configure(app, None)
    return app


def test_environment_settings_are_read(monkeypatch, tmp_path):
    monkeypatch.setenv("ANNOTATOR_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("ANNOTATOR_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("ANNOTATOR_MAX_DOCUMENT_BYTES", "1234")
    monkeypatch.setenv("ANNOTATOR_SESSION_IDLE_MINUTES", "60")
    monkeypatch.setenv("ANNOTATOR_SESSION_LIFETIME_HOURS", "8")
    monkeypatch.setenv("ANNOTATOR_PROXY_FIX", "2")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'x.sqlite3'}"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["MAX_DOCUMENT_BYTES"] == 1234
    assert (app.config["SESSION_IDLE_MINUTES"], app.config["SESSION_LIFETIME_HOURS"], app.config["PROXY_FIX"]) == (
        60,
        8,
        2,
    )
    assert app.wsgi_app.x_for == 2 and app.wsgi_app.x_proto == 2


def test_sessions_and_proxies_have_safe_defaults(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'd.sqlite3'}", "SECRET_KEY": "x"})
    assert (app.config["SESSION_IDLE_MINUTES"], app.config["SESSION_LIFETIME_HOURS"]) == (480, 12)
    assert not hasattr(app.wsgi_app, "x_for")  # no proxy trusted: X-Forwarded-For is nobody's word


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path):
    from annotator.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}", "SECRET_KEY": "x"})
    with app.app_context(), db.engine.connect() as connection:

        def pragma(name):
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 30000


def test_installed_wheel_ships_templates_static_and_migrations(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("annotator-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "annotator/templates/base.html",
        "annotator/static/vendor/htmx.min.js",
        "annotator/migrations/env.py",
        "annotator/migrations/versions/0001_initial.py",
        "annotator/demo/corpus/council-news.txt",
        "annotator/projects/template_files/fever.json",
        "annotator/projects/template_files/checkthat.md",
    ):
        assert required in names
