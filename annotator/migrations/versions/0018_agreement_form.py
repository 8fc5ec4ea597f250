"""agreement form: what agreement reads of a label set, stored on its row

`annotation.agreement_labels` holds the label set with its spans reduced to their own answers
under the key `#spans` (without the offsets and words that make almost every label set distinct) and
`annotation.span_offsets` the spans' start and end offsets as numbers, so that agreement reads
a few distinct texts and one list of numbers instead of decoding every label set
(annotator/annotations/agreement_form.py writes both from then on). The label sets stored before
are filled in here, a batch at a time.

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
    # Plain ADD COLUMNs, NOT NULL once filled in (on SQLite a rebuild of the table: the
    # annotation table has no trigger or CHECK constraint that a copy could lose).
    op.add_column("annotation", sa.Column("agreement_labels", sa.JSON(), nullable=True))
    op.add_column("annotation", sa.Column("span_offsets", sa.Text(), nullable=True))
    _fill_in()
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.alter_column("agreement_labels", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("span_offsets", existing_type=sa.Text(), nullable=False)


def _fill_in():
    """Every stored label set's form, by id a batch at a time."""
    connection = op.get_bind()
    annotation = sa.table(
        "annotation",
        sa.column("id", sa.Integer),
        sa.column("labels", sa.JSON),
        sa.column("agreement_labels", sa.JSON),
        sa.column("span_offsets", sa.Text),
    )
    update = (
        annotation.update()
        .where(annotation.c.id == sa.bindparam("row_id"))
        .values(agreement_labels=sa.bindparam("form_labels"), span_offsets=sa.bindparam("form_offsets"))
    )
    last = 0
    while rows := connection.execute(
        sa.select(annotation.c.id, annotation.c.labels)
        .where(annotation.c.id > last)
        .order_by(annotation.c.id)
        .limit(BATCH)
    ).all():
        last = rows[-1].id
        connection.execute(update, [_form(row.id, row.labels or {}) for row in rows])


# A copy of annotator/annotations/agreement_form.py as it was written: a migration stays as it was.
def _form(row_id: int, labels: dict) -> dict:
    spans = {name: value for name, value in labels.items() if _is_spans(value)}
    rest = {name: value for name, value in labels.items() if name not in spans}
    if spans:
        rest["#spans"] = {name: [span.get("labels") or {} for span in value] for name, value in spans.items()}
    offsets = (offset for value in spans.values() for span in value for offset in (span["start"], span["end"]))
    return {"row_id": row_id, "form_labels": rest, "form_offsets": ",".join(map(str, offsets))}


def _is_spans(value) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(span, dict) and type(span.get("start")) is type(span.get("end")) is int for span in value)
    )


def downgrade():
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.drop_column("span_offsets")
        batch_op.drop_column("agreement_labels")
