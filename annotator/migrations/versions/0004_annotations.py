"""annotations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 16:20:35.175151

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


APPEND_ONLY_MESSAGE = "annotation events are append-only"


def _forbid_updates_of_events():
    """History is never rewritten: the database itself refuses UPDATE on annotation_event.
    (Deletion stays possible only through the cascade from a deleted project or passage.)"""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION annotation_event_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END
            $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER annotation_event_append_only BEFORE UPDATE ON annotation_event
            FOR EACH ROW EXECUTE FUNCTION annotation_event_append_only()""")
    else:
        op.execute(f"""
            CREATE TRIGGER annotation_event_append_only BEFORE UPDATE ON annotation_event
            BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END""")


def upgrade():
    op.create_table(
        "annotation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("unsure", sa.Boolean(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["passage_id"], ["passage.id"], name=op.f("fk_annotation_passage_id_passage"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_annotation_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_annotation_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotation")),
        sa.UniqueConstraint("passage_id", "user_id", name=op.f("uq_annotation_passage_id_user_id")),
    )
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.create_index("ix_annotation_project_id_user_id", ["project_id", "user_id"], unique=False)

    op.create_table(
        "annotation_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("client_time", sa.DateTime(), nullable=True),
        sa.Column("server_time", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('labels', 'skip')", name=op.f("ck_annotation_event_kind")),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_annotation_event_actor_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["passage_id"], ["passage.id"], name=op.f("fk_annotation_event_passage_id_passage"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_annotation_event_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_annotation_event_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotation_event")),
    )
    with op.batch_alter_table("annotation_event", schema=None) as batch_op:
        batch_op.create_index("ix_annotation_event_passage_id_user_id", ["passage_id", "user_id", "id"], unique=False)
        batch_op.create_index("ix_annotation_event_project_id_id", ["project_id", "id"], unique=False)

    op.create_table(
        "skip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["passage_id"], ["passage.id"], name=op.f("fk_skip_passage_id_passage"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_skip_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_skip_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skip")),
        sa.UniqueConstraint("passage_id", "user_id", name=op.f("uq_skip_passage_id_user_id")),
    )
    with op.batch_alter_table("skip", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_skip_user_id"), ["user_id"], unique=False)

    _forbid_updates_of_events()


def downgrade():
    op.execute(
        "DROP TRIGGER IF EXISTS annotation_event_append_only"
        + (" ON annotation_event" if op.get_bind().dialect.name == "postgresql" else "")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS annotation_event_append_only()")
    with op.batch_alter_table("skip", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skip_user_id"))

    op.drop_table("skip")
    with op.batch_alter_table("annotation_event", schema=None) as batch_op:
        batch_op.drop_index("ix_annotation_event_project_id_id")
        batch_op.drop_index("ix_annotation_event_passage_id_user_id")

    op.drop_table("annotation_event")
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.drop_index("ix_annotation_project_id_user_id")

    op.drop_table("annotation")
