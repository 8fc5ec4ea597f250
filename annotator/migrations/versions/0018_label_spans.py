"""label spans: what agreement reads of a label set, stored beside it

`annotation.labels_without_records` holds the label set without its record answers (span and
evidence fields), and `label_span` each span of a label set as numbers (field, position, start,
end, the span's own answers), so that agreement reads arrays instead of decoding every label
set (annotator/annotations/label_spans.py writes both from then on). The label sets stored
before are filled in here, a batch at a time.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 23:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade():
    # A plain ADD COLUMN on both databases, NOT NULL once filled in (a rebuild on SQLite: the
    # annotation table has no trigger or CHECK constraint a copy could lose).
    op.add_column("annotation", sa.Column("labels_without_records", sa.JSON(), nullable=True))
    op.create_table(
        "label_span",
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["passage_id", "user_id"],
            ["annotation.passage_id", "annotation.user_id"],
            name=op.f("fk_label_span_passage_id_annotation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_label_span_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("passage_id", "user_id", "field", "position", name=op.f("pk_label_span")),
    )
    _fill_in()
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.alter_column("labels_without_records", existing_type=sa.JSON(), nullable=False)
    op.create_index("ix_label_span_project_id_field", "label_span", ["project_id", "field"])


def _fill_in():
    """Every stored label set's form, by id a batch at a time."""
    connection = op.get_bind()
    annotation = sa.table(
        "annotation",
        sa.column("id", sa.Integer),
        sa.column("project_id", sa.Integer),
        sa.column("passage_id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("labels", sa.JSON),
        sa.column("labels_without_records", sa.JSON),
    )
    label_span = sa.table(
        "label_span",
        *(sa.column(name, sa.Integer) for name in ("passage_id", "user_id", "position", "project_id", "start", "end")),
        sa.column("field", sa.String),
        sa.column("labels", sa.JSON),
    )
    update = (
        annotation.update()
        .where(annotation.c.id == sa.bindparam("row_id"))
        .values(labels_without_records=sa.bindparam("rest"))
    )
    last = 0
    while rows := connection.execute(
        sa.select(
            annotation.c.id, annotation.c.project_id, annotation.c.passage_id, annotation.c.user_id, annotation.c.labels
        )
        .where(annotation.c.id > last)
        .order_by(annotation.c.id)
        .limit(BATCH)
    ).all():
        last = rows[-1].id
        connection.execute(update, [{"row_id": row.id, "rest": _without_records(row.labels)} for row in rows])
        spans = [span for row in rows for span in _spans(row)]
        if spans:
            connection.execute(label_span.insert(), spans)


# Copies of annotator/annotations/label_spans.py as it was written: a migration stays as it was.
def _is_records(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(one, dict) for one in value)


def _without_records(labels) -> dict:
    return {name: value for name, value in (labels or {}).items() if not _is_records(value)}


def _spans(row) -> list[dict]:
    return [
        {
            "passage_id": row.passage_id,
            "user_id": row.user_id,
            "field": name,
            "position": position,
            "project_id": row.project_id,
            "start": span["start"],
            "end": span["end"],
            "labels": span.get("labels") or {},
        }
        for name, value in (row.labels or {}).items()
        if _is_records(value) and all(type(one.get(key)) is int for one in value for key in ("start", "end"))
        for position, span in enumerate(value)
    ]


def downgrade():
    op.drop_index("ix_label_span_project_id_field", table_name="label_span")
    op.drop_table("label_span")
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.drop_column("labels_without_records")
