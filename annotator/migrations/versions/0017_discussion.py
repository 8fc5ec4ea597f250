"""discussion: a thread per passage (comments, resolves, reopens); a disagreement category on decisions

`discussion_entry` holds every comment, resolve and reopen of a passage's thread, attributed and
append-only (a trigger refuses changes, as for the label and decision logs). Decisions and their
events gain `category`: why the annotators disagreed, as the reviewer judged it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 21:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# Copies of the models' values: a migration stays as it was written.
CATEGORIES = ("ambiguous_text", "guidelines_gap", "annotator_error", "other")
KINDS = ("comment", "resolve", "reopen")
MAX_COMMENT = 4000
APPEND_ONLY_MESSAGE = "discussion entries are append-only"


def upgrade():
    for table in ("adjudication", "adjudication_event"):
        # A column constraint in a plain ADD COLUMN: a batch rebuild on SQLite would drop
        # adjudication_event's append-only trigger.
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN category VARCHAR(20) CONSTRAINT ck_{table}_category "
            f"CHECK (category IS NULL OR category IN {CATEGORIES!r})"
        )
    op.create_table(
        "discussion_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(f"kind IN {KINDS!r}", name=op.f("ck_discussion_entry_kind")),
        sa.CheckConstraint(
            f"(kind = 'comment' AND length(body) BETWEEN 1 AND {MAX_COMMENT}) OR (kind <> 'comment' AND body = '')",
            name=op.f("ck_discussion_entry_body"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_discussion_entry_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["passage_id"], ["passage.id"], name=op.f("fk_discussion_entry_passage_id_passage"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_discussion_entry_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_entry")),
    )
    op.create_index("ix_discussion_entry_passage_id_id", "discussion_entry", ["passage_id", "id"])
    op.create_index("ix_discussion_entry_project_id_id", "discussion_entry", ["project_id", "id"])
    _forbid_updates_of_discussion_entries()


def _forbid_updates_of_discussion_entries():
    """A comment, once made, stays as it was said; a resolve stays who resolved it and when."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION discussion_entry_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END
            $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER discussion_entry_append_only BEFORE UPDATE OF kind, body, at, passage_id, project_id
            ON discussion_entry FOR EACH ROW EXECUTE FUNCTION discussion_entry_append_only()""")
    else:
        op.execute(f"""
            CREATE TRIGGER discussion_entry_append_only BEFORE UPDATE OF kind, body, at, passage_id, project_id
            ON discussion_entry BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END""")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.execute("DROP TRIGGER IF EXISTS discussion_entry_append_only" + (" ON discussion_entry" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS discussion_entry_append_only()")
    op.drop_index("ix_discussion_entry_project_id_id", table_name="discussion_entry")
    op.drop_index("ix_discussion_entry_passage_id_id", table_name="discussion_entry")
    op.drop_table("discussion_entry")
    for table in ("adjudication_event", "adjudication"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN category")
