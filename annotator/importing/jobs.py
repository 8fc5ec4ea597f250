"""Import jobs: a browser upload saved to disk and imported in the background, one short
transaction per batch, its progress and outcomes kept for the upload's page.

The functions here flush and never commit: the request that starts a job commits it, and the
job runner (annotator/importing/job_runner.py) commits after every batch."""

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.importing.models import ImportJob, ImportJobFile, ImportJobOutcome
from annotator.importing.readers import ReadOptions
from annotator.importing.service import ImportOutcome, ImportSettings
from annotator.importing.uploads import UNUSABLE_NAME, safe_file_name, save_upload, shown_name
from annotator.projects.access import refuse_if_archived
from annotator.projects.models import Project

# A running job writes at least once per batch; one silent this long lost its runner (a
# server killed without the chance to say so) and is shown as interrupted.
STALE_AFTER = timedelta(minutes=10)
UNFINISHED = ("running",)


@dataclass(frozen=True)
class JobFile:
    """A saved upload the runner imports: where it is and what the user calls it."""

    position: int
    path: Path
    name: str


def job_folder(imports_folder: Path, job_id: int) -> Path:
    return Path(imports_folder) / str(job_id)


def start_job(
    session: so.Session,
    project: Project,
    user_id: int | None,
    uploads: Sequence[tuple[str, BinaryIO]],
    options: dict,
    imports_folder: Path,
) -> ImportJob:
    """A job for (file name, content) uploads, each saved under a safe version of its name
    in a folder of the job's own (removed again if saving fails); a name no file can have is
    a rejected outcome at once. Flushes; the caller commits, or removes the folder."""
    refuse_if_archived(project)
    job = ImportJob(project_id=project.id, started_by_id=user_id, options=options, failure="")
    session.add(job)
    session.flush()
    folder = job_folder(imports_folder, job.id)
    try:
        for position, (name, content) in enumerate(uploads):
            _add_file(session, job, position, name, content, folder)
        session.flush()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return job


def _add_file(session: so.Session, job: ImportJob, position: int, name: str, content: BinaryIO, folder: Path) -> None:
    shown, safe = shown_name(name), safe_file_name(name)
    size = save_upload(folder / str(position), safe, content) if safe is not None else 0
    session.add(ImportJobFile(job_id=job.id, position=position, name=shown, stored_name=safe, size=size))
    if safe is None:
        session.add(
            ImportJobOutcome(
                job_id=job.id,
                file_position=position,
                line=None,
                status="rejected",
                path=shown,
                message=UNUSABLE_NAME,
                passages=0,
            )
        )
    job.total_bytes += size


def files_to_import(session: so.Session, job: ImportJob, imports_folder: Path) -> list[JobFile]:
    """The job's saved files, in upload order."""
    folder = job_folder(imports_folder, job.id)
    rows = session.scalars(
        sa.select(ImportJobFile)
        .where(ImportJobFile.job_id == job.id, ImportJobFile.stored_name.is_not(None))
        .order_by(ImportJobFile.position)
    )
    return [JobFile(row.position, folder / str(row.position) / row.stored_name, row.name) for row in rows]


def settings_of(job: ImportJob) -> ImportSettings:
    """As the upload form chose them, splitting where the job runs (a large upload's job runs in
    a process of its own already, at a lower priority: more processes would take processor time
    from the server's)."""
    options = job.options
    return ImportSettings(
        fmt=options["format"],
        read=ReadOptions(options["max_document_bytes"], options["text_column"], options["id_column"]),
        max_passage_chars=options["max_passage_chars"],
        workers=1,
        imported_by_id=job.started_by_id,
        already_split=options.get("already_split", False),  # jobs started before the option have none
    )


def record_batch(session: so.Session, job: ImportJob, outcomes: list[ImportOutcome], files: list[JobFile]) -> None:
    """Keep a batch's outcomes (in the batch's own transaction: the table never lists a
    document that is not there) and move the job's progress on."""
    position_of: dict[str, int] = {}
    for file in reversed(files):
        position_of[file.name] = file.position
    session.add_all(
        ImportJobOutcome(
            job_id=job.id,
            file_position=position_of.get(outcome.path, len(files)),
            line=outcome.line,
            status=outcome.status,
            path=outcome.path,
            message=outcome.message,
            passages=outcome.passages,
        )
        for outcome in outcomes
    )
    job.done_bytes = min(job.total_bytes, job.done_bytes + sum(outcome.size for outcome in outcomes))
    job.heartbeat_at = utcnow()
    session.flush()


def finish_job(session: so.Session, job: ImportJob, state: str, failure: str = "") -> None:
    job.state, job.failure, job.finished_at = state, failure, utcnow()
    if state == "done":
        job.done_bytes = job.total_bytes
    session.flush()


def interrupt_unfinished_jobs(session: so.Session, imports_folder: Path) -> int:
    """At a server's start, before it runs any job: every job still running lost its runner
    when the server stopped. They are marked interrupted (what they committed stays: whole
    documents) and their saved files removed. Returns how many there were."""
    jobs = session.scalars(sa.select(ImportJob).where(ImportJob.state.in_(UNFINISHED))).all()
    for job in jobs:
        finish_job(session, job, "interrupted", "the server stopped before the import was done")
        shutil.rmtree(job_folder(imports_folder, job.id), ignore_errors=True)
    return len(jobs)


def state_shown(job: ImportJob, now: datetime | None = None) -> str:
    """The job's state as its page tells it: a running job whose runner has been silent for
    STALE_AFTER is interrupted, whether or not a server has started since to say so."""
    if job.state in UNFINISHED and (now or utcnow()) - job.heartbeat_at > STALE_AFTER:
        return "interrupted"
    return job.state


def job_of(session: so.Session, project: Project, job_id: int) -> ImportJob | None:
    """The project's job with this id (None for another project's)."""
    return session.scalar(sa.select(ImportJob).where(ImportJob.id == job_id, ImportJob.project_id == project.id))


def outcomes_of(session: so.Session, job: ImportJob) -> list[ImportJobOutcome]:
    """The result table's lines: files as uploaded and, within a file, by line."""
    return list(
        session.scalars(
            sa.select(ImportJobOutcome)
            .where(ImportJobOutcome.job_id == job.id)
            .order_by(ImportJobOutcome.file_position, sa.func.coalesce(ImportJobOutcome.line, 0), ImportJobOutcome.id)
        )
    )


def documents_done(session: so.Session, job: ImportJob) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count(ImportJobOutcome.id)).where(
                ImportJobOutcome.job_id == job.id, ImportJobOutcome.status.in_(("imported", "skipped"))
            )
        )
        or 0
    )
