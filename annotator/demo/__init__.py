"""The demo: a small corpus written for annotator, two projects over it (the default claim
schema, and the FEVER template: claim spans with verdicts and evidence), and an admin account."""

import secrets
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.administration.projects import create_project
from annotator.config import kept_secret
from annotator.importing.readers import ReadOptions
from annotator.importing.service import ImportSettings, import_paths
from annotator.projects.models import Project
from annotator.projects.templates import template_named
from annotator.users.models import User
from annotator.users.passwords import password_problem
from annotator.users.services import create_user

CORPUS = Path(__file__).parent / "corpus"
PROJECT_NAME = "Demo: protected bike lanes"
TARGET = "Cities should replace car lanes with protected bike lanes."
GUIDELINES = """\
Label every passage for the claim it makes.

* **Claim type**: pick *no claim* when the passage asserts nothing checkable or arguable.
* **Stance**: toward the target, *cities should replace car lanes with protected bike lanes*.
* **Verifiability**: could a fact-checker settle the claim with evidence?
"""
SPANS_PROJECT_NAME = "Demo: claims and evidence (FEVER)"
ADMIN = "admin"


def _new_admin_password() -> str:
    """A random password that passes the password rule (a random one almost always does; the
    rule also refuses one that happens to contain the username)."""
    while password_problem(password := secrets.token_urlsafe(15), ADMIN) is not None:
        pass
    return password


def ensure_demo(session: so.Session, instance_path: str, config) -> tuple[tuple[str, str], bool]:
    """Create the demo admin and project unless they exist; return the admin's credentials
    (the generated password is kept in the instance folder) and whether anything was created."""
    password = kept_secret(Path(instance_path) / "demo-admin-password", _new_admin_password)
    created = False
    if session.scalar(sa.select(User.id).where(User.username == ADMIN)) is None:
        create_user(session, ADMIN, password, "admin")
        created = True
    if session.scalar(sa.select(Project.id).where(Project.name == PROJECT_NAME)) is None:
        project = create_project(session, PROJECT_NAME, target=TARGET, guidelines=GUIDELINES, overlap_k=2)
        _import_corpus(session, project, config)
        created = True
    if session.scalar(sa.select(Project.id).where(Project.name == SPANS_PROJECT_NAME)) is None:
        fever = template_named("fever")
        project = create_project(
            session,
            SPANS_PROJECT_NAME,
            target=TARGET,
            guidelines=fever.guidelines(),
            schema=fever.schema(),
            overlap_k=2,
        )
        _import_corpus(session, project, config)
        created = True
    return (ADMIN, password), created


def _import_corpus(session: so.Session, project: Project, config) -> None:
    settings = ImportSettings(
        read=ReadOptions(config["MAX_DOCUMENT_BYTES"]), max_passage_chars=config["MAX_PASSAGE_CHARS"]
    )
    for outcome in import_paths(session, project, sorted(CORPUS.glob("*.txt")), settings):
        if outcome.status == "rejected":
            raise RuntimeError(f"demo corpus: {outcome}")
