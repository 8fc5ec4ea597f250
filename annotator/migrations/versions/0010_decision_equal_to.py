"""decision equal to: which annotators' whole answer a reviewer's decision equals

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 18:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("adjudication_event", sa.Column("equal_to", sa.JSON(), nullable=True))


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch rebuild would drop the table's
    # append-only trigger.
    op.execute("ALTER TABLE adjudication_event DROP COLUMN equal_to")
