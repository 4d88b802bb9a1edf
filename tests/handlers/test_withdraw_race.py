"""A requester withdraws (撤销) while a leader, on another instance, decides: the
decision stands (the withdrawal must not overwrite it)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

import handlers.undo
from storage import records
from storage.db import transaction
from storage.models import ExtensionRequest
from storage.tasks import decide_extension
from tests.handlers.conftest import Office


def test_an_approval_made_elsewhere_meanwhile_is_not_withdrawn(
    office: Office, database_url: str, monkeypatch: pytest.MonkeyPatch
):
    if database_url.startswith("sqlite"):
        pytest.skip("two writers at once need PostgreSQL (SQLite has one writer)")
    office.send("lilei", "T4 延期至4月30日 原因：院士行程调整")
    with office.sessions() as session:
        (request_id,) = session.scalars(select(ExtensionRequest.id)).all()

    read = records.extensions_of_records

    def read_then_decided_elsewhere(session, record_ids):  # type: ignore[no-untyped-def]
        found = read(session, record_ids)
        with transaction(office.sessions) as other:  # the leader, on another instance
            assert decide_extension(
                other, request_id, approve=True, by="wangxinhui", at=office.clock(), note=None
            )
        return found

    monkeypatch.setattr(handlers.undo.records, "extensions_of_records", read_then_decided_elsewhere)
    reply = office.send("lilei", "撤销")
    assert "延期申请已批准，审批结果不变" in reply
    with office.sessions() as session:
        request = session.get(ExtensionRequest, request_id)
        assert request is not None and (request.state, request.decided_by) == (
            "approved",
            "wangxinhui",
        )
    assert office.task("T4").deadline == date(2027, 4, 30)
