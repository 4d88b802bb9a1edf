"""The world revision: one counter that triggers bump on every change to the directory,
the tasks and the pending questions, so the bot can keep them in memory between messages.

Revision ID: 0003
Revises: 0002
Create Date: 2027-03-15
"""

from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WORLD_TABLES = ("departments", "people", "tasks", "milestones", "pending_replies")
BUMP = "UPDATE world_revision SET value = value + 1 WHERE id = 1"
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "world_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO world_revision (id, value) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION bump_world_revision() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in WORLD_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_world_revision AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_world_revision()"
            )
        return
    for table in WORLD_TABLES:  # SQLite: row triggers, one per operation
        for operation in OPERATIONS:
            op.execute(
                f"CREATE TRIGGER {table}_{operation.lower()}_world_revision "
                f"AFTER {operation} ON {table} BEGIN {BUMP}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WORLD_TABLES:
            op.execute(f"DROP TRIGGER {table}_world_revision ON {table}")
        op.execute("DROP FUNCTION bump_world_revision()")
    else:
        for table in WORLD_TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER {table}_{operation.lower()}_world_revision")
    op.drop_table("world_revision")
