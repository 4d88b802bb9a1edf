"""The sandbox's journal: its log as JSON lines, so a restart of ``duban run`` keeps the chats.

Each record is appended as it happens (one line, flushed to the operating system) and read
back at start. A line that cannot be read — the last one, cut short by a crash, or one
edited by hand — is skipped with a warning, never fatal. The file stays bounded: the state
keeps the last `keep` entries and rewrites the journal as a snapshot (atomically, through a
temporary file) at start and whenever it has grown to twice that.

Only ``duban run`` turns it on (bot.app.serve); tests and `build_app` keep the sandbox in
memory unless they pass a path. The journal is for one process: two bots sharing a file
would interleave their numbers.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from bot.sandbox.records import CardUpdate, CodeUsed, Entry, Mark, Media, Record

log = logging.getLogger(__name__)

KEEP = 5000  # entries kept across a restart: weeks of a newcomer's trying out
FILE_NAME = "sandbox.jsonl"


class Journal:
    def __init__(self, path: Path, *, keep: int = KEEP) -> None:
        if keep < 1:
            raise ValueError("keep must be at least 1")
        self.path = path
        self.keep = keep
        self.lines = 0  # lines in the file now (read, appended or rewritten)
        self.skipped = 0  # unreadable lines found by the last read
        self._file: IO[str] | None = None
        self._broken = False  # a write failed: stop writing, keep serving from memory

    def read(self) -> list[Record]:
        """Every readable record, in order; unreadable lines are counted and skipped."""
        records: list[Record] = []
        self.lines = self.skipped = 0
        try:
            handle = self.path.open(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return records
        except OSError as exc:  # unreadable: do not overwrite what may still be there
            self._give_up(exc)
            return records
        with handle:
            for number, line in enumerate(handle, 1):
                self.lines += 1
                if not line.strip():
                    continue
                record = _decode(line)
                if record is None:
                    self.skipped += 1
                    log.warning(
                        "sandbox journal %s: line %d unreadable, skipped", self.path, number
                    )
                else:
                    records.append(record)
        return records

    def append(self, record: Record) -> None:
        if self._broken:
            return
        try:
            if self._file is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("a", encoding="utf-8")
                if not _ends_a_line(self.path):
                    self._file.write("\n")  # a cut last line stays a line of its own
            self._file.write(_encode(record) + "\n")
            self._file.flush()
        except OSError as exc:
            self._give_up(exc)
            return
        self.lines += 1

    def rewrite(self, records: Iterable[Record]) -> None:
        """Replace the file with `records` (write a temporary file, then rename it)."""
        if self._broken:
            return
        self.close()
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            count = 0
            with temporary.open("w", encoding="utf-8") as out:
                for record in records:
                    out.write(_encode(record) + "\n")
                    count += 1
            os.replace(temporary, self.path)
        except OSError as exc:
            self._give_up(exc)
            return
        self.lines = count

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _give_up(self, exc: OSError) -> None:
        self._broken = True
        self.close()
        log.warning(
            "sandbox journal %s cannot be written (%s): the sandbox goes on in memory, and "
            "a restart will not show what happens from now on",
            self.path,
            exc,
        )


def _ends_a_line(path: Path) -> bool:
    """Whether the file is empty or ends with a newline."""
    with path.open("rb") as raw:
        if raw.seek(0, os.SEEK_END) == 0:
            return True
        raw.seek(-1, os.SEEK_END)
        return raw.read(1) == b"\n"


def _encode(record: Record) -> str:
    data: dict[str, Any]
    if isinstance(record, Entry):
        data = {
            "t": "entry",
            "seq": record.seq,
            "at": record.at.isoformat(),
            "channel": record.channel,
            "peer": record.peer,
            "msgtype": record.msgtype,
            "body": record.body,
            "msgid": record.msgid,
            "response_code": record.response_code,
        }
    elif isinstance(record, CardUpdate):
        userids = None if record.userids is None else list(record.userids)
        data = {"t": "update", "seq": record.seq, "code": record.code, "userids": userids}
        data["body"] = record.body
    elif isinstance(record, CodeUsed):
        data = {"t": "used", "code": record.code}
    elif isinstance(record, Media):
        data = {
            "t": "media",
            "id": record.id,
            "owner": record.owner,
            "kind": record.kind,
            "filename": record.filename,
            "at": record.uploaded_at.isoformat(),
            "data": base64.b64encode(record.data).decode(),
        }
    else:
        data = {"t": "mark", "seq": record.seq, "msgid": record.msgid}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _decode(line: str) -> Record | None:
    """The record on a line, or None when the line is not one (cut short, hand-edited)."""
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    kind = data.get("t")
    if kind == "entry":
        return _entry(data)
    if kind == "update" and _ints(data, "seq") and _strs(data, "code"):
        userids = data.get("userids")
        body = data.get("body")
        if not isinstance(body, dict):
            return None
        if userids is None:
            return CardUpdate(data["seq"], data["code"], None, body)
        if isinstance(userids, list) and all(isinstance(u, str) for u in userids):
            return CardUpdate(data["seq"], data["code"], tuple(userids), body)
        return None
    if kind == "used" and _strs(data, "code"):
        return CodeUsed(data["code"])
    if kind == "mark" and _ints(data, "seq", "msgid"):
        return Mark(data["seq"], data["msgid"])
    if kind == "media" and _strs(data, "id", "owner", "kind", "filename", "at", "data"):
        return _media(data)
    return None


def _media(data: dict[str, Any]) -> Media | None:
    try:
        at = datetime.fromisoformat(data["at"])
        content = base64.b64decode(data["data"], validate=True)
    except (ValueError, binascii.Error):
        return None
    if at.tzinfo is None:
        return None
    return Media(data["id"], data["owner"], data["kind"], data["filename"], content, at)


def _entry(data: dict[str, Any]) -> Entry | None:
    if not (_ints(data, "seq") and _strs(data, "at", "channel", "peer", "msgtype")):
        return None
    body, msgid, code = data.get("body"), data.get("msgid"), data.get("response_code")
    if not isinstance(body, dict):
        return None
    if not all(value is None or isinstance(value, str) for value in (msgid, code)):
        return None
    try:
        at = datetime.fromisoformat(data["at"])
    except ValueError:
        return None
    if at.tzinfo is None:
        return None
    return Entry(data["seq"], at, data["channel"], data["peer"], data["msgtype"], body, msgid, code)


def _ints(data: dict[str, Any], *keys: str) -> bool:
    return all(isinstance(data.get(k), int) and not isinstance(data.get(k), bool) for k in keys)


def _strs(data: dict[str, Any], *keys: str) -> bool:
    return all(isinstance(data.get(k), str) for k in keys)
