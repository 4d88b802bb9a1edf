"""Outbox claims with a holder, a log of sends that is the per-recipient budget, and the
departments' configured deciders.

`claimed_by` names the instance (and its start) that holds a claim, so only the holder
may send or mark a row and a restarted instance can take back its own dead claims at
once. `send_log` has one row per message handed to WeCom; a send is reserved there, in
the same transaction that checks the budget, before it goes out.

Revision ID: 0006
Revises: 0005
Create Date: 2027-03-20
"""

from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=128), nullable=True))
    op.create_table(
        "send_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=128), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_send_log_recipient_at", "send_log", ["recipient", "at"])
    op.create_index("ix_send_log_at", "send_log", ["at"])
    op.create_index("ix_send_log_notice", "send_log", ["notice_id", "part"])
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deciders", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_column("deciders")
    op.drop_index("ix_send_log_notice", table_name="send_log")
    op.drop_index("ix_send_log_at", table_name="send_log")
    op.drop_index("ix_send_log_recipient_at", table_name="send_log")
    op.drop_table("send_log")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
