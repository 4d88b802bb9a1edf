"""Unknown replies: what the bot did not understand, for the admin's review list.

Revision ID: 0005
Revises: 0004
Create Date: 2027-03-22
"""

from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unknown_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("userid", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("pattern", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_unknown_replies_at", "unknown_replies", ["at"])
    op.create_index("ix_unknown_replies_user_at", "unknown_replies", ["userid", "at"])


def downgrade() -> None:
    op.drop_index("ix_unknown_replies_user_at", table_name="unknown_replies")
    op.drop_index("ix_unknown_replies_at", table_name="unknown_replies")
    op.drop_table("unknown_replies")
