"""agreement snapshot schema version: kept figures are current only under the schema they were computed with

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    # 0 is no schema version: figures kept before this migration are computed once more.
    with op.batch_alter_table("agreement_snapshot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("schema_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("agreement_snapshot", schema=None) as batch_op:
        batch_op.drop_column("schema_version")
