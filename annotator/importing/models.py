"""An import job: a browser upload imported in the background, its files and what became of
each document, kept so that the upload's page can follow it and show its results."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.extensions import db

JOB_STATES = ("running", "done", "failed", "interrupted")
OUTCOME_STATUSES = ("imported", "skipped", "rejected", "notice")


class ImportJob(db.Model):
    __table_args__ = (sa.CheckConstraint(f"state IN {JOB_STATES!r}", name="state"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"), index=True)
    started_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    state: so.Mapped[str] = so.mapped_column(sa.String(16), default="running")
    options: so.Mapped[dict] = so.mapped_column(sa.JSON)  # what the importer needs: format, CSV columns, limits
    total_bytes: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)
    done_bytes: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)  # of the files finished or begun
    failure: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # Moved on by every batch the job writes: a job whose runner stopped is seen by its age.
    heartbeat_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    finished_at: so.Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<ImportJob {self.id} {self.state}>"


class ImportJobFile(db.Model):
    """One uploaded file, in upload order; `stored_name` is None for a name no file could have."""

    __table_args__ = (sa.UniqueConstraint("job_id", "position"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    job_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("import_job.id", ondelete="CASCADE"))
    position: so.Mapped[int]
    name: so.Mapped[str] = so.mapped_column(sa.Text)  # as uploaded, escaped and shortened
    stored_name: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    size: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)


class ImportJobOutcome(db.Model):
    """One line of the result table: what happened to a document, a rejected line or a file."""

    __table_args__ = (sa.CheckConstraint(f"status IN {OUTCOME_STATUSES!r}", name="status"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    job_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("import_job.id", ondelete="CASCADE"), index=True)
    file_position: so.Mapped[int]
    line: so.Mapped[int | None]
    status: so.Mapped[str] = so.mapped_column(sa.String(16))
    path: so.Mapped[str] = so.mapped_column(sa.Text)
    message: so.Mapped[str] = so.mapped_column(sa.Text)
    passages: so.Mapped[int] = so.mapped_column(default=0)
