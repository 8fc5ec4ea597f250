"""Settings: defaults, then `instance/config.py`, then `ANNOTATOR_*` environment variables."""

import os
import secrets
from pathlib import Path

from flask import Flask

DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
ENVIRONMENT_SETTINGS = {
    "ANNOTATOR_DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "ANNOTATOR_SECRET_KEY": ("SECRET_KEY", str),
    "ANNOTATOR_MAX_DOCUMENT_BYTES": ("MAX_DOCUMENT_BYTES", int),
    "ANNOTATOR_MAX_PASSAGE_CHARS": ("MAX_PASSAGE_CHARS", int),
}


def configure(app: Flask, test_config: dict | None) -> None:
    """Fill `app.config` from defaults, the instance folder, the environment and `test_config`."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'annotator.sqlite3'}",
        MAX_DOCUMENT_BYTES=DEFAULT_MAX_DOCUMENT_BYTES,
        MAX_PASSAGE_CHARS=600,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for variable, (key, convert) in ENVIRONMENT_SETTINGS.items():
            if os.environ.get(variable):
                app.config[key] = convert(os.environ[variable])
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(instance)


def _instance_secret_key(instance: Path) -> str:
    """Generate the secret key once and keep it, so sessions survive restarts."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_hex(32))
    return key_file.read_text().strip()
