"""curation: correction events, withdrawn documents, archived projects, the splitter's new reasons

Passages gain the exclusion reasons "heading" and "fragment" (the splitter's), "manual" (an admin's
correction) and "withdrawn" (their document was withdrawn). Documents record who imported them,
their size and passage count (backfilled), and when they were withdrawn; projects when they were
archived. Every correction is an event in the new `correction` table.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 17:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OLD_REASONS = ("boilerplate", "duplicate")
NEW_REASONS = ("boilerplate", "duplicate", "heading", "fragment", "manual", "withdrawn")


def upgrade():
    _replace_reasons_check(NEW_REASONS)
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("imported_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("size", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("passage_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_document_imported_by_id_user_account"),
            "user_account",
            ["imported_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute(
        "UPDATE document SET size = length(raw_text), "
        "passage_count = (SELECT count(*) FROM passage WHERE passage.document_id = document.id)"
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("passage_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "action IN ('exclude', 'include', 'merge', 'split', 'retitle', 'withdraw', 'remove', 'archive', "
            "'unarchive')",
            name=op.f("ck_correction_action"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_correction_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_correction_user_id_user_account"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction")),
    )
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.create_index("ix_correction_project_id_id", ["project_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.drop_index("ix_correction_project_id_id")
    op.drop_table("correction")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_document_imported_by_id_user_account"), type_="foreignkey")
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("passage_count")
        batch_op.drop_column("size")
        batch_op.drop_column("imported_by_id")
    # Passages excluded for the new reasons go back to the nearest old one: still not handed out.
    op.execute(
        "UPDATE passage SET excluded_reason = 'boilerplate' "
        "WHERE excluded_reason IN ('heading', 'fragment', 'manual', 'withdrawn')"
    )
    _replace_reasons_check(OLD_REASONS)


def _replace_reasons_check(reasons: tuple[str, ...]) -> None:
    """SQLite cannot alter a CHECK constraint: batch mode copies the table. Its partial indexes are
    made again afterwards, as reflection may not carry their WHERE clauses."""
    is_sqlite = op.get_bind().dialect.name == "sqlite"
    if is_sqlite:
        op.drop_index("ix_passage_queue", table_name="passage")
        op.drop_index("ix_passage_duplicate_of_id", table_name="passage")
    with op.batch_alter_table("passage", schema=None, recreate="always" if is_sqlite else "auto") as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_passage_excluded_reason"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_passage_excluded_reason"),
            sa.text(f"excluded_reason IS NULL OR excluded_reason IN {reasons!r}"),
        )
    if is_sqlite:
        op.create_index(
            "ix_passage_queue",
            "passage",
            ["project_id", "queue", "document_id", "index"],
            sqlite_where=sa.text("queue IS NOT NULL"),
        )
        op.create_index(
            "ix_passage_duplicate_of_id",
            "passage",
            ["duplicate_of_id"],
            sqlite_where=sa.text("duplicate_of_id IS NOT NULL"),
        )
