"""The `audit` export: who said what, when, under which rules. A header line (the project, every
version of its schema and guidelines, the agreement at export time), then every annotation
event, every reviewer decision and every admin's correction of the data (annotator.curation),
merged in the order the server recorded them; labels and decisions each with the schema and
guidelines versions they were made under (the guidelines also by their sha256) and the
splitter version of the passage. Labels of passages excluded or withdrawn since stay here. After
them, quality control's lines (annotator.quality.audit): answers on gold and in onboarding, pauses."""

import heapq
from collections.abc import Iterator
from operator import itemgetter

import orjson
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.adjudications import AdjudicationEvent
from annotator.annotations.models import AnnotationEvent
from annotator.clock import utcnow
from annotator.curation.models import Correction
from annotator.db import raw_rows
from annotator.documents.models import Document, Passage
from annotator.exporting.consistent_read import read_consistently
from annotator.exporting.people import usernames
from annotator.project_agreement.snapshot import kept_figures
from annotator.projects.models import Project, ProjectGuidelines, ProjectSchema
from annotator.quality.audit import quality_audit_lines

ADJUDICATION = "adjudication"


def audit_records(session: so.Session, project: Project) -> Iterator[dict]:
    """The header, then every event in order (server time, then the log, then its id). The
    stored JSON of each change goes out as stored (orjson fragments): decoding 600,000 label
    sets only to encode them again would triple the export's time."""
    read_consistently(session)
    yield _header(session, project)
    names = usernames(session)
    guidelines = dict(
        session.execute(
            sa.select(ProjectGuidelines.version, ProjectGuidelines.sha256).where(
                ProjectGuidelines.project_id == project.id
            )
        ).all()
    )
    time = _postgresql_time if session.get_bind().dialect.name == "postgresql" else _stored_time
    events = heapq.merge(
        _annotation_events(session, project, time),
        _adjudication_events(session, project, time),
        _correction_events(session, project, time),
        key=itemgetter(SERVER_TIME, LOG, ID),
    )
    for event in events:
        yield _correction_line(event, names) if event[LOG] == CORRECTION_LOG else _line(event, names, guidelines)
    yield from quality_audit_lines(session, project, names)  # gold and onboarding answers, pauses (annotator.quality)


def _header(session, project: Project) -> dict:
    schemas = session.execute(
        sa.select(ProjectSchema.version, ProjectSchema.definition, ProjectSchema.created_at)
        .where(ProjectSchema.project_id == project.id)
        .order_by(ProjectSchema.version)
    )
    guidelines = session.execute(
        sa.select(
            ProjectGuidelines.version, ProjectGuidelines.sha256, ProjectGuidelines.text, ProjectGuidelines.created_at
        )
        .where(ProjectGuidelines.project_id == project.id)
        .order_by(ProjectGuidelines.version)
    )
    return {
        "type": "header",
        "exported_at": utcnow(),
        "project": {
            "id": project.id,
            "name": project.name,
            "target": project.target,
            "overlap_k": project.overlap_k,
            "extra_annotator_below": project.extra_annotator_below,
            "overlap_k_max": project.overlap_k_max,
            "schema_version": project.schema_version,
            "guidelines_version": project.guidelines_version,
            "created_at": project.created_at,
        },
        "schemas": [{"version": v, "definition": d, "created_at": c} for v, d, c in schemas],
        "guidelines": [{"version": v, "sha256": h, "text": t, "created_at": c} for v, h, t, c in guidelines],
        "agreement": _agreement_summary(kept_figures(session, project)),
    }


def _agreement_summary(figures: dict | None) -> dict | None:
    """Alpha and its interval per field, as the figures kept for the labels exported stand."""
    if figures is None:
        return None
    return {
        name: {
            key: field[key]
            for key in ("level", "alpha", "alpha_ci", "units", "pairable_values", "percent_agreement", "fleiss_kappa")
        }
        for name, field in figures["fields"].items()
    }


# Columns of an event row, as both queries below give them.
(
    ID,
    SERVER_TIME,
    LOG,
    KIND,
    PASSAGE,
    USER,
    ACTOR,
    BEFORE,
    AFTER,
    SCHEMA,
    GUIDELINES,
    CLIENT_TIME,
    ORIGIN,
    DOCUMENT,
    INDEX,
    SPLITTER,
    EQUAL_TO,
    CATEGORY,
) = range(18)


