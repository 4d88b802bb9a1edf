"""Engines, sessions and schema upgrades, for SQLite and PostgreSQL alike."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
# A database that stalls must not stall the bot: no wait on it is unbounded. Connecting,
# waiting for a pooled connection, a statement (server side) and an unanswered network
# (client side: TCP keepalives and user timeout) each give up within seconds. The shell
# adds its own bounds on top (a callback answers within WeCom's 5 s, /healthz within 2 s).
CONNECT_TIMEOUT_S = 3
POOL_TIMEOUT_S = 3
STATEMENT_TIMEOUT_MS = 10_000
SQLITE_BUSY_TIMEOUT_MS = 3_000
_POSTGRES_CONNECT_ARGS = {
    "connect_timeout": CONNECT_TIMEOUT_S,
    "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 10_000,
}
# Any constant will do; it only has to be the same for every instance sharing the database.
_MIGRATION_LOCK = 0x6475_6261_6E


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets its file's folder, WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = {**_POSTGRES_CONNECT_ARGS, **kwargs.pop("connect_args", {})}
    return create_engine(
        url, pool_pre_ping=True, pool_timeout=POOL_TIMEOUT_S, connect_args=connect_args, **kwargs
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # WAL makes NORMAL durable against application crashes; only power loss can cost a commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest revision (safe when several instances start at once)."""
    config = _alembic_config()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


# Where a database's schema stands against this code's (`schema_state`).
SCHEMA_CURRENT, SCHEMA_MISSING, SCHEMA_BEHIND, SCHEMA_AHEAD = (
    "current",
    "missing",
    "behind",
    "ahead",
)


def schema_state(engine: Engine) -> str:
    """Whether the schema is this code's newest revision, absent, older or newer: read
    without creating or upgrading anything (for commands that only read)."""
    script = ScriptDirectory.from_config(_alembic_config())
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current == script.get_current_head():
        return SCHEMA_CURRENT
    if current is None:
        return SCHEMA_MISSING
    known = {revision.revision for revision in script.walk_revisions()}
    return SCHEMA_BEHIND if current in known else SCHEMA_AHEAD


def ping(engine: Engine) -> None:
    """Raise if the database cannot answer."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits together, or not at all."""
    with sessions.begin() as session:
        yield session


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database (or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def backup_sqlite(database: Path, out: Path) -> None:
    """A consistent copy of a SQLite database, safe while the bot writes to it: SQLite's
    online backup API copies a snapshot; a writer at the same moment just waits its turn."""
    source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(out)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def restore_sqlite(backup: Path, database: Path) -> None:
    """Bring a backup back as `database` (the bot must be stopped). Raises ValueError when
    `backup` is not a duban database."""
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            source.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"not a duban database ({exc})") from None
        database.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(database)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
