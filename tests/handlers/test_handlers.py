"""The router on a real database (SQLite and PostgreSQL) holding the example config.

The clock starts Monday 2027-03-01 09:30 Beijing time.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.render import render
from storage.models import AuditEntry, ExtensionRequest, PendingReply, ProgressRecord
from tests.handlers.conftest import Office


def audit_actions(office: Office) -> list[str]:
    with office.sessions() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))
        return [a for a in actions if not a.startswith("sync.")]


def extensions(office: Office) -> list[ExtensionRequest]:
    with office.sessions() as session:
        return list(session.scalars(select(ExtensionRequest).order_by(ExtensionRequest.id)))


# ── updates ──────────────────────────────────────────────────────────────────


def test_a_progress_reply_is_recorded_and_confirmed(office: Office):
    reply = office.send("lilei", "T3 80% 预计4月底完成")
    assert (
        reply
        == '已记录 T3「十大代表和委员人选审核」进度 80%，预计 4月30日 完成。回复"撤销"可撤回。'
    )
    (record,) = office.records()
    assert (record.task_id, record.author, record.action, record.percent) == (
        "T3",
        "lilei",
        "progress",
        80,
    )
    assert record.expected_date == date(2027, 4, 30)
    assert record.raw_text == "T3 80% 预计4月底完成" and record.source_msg_id == "m1"
    task = office.task("T3")
    assert (task.status, task.percent, task.last_update_at) == ("open", 80, office.clock())
    assert audit_actions(office) == ["record.progress"]


def test_done_closes_the_task(office: Office):
    reply = office.send("zhoufang", "T5 已完成")
    assert reply.startswith("已记录 T5「省级文明单位复查材料整理汇编」已完成")
    task = office.task("T5")
    assert (task.status, task.percent, task.done_at) == ("done", 100, office.clock())


def test_blocked_records_the_problems_and_tells_the_leader(office: Office):
    reply = office.send("zhoufang", "T6 受阻 问题：培训经费未落实 下一步：提请协调")
    assert "遇到困难：培训经费未落实" in reply and "下一步：提请协调" in reply
    assert reply.endswith('已告知王新会。回复"撤销"可撤回。')
    (notice,) = office.notices("blocked_report")
    assert notice.recipient == "user:wangxinhui"
    text = render("notices/blocked_report.md.j2", notice.payload)
    assert "T6「举办全体党务干部集中培训」" in text and "> 困难：培训经费未落实" in text
    (record,) = office.records()
    assert (record.action, record.problems, record.next_steps) == (
        "blocked",
        "培训经费未落实",
        "提请协调",
    )


def test_several_updates_get_one_combined_confirmation(office: Office):
    reply = office.send("zhoufang", "T5 已完成；T6 30%")
    assert reply.splitlines() == [
        "已记录 2 项：",
        "· T5「省级文明单位复查材料整理汇编」已完成",
        "· T6「举办全体党务干部集中培训」进度 30%",
        '回复"撤销"可撤回。',
    ]
    assert [r.task_id for r in office.records()] == ["T5", "T6"]


def test_another_department_cannot_update_and_nothing_is_recorded(office: Office):
    reply = office.send("lilei", "T5 已完成")
    assert reply.startswith("未记录 T5「省级文明单位复查材料整理汇编」：该任务由机关党委负责")
    assert office.records() == [] and office.task("T5").status == "open"
    assert audit_actions(office) == ["update.refused"]


def test_allowed_updates_are_kept_when_another_in_the_message_is_refused(office: Office):
    reply = office.send("lilei", "T3 50%；T5 已完成")
    assert "已记录 T3「十大代表和委员人选审核」进度 50%" in reply and "未记录 T5" in reply
    assert [r.task_id for r in office.records()] == ["T3"]


def test_a_department_contact_outside_it_may_update(office: Office):
    # zhaomin is popsci's named contact; wujun is a popsci member: both may report on T9.
    assert office.send("wujun", "T9 40%").startswith("已记录 T9")
    assert office.send("zhaomin", "T10 10%").startswith("已记录 T10")


def test_unknown_and_archived_senders_are_refused_without_records(office: Office):
    assert "不在督办名单" in office.send("stranger", "T3 80%")
    with office.sessions.begin() as session:
        from storage.models import Person

        person = session.get(Person, "lilei")
        assert person is not None
        person.archived = True
    assert "不在督办名单" in office.send("lilei", "T3 80%")
    assert office.records() == []


# ── extensions ───────────────────────────────────────────────────────────────


def test_an_extension_request_goes_to_the_departments_leader(office: Office):
    reply = office.send("lilei", "T4 延期至4月30日 原因：专家评审延后")
    assert reply.startswith(
        "已提交 T4「河南研究院年度咨询研究项目遴选立项」延期申请：截止日期由 3月31日 延至 4月30日"
    )
    assert "已报王新会审批" in reply
    (request,) = extensions(office)
    assert (request.state, request.requested_date, request.reason, request.requested_by) == (
        "pending",
        date(2027, 4, 30),
        "专家评审延后",
        "lilei",
    )
    (notice,) = office.notices("extension_request")
    assert notice.recipient == "user:wangxinhui"
    text = render("notices/extension_request.md.j2", notice.payload)
    assert "T4" in text and "3月31日 → **4月30日**" in text and "同意 T4" in text
    assert len(text.encode()) < 2048
    assert office.task("T4").deadline == date(2027, 3, 31)  # not before approval


def test_an_extension_must_move_the_deadline_later(office: Office):
    reply = office.send("lilei", "T4 延期至3月20日")
    assert reply == (
        "未提交 T4「河南研究院年度咨询研究项目遴选立项」延期申请：延至 3月20日 "
        "不晚于现在的截止日期 3月31日，请核对日期。"
    )
    assert extensions(office) == [] and office.records() == []


def test_an_extension_to_a_day_already_past_asks_for_the_date(office: Office):
    office.later(days=70)  # 10 May: T4 (due 31 March) is long overdue
    reply = office.send("lilei", "T4 往后推一周吧")  # a week after 31 March: still past
    assert reply == (
        "未提交 T4「河南研究院年度咨询研究项目遴选立项」延期申请：延至 4月7日 已经过去了，"
        "请写明新的截止日期，如 `T4 延期至X月X日 原因：…`。"
    )
    assert extensions(office) == [] and office.records() == []


def test_a_new_request_supersedes_the_pending_one(office: Office):
    office.send("lilei", "T4 延期至4月30日")
    office.later(hours=1)
    office.send("lilei", "T4 延期至5月15日")
    first, second = extensions(office)
    assert (first.state, second.state) == ("withdrawn", "pending")
    assert len(office.notices("extension_request")) == 2


def test_approval_moves_the_deadline_and_tells_the_requester(office: Office):
    office.send("lilei", "T4 延期至4月30日")
    reply = office.send("wangxinhui", "同意 T4")
    assert reply == (
        "已同意 T4「河南研究院年度咨询研究项目遴选立项」延期：截止日期由 3月31日 改为 4月30日，已通知李磊。"
    )
    assert office.task("T4").deadline == date(2027, 4, 30)
    (request,) = extensions(office)
    assert (request.state, request.decided_by) == ("approved", "wangxinhui")
    (notice,) = office.notices("extension_decided")
    assert notice.recipient == "user:lilei"
    assert "**4月30日**" in render("notices/extension_decided.md.j2", notice.payload)
    assert "extension.approved" in audit_actions(office)


def test_rejection_keeps_the_deadline_and_sends_the_reason(office: Office):
    office.send("lilei", "T4 延期至4月30日")
    reply = office.send("wangxinhui", "不同意 T4 原因：请按期完成")
    assert reply.startswith("已退回 T4「河南研究院年度咨询研究项目遴选立项」延期申请（请按期完成）")
    assert office.task("T4").deadline == date(2027, 3, 31)
    (request,) = extensions(office)
    assert (request.state, request.decision_note) == ("rejected", "请按期完成")
    (notice,) = office.notices("extension_decided")
    assert "请按期完成" in render("notices/extension_decided.md.j2", notice.payload)


def test_no_pending_request_gets_a_helpful_answer(office: Office):
    reply = office.send("wangxinhui", "同意 T4")
    assert (
        reply
        == "T4「河南研究院年度咨询研究项目遴选立项」目前没有待审批的延期申请（截止日期 3月31日）。"
    )


def test_a_bare_decision_answers_the_only_pending_request(office: Office):
    assert office.send("wangxinhui", "同意") == "目前没有等待您审批的延期申请。"
    office.send("lilei", "T4 延期至4月30日")
    assert office.send("wangxinhui", "同意延期").startswith(
        "已同意 T4「河南研究院年度咨询研究项目遴选立项」延期"
    )
    assert office.task("T4").deadline == date(2027, 4, 30)


def test_a_bare_decision_with_several_requests_asks_which(office: Office):
    office.send("lilei", "T4 延期至4月30日")
    office.send("lilei", "T3 延期一个月")
    reply = office.send("wangxinhui", "不同意")
    assert reply.splitlines() == [
        "有 2 项延期申请等待审批，请带上编号回复，例如“不同意 T3”：",
        "· T3「十大代表和委员人选审核」",
        "· T4「河南研究院年度咨询研究项目遴选立项」",
    ]
    assert {r.state for r in extensions(office)} == {"pending"}


def test_staff_saying_agree_is_just_an_acknowledgement(office: Office):
    office.send("lilei", "T4 延期至4月30日")
    assert "审批" not in office.send("zhoufang", "同意")
    assert extensions(office)[0].state == "pending"


def test_staff_cannot_approve(office: Office):
    office.send("lilei", "T4 延期至4月30日")
    assert office.send("lilei", "同意 T4").startswith("抱歉，您没有权限审批 T4 的延期申请")
    assert extensions(office)[0].state == "pending"
    assert office.task("T4").deadline == date(2027, 3, 31)


# ── undo ─────────────────────────────────────────────────────────────────────


def test_undo_takes_back_the_latest_update_and_restores_the_state(office: Office):
    office.send("lilei", "T3 40%")
    office.later(minutes=5)
    office.send("lilei", "T3 已完成")
    assert office.task("T3").status == "done"
    reply = office.send("lilei", "撤销")
    assert reply.splitlines() == ["已撤销：", "· T3「十大代表和委员人选审核」的完成；现为进度 40%"]
    task = office.task("T3")
    assert (task.status, task.percent, task.done_at) == ("open", 40, None)
    records = office.records()
    assert [r.undone_at is not None for r in records] == [False, True]
    assert "record.undone" in audit_actions(office)


def test_undo_takes_back_a_whole_message_and_withdraws_its_extension(office: Office):
    office.send("lilei", "T3 60%；T4 延期至4月30日")
    reply = office.send("lilei", "撤回")
    assert reply.splitlines()[1:] == [
        "· T3「十大代表和委员人选审核」的进度 60%；现为未报进度",
        "· T4「河南研究院年度咨询研究项目遴选立项」的延期申请（延期申请已撤回，已告知王新会）",
    ]
    assert all(r.undone_at is not None for r in office.records())
    assert extensions(office)[0].state == "withdrawn"
    assert office.task("T3").percent is None


def test_undo_reaches_only_the_senders_own_recent_records(office: Office):
    assert office.send("lilei", "撤销").startswith("没有可撤销的记录")
    office.send("lilei", "T3 40%")
    assert office.send("chenjing", "撤销").startswith("没有可撤销的记录")
    office.later(hours=25)
    assert office.send("lilei", "撤销").startswith("没有可撤销的记录")
    assert office.task("T3").percent == 40


# ── clarify ──────────────────────────────────────────────────────────────────


def test_which_task_then_a_number_completes_the_update(office: Office):
    reply = office.send("lilei", "80% 预计4月底完成")
    assert reply.splitlines() == [
        "请问是哪项任务？回复序号或编号即可：",
        "1. T3「十大代表和委员人选审核」截止 4月30日",
        "2. T4「河南研究院年度咨询研究项目遴选立项」截止 3月31日",
    ]
    assert office.records() == []
    reply = office.send("lilei", "2")
    assert reply.startswith("已记录 T4「河南研究院年度咨询研究项目遴选立项」进度 80%，预计 4月30日")
    (record,) = office.records()
    assert record.task_id == "T4" and record.raw_text == "T4 80% 预计4月底完成"
    with office.sessions() as session:
        assert session.get(PendingReply, "lilei") is None


def test_answering_with_the_id_works_too(office: Office):
    office.send("lilei", "已完成")
    assert office.send("lilei", "T3").startswith("已记录 T3「十大代表和委员人选审核」已完成")


def test_an_unknown_id_is_corrected_by_the_answer(office: Office):
    reply = office.send("lilei", "T33 50%")
    assert reply.startswith("没有找到任务“T33”。您负责的任务有：")
    assert office.send("lilei", "1").startswith("已记录 T3「十大代表和委员人选审核」进度 50%")


def test_another_message_drops_the_question_and_is_handled_normally(office: Office):
    office.send("lilei", "80%")
    assert office.send("lilei", "我的任务").startswith("您的任务：")
    # No longer an answer: a bare "2" now asks to see task T2.
    assert office.send("lilei", "2").startswith("抱歉，您没有权限查看 T2")
    assert office.records() == []


def test_the_question_expires_after_ten_minutes(office: Office):
    office.send("lilei", "80%")
    office.later(minutes=11)
    assert office.send("lilei", "2").startswith("抱歉，您没有权限查看 T2")
    assert office.records() == []


def test_other_questions_are_asked_without_remembering(office: Office):
    assert office.send("lilei", "T3 120%").startswith("进度不能超过 100%")
    assert office.send("lilei", "T4 延期").startswith("延期申请请写明延至哪天")
    assert office.send("chenjing", "T1 嗯").startswith("收到 T1，但没看懂")
    assert office.send("wangxinhui", "80%").startswith("您目前没有需要填报的任务")
    with office.sessions() as session:
        assert session.scalars(select(PendingReply)).all() == []


# ── commands ─────────────────────────────────────────────────────────────────


def test_my_tasks_lists_the_senders_tasks(office: Office):
    office.send("lilei", "T3 80%")
    assert office.send("lilei", "我的任务").splitlines() == [
        "您的任务：",
        "🟢T3「十大代表和委员人选审核」截止 4月30日，剩 44 个工作日，进度 80%",
        "🟢T4「河南研究院年度咨询研究项目遴选立项」截止 3月31日，剩 22 个工作日",
    ]


def test_a_leaders_list_shows_the_most_urgent_open_tasks_first(office: Office):
    lines = office.send("wangxinhui", "任务").splitlines()
    assert lines[0] == "未完成的任务（最紧的在前）："
    assert lines[1].startswith(
        "🔴T2「编印年度重点工作任务分解和落实措施」办公室 截止 2026年12月31日，逾期 42 个工作日"
    )
    assert lines[-1] == "另有 4 项，发送“汇总”查看统计。"


def test_show_gives_details_and_the_last_three_records(office: Office):
    for percent in (10, 20, 30, 40):
        office.send("lilei", f"T3 {percent}%")
        office.later(days=1)
    lines = office.send("lilei", "查看T3").splitlines()
    assert lines[:3] == [
        "🟢T3「十大代表和委员人选审核」",
        "牵头：组织人事部；截止 4月30日，剩 40 个工作日，进度 40%",
        "节点：3月15日 各选举单位报送候选人初步人选",
    ]
    assert lines[3] == "最近填报："
    assert [line.split("：", 1)[1] for line in lines[4:]] == ["进度 40%", "进度 30%", "进度 20%"]


def test_show_dates_records_by_the_office_calendar_not_utc(office: Office):
    office.later(hours=15)  # 00:30 on 2 March in Beijing, still 1 March in UTC
    office.send("lilei", "T3 40%")
    assert "· 3月2日 李磊：进度 40%" in office.send("lilei", "T3").splitlines()


def test_show_of_another_departments_task_is_refused_for_staff(office: Office):
    assert office.send("lilei", "T5").startswith("抱歉，您没有权限查看 T5")
    assert office.send("wangxinhui", "T5").startswith("🔴T5「省级文明单位复查材料整理汇编」")


def test_summary_counts_for_leaders_and_refuses_staff(office: Office):
    office.send("zhoufang", "T5 已完成")
    reply = office.send("liuyang", "汇总")  # the admin: every department
    # 14 tasks: T5 done (late: due 20 January); T2 overdue; T4 and T13 due 3月31日 are
    # 22 working days away. Of the two due, none was done in time.
    assert reply.splitlines()[0] == (
        "全部部门 · 本周汇总（截至 3月1日）：共 14 项，办结 1，🟢正常 12，🟡预警 0，🔴逾期 1；"
        "按时完成率 0%。"
    )
    assert "机关党委：2 项，办结 1，按时 0%" in reply
    # A leader sees the departments they lead.
    leader = office.send("denghongjun", "汇总")
    assert leader.startswith("您分管的 4 个部门 · 本周汇总") and "共 8 项" in leader
    assert "机关党委" not in leader
    assert office.send("lilei", "汇总").startswith("抱歉，您没有权限查看汇总")


def test_a_deadline_within_five_working_days_is_a_yellow_light(office: Office):
    office.later(days=25)  # 2027-03-26: T4 and T13 are due in 3 working days
    assert "🟡预警 2" in office.send("liuyang", "本周汇总")


def test_overdue_lists_late_tasks_for_leaders_only(office: Office):
    assert office.send("liuyang", "逾期").splitlines() == [
        "全部部门 · 逾期任务 2 项：",
        "🔴T2「编印年度重点工作任务分解和落实措施」办公室，截止 2026年12月31日，逾期 42 个工作日",
        "🔴T5「省级文明单位复查材料整理汇编」机关党委，截止 1月20日，逾期 28 个工作日",
    ]
    assert office.send("zhoufang", "逾期").startswith("抱歉，您没有权限查看逾期清单")


def test_help_and_greetings_are_friendly(office: Office):
    assert "审批延期" in office.send("wangxinhui", "帮助")
    assert "审批延期" not in office.send("lilei", "帮助")
    assert office.send("lilei", "你好").startswith("李磊您好！报进度请直接回复任务编号")
    assert office.send("lilei", "收到") == office.send("lilei", "👍")
    assert office.records() == []


def test_nothing_is_recorded_for_queries(office: Office):
    for text in ("我的任务", "T3", "汇总", "逾期", "帮助", "你好"):
        office.send("lilei", text)
    with office.sessions() as session:
        assert session.scalars(select(ProgressRecord)).all() == []
