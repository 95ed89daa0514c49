"""cohorts: mentors, members' state and sharing, shares, notes, views, digests, mentor nudges

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 14:47:54.839702
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

cohorts = sa.table(
    "cohorts",
    sa.column("id", sa.Integer),
    sa.column("team_id", sa.String),
    sa.column("mentor_id", sa.Integer),
    sa.column("created_by_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
)
mentors = sa.table(
    "cohort_mentors",
    sa.column("team_id", sa.String),
    sa.column("cohort_id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("added_at", sa.DateTime),
)
members = sa.table("cohort_members", sa.column("shares_details", sa.Boolean), sa.column("sharing", sa.String))


def upgrade() -> None:
    op.create_table(
        "cohort_mentors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["users.id"],
            name=op.f("fk_cohort_mentors_added_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_cohort_mentors_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cohort_mentors_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_mentors")),
        sa.UniqueConstraint("cohort_id", "user_id", name="uq_cohort_mentors_cohort_user"),
    )
    with op.batch_alter_table("cohort_mentors", schema=None) as batch_op:
        batch_op.create_index("ix_cohort_mentors_team_user", ["team_id", "user_id"], unique=False)

    # A cohort's one mentor becomes its first entry in cohort_mentors, and the one who created it.
    op.execute(
        mentors.insert().from_select(
            ["team_id", "cohort_id", "user_id", "added_at"],
            sa.select(cohorts.c.team_id, cohorts.c.id, cohorts.c.mentor_id, cohorts.c.created_at),
        )
    )
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
    op.execute(cohorts.update().values(created_by_id=cohorts.c.mentor_id))
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default="active", nullable=False)
        )
        batch_op.add_column(sa.Column("status_reason", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("status_changed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("digest_weekday", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("digest_time", sa.String(length=5), server_default="09:00", nullable=False)
        )
        batch_op.add_column(sa.Column("digest_timezone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("next_digest_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("target_requests", sa.Integer(), server_default=sa.text("3"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("target_conversations", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_cohorts_next_digest_at"), ["next_digest_at"], unique=False)
        batch_op.drop_constraint(batch_op.f("fk_cohorts_mentor_id_users"), type_="foreignkey")
        batch_op.create_foreign_key(
            batch_op.f("fk_cohorts_created_by_id_users"),
            "users",
            ["created_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_column("mentor_id")

    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=16), server_default="active", nullable=False))
        batch_op.add_column(sa.Column("state_changed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("placed_what", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("placed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("placed_contact_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("sharing", sa.String(length=16), server_default="counts", nullable=False)
        )
        batch_op.add_column(sa.Column("celebrate", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("left_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_cohort_members_team_user", ["team_id", "user_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_cohort_members_placed_contact_id_contacts"),
            "contacts",
            ["placed_contact_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # "Shares details" was the one level above counts: stages.
    op.execute(members.update().where(members.c.shares_details == sa.true()).values(sharing="stages"))
    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.drop_column("shares_details")

    op.create_table(
        "cohort_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("shared_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_cohort_shares_cohort_id_cohorts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_cohort_shares_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_cohort_shares_interview_id_interviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cohort_shares_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_shares")),
        sa.UniqueConstraint("cohort_id", "item", name="uq_cohort_shares_cohort_item"),
    )
    with op.batch_alter_table("cohort_shares", schema=None) as batch_op:
        batch_op.create_index("ix_cohort_shares_cohort_user", ["cohort_id", "user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cohort_shares_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "cohort_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_cohort_notes_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_cohort_notes_cohort_id_cohorts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["users.id"], name=op.f("fk_cohort_notes_student_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_notes")),
    )
    with op.batch_alter_table("cohort_notes", schema=None) as batch_op:
        batch_op.create_index("ix_cohort_notes_cohort_student", ["cohort_id", "student_id"], unique=False)

    op.create_table(
        "cohort_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("viewer_id", sa.Integer(), nullable=True),
        sa.Column("viewer_slack_id", sa.String(length=32), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("what", sa.String(length=32), nullable=False),
        sa.Column("viewed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_cohort_views_cohort_id_cohorts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["users.id"], name=op.f("fk_cohort_views_student_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"], ["users.id"], name=op.f("fk_cohort_views_viewer_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_views")),
    )
    with op.batch_alter_table("cohort_views", schema=None) as batch_op:
        batch_op.create_index("ix_cohort_views_cohort_at", ["cohort_id", "viewed_at"], unique=False)
        batch_op.create_index("ix_cohort_views_cohort_student", ["cohort_id", "student_id"], unique=False)

    op.create_table(
        "cohort_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("delivery_attempts", sa.Integer(), nullable=False),
        sa.Column("claim_token", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("totals", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_cohort_digests_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_digests")),
        sa.UniqueConstraint("team_id", "cohort_id", "week", name="uq_cohort_digests_team_cohort_week"),
    )
    with op.batch_alter_table("cohort_digests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_digests_claim_token"), ["claim_token"], unique=False)
        batch_op.create_index(
            "ix_cohort_digests_status_claimed_until", ["status", "claimed_until"], unique=False
        )

    op.create_table(
        "cohort_nudges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("nudged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_cohort_nudges_cohort_id_cohorts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["users.id"], name=op.f("fk_cohort_nudges_mentor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["users.id"], name=op.f("fk_cohort_nudges_student_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_nudges")),
    )
    with op.batch_alter_table("cohort_nudges", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cohort_nudges_cohort_student_day", ["cohort_id", "student_id", "day"], unique=False
        )


def downgrade() -> None:
    for table in ("cohort_nudges", "cohort_digests", "cohort_views", "cohort_notes", "cohort_shares"):
        op.drop_table(table)

    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shares_details", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(members.update().where(members.c.sharing != "counts").values(shares_details=sa.true()))
    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_cohort_members_placed_contact_id_contacts"), type_="foreignkey"
        )
        batch_op.drop_index("ix_cohort_members_team_user")
        for column in (
            "left_at",
            "celebrate",
            "sharing",
            "placed_contact_id",
            "placed_on",
            "placed_what",
            "state_changed_at",
            "state",
        ):
            batch_op.drop_column(column)

    # Back to one mentor per cohort: its creator, else its first mentor; a cohort with neither goes.
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mentor_id", sa.Integer(), nullable=True))
    first_mentor = (
        sa.select(sa.func.min(mentors.c.user_id)).where(mentors.c.cohort_id == cohorts.c.id).scalar_subquery()
    )
    op.execute(cohorts.update().values(mentor_id=sa.func.coalesce(cohorts.c.created_by_id, first_mentor)))
    op.execute(cohorts.delete().where(cohorts.c.mentor_id.is_(None)))
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.alter_column("mentor_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f("fk_cohorts_created_by_id_users"), type_="foreignkey")
        batch_op.create_foreign_key(
            batch_op.f("fk_cohorts_mentor_id_users"), "users", ["mentor_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.drop_index(batch_op.f("ix_cohorts_next_digest_at"))
        for column in (
            "closed_at",
            "target_conversations",
            "target_requests",
            "next_digest_at",
            "digest_timezone",
            "digest_time",
            "digest_weekday",
            "status_changed_at",
            "status_reason",
            "status",
            "created_by_id",
        ):
            batch_op.drop_column(column)

    op.drop_table("cohort_mentors")
