"""gold checks: gold passages, answers on them, annotators' standing, pauses, onboarding

Gold passages (known answers) are promoted by a reviewer or imported; annotators' answers on them
are kept in their own tables (gold_answer, onboarding_answer), never in `annotation`, so that no
count, agreement figure or export of labels sees them. annotator_quality holds each annotator's
standing in a project (the gold on their screen, the counts the pausing rule reads, the pause, the
onboarding); quality_event records every pause and resumption. Projects gain the gold rate, the
pausing rule and the onboarding settings, each checked by the database.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:11:11

"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

PROJECT_CHECKS = {
    "gold_every_at_least_two": "gold_every IS NULL OR gold_every >= 2",
    "pause_below_share": "pause_below IS NULL OR (pause_below > 0 AND pause_below <= 1)",
    "pause_after_gold_positive": "pause_after_gold >= 1",
    "onboarding_pass_mark_share": "onboarding_pass_mark > 0 AND onboarding_pass_mark <= 1",
    "onboarding_attempts_positive": "onboarding_attempts >= 1",
}


def upgrade():
    op.create_table(
        "onboarding_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("fields_scored", sa.Integer(), nullable=False),
        sa.Column("fields_correct", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("fields_correct <= fields_scored", name=op.f("ck_onboarding_attempt_correct_within_scored")),
        sa.CheckConstraint("number >= 1", name=op.f("ck_onboarding_attempt_number_positive")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_onboarding_attempt_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_onboarding_attempt_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_attempt")),
        sa.UniqueConstraint(
            "project_id", "user_id", "number", name=op.f("uq_onboarding_attempt_project_id_user_id_number")
        ),
    )
    op.create_table(
        "quality_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('paused', 'resumed', 'excluded', 'included')", name=op.f("ck_quality_event_kind")),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_quality_event_actor_id_user_account"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_quality_event_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_quality_event_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_event")),
    )
    with op.batch_alter_table("quality_event", schema=None) as batch_op:
        batch_op.create_index("ix_quality_event_project_id_user_id", ["project_id", "user_id", "id"], unique=False)

    op.create_table(
        "gold_passage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("onboarding", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("source IN ('review', 'import')", name=op.f("ck_gold_passage_source")),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_gold_passage_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["passage_id"], ["passage.id"], name=op.f("fk_gold_passage_passage_id_passage"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_gold_passage_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gold_passage")),
        sa.UniqueConstraint("passage_id", name=op.f("uq_gold_passage_passage_id")),
    )
    with op.batch_alter_table("gold_passage", schema=None) as batch_op:
        batch_op.create_index("ix_gold_passage_project_id_onboarding", ["project_id", "onboarding", "id"], unique=False)

    op.create_table(
        "annotator_quality",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pending_gold_id", sa.Integer(), nullable=True),
        sa.Column("gold_served", sa.Integer(), nullable=False),
        sa.Column("gold_answers", sa.Integer(), nullable=False),
        sa.Column("fields_scored", sa.Integer(), nullable=False),
        sa.Column("fields_correct", sa.Integer(), nullable=False),
        sa.Column("paused_at", sa.DateTime(), nullable=True),
        sa.Column("labels_excluded", sa.Boolean(), nullable=False),
        sa.Column("onboarded_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("fields_correct <= fields_scored", name=op.f("ck_annotator_quality_correct_within_scored")),
        sa.ForeignKeyConstraint(
            ["pending_gold_id"],
            ["gold_passage.id"],
            name=op.f("fk_annotator_quality_pending_gold_id_gold_passage"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_annotator_quality_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_annotator_quality_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotator_quality")),
        sa.UniqueConstraint("project_id", "user_id", name=op.f("uq_annotator_quality_project_id_user_id")),
    )
    with op.batch_alter_table("annotator_quality", schema=None) as batch_op:
        batch_op.create_index("ix_annotator_quality_user_id", ["user_id"], unique=False)

    op.create_table(
        "gold_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("gold_passage_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gold_passage_id"],
            ["gold_passage.id"],
            name=op.f("fk_gold_answer_gold_passage_id_gold_passage"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_gold_answer_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_gold_answer_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gold_answer")),
        sa.UniqueConstraint("gold_passage_id", "user_id", name=op.f("uq_gold_answer_gold_passage_id_user_id")),
    )
    with op.batch_alter_table("gold_answer", schema=None) as batch_op:
        batch_op.create_index("ix_gold_answer_project_id_user_id", ["project_id", "user_id"], unique=False)

    op.create_table(
        "onboarding_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("gold_passage_id", sa.Integer(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_onboarding_answer_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["onboarding_attempt.id"],
            name=op.f("fk_onboarding_answer_attempt_id_onboarding_attempt"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["gold_passage_id"],
            ["gold_passage.id"],
            name=op.f("fk_onboarding_answer_gold_passage_id_gold_passage"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_answer")),
        sa.UniqueConstraint(
            "attempt_id", "gold_passage_id", name=op.f("uq_onboarding_answer_attempt_id_gold_passage_id")
        ),
    )
    with op.batch_alter_table("onboarding_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_onboarding_answer_gold_passage_id"), ["gold_passage_id"], unique=False)

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gold_every", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pause_below", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("pause_after_gold", sa.Integer(), server_default="5", nullable=False))
        batch_op.add_column(sa.Column("onboarding_required", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("onboarding_pass_mark", sa.Double(), server_default="0.8", nullable=False))
        batch_op.add_column(sa.Column("onboarding_attempts", sa.Integer(), server_default="3", nullable=False))
        for name, condition in PROJECT_CHECKS.items():
            batch_op.create_check_constraint(op.f(f"ck_project_{name}"), condition)


def downgrade():
    with op.batch_alter_table("project", schema=None) as batch_op:
        for name in PROJECT_CHECKS:
            batch_op.drop_constraint(op.f(f"ck_project_{name}"), type_="check")
        batch_op.drop_column("onboarding_attempts")
        batch_op.drop_column("onboarding_pass_mark")
        batch_op.drop_column("onboarding_required")
        batch_op.drop_column("pause_after_gold")
        batch_op.drop_column("pause_below")
        batch_op.drop_column("gold_every")

    with op.batch_alter_table("onboarding_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onboarding_answer_gold_passage_id"))

    op.drop_table("onboarding_answer")
    with op.batch_alter_table("gold_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_gold_answer_project_id_user_id")

    op.drop_table("gold_answer")
    with op.batch_alter_table("annotator_quality", schema=None) as batch_op:
        batch_op.drop_index("ix_annotator_quality_user_id")

    op.drop_table("annotator_quality")
    with op.batch_alter_table("gold_passage", schema=None) as batch_op:
        batch_op.drop_index("ix_gold_passage_project_id_onboarding")

    op.drop_table("gold_passage")
    with op.batch_alter_table("quality_event", schema=None) as batch_op:
        batch_op.drop_index("ix_quality_event_project_id_user_id")

    op.drop_table("quality_event")
    op.drop_table("onboarding_attempt")
