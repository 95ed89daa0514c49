"""indexes for forgetting a user: the foreign keys a deletion checks

Deleting a user, a contact or an interview makes the database look for the rows that point at it
(their foreign keys cascade); these columns had no index of their own, so each look was a scan of
the whole table (a workspace forgotten on a 200,000-contact database took about a minute).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 18:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("contacts", "owner_id"),
    ("notes", "interview_id"),
    ("nudges", "interview_id"),
    ("cohort_views", "viewer_id"),
    ("cohort_views", "student_id"),
)


def upgrade() -> None:
    for table, column in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_{column}")
