"""The agreement figures kept between computations: the table that project_agreement.snapshot
reads and writes (and decides when its figures are current)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.extensions import db


class AgreementSnapshot(db.Model):
    """The project's agreement figures as last computed, the point of the event logs they
    include and the schema version they read the labels with: shown as they are while no
    label, decision or schema has changed since."""

    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    annotation_event_id: so.Mapped[int]  # the latest event of each log the figures include
    adjudication_event_id: so.Mapped[int]
    schema_version: so.Mapped[int] = so.mapped_column(server_default="0")  # 0: none (kept before versions counted)
    agreement_event_id: so.Mapped[int] = so.mapped_column(default=0)  # passage_agreement is current up to here
    computed_at: so.Mapped[datetime | None]
    seconds: so.Mapped[float | None]
    figures: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
