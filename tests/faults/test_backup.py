"""`duban backup` and `duban restore`: a consistent copy taken while the bot writes, and
the way back; on PostgreSQL the printed pg_dump / pg_restore lines work as printed."""

from __future__ import annotations

import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.config import load_config
from bot.runtime import open_runtime
from storage import outbox
from storage.db import transaction
from storage.models import OutboxNotice
from tests.conftest import PG_URL, reset_postgres, write_config


def notices(config_path: Path) -> int:
    runtime = open_runtime(load_config(config_path, env={}))
    try:
        with runtime.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(OutboxNotice)) or 0)
    finally:
        runtime.close()


def queue(config_path: Path, keys: range) -> None:
    runtime = open_runtime(load_config(config_path, env={}))
    try:
        with transaction(runtime.sessions) as session:
            for i in keys:
                outbox.enqueue(
                    session,
                    kind="message",
                    recipient="user:lilei",
                    payload={"text": str(i)},
                    dedupe_key=f"k{i}",
                    now=runtime.now(),
                )
    finally:
        runtime.close()


def test_sqlite_backup_while_writing_then_restore(tmp_path: Path, capsys):
    path = write_config(tmp_path)
    queue(path, range(5))
    # Another process is in the middle of a write while the backup is taken.
    writer = sqlite3.connect(tmp_path / "duban.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO outbox (kind, recipient, payload, dedupe_key, state, attempts, parts_sent, "
        "next_attempt_at, created_at) VALUES ('message', 'user:x', '{}', 'half', 'pending', 0, 0, "
        "'2027-03-01 00:00:00', '2027-03-01 00:00:00')"
    )
    copy = tmp_path / "backup.db"
    assert main(["backup", "--config", str(path), "--out", str(copy)]) == 0
    writer.execute("COMMIT")
    writer.close()
    assert "已备份到" in capsys.readouterr().out
    assert main(["backup", "--config", str(path), "--out", str(copy)]) == 1  # never overwrites

    queue(path, range(5, 9))
    assert notices(path) == 5 + 1 + 4
    assert main(["restore", "--config", str(path), "--from", str(copy)]) == 2  # asks for --yes
    assert notices(path) == 10
    assert main(["restore", "--config", str(path), "--from", str(copy), "--yes"]) == 0
    assert notices(path) == 5  # the committed rows as of the backup, not the half-written one

    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello", encoding="utf-8")
    assert main(["restore", "--config", str(path), "--from", str(not_a_backup), "--yes"]) == 1
    assert notices(path) == 5


@pytest.mark.skipif(not PG_URL or not shutil.which("pg_dump"), reason="needs PostgreSQL")
def test_postgres_backup_and_restore_lines_work_as_printed(tmp_path: Path, capsys):
    assert PG_URL
    reset_postgres(PG_URL)
    path = write_config(tmp_path, database_url=PG_URL)
    queue(path, range(3))
    dump = tmp_path / "duban.dump"
    assert main(["backup", "--config", str(path), "--out", str(dump)]) == 2
    line = capsys.readouterr().err.splitlines()[-1]
    assert line.strip().startswith("pg_dump") and "+psycopg" not in line
    subprocess.run(shlex.split(line), check=True, timeout=60)

    queue(path, range(3, 6))
    assert notices(path) == 6
    assert main(["restore", "--config", str(path), "--from", str(dump)]) == 2
    line = capsys.readouterr().err.splitlines()[-1]
    subprocess.run(shlex.split(line), check=True, timeout=60)
    assert notices(path) == 3


def test_postgres_lines_carry_no_password_and_are_shell_safe(tmp_path: Path, capsys):
    """libpq would take a masked password for the password: the line leaves it out, so
    pg_dump asks, or reads ~/.pgpass or PGPASSWORD. Odd file names stay one word each."""
    url = "postgresql+psycopg://duban:s3cret@db.example:5432/duban"
    path = write_config(tmp_path, database_url=url)
    out = tmp_path / "周五 备份; rm -rf ~.dump"
    lines = []
    for command in (["backup", "--out", str(out)], ["restore", "--from", str(out)]):
        assert main([command[0], "--config", str(path), *command[1:]]) == 2
        lines.append(capsys.readouterr().err.splitlines()[-1].strip())
    for line in lines:
        assert "s3cret" not in line and "***" not in line
        words = shlex.split(line)
        assert str(out) in words or f"--file={out}" in words
        assert "postgresql://duban@db.example:5432/duban" in " ".join(words)
    assert shlex.split(lines[0])[:2] == ["pg_dump", "--format=custom"]
    assert shlex.split(lines[1])[-1] == str(out)
