"""Pending replies: a clarify question remembered until the sender answers it.

Revision ID: 0002
Revises: 0001
Create Date: 2027-03-01
"""

from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_replies",
        sa.Column("userid", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=128), nullable=True),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("userid"),
    )


def downgrade() -> None:
    op.drop_table("pending_replies")
