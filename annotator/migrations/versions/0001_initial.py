"""documents, passages, projects, users

Revision ID: 0001
Revises:
Create Date: 2026-11-22 15:07:56.349531

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("guidelines", sa.Text(), nullable=False),
        sa.Column("overlap_k", sa.Integer(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("overlap_k >= 1", name=op.f("ck_project_overlap_k_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
        sa.UniqueConstraint("name", name=op.f("uq_project_name")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'reviewer', 'annotator')", name=op.f("ck_user_account_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=500), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("raw_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_document_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("project_id", "external_id", name=op.f("uq_document_project_id_external_id")),
        sa.UniqueConstraint("project_id", "sha256", name=op.f("uq_document_project_id_sha256")),
    )
    op.create_table(
        "project_schema",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_project_schema_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_schema")),
        sa.UniqueConstraint("project_id", "version", name=op.f("uq_project_schema_project_id_version")),
    )
    op.create_table(
        "passage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.BigInteger(), nullable=False),
        sa.Column("annotatable", sa.Boolean(), nullable=False),
        sa.Column("excluded_reason", sa.String(length=20), nullable=True),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("splitter_version", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "excluded_reason IS NULL OR excluded_reason IN ('boilerplate', 'duplicate')",
            name=op.f("ck_passage_excluded_reason"),
        ),
        sa.CheckConstraint(
            "(annotatable AND excluded_reason IS NULL) OR (NOT annotatable AND excluded_reason IS NOT NULL)",
            name=op.f("ck_passage_annotatable_or_excluded"),
        ),
        sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f("ck_passage_span")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_passage_document_id_document"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"], ["passage.id"], name=op.f("fk_passage_duplicate_of_id_passage"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_passage_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passage")),
        sa.UniqueConstraint("document_id", "index", name=op.f("uq_passage_document_id_index")),
    )
    with op.batch_alter_table("passage", schema=None) as batch_op:
        batch_op.create_index(
            "ix_passage_duplicate_of_id",
            ["duplicate_of_id"],
            unique=False,
            sqlite_where=sa.text("duplicate_of_id IS NOT NULL"),
            postgresql_where=sa.text("duplicate_of_id IS NOT NULL"),
        )
        batch_op.create_index("ix_passage_project_id_text_hash", ["project_id", "text_hash"], unique=False)


def downgrade():
    with op.batch_alter_table("passage", schema=None) as batch_op:
        batch_op.drop_index("ix_passage_project_id_text_hash")
        batch_op.drop_index("ix_passage_duplicate_of_id")

    op.drop_table("passage")
    op.drop_table("project_schema")
    op.drop_table("document")
    op.drop_table("user_account")
    op.drop_table("project")
