"""The export kinds, by name: what the command line and the download buttons offer, and how
each turns into lines (JSON Lines; CSV for `training` too)."""

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy.orm as so

from annotator.domain_errors import Forbidden, NotFound
from annotator.exporting.jsonl import jsonl_lines
from annotator.exporting.training_options import TrainingOptions
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of

KINDS = ("passages", "annotations", "training", "fever", "audit", "backup")
ADMIN_ONLY = {"backup"}  # it holds every document's raw text and the project's accounts


class NoSuchExport(NotFound):
    """No export kind by that name."""


class AdminsOnly(Forbidden):
    """An export kind only admins may take."""


def check_kind(kind: str, by_admin: bool) -> None:
    """Refuse an export kind that does not exist, or that the taker may not have."""
    if kind not in KINDS:
        raise NoSuchExport(f"export kind {kind!r} not found: one of {', '.join(KINDS)}")
    if kind in ADMIN_ONLY and not by_admin:
        raise AdminsOnly(f"only admins may take the {kind} export")


@dataclass(frozen=True)
class ExportRequest:
    kind: str
    csv: bool = False  # training only
    training: TrainingOptions = TrainingOptions()


def export_lines(session: so.Session, project: Project, request: ExportRequest) -> Iterator[bytes]:
    """The export's lines as bytes, streamed."""
    if request.csv:
        if request.kind != "training":
            raise ValueError("only the training export is also offered as CSV")
        from annotator.exporting.training import training_records
        from annotator.exporting.training_csv import csv_lines

        return csv_lines(training_records(session, project, request.training), schema_of(session, project))
    return jsonl_lines(records(session, project, request))


def records(session: so.Session, project: Project, request: ExportRequest) -> Iterator[dict]:
    """The kind's records. Each exporter is imported when its kind is taken: offering the kinds
    (the command line, the exports page) loads none of them, nor the agreement figures they use."""
    if request.kind == "passages":
        from annotator.exporting.passages import passage_records

        return passage_records(session, project.id)
    if request.kind == "annotations":
        from annotator.exporting.annotations import annotation_records

        return annotation_records(session, project)
    if request.kind == "training":
        from annotator.exporting.training import training_records

        return training_records(session, project, request.training)
    if request.kind == "fever":
        from annotator.exporting.fever import fever_records

        return fever_records(session, project)
    if request.kind == "audit":
        from annotator.exporting.audit import audit_records

        return audit_records(session, project)
    if request.kind == "backup":
        from annotator.exporting.backup import backup_records

        return backup_records(session, project)
    raise ValueError(f"no export kind {request.kind!r}: one of {', '.join(KINDS)}")


def load_exporters() -> None:
    """Import every kind's exporter now (records imports each when first taken): the server does
    before it takes requests, so that its first export pays no more than the next."""
    from annotator.exporting import annotations, audit, backup, fever, passages, training, training_csv  # noqa: F401


MAX_NAME_CHARACTERS = 80  # of the project's name in a file name: far below any file system's limit


def file_name(project: Project, request: ExportRequest, ascii_only: bool = False) -> str:
    """The export's file name: the project's name (its letters and digits in any script, every
    other character a hyphen: no separator, quote or control character), the kind and the
    extension. With `ascii_only`, the name's letters without their accents, and only ASCII ones
    (a name in another script gives "project")."""
    name = unicodedata.normalize("NFKD" if ascii_only else "NFC", project.name)
    if ascii_only:
        name = name.encode("ascii", "ignore").decode("ascii")
    safe = "".join(character if character.isalnum() or character in "-_" else "-" for character in name)
    safe = safe[:MAX_NAME_CHARACTERS].strip("-")
    return f"{safe or 'project'}-{request.kind}.{'csv' if request.csv else 'jsonl'}"
