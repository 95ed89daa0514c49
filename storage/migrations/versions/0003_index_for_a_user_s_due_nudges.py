"""index for a user's due nudges

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:38:49.971060
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("nudges", schema=None) as batch_op:
        batch_op.create_index("ix_nudges_user_status_due", ["user_id", "status", "due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("nudges", schema=None) as batch_op:
        batch_op.drop_index("ix_nudges_user_status_due")