def _annotation_events(session, project: Project, _time):
    log = AnnotationEvent
    query = (
        sa.select(
            log.id,
            _time(log.server_time),
            sa.literal(0),
            log.kind,
            log.passage_id,
            log.user_id,
            log.actor_id,
            _text(log.before),
            _text(log.after),
            log.schema_version,
            log.guidelines_version,
            _time(log.client_time),
            log.origin,
            Document.external_id,
            Passage.index,
            Passage.splitter_version,
            sa.null(),
            sa.null(),
        )
        .join(Passage, Passage.id == log.passage_id)
        .join(Document, Document.id == Passage.document_id)
        .where(log.project_id == project.id)
        .order_by(log.server_time, log.id)
    )
    return raw_rows(session, query, stream=True)


def _adjudication_events(session, project: Project, _time):
    log = AdjudicationEvent
    query = (
        sa.select(
            log.id,
            _time(log.server_time),
            sa.literal(1),
            sa.literal(ADJUDICATION),
            log.passage_id,
            sa.null(),
            log.reviewer_id,
            _text(log.before),
            _text(log.after),
            log.schema_version,
            log.guidelines_version,
            _time(log.client_time),
            sa.null(),
            Document.external_id,
            Passage.index,
            Passage.splitter_version,
            _text(log.equal_to),
            log.category,
        )
        .join(Passage, Passage.id == log.passage_id)
        .join(Document, Document.id == Passage.document_id)
        .where(log.project_id == project.id)
        .order_by(log.server_time, log.id)
    )
    return raw_rows(session, query, stream=True)


CORRECTION_LOG = 2
# Columns of a correction row (ID, SERVER_TIME and LOG where the other events have them).
ACTION, CORRECTED_PASSAGE, ADMIN, REASON, DETAILS = range(3, 8)


def _correction_events(session, project: Project, _time):
    log = Correction
    query = (
        sa.select(
            log.id,
            _time(log.at),
            sa.literal(CORRECTION_LOG),
            log.action,
            log.passage_id,
            log.user_id,
            log.reason,
            _text(log.details),
        )
        .where(log.project_id == project.id)
        .order_by(log.at, log.id)
    )
    return raw_rows(session, query, stream=True)


def _correction_line(event, names: dict[int, str]) -> dict:
    details = orjson.loads(event[DETAILS]) if event[DETAILS] else {}
    return {
        "type": "correction",
        "event_id": event[ID],
        "action": event[ACTION],
        "passage_id": event[CORRECTED_PASSAGE],
        "document_id": details.get("document"),
        "actor": names.get(event[ADMIN]) if event[ADMIN] is not None else None,
        "reason": event[REASON],
        "details": {"before": None, "after": None, **details},
        "server_time": _iso(event[SERVER_TIME]),
    }


def _text(column):
    """A JSON column as its stored text (PostgreSQL's driver would decode it)."""
    return sa.cast(column, sa.Text)


def _stored_time(column):
    """SQLite keeps times as sortable text: 2026-11-24 10:31:02.120000."""
    return column


def _postgresql_time(column):
    """The same text from PostgreSQL."""
    return sa.func.to_char(column, "YYYY-MM-DD HH24:MI:SS.US")


def _line(event, names: dict[int, str], guidelines: dict[int, str]) -> dict:
    return {
        "type": event[KIND],
        "event_id": event[ID],
        "passage_id": event[PASSAGE],
        "document_id": event[DOCUMENT],
        "index": event[INDEX],
        "annotator": names.get(event[USER]) if event[USER] is not None else None,
        "actor": names.get(event[ACTOR]),
        "before": _fragment(event[BEFORE]),
        "after": _fragment(event[AFTER]),
        "schema_version": event[SCHEMA],
        "guidelines_version": event[GUIDELINES],
        "guidelines_sha256": guidelines.get(event[GUIDELINES]),
        "splitter_version": event[SPLITTER],
        "client_time": _iso(event[CLIENT_TIME]),
        "server_time": _iso(event[SERVER_TIME]),
        "origin": event[ORIGIN],
        "equal_to": _names(event[EQUAL_TO], names),
        "category": event[CATEGORY],
    }


def _names(stored: str | None, names: dict[int, str]) -> list[str] | None:
    """A decision's `equal_to` user ids as usernames (None for label events, and for decisions
    recorded before it was kept)."""
    if stored is None or stored == "null":
        return None
    return [names.get(user_id, f"user-{user_id}") for user_id in orjson.loads(stored)]


def _fragment(text: str | None):
    return None if text is None or text == "null" else orjson.Fragment(text)


def _iso(stored: str | None) -> str | None:
    """'2026-11-24 10:31:02.120000' as ISO 8601 in UTC: '2026-11-24T10:31:02.120000Z'."""
    return None if stored is None else f"{stored[:10]}T{stored[11:]}Z"
