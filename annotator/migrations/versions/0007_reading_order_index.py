"""reading order index: a project's passages in document and passage order, for streaming exports

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 12:40:00

"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_passage_project_id_document_id_index", "passage", ["project_id", "document_id", "index"])


def downgrade():
    op.drop_index("ix_passage_project_id_document_id_index", table_name="passage")
