"""`duban backup` and `duban restore`: a consistent copy of the database, and back.

SQLite is copied with its online backup API, safe while the bot runs. PostgreSQL has its
own tools (pg_dump, pg_restore): these commands print the line to run.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from sqlalchemy import URL, make_url

from bot.config import Config
from bot.runtime import open_runtime
from storage.db import backup_sqlite, restore_sqlite, sqlite_file


def backup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, type=Path, help="备份文件（不能已存在）")


def restore_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="source", required=True, type=Path, help="备份文件")
    parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库（须先停止机器人）")


def _postgres(url: str) -> str:
    """The URL as pg_dump takes it, quoted for the shell: no driver name and no password
    at all (pg_dump asks, or reads ~/.pgpass or PGPASSWORD). A masked password would not do:
    libpq would take the mask for the password."""
    given = make_url(url)  # URL.set(password=None) would keep the password: None means "as is"
    plain = URL.create(
        "postgresql", given.username, None, given.host, given.port, given.database, given.query
    )
    return shlex.quote(plain.render_as_string(hide_password=False))


def _postgres_tool(what: str, line: str) -> int:
    """PostgreSQL is backed up and restored with its own tools: say which line to run."""
    print(f"PostgreSQL 请用它自带的工具{what}：\n  {line}", file=sys.stderr)
    return 2


def cmd_backup(args: argparse.Namespace, config: Config) -> int:
    url = config.bot.sqlalchemy_url
    database = sqlite_file(url)
    if database is None:
        out = shlex.quote(str(args.out))
        dump = f"pg_dump --format=custom --file={out} {_postgres(url)}"
        return _postgres_tool("备份（机器人运行时也可以）", dump)
    if args.out.exists():
        print(f"{args.out} 已存在，请换一个文件名（不会覆盖已有文件）。", file=sys.stderr)
        return 1
    if not database.exists():
        print(f"数据库文件 {database} 不存在，没有可备份的内容。", file=sys.stderr)
        return 1
    backup_sqlite(database, args.out)
    size = args.out.stat().st_size
    print(f"已备份到 {args.out}（{size} 字节）。恢复：duban restore --from {args.out} --yes")
    return 0


def cmd_restore(args: argparse.Namespace, config: Config) -> int:
    url = config.bot.sqlalchemy_url
    database = sqlite_file(url)
    if database is None:
        restore = (
            "pg_restore --clean --if-exists --no-owner"
            f" --dbname={_postgres(url)} {shlex.quote(str(args.source))}"
        )
        return _postgres_tool("恢复（先停止所有实例）", restore)
    if not args.source.is_file():
        print(f"找不到备份文件 {args.source}。", file=sys.stderr)
        return 1
    if not args.yes:
        print(
            f"将用 {args.source} 覆盖数据库 {database}。请先停止机器人，再加 --yes 运行。",
            file=sys.stderr,
        )
        return 2
    try:
        restore_sqlite(args.source, database)
    except ValueError:
        print(f"{args.source} 不是督办的数据库备份，未做任何改动。", file=sys.stderr)
        return 1
    open_runtime(config).close()  # an older backup is brought up to this version's schema
    print(f"已从 {args.source} 恢复数据库 {database}。启动前可运行 duban sync 应用当前配置。")
    return 0
