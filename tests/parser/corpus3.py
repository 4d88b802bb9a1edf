"""Round 3 of the hand-written corpus: fresh replies written before reading rounds 1-2.

Both registers again (phone chat and pasted work reports), across the categories a held-out
set stresses: done in other words, a part finished, which percent, deadline moves, not
started and blocked, questions about a task, commands as sentences, a leader's instruction,
an omitted id, places and ranges, festivals, document numbers (〔2027〕5号), counts and past
dates. Same senders, tasks and dates as corpus.py.
"""

from __future__ import annotations

from .corpus import UNK, Case, clar, cmd, upd
from .fixtures import APR22 as B
from .fixtures import DEC20 as C
from .fixtures import MAR17 as A
from .fixtures import U

CASES3: list[Case] = [
    # --- done_casual ---
    ("party", A, "T5搞定了哈", upd(U("T5", "done", 100))),
    ("party", A, "T5 弄完啦!!", upd(U("T5", "done", 100))),
    ("party", A, "t5 完工啦～", upd(U("T5", "done", 100))),
    ("party", A, "T5 已经完毕", upd(U("T5", "done", 100))),
    ("party", A, "T5👌", upd(U("T5", "done", 100))),
    ("party", A, "T5 ✅✅", upd(U("T5", "done", 100))),
    ("org", A, "T3 全部搞定，辛苦大家", upd(U("T3", "done", 100, note="辛苦大家"))),
    ("org", A, "报告领导，T3已经弄完了", upd(U("T3", "done", 100))),
    ("org", A, "T3 这个已经做完了哦", upd(U("T3", "done", 100))),
    ("pop", A, "T8 方案弄好了 ✅", upd(U("T8", "done", 100, note="方案弄好了"))),
    ("pop", A, "T9 资源库上线啦，验收通过了", upd(U("T9", "done", 100, note="资源库上线"))),
    ("res", A, "T10 结题了，搞定", upd(U("T10", "done", 100))),
    ("mus", A, "T12 终于完工了😂", upd(U("T12", "done", 100))),
    ("party", A, "T6 培训办完了", upd(U("T6", "done", 100, note="培训办完了"))),
    ("party", A, "T6 培训班顺利结业，圆满完成", upd(U("T6", "done", 100, note="培训班顺利结业"))),
    ("acad", A, "3.1 论坛顺利收官", upd(U("3.1", "done", 100, note="论坛顺利收官"))),
    ("off", A, "T2 印完了，已经发下去了", upd(U("T2", "done", 100, note="已经发下去了"))),
    ("org", A, "T4 活动结束了 圆满完成任务", upd(U("T4", "done", 100, note="活动结束了"))),
    ("party", A, "T5 嗯嗯 已完成", upd(U("T5", "done", 100))),
    # --- done_formal ---
    (
        "party",
        A,
        "T5 省级文明单位复查各项迎检准备工作已全面完成，迎检材料已装订成册。",
        upd(
            U(
                "T5",
                "done",
                100,
                note="省级文明单位复查各项迎检准备工作已全面完成，迎检材料已装订成册",
            )
        ),
    ),
    (
        "off",
        A,
        "T2 年度重点工作和工作要点已编印完毕，并于3月12日分发至各部门、各直属单位。",
        upd(
            U(
                "T2",
                "done",
                100,
                note="年度重点工作和工作要点已编印完毕，并于3月12日分发至各部门、各直属单位",
            )
        ),
    ),
    (
        "org",
        A,
        "T3 按照《省科协第十次代表大会代表资格审查办法》，代表资格审查工作已按期完成。",
        upd(
            U(
                "T3",
                "done",
                100,
                note="按照《省科协第十次代表大会代表资格审查办法》，代表资格审查工作已按期完成",
            )
        ),
    ),
    (
        "pop",
        A,
        "T9 科普资源库一期建设项目已通过专家验收，正式投入运营，该项工作已办结。",
        upd(U("T9", "done", 100, note="科普资源库一期建设项目已通过专家验收，正式投入运营")),
    ),
    (
        "res",
        A,
        "T10 课题研究报告已按期提交，经评审验收通过，现申请销号。",
        upd(U("T10", "done", 100, note="课题研究报告已按期提交，经评审验收通过，现申请销号")),
    ),
    (
        "party",
        A,
        "T6 一、进展情况\n党务干部集中培训班于3月8日至12日举办，共培训党务干部120人次，培训任务圆满完成。",
        upd(
            U(
                "T6",
                "done",
                100,
                note="党务干部集中培训班于3月8日至12日举办，共培训党务干部120人次，培训任务圆满完成",
            )
        ),
    ),
    (
        "acad",
        A,
        "3.2 全省学会秘书长沙龙已于1月下旬成功举办，任务已办结。",
        upd(U("3.2", "done", 100, note="全省学会秘书长沙龙已于1月下旬成功举办")),
    ),
    (
        "org",
        A,
        "T4 院士专家地方行活动已全部完成，共组织院士专家赴5个地市开展服务。",
        upd(
            U(
                "T4",
                "done",
                100,
                note="院士专家地方行活动已全部完成，共组织院士专家赴5个地市开展服务",
            )
        ),
    ),
    ("off", B, "T2 4月2日完成", upd(U("T2", "done", 100))),
    ("off", B, "T2 已于4月2日印发完成", upd(U("T2", "done", 100, note="已于4月2日印发完成"))),
    (
        "party",
        A,
        "T5 复查工作已顺利完成，特此报告。",
        upd(U("T5", "done", 100, note="复查工作已顺利完成，特此报告")),
    ),
    ("org", A, "T3：代表资格审查已办结。", upd(U("T3", "done", 100, note="代表资格审查已办结"))),
    (
        "pop",
        A,
        "T8 全国科普日活动方案经党组会研究通过，已正式印发，本项任务完成。",
        upd(U("T8", "done", 100, note="全国科普日活动方案经党组会研究通过，已正式印发")),
    ),
    (
        "acad",
        A,
        "T7 一流学会建设年度目标任务全部完成",
        upd(U("T7", "done", 100, note="一流学会建设年度目标任务全部完成")),
    ),
    # --- part ---
    (
        "party",
        A,
        "T5 已完成自评报告，正在准备迎检材料",
        upd(U("T5", "progress", note="已完成自评报告，正在准备迎检材料")),
    ),
    (
        "org",
        A,
        "T3 已完成初审，复审还没开始",
        upd(U("T3", "progress", note="已完成初审，复审还没开始")),
    ),
    (
        "pop",
        A,
        "T9 已完成资源征集，下一步审核入库",
        upd(U("T9", "progress", note="已完成资源征集", next_steps="审核入库")),
    ),
    (
        "mus",
        A,
        "T12 主体结构已完工，内部装修进行中",
        upd(U("T12", "progress", note="主体结构已完工，内部装修进行中")),
    ),
    (
        "off",
        A,
        "T1 筹备方案已完成，正在报批",
        upd(U("T1", "progress", note="筹备方案已完成，正在报批")),
    ),
    ("party", A, "T6 快搞定了", upd(U("T6", "progress", note="快搞定了"))),
    (
        "party",
        A,
        "T6 差不多弄完了，还差个总结",
        upd(U("T6", "progress", note="差不多弄完了，还差个总结")),
    ),
    (
        "res",
        A,
        "T10 已完成开题论证，目前处于调研阶段",
        upd(U("T10", "progress", note="已完成开题论证，目前处于调研阶段")),
    ),
    (
        "pop",
        A,
        "T8 方案初稿已完成，征求意见中",
        upd(U("T8", "progress", note="方案初稿已完成，征求意见中")),
    ),
    (
        "org",
        A,
        "T3 正在抓紧完成，预计本周五完成",
        upd(U("T3", "progress", expected="2027-03-19", note="正在抓紧完成")),
    ),
    ("party", A, "T5 力争月底前完成", upd(U("T5", "progress", expected="2027-03-31"))),
    # --- percent ---
    (
        "org",
        A,
        "T3 总体进度70%，其中初审已完成100%",
        upd(U("T3", "progress", 70, note="其中初审已完成100%")),
    ),
    (
        "mus",
        A,
        "T12 其中布展完成90%，整体进度约60%",
        upd(U("T12", "progress", 60, note="其中布展完成90%")),
    ),
    (
        "pop",
        A,
        "T9 资源征集完成80%，审核完成30%，总体完成50%",
        upd(U("T9", "progress", 50, note="资源征集完成80%，审核完成30%")),
    ),
    ("acad", A, "T7 整体完成六成左右", upd(U("T7", "progress", 60))),
    ("res", A, "T10 进度大概一半吧", upd(U("T10", "progress", 50))),
    ("org", A, "T3 差不多80%了", upd(U("T3", "progress", 80))),
    ("party", A, "T6 完成了百分之三十", upd(U("T6", "progress", 30))),
    ("mus", A, "T12 工程形象进度达到75%", upd(U("T12", "progress", 75))),
    (
        "off",
        A,
        "T1 目前总体进度约为40%，各工作组按计划推进",
        upd(U("T1", "progress", 40, note="各工作组按计划推进")),
    ),
    ("pop", A, "T8 70%啦 😄", upd(U("T8", "progress", 70))),
    # --- extend ---
    ("org", A, "T4 延到5月15号吧", upd(U("T4", "extend", new="2027-05-15"))),
    ("org", A, "T4 需要推迟到5月底", upd(U("T4", "extend", new="2027-05-31"))),
    (
        "org",
        A,
        "T4 申请顺延至5月20日，原因：院士行程调整",
        upd(U("T4", "extend", new="2027-05-20", note="院士行程调整")),
    ),
    ("org", A, "T4 能不能往后推两周", upd(U("T4", "extend", new="2027-05-14"))),
    ("org", A, "T4 时间改到6月10日", upd(U("T4", "extend", new="2027-06-10"))),
    (
        "party",
        A,
        "T5 因省直文明办检查时间调整，完成时限需顺延至5月15日",
        upd(U("T5", "extend", new="2027-05-15", note="省直文明办检查时间调整")),
    ),
    ("party", A, "T6 要往后拖一个月", upd(U("T6", "extend", new="2027-06-20"))),
    ("off", A, "T2 申请延期到4月中旬", upd(U("T2", "extend", new="2027-04-20"))),
    ("off", A, "T2 可能要延期", clar("missing_date", ["T2"])),
    ("off", A, "T2 来不及了 得推迟", clar("missing_date", ["T2"])),
    ("pop", A, "T8 完成时间推迟至9月底", upd(U("T8", "extend", new="2027-09-30"))),
    ("res", A, "T10 截止日期延后到12月20日", upd(U("T10", "extend", new="2027-12-20"))),
    ("org", A, "T4 延一周", upd(U("T4", "extend", new="2027-05-07"))),
    (
        "org",
        A,
        "T4 延期两周，原因是部分专家行程冲突",
        upd(U("T4", "extend", new="2027-05-14", note="部分专家行程冲突")),
    ),
    ("party", A, "T5 时间上要调整一下，延后", clar("missing_date", ["T5"])),
    (
        "org",
        A,
        "T4 二、存在问题\n受院士行程影响，活动无法按期举办。\n三、下一步打算\n申请将完成时限调整至5月31日。",
        upd(
            U(
                "T4",
                "extend",
                new="2027-05-31",
                problems="受院士行程影响，活动无法按期举办",
                next_steps="申请将完成时限调整至5月31日",
            )
        ),
    ),
    # --- notstarted ---
    ("pop", A, "T8 暂未启动，拟于5月开始起草", upd(U("T8", "progress", 0, note="拟于5月开始起草"))),
    (
        "acad",
        A,
        "T7 该项工作尚未开展，计划二季度启动",
        upd(U("T7", "progress", 0, note="计划二季度启动")),
    ),
    (
        "res",
        A,
        "T10 目前尚未启动，待课题立项后开展",
        upd(U("T10", "progress", 0, note="待课题立项后开展")),
    ),
    ("mus", A, "T12 还没开工", upd(U("T12", "progress", 0))),
    # --- blocked ---
    ("mus", A, "T12 卡住了，资金没到位", upd(U("T12", "blocked", problems="卡住了，资金没到位"))),
    (
        "mus",
        A,
        "T12 一、进展情况\n主体工程已完成80%。\n二、存在问题\n施工许可证办理受阻，室外工程无法开工。",
        upd(
            U(
                "T12",
                "blocked",
                80,
                note="主体工程",
                problems="施工许可证办理受阻，室外工程无法开工",
            )
        ),
    ),
    (
        "pop",
        A,
        "T9 推不动了，平台供应商跑路了",
        upd(U("T9", "blocked", problems="推不动了，平台供应商跑路了")),
    ),
    (
        "party",
        A,
        "T6 受阻：场地一直落实不了",
        upd(U("T6", "blocked", problems="受阻:场地一直落实不了")),
    ),
    (
        "org",
        A,
        "T4 目前停滞，院士那边联系不上",
        upd(U("T4", "blocked", problems="目前停滞，院士那边联系不上")),
    ),
    (
        "res",
        A,
        "T10 课题经费未拨付，工作无法推进",
        upd(U("T10", "blocked", problems="课题经费未拨付，工作无法推进")),
    ),
    ("acad", A, "3.1 被卡在审批环节了", upd(U("3.1", "blocked", problems="被卡在审批环节了"))),
    (
        "off",
        A,
        "T1 存在问题：会期尚未确定，筹备工作处于停滞状态",
        upd(U("T1", "blocked", problems="会期尚未确定，筹备工作处于停滞状态")),
    ),
    # --- query ---
    ("off", A, "T1 现在啥情况？", cmd("show", task="T1")),
    ("off", A, "T1进展怎么样了", cmd("show", task="T1")),
    ("lead", A, "T3 到哪一步了？", cmd("show", task="T3")),
    ("lead", A, "T12 什么时候能完成？", cmd("show", task="T12")),
    ("lead", A, "查一下T5", cmd("show", task="T5")),
    ("lead", A, "T7 进度多少了", cmd("show", task="T7")),
    ("lead", A, "看看T9的情况", cmd("show", task="T9")),
    ("org", A, "T4 截止日期是哪天？", cmd("show", task="T4")),
    ("lead", A, "T10 有没有新进展", cmd("show", task="T10")),
    ("lead", A, "T8 怎么还没报？", cmd("show", task="T8")),
    # --- command ---
    ("org", A, "我的任务有哪些？", cmd("list")),
    ("pop", A, "看看我们部门的任务", cmd("list")),
    ("off", A, "请列出我部承担的全部任务", cmd("list")),
    ("party", A, "我们负责哪几项工作", cmd("list")),
    ("acad", A, "列一下我的任务清单", cmd("list")),
    ("lead", A, "各部门进展情况汇总", cmd("summary")),
    ("lead", A, "发一下汇总", cmd("summary")),
    ("lead", A, "整体情况怎么样", cmd("summary")),
    ("lead", A, "哪些逾期了", cmd("overdue")),
    ("lead", A, "有没有超期的任务", cmd("overdue")),
    ("lead", A, "逾期任务有哪些？", cmd("overdue")),
    ("lead", A, "哪些部门还没报送", cmd("not_reported")),
    ("lead", A, "未报送的有哪些", cmd("not_reported")),
    ("org", A, "刚才那条作废", cmd("undo")),
    ("org", A, "不好意思，刚才报错了，撤销一下", cmd("undo")),
    ("org", A, "怎么报进度？", cmd("help")),
    # --- cmd_in_report ---
    (
        "org",
        A,
        "T3 已将审查情况汇总上报组织部",
        upd(U("T3", "progress", note="已将审查情况汇总上报组织部")),
    ),
    (
        "party",
        A,
        "T5 汇总材料已完成，准备报送",
        upd(U("T5", "progress", note="汇总材料已完成，准备报送")),
    ),
    (
        "res",
        A,
        "T10 课题组撤回了一篇不合格论文，其余正常推进",
        upd(U("T10", "progress", note="课题组撤回了一篇不合格论文，其余正常推进")),
    ),
    (
        "pop",
        A,
        "T9 对逾期未报送资源的单位进行了督促",
        upd(U("T9", "progress", note="对逾期未报送资源的单位进行了督促")),
    ),
    (
        "off",
        A,
        "T2 编印说明已拟好，正在排版",
        upd(U("T2", "progress", note="编印说明已拟好，正在排版")),
    ),
    # --- instruction ---
    ("lead", A, "各部门抓紧报送本月进展，逾期的要说明原因", UNK),
    ("lead", A, "请大家月底前把任务进展报上来", UNK),
    ("lead", A, "各位，请于今天下班前报送本周工作进展情况。", UNK),
    # --- no_id ---
    ("res", A, "弄完了", upd(U("T10", "done", 100))),
    (
        "res",
        A,
        "课题报告已经提交了，进度80%",
        upd(U("T10", "progress", 80, note="课题报告已经提交了")),
    ),
    ("mus", A, "主体已封顶，整体进度60%", upd(U("T12", "progress", 60, note="主体已封顶"))),
    ("org", A, "已完成80%", clar("missing_task", ["T3", "T4"])),
    ("party", A, "搞定了", clar("missing_task", ["T5", "T6"])),
    ("pop", A, "还没开始呢", clar("missing_task", ["T8", "T9"])),
    ("mus", A, "卡住了，资金没到位", upd(U("T12", "blocked", problems="卡住了，资金没到位"))),
    ("res", A, "还没开始", upd(U("T10", "progress", 0))),
    # --- place ---
    ("mus", A, "T12 3号展厅布展已完成80%", upd(U("T12", "progress", 80, note="3号展厅布展"))),
    ("mus", A, "T12 5号楼装修完成一半", upd(U("T12", "progress", 50, note="5号楼装修"))),
    # --- range ---
    ("off", A, "T1-T2 均已完成", upd(U("T1", "done", 100), U("T2", "done", 100))),
    ("org", A, "T3、T4都搞定了", upd(U("T3", "done", 100), U("T4", "done", 100))),
    ("org", A, "T3至T4均已完成", upd(U("T3", "done", 100), U("T4", "done", 100))),
    ("off", A, "T1 60%，T2 已完成", upd(U("T1", "progress", 60), U("T2", "done", 100))),
    (
        "org",
        A,
        "T3完成90%；T4延期至5月31日",
        upd(U("T3", "progress", 90), U("T4", "extend", new="2027-05-31")),
    ),
    # --- festival ---
    ("off", A, "T1 争取端午前完成", upd(U("T1", "progress", expected="2027-06-08"))),
    ("pop", A, "T8 中秋前搞定", upd(U("T8", "progress", expected="2027-09-14"))),
    ("party", A, "T5 清明前能弄完", upd(U("T5", "progress", expected="2027-04-04"))),
    ("mus", C, "T12 元旦前完工", upd(U("T12", "progress", expected="2027-12-31"))),
    ("res", A, "T10 国庆后启动结题", upd(U("T10", "progress", note="国庆后启动结题"))),
    ("org", A, "T4 推迟到五一后", upd(U("T4", "extend", new="2027-05-06"))),
    # --- casual ---
    ("org", A, "嗯 T3在弄了", upd(U("T3", "progress"))),
    ("org", A, "T3 在推进中～", upd(U("T3", "progress"))),
    ("pop", A, "T9 一直在弄 大概七成了吧", upd(U("T9", "progress", 70, note="一直在弄"))),
    (
        "party",
        A,
        "T6 正在对接场地，下周能定",
        upd(U("T6", "progress", note="正在对接场地，下周能定")),
    ),
    ("off", A, "T1 正常推进，没啥问题", upd(U("T1", "progress", note="没啥问题"))),
    ("res", A, "T10 报告写了一大半了", upd(U("T10", "progress", note="报告写了一大半了"))),
    ("pop", A, "T8……方案还在改😭", upd(U("T8", "progress", note="方案还在改"))),
    # --- formal ---
    (
        "off",
        A,
        "T1 筹备召开省科协第十次代表大会\n一、进展情况\n一是印发了《河南省科协第十次代表大会筹备工作方案》；二是成立了筹备工作领导小组和5个工作组。\n二、存在问题\n暂无。\n三、下一步打算\n4月底前完成代表推选工作。",
        upd(
            U(
                "T1",
                "progress",
                note="印发了《河南省科协第十次代表大会筹备工作方案》，成立了筹备工作领导小组和5个工作组",
                next_steps="4月底前完成代表推选工作",
            )
        ),
    ),
    (
        "pop",
        A,
        "T9 科普资源库建设运营\n1.资源征集：已征集科普视频320部；\n2.平台运维：日均访问量1.2万人次；\n3.总体进度约70%。",
        upd(
            U(
                "T9",
                "progress",
                70,
                note="资源征集:已征集科普视频320部，平台运维:日均访问量1.2万人次",
            )
        ),
    ),
    (
        "acad",
        A,
        "T7 一、工作进展\n截至3月15日，已完成12家一流学会中期评估。\n二、存在困难\n部分学会专职人员不足。\n三、下一步工作\n5月底前完成全部评估。",
        upd(
            U(
                "T7",
                "progress",
                note="截至3月15日，已完成12家一流学会中期评估",
                problems="部分学会专职人员不足",
                next_steps="5月底前完成全部评估",
            )
        ),
    ),
    (
        "party",
        A,
        "T6 党务干部集中培训\n进展情况：培训方案已经党组审定，《2027年党务干部培训计划》（豫科协党〔2027〕5号）已印发。\n下一步打算：拟于4月中旬开班。",
        upd(
            U(
                "T6",
                "progress",
                note="培训方案已经党组审定，《2027年党务干部培训计划》(豫科协党【2027】5号)已印发",
                next_steps="拟于4月中旬开班",
            )
        ),
    ),
    (
        "res",
        A,
        "T10 关于河南科技智库课题研究进展情况的报告\n目前已完成课题申报和立项，共立项课题15项，其中重大课题3项。各课题组正在开展调研。",
        upd(
            U(
                "T10",
                "progress",
                note="目前已完成课题申报和立项，共立项课题15项，其中重大课题3项，各课题组正在开展调研",
            )
        ),
    ),
    (
        "org",
        A,
        "T4 院士专家地方行活动\n一、进展情况：已与中国科协对接，确定赴洛阳、南阳两地开展活动。\n二、存在问题：院士行程尚未最终确定，活动可能无法按期举办，拟申请延期至5月31日。",
        upd(
            U(
                "T4",
                "extend",
                new="2027-05-31",
                note="已与中国科协对接，确定赴洛阳、南阳两地开展活动",
                problems="院士行程尚未最终确定，活动可能无法按期举办，拟申请延期至5月31日",
            )
        ),
    ),
    (
        "party",
        A,
        "T5 存在问题：迎检场地改造受阻，施工方无法进场。",
        upd(U("T5", "blocked", problems="迎检场地改造受阻，施工方无法进场")),
    ),
    # --- done2 ---
    ("party", A, "T5 迎检工作完毕", upd(U("T5", "done", 100, note="迎检工作完毕"))),
    ("org", A, "T3 任务已完成✅", upd(U("T3", "done", 100))),
    ("pop", A, "T8 👌👌", upd(U("T8", "done", 100))),
    (
        "acad",
        A,
        "3.1 论坛已于3月10日成功举办，圆满结束",
        upd(U("3.1", "done", 100, note="论坛已于3月10日成功举办")),
    ),
    ("res", A, "T10 OK了", upd(U("T10", "done", 100))),
    ("mus", A, "T12 竣工了！", upd(U("T12", "done", 100))),
    ("off", A, "T2 任务已完成，请销号", upd(U("T2", "done", 100, note="请销号"))),
    ("party", A, "T6 培训已经全部结束了", upd(U("T6", "done", 100, note="培训已经全部结束了"))),
    (
        "pop",
        A,
        "T9 资源库已通过验收并上线运行",
        upd(U("T9", "done", 100, note="资源库已通过验收，并上线运行")),
    ),
    ("org", A, "T3 审查工作按时保质完成", upd(U("T3", "done", 100, note="审查工作按时保质完成"))),
    ("off", A, "T2 印发完成", upd(U("T2", "done", 100, note="印发完成"))),
    (
        "acad",
        A,
        "T7 评估工作全部完成，结果已公示",
        upd(U("T7", "done", 100, note="评估工作全部完成，结果已公示")),
    ),
    # --- extend2 ---
    (
        "pop",
        A,
        "T8 方案要晚点交，改到4月10号",
        upd(U("T8", "extend", new="2027-04-10", note="方案要晚点交")),
    ),
    ("res", A, "T10 估计要拖到年底了", upd(U("T10", "extend", new="2027-12-31"))),
    ("off", A, "T1 大会时间推迟，具体时间待定", clar("missing_date", ["T1"])),
    # --- unknown_task ---
    ("org", A, "T30 已完成", clar("unknown_task", ["T3", "T4"], "T30")),
    # --- ack ---
    ("org", A, "好的，马上报", UNK),
    # --- docno ---
    (
        "off",
        A,
        "T2 《关于印发〈省科协2027年工作要点〉的通知》（豫科协〔2027〕3号）已于3月10日印发，任务完成。",
        upd(
            U(
                "T2",
                "done",
                100,
                note="《关于印发〈省科协2027年工作要点〉的通知》(豫科协【2027】3号)已于3月10日印发",
            )
        ),
    ),
    (
        "party",
        A,
        "T5 根据豫文明办〔2027〕8号文件要求，复查材料正在整理中。",
        upd(U("T5", "progress", note="根据豫文明办【2027】8号文件要求，复查材料正在整理中")),
    ),
    (
        "pop",
        A,
        "T8 已按照中国科协科普函字〔2027〕12号通知要求完成方案初稿",
        upd(U("T8", "progress", note="已按照中国科协科普函字【2027】12号通知要求完成方案初稿")),
    ),
    (
        "org",
        A,
        "T3 依据豫科协发〔2026〕45号文件，已完成120名代表资格初审，进度60%。",
        upd(U("T3", "progress", 60, note="依据豫科协发【2026】45号文件，已完成120名代表资格初审")),
    ),
    (
        "acad",
        A,
        "T7 《2027年一流学会建设实施方案》已印发（豫科协学〔2027〕2号），正在组织申报。",
        upd(
            U(
                "T7",
                "progress",
                note="《2027年一流学会建设实施方案》已印发(豫科协学【2027】2号)，正在组织申报",
            )
        ),
    ),
    # --- count ---
    (
        "pop",
        A,
        "T9 累计上线科普资源2000余条，完成年度目标的80%",
        upd(U("T9", "progress", 80, note="累计上线科普资源2000余条")),
    ),
    (
        "acad",
        A,
        "T7 已有8家学会通过评估，3家正在整改",
        upd(U("T7", "progress", note="已有8家学会通过评估，3家正在整改")),
    ),
    (
        "org",
        A,
        "T4 已邀请院士3名，专家25名，活动方案已完成",
        upd(U("T4", "progress", note="已邀请院士3名，专家25名，活动方案已完成")),
    ),
    (
        "party",
        A,
        "T6 共举办培训班2期，培训党务干部150人，还有1期",
        upd(U("T6", "progress", note="共举办培训班2期，培训党务干部150人，还有1期")),
    ),
    # --- pastdate ---
    (
        "res",
        A,
        "T10 3月10日组织召开课题中期评审会，15个课题全部通过中期评审。",
        upd(U("T10", "progress", note="3月10日组织召开课题中期评审会，15个课题全部通过中期评审")),
    ),
    (
        "party",
        A,
        "T5 3月12日，省直文明办考核组来我会开展实地考察，对我会工作给予肯定。",
        upd(
            U(
                "T5",
                "progress",
                note="3月12日，省直文明办考核组来我会开展实地考察，对我会工作给予肯定",
            )
        ),
    ),
    # --- casual2 ---
    ("org", A, "T3 嗯嗯 差不多了 还差最后一点", upd(U("T3", "progress", note="还差最后一点"))),
    ("org", A, "T3 马上完成", upd(U("T3", "progress", note="马上完成"))),
    (
        "org",
        A,
        "T3 快了快了，这周能完",
        upd(U("T3", "progress", expected="2027-03-19", note="快了快了")),
    ),
    ("party", A, "T5 材料已经交了，等通知", upd(U("T5", "progress", note="材料已经交了，等通知"))),
    ("mus", A, "T12 进度正常 👍", upd(U("T12", "progress"))),
    ("acad", A, "3.2 那个沙龙早就办完了哈", upd(U("3.2", "done", 100, note="那个沙龙早就办完了"))),
    (
        "off",
        A,
        "T1 方案报上去了 领导还没批",
        upd(U("T1", "progress", note="方案报上去了，领导还没批")),
    ),
    ("res", A, "t10 完成啦🎉🎉", upd(U("T10", "done", 100))),
    (
        "org",
        A,
        "T4：搞不完了，要延期到5月底。",
        upd(U("T4", "extend", new="2027-05-31", note="搞不完了")),
    ),
    (
        "org",
        A,
        "T4 来不及了，申请延期一个月",
        upd(U("T4", "extend", new="2027-05-30", note="来不及了")),
    ),
    (
        "party",
        A,
        "T6 还没开始，等场地定下来再说",
        upd(U("T6", "progress", 0, note="等场地定下来再说")),
    ),
    (
        "party",
        A,
        "T6 没法推进，场地没着落",
        upd(U("T6", "blocked", problems="没法推进，场地没着落")),
    ),
    ("pop", A, "T8 ……还没动呢，最近太忙了", upd(U("T8", "progress", 0, note="最近太忙了"))),
    # --- formal2 ---
    (
        "mus",
        A,
        "T12 一是主体工程已完工；二是布展工程完成70%；三是室外配套工程尚未启动。总体进度约75%。",
        upd(U("T12", "progress", 75, note="主体工程已完工，布展工程完成70%，室外配套工程尚未启动")),
    ),
    (
        "off",
        A,
        "T1 一、进展情况\n筹备工作有序推进，总体进度约30%。\n二、存在问题\n大会召开时间尚需省委批复。\n三、下一步打算\n积极对接，争取早日确定会期。",
        upd(
            U(
                "T1",
                "progress",
                30,
                note="筹备工作有序推进",
                problems="大会召开时间尚需省委批复",
                next_steps="积极对接，争取早日确定会期",
            )
        ),
    ),
    (
        "party",
        A,
        "T5 一、进展情况\n已完成自查自评。\n二、存在问题\n无。\n三、下一步打算\n4月上旬迎接实地考核。",
        upd(U("T5", "progress", note="已完成自查自评", next_steps="4月上旬迎接实地考核")),
    ),
    (
        "pop",
        A,
        "T8 尚未启动。拟于7月份启动方案起草工作。",
        upd(U("T8", "progress", 0, note="拟于7月份启动方案起草工作")),
    ),
    (
        "res",
        A,
        "T10 存在问题：部分课题组调研工作受阻，进展缓慢。",
        upd(U("T10", "blocked", problems="部分课题组调研工作受阻，进展缓慢")),
    ),
    (
        "acad",
        A,
        "3.1 科创中原论坛\n进展情况：已完成嘉宾邀请，会场已落实。\n下一步：6月中旬举办。",
        upd(U("3.1", "progress", note="已完成嘉宾邀请，会场已落实", next_steps="6月中旬举办")),
    ),
    # --- cmd2 ---
    ("lead", A, "麻烦发一下本月的汇总", cmd("summary", period="month")),
    ("org", A, "我手上还有啥任务没完成", cmd("list")),
    ("lead", A, "看下有哪些任务超期了", cmd("overdue")),
    ("lead", A, "还有谁没报送进展？", cmd("not_reported")),
    ("org", A, "报错了 撤回一下", cmd("undo")),
    ("org", A, "怎么报送进展？", cmd("help")),
    ("org", A, "有操作指南吗", cmd("help")),
    # --- query2 ---
    ("lead", A, "T4现在进展到什么程度了？", cmd("show", task="T4")),
    ("lead", A, "T1 情况如何", cmd("show", task="T1")),
    ("org", A, "T3 是不是已经完成了？", cmd("show", task="T3")),
    ("lead", A, "T9进度？", cmd("show", task="T9")),
    ("lead", A, "请问T6什么时候开班", cmd("show", task="T6")),
    # --- noid2 ---
    ("res", A, "课题研究搞定了✅", upd(U("T10", "done", 100, note="课题研究搞定了"))),
    ("res", A, "申请延期到12月31日", upd(U("T10", "extend", new="2027-12-31"))),
    ("mus", A, "完成了80%", upd(U("T12", "progress", 80))),
    ("acad", A, "已完成", clar("missing_task", ["T7", "3.1", "3.2"])),
    ("off", A, "延期到5月底", clar("missing_task", ["T1", "T2"])),
    # --- range2 ---
    ("off", A, "T1和T2都在推进中", upd(U("T1", "progress"), U("T2", "progress"))),
    ("party", A, "T5 T6 均已完成", upd(U("T5", "done", 100), U("T6", "done", 100))),
    ("acad", A, "3.1、3.2均已办结", upd(U("3.1", "done", 100), U("3.2", "done", 100))),
    # --- place2 ---
    (
        "mus",
        A,
        "T12 2号楼已封顶，3号展厅正在布展",
        upd(U("T12", "progress", note="2号楼已封顶，3号展厅正在布展")),
    ),
    ("mus", A, "T12 1号馆完成，整体60%", upd(U("T12", "progress", 60, note="1号馆完成"))),
    # --- b3 ---
    ("org", A, "T3 80%👌", upd(U("T3", "progress", 80))),
    ("org", A, "收到👌", UNK),
    ("off", A, "T2 都印完了", upd(U("T2", "done", 100))),
    ("off", A, "T2 还没印完", upd(U("T2", "progress", note="还没印完"))),
    ("off", A, "T2 快印完了", upd(U("T2", "progress", note="快印完了"))),
    (
        "party",
        A,
        "T6 第一期培训完了，第二期下月办",
        upd(U("T6", "progress", note="第一期培训完了，第二期下月办")),
    ),
    ("party", A, "T6 培训班马上开班", upd(U("T6", "progress", note="培训班马上开班"))),
    ("org", A, "T3 尽快完成", upd(U("T3", "progress", note="尽快完成"))),
    (
        "org",
        A,
        "T3 正在抓紧推进，力争本月底前完成",
        upd(U("T3", "progress", expected="2027-03-31")),
    ),
    ("res", A, "T10 下月启动结题验收", upd(U("T10", "progress", note="下月启动结题验收"))),
    ("res", A, "T10 已开始结题", upd(U("T10", "progress", note="已开始结题"))),
    (
        "pop",
        A,
        "T9 平台已完成验收并交付使用",
        upd(U("T9", "done", 100, note="平台已完成验收，并交付使用")),
    ),
    (
        "pop",
        A,
        "T8 方案起草完成并报党组审定",
        upd(U("T8", "progress", note="方案起草完成并报党组审定")),
    ),
    ("acad", A, "T7 第一批评估完成并公示", upd(U("T7", "progress", note="第一批评估完成并公示"))),
    (
        "mus",
        A,
        "T12 工程已竣工并交付使用",
        upd(U("T12", "done", 100, note="工程已竣工，并交付使用")),
    ),
    (
        "party",
        A,
        "T5 按照豫文明办〔2027〕3号通知要求，复查工作已全面完成",
        upd(U("T5", "done", 100, note="按照豫文明办【2027】3号通知要求，复查工作已全面完成")),
    ),
    ("pop", A, "根据〔2027〕8号文件要求正在推进", clar("missing_task", ["T8", "T9"])),
    (
        "org",
        A,
        "T3 依据(2026)12号文件精神，审查工作有序推进",
        upd(U("T3", "progress", note="依据(2026)12号文件精神，审查工作有序推进")),
    ),
    ("lead", A, "请问T3什么时候能完成", cmd("show", task="T3")),
    ("lead", A, "问一下T12的进度", cmd("show", task="T12")),
    ("lead", A, "T5有没有进展", cmd("show", task="T5")),
    ("lead", A, "T8 有无最新进展？", cmd("show", task="T8")),
    ("org", A, "请问怎么报送进度", cmd("help")),
    ("org", A, "我手里有哪些任务", cmd("list")),
    ("org", A, "我们部门承担哪些工作", cmd("list")),
    ("org", A, "还有哪些没完成的任务", cmd("list")),
    ("org", A, "T3 差不多完成了", upd(U("T3", "progress"))),
    ("org", A, "T3 马上就好", upd(U("T3", "progress", note="马上就好"))),
    (
        "org",
        A,
        "T4 活动已于3月10日举办，圆满完成",
        upd(U("T4", "done", 100, note="活动已于3月10日举办")),
    ),
    ("org", A, "T4 延后到五一后", upd(U("T4", "extend", new="2027-05-06"))),
    ("party", A, "T6 还没开始，拟于清明后启动", upd(U("T6", "progress", 0, note="拟于清明后启动"))),
]
