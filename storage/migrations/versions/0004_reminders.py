"""Reminders: task start and reminder rules, the latest record, reminder history, cards,
settings a running bot follows; extension requests and reminders join the world revision.

Revision ID: 0004
Revises: 0003
Create Date: 2027-03-20
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BUMP = "UPDATE world_revision SET value = value + 1 WHERE id = 1"
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
NEW_WORLD_TABLES = ("extension_requests", "reminders")


def upgrade() -> None:
    op.add_column("tasks", sa.Column("last_record_id", sa.Integer(), nullable=True))
    op.add_column("tasks", sa.Column("created_at", sa.DateTime(), nullable=True))
    op.add_column("tasks", sa.Column("assigned", sa.Date(), nullable=True))
    op.add_column("tasks", sa.Column("profile", sa.String(length=16), nullable=True))
    op.add_column(
        "tasks", sa.Column("major", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("tasks", sa.Column("reminders", sa.JSON(), nullable=True))
    # Tasks already here started no later than now (times are stored as naive UTC).
    op.get_bind().execute(
        sa.text("UPDATE tasks SET created_at = :now"),
        {"now": datetime.now(UTC).replace(tzinfo=None)},
    )
    # The latest counting record of each task reported before this migration.
    op.execute(
        "UPDATE tasks SET last_record_id = (SELECT r.id FROM progress_records r "
        "WHERE r.task_id = tasks.id AND r.undone_at IS NULL "
        "ORDER BY r.created_at DESC, r.id DESC LIMIT 1)"
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.Column("node", sa.String(length=64), nullable=False),
        sa.Column("notice_key", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_reminders_task_day", "reminders", ["task_id", "day"])
    op.create_table(
        "cards",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("userid", sa.String(length=64), nullable=False),
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=True),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in NEW_WORLD_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_world_revision AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_world_revision()"
            )
    else:
        for table in NEW_WORLD_TABLES:
            for operation in OPERATIONS:
                op.execute(
                    f"CREATE TRIGGER {table}_{operation.lower()}_world_revision "
                    f"AFTER {operation} ON {table} BEGIN {BUMP}; END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in NEW_WORLD_TABLES:
            op.execute(f"DROP TRIGGER {table}_world_revision ON {table}")
    else:
        for table in NEW_WORLD_TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER {table}_{operation.lower()}_world_revision")
    op.drop_table("settings")
    op.drop_table("cards")
    op.drop_index("ix_reminders_task_day", table_name="reminders")
    op.drop_table("reminders")
    with op.batch_alter_table("tasks") as batch:
        for column in ("reminders", "major", "profile", "assigned", "created_at", "last_record_id"):
            batch.drop_column(column)
