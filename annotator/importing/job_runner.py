"""Runs import jobs in the background of the server (a thread, or for a large upload a child
process): the transaction boundary of a job.

Each batch of documents is written and committed on its own, with the batch's outcomes and the
job's progress, so the database's write lock (SQLite's one writer) is held for one batch's
writes at a time and annotators' requests go in between. Reading, decoding and splitting a
batch happen before its first write. A job that fails is marked failed with its reason; one
whose server stops is found running at the next start and marked interrupted
(jobs.interrupt_unfinished_jobs). The saved files are removed once the job ends either way."""

import logging
import os
import pickle
import shutil
import threading
from pathlib import Path

from flask import Flask

from annotator.database_outage import DATABASE_ERRORS, outage_reason
from annotator.extensions import db
from annotator.importing.jobs import files_to_import, finish_job, job_folder, record_batch, settings_of
from annotator.importing.models import ImportJob
from annotator.importing.service import import_batches
from annotator.importing.worker_processes import worker_context
from annotator.projects.models import Project
from annotator.write_lock import give_other_writers_a_turn

log = logging.getLogger(__name__)
IMPORT_PROCESS_FROM_BYTES = 1024 * 1024  # an upload this large is imported in a process of its own
CHILD_NICENESS = 10
_running: dict[int, threading.Thread] = {}
_running_guard = threading.Lock()


def imports_folder(app: Flask) -> Path:
    """Where uploads wait for their job: under the instance folder, never served."""
    return Path(app.instance_path) / "imports"


def start_in_background(app: Flask, job_id: int, size: int) -> None:
    """Run the (committed) job of `size` bytes in the background: a small one in a thread of
    this process, a large one in a process of its own at a lower priority, so that reading,
    splitting and writing megabytes takes neither the interpreter nor the processor from the
    threads answering annotators. A thread of this process follows it either way."""
    in_process = size >= app.config.get("IMPORT_PROCESS_FROM_BYTES", IMPORT_PROCESS_FROM_BYTES)
    target = _run_in_child_process if in_process else _run_in_app
    thread = threading.Thread(target=_following, args=(target, app, job_id), name=f"import-job-{job_id}", daemon=True)
    with _running_guard:
        _running[job_id] = thread
    thread.start()


def wait_for_jobs(timeout: float = 60) -> None:
    """Until every job this process started has ended (tests, and a server stopping politely)."""
    with _running_guard:
        threads = list(_running.values())
    for thread in threads:
        thread.join(timeout)


def _following(target, app: Flask, job_id: int) -> None:
    try:
        target(app, job_id)
    finally:
        with _running_guard:
            _running.pop(job_id, None)


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run_job(job_id, imports_folder(app))
        finally:
            db.session.remove()


def _run_in_child_process(app: Flask, job_id: int) -> None:
    """Run the job in a child process (from the fork server: forking a threaded server is
    unsafe); one that dies without ending the job leaves it failed, not running."""
    factory = app.extensions["annotator.app_factory"]  # the application's own create_app, given by it
    child = worker_context().Process(
        target=_child,
        args=(factory, _plain_settings(app), app.instance_path, job_id),
        name=f"annotator import job {job_id}",
        daemon=True,
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        with app.app_context():
            try:
                _mark_failed(
                    job_id,
                    f"the import process ended unexpectedly (exit status {child.exitcode}); the "
                    f"documents listed were stored",
                    only_running=True,
                )
            finally:
                db.session.remove()


def _plain_settings(app: Flask) -> dict:
    """The app's settings that can be handed to another process (all of ours can)."""
    plain = {}
    for key, value in app.config.items():
        try:
            pickle.dumps(value)
        except Exception:  # noqa: BLE001  (a setting of some extension that cannot travel: it has its default)
            continue
        plain[key] = value
    return plain


def _child(factory, settings: dict, instance_path: str, job_id: int) -> None:
    os.nice(CHILD_NICENESS)
    app = factory(settings)
    app.instance_path = instance_path
    _run_in_app(app, job_id)


def run_job(job_id: int, folder: Path) -> None:
    """Import the job's files, committing after every batch; the job ends done or failed."""
    session = db.session
    try:
        job = session.get(ImportJob, job_id)
        project = session.get(Project, job.project_id)
        files = files_to_import(session, job, folder)
        names = {file.path: file.name for file in files}
        for outcomes in import_batches(session, project, [file.path for file in files], settings_of(job), names):
            record_batch(session, job, outcomes, files)
            session.commit()
            give_other_writers_a_turn(session)
        finish_job(session, job, "done")
        session.commit()
    except Exception as error:  # noqa: BLE001  (whatever stopped it, the page must say so)
        log.exception("import job %s failed", job_id)
        _mark_failed(job_id, _failure(error))
    finally:
        shutil.rmtree(job_folder(folder, job_id), ignore_errors=True)


def _failure(error: Exception) -> str:
    reason = outage_reason(error) if isinstance(error, DATABASE_ERRORS) else None
    if reason is not None:
        return (
            f"the database is unavailable or cannot write ({reason}): the import stopped; the documents "
            f"listed were stored, upload the files again to import the rest"
        )
    return (
        "the import stopped on an unexpected error (the server's log has its details); the documents listed were stored"
    )


def _mark_failed(job_id: int, failure: str, only_running: bool = False) -> None:
    session = db.session
    try:
        session.rollback()
        job = session.get(ImportJob, job_id)
        if only_running and job.state != "running":
            return
        finish_job(session, job, "failed", failure)
        session.commit()
    except DATABASE_ERRORS:
        session.rollback()  # the database is gone: the next start marks the job interrupted
        log.exception("import job %s: could not record its failure", job_id)
