"""The `audit` export: who said what, when, under which rules. A header line (the project, every
version of its schema and guidelines, the agreement at export time), then every annotation
event and every reviewer decision, merged in the order the server recorded them, each with the
schema and guidelines versions it was made under (the guidelines also by their sha256) and the
splitter version of the passage."""

import heapq
from collections.abc import Iterator

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.models import AnnotationEvent
from annotator.clock import utcnow
from annotator.documents.models import Document, Passage
from annotator.exporting.common import read_consistently, stream, usernames
from annotator.projects.models import Project, ProjectGuidelines, ProjectSchema
from annotator.review.models import AdjudicationEvent
from annotator.review.snapshot import kept_figures

ADJUDICATION = "adjudication"


def audit_records(session: so.Session, project: Project) -> Iterator[dict]:
    """The header, then every event in order (server time, then the log, then its id)."""
    read_consistently(session)
    yield _header(session, project)
    names = usernames(session)
    guidelines = dict(session.execute(sa.select(ProjectGuidelines.version, ProjectGuidelines.sha256)
                                      .where(ProjectGuidelines.project_id == project.id)).all())
    events = heapq.merge(_annotation_events(session, project), _adjudication_events(session, project),
                         key=lambda row: (row.server_time, row.log, row.id))
    for event in events:
        yield _line(event, names, guidelines)


def _header(session, project: Project) -> dict:
    schemas = session.execute(sa.select(ProjectSchema.version, ProjectSchema.definition, ProjectSchema.created_at)
                              .where(ProjectSchema.project_id == project.id).order_by(ProjectSchema.version))
    guidelines = session.execute(sa.select(ProjectGuidelines.version, ProjectGuidelines.sha256, ProjectGuidelines.text,
                                           ProjectGuidelines.created_at)
                                 .where(ProjectGuidelines.project_id == project.id).order_by(ProjectGuidelines.version))
    return {
        "type": "header", "exported_at": utcnow(),
        "project": {"id": project.id, "name": project.name, "target": project.target, "overlap_k": project.overlap_k,
                    "extra_annotator_below": project.extra_annotator_below, "schema_version": project.schema_version,
                    "guidelines_version": project.guidelines_version, "created_at": project.created_at},
        "schemas": [{"version": v, "definition": d, "created_at": c} for v, d, c in schemas],
        "guidelines": [{"version": v, "sha256": h, "text": t, "created_at": c} for v, h, t, c in guidelines],
        "agreement": _agreement_summary(kept_figures(session, project)),
    }


def _agreement_summary(figures: dict | None) -> dict | None:
    """Alpha and its interval per field, as the figures kept for the labels exported stand."""
    if figures is None:
        return None
    return {name: {key: field[key] for key in ("level", "alpha", "alpha_ci", "units", "pairable_values",
                                                "percent_agreement", "fleiss_kappa")}
            for name, field in figures["fields"].items()}


def _annotation_events(session, project: Project):
    log = AnnotationEvent
    query = (sa.select(log.id, log.server_time, sa.literal(0).label("log"), log.kind, log.passage_id, log.user_id,
                       log.actor_id, log.before, log.after, log.schema_version, log.guidelines_version, log.client_time,
                       log.origin, Document.external_id, Passage.index, Passage.splitter_version)
             .join(Passage, Passage.id == log.passage_id).join(Document, Document.id == Passage.document_id)
             .where(log.project_id == project.id).order_by(log.server_time, log.id))
    return stream(session, query)


def _adjudication_events(session, project: Project):
    log = AdjudicationEvent
    query = (sa.select(log.id, log.server_time, sa.literal(1).label("log"), sa.literal(ADJUDICATION).label("kind"),
                       log.passage_id, sa.null().label("user_id"), log.reviewer_id.label("actor_id"), log.before, log.after,
                       log.schema_version, log.guidelines_version, log.client_time, sa.null().label("origin"),
                       Document.external_id, Passage.index, Passage.splitter_version)
             .join(Passage, Passage.id == log.passage_id).join(Document, Document.id == Passage.document_id)
             .where(log.project_id == project.id).order_by(log.server_time, log.id))
    return stream(session, query)


def _line(event, names: dict[int, str], guidelines: dict[int, str]) -> dict:
    return {
        "type": event.kind, "event_id": event.id, "passage_id": event.passage_id, "document_id": event.external_id,
        "index": event.index, "annotator": names.get(event.user_id) if event.user_id is not None else None,
        "actor": names.get(event.actor_id), "before": event.before, "after": event.after,
        "schema_version": event.schema_version, "guidelines_version": event.guidelines_version,
        "guidelines_sha256": guidelines.get(event.guidelines_version), "splitter_version": event.splitter_version,
        "client_time": event.client_time, "server_time": event.server_time, "origin": event.origin,
    }
