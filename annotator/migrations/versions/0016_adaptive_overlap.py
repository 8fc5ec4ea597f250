"""adaptive overlap: a project's k-max, the most annotators a passage gets while its agreement stays low

Until now a project with a threshold (extra_annotator_below) gave a disputed passage one more
annotator, once: that is k-max = k + 1; a project without one has a fixed k (k-max = k).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 21:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

CHECK = "ck_project_overlap_k_max_at_least_k"


def upgrade():
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("overlap_k_max", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE project SET overlap_k_max = overlap_k + CASE WHEN extra_annotator_below IS NULL THEN 0 ELSE 1 END"
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.alter_column("overlap_k_max", existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint(op.f(CHECK), "overlap_k_max >= overlap_k")


def downgrade():
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.drop_column("overlap_k_max")
