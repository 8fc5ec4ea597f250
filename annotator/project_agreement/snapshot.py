"""The project's agreement figures, computed when a label, a decision or the label schema
changed since they were last computed, and otherwise read back as they were: a dashboard view
costs one lookup while nobody labels, and a recomputation (under two seconds for 900,000
labels) when they do. Whether kept figures are current is decided here and nowhere else."""

import time
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.agreement.figures import compute_figures, fitted_parameters
from annotator.annotations.adjudications import AdjudicationEvent
from annotator.annotations.models import AnnotationEvent
from annotator.clock import utcnow
from annotator.db import insert_ignoring_conflicts
from annotator.project_agreement.label_table import load_label_table
from annotator.project_agreement.models import AgreementSnapshot
from annotator.project_agreement.record_fields import record_fields
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of


@dataclass(frozen=True)
class Figures:
    figures: dict
    computed_at: datetime
    seconds: float  # how long computing them took
    fresh: bool  # computed by this call


class Basis(NamedTuple):
    """What figures are computed from: the labels and decisions up to the latest event of each
    log, read under one schema version (its fields, and the order of their options, give the
    categories every figure and Dawid-Skene parameter is indexed by)."""

    annotation_event_id: int
    adjudication_event_id: int
    schema_version: int


def agreement_figures(session: so.Session, project: Project, refresh: bool = False) -> Figures:
    """The figures including every label and decision made so far (flushes; the caller commits)."""
    basis = _basis(session, project)
    snapshot = None if refresh else _current_snapshot(session, project, basis)
    if snapshot is not None:
        return Figures(snapshot.figures, snapshot.computed_at, snapshot.seconds, fresh=False)
    started = time.perf_counter()
    figures = compute_figures(_label_table(session, project))
    seconds = time.perf_counter() - started
    _store(session, project, basis, figures, seconds)
    return Figures(figures, utcnow(), seconds, fresh=True)


def kept_figures(session: so.Session, project: Project) -> dict:
    """The figures for the labels as they are now, without storing anything (an export reads
    only): the kept ones when nothing changed since, else computed here."""
    snapshot = _current_snapshot(session, project, _basis(session, project))
    return snapshot.figures if snapshot is not None else compute_figures(_label_table(session, project))


def gold_parameters(session: so.Session, project: Project) -> dict:
    """Per field, the Dawid-Skene parameters for the labels as they are now: those of the kept
    figures when nothing changed since, else fitted here (without storing anything: an export
    reads only)."""
    snapshot = _current_snapshot(session, project, _basis(session, project))
    if snapshot is not None:
        return {name: field["dawid_skene"] for name, field in snapshot.figures["fields"].items()}
    return fitted_parameters(_label_table(session, project))


def _current_snapshot(session, project: Project, basis: Basis) -> AgreementSnapshot | None:
    """The kept figures, if they were computed from exactly `basis`."""
    snapshot = session.get(AgreementSnapshot, project.id)
    if snapshot is None or snapshot.figures is None:
        return None
    kept = Basis(snapshot.annotation_event_id, snapshot.adjudication_event_id, snapshot.schema_version)
    return snapshot if kept == basis else None


def _label_table(session, project: Project):
    """The project's labels as the figures read them, the answers of its span and evidence
    fields included (taken out of the label sets, they also leave the rest few distinct texts)."""
    schema = schema_of(session, project)
    return load_label_table(session, project, schema.measured_fields, record_fields(schema))


def _basis(session, project: Project) -> Basis:
    """The latest event of each log (read before the labels, so never ahead of them) and the
    schema version the labels are read with."""
    latest = [
        session.scalar(sa.select(sa.func.coalesce(sa.func.max(log.id), 0)).where(log.project_id == project.id))
        for log in (AnnotationEvent, AdjudicationEvent)
    ]
    return Basis(latest[0], latest[1], project.schema_version)


def _store(session, project: Project, basis: Basis, figures: dict, seconds: float) -> None:
    insert_ignoring_conflicts(
        session,
        AgreementSnapshot.__table__,
        {
            "project_id": project.id,
            "annotation_event_id": 0,
            "adjudication_event_id": 0,
            "schema_version": 0,
            "agreement_event_id": 0,
        },
        ["project_id"],
    )
    session.execute(
        sa.update(AgreementSnapshot)
        .where(AgreementSnapshot.project_id == project.id)
        .values(**basis._asdict(), figures=figures, computed_at=utcnow(), seconds=seconds)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
