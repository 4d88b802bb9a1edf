"""Round 2 of the hand-written corpus: replies as people really write them.

Two registers: casual chat on a phone (fillers, particles, emoji, odd punctuation) and
formal work-report text pasted from a department's report (headed parts, 一是…二是…,
document titles with years and numbers, past-event dates, counts). Same senders, tasks
and dates as corpus.py; notes keep what the status words leave, clauses joined by "，".
"""

from __future__ import annotations

from .corpus import ORG, UNK, Case, clar, cmd, upd
from .fixtures import APR22 as B
from .fixtures import DEC20 as C
from .fixtures import MAR17 as A
from .fixtures import U

ACAD = ["T7", "3.1", "3.2"]
OFF = ["T1", "T2"]
PARTY = ["T5", "T6"]
POP = ["T8", "T9"]

DONE_CASUAL: list[Case] = [
    ("party", A, "T5 弄完了", upd(U("T5", "done", 100))),
    ("party", A, "T5搞定了✅", upd(U("T5", "done", 100))),
    ("party", A, "T5 已经搞定啦～", upd(U("T5", "done", 100))),
    ("party", A, "t5 做完了哈", upd(U("T5", "done", 100))),
    ("party", A, "T5 ✅", upd(U("T5", "done", 100))),
    ("party", A, "T5 完事了👌", upd(U("T5", "done", 100))),
    ("party", A, "T5 妥了", upd(U("T5", "done", 100))),
    ("party", A, "T5 ok了", upd(U("T5", "done", 100))),
    ("party", A, "T5 已完毕", upd(U("T5", "done", 100))),
    ("party", A, "T5 完工", upd(U("T5", "done", 100))),
    ("party", A, "T5 验收通过", upd(U("T5", "done", 100))),
    ("party", A, "T5 已通过验收", upd(U("T5", "done", 100))),
    ("party", A, "T5 顺利收官🎉", upd(U("T5", "done", 100))),
    ("party", A, "T5 全部办结，已销号", upd(U("T5", "done", 100))),
    ("party", A, "T5 已办结销号", upd(U("T5", "done", 100))),
    ("party", A, "T5 复查材料都弄好了", upd(U("T5", "done", 100, note="复查材料都弄好了"))),
    ("party", A, "T5 报备完成", upd(U("T5", "done", 100, note="报备完成"))),
    ("party", A, "T5 材料汇编完成👌", upd(U("T5", "done", 100, note="材料汇编完成"))),
    ("party", A, "T5 复查工作已结束", upd(U("T5", "done", 100, note="复查工作已结束"))),
    ("party", A, "T5那个活儿干完了", upd(U("T5", "done", 100, note="那个活儿干完了"))),
    ("pop", A, "T9 👌 搞定", upd(U("T9", "done", 100))),
    ("pop", A, "T9 上线了，搞定✅", upd(U("T9", "done", 100, note="上线了"))),
    ("org", A, "好的 T3 完成", upd(U("T3", "done", 100))),
    ("org", A, "T3 done了", upd(U("T3", "done", 100))),
    ("org", A, "3号任务完成啦", upd(U("T3", "done", 100))),
    ("res", A, "T10 课题结题验收通过", upd(U("T10", "done", 100, note="课题结题验收通过"))),
    ("mus", A, "T12 新馆工程已竣工验收", upd(U("T12", "done", 100, note="新馆工程已竣工验收"))),
    (
        "party",
        A,
        "T5 复查材料已报送，工作已完成",
        upd(U("T5", "done", 100, note="复查材料已报送")),
    ),
]

DONE_FORMAL: list[Case] = [
    (
        "party",
        A,
        "T5 2026年度精神文明建设材料整理汇编工作已按期完成",
        upd(U("T5", "done", 100, note="2026年度精神文明建设材料整理汇编工作已按期完成")),
    ),
    (
        "party",
        A,
        "T5 省级文明单位复查迎检工作已全面完成。",
        upd(U("T5", "done", 100, note="省级文明单位复查迎检工作已全面完成")),
    ),
    (
        "party",
        A,
        "T5 复查材料报送工作已全部完成，并报省直文明办备案",
        upd(U("T5", "done", 100, note="复查材料报送工作已全部完成，并报省直文明办备案")),
    ),
    (
        "off",
        A,
        "T2 《省科协2027年重点工作和工作要点》编印任务圆满完成",
        upd(U("T2", "done", 100, note="《省科协2027年重点工作和工作要点》编印任务圆满完成")),
    ),
    ("off", A, "T2 已办结销号。", upd(U("T2", "done", 100))),
    (
        "pop",
        A,
        "T9 科普资源库年度建设任务已如期完成",
        upd(U("T9", "done", 100, note="科普资源库年度建设任务已如期完成")),
    ),
    (
        "org",
        A,
        "T3 代表资格审查工作已于3月16日全部完成",
        upd(U("T3", "done", 100, note="代表资格审查工作已于3月16日全部完成")),
    ),
    (
        "org",
        A,
        "T4 院士专家地方行活动已圆满结束",
        upd(U("T4", "done", 100, note="院士专家地方行活动已圆满结束")),
    ),
    (
        "off",
        A,
        "T2：编印工作已经按时完成，已发至各部门。",
        upd(U("T2", "done", 100, note="编印工作已经按时完成，已发至各部门")),
    ),
    (
        "acad",
        A,
        "3.2 全省学会秘书长沙龙\n第一期沙龙已于1月20日举办，全省60余家学会秘书长参加，该项任务已完成。",
        upd(U("3.2", "done", 100, note="第一期沙龙已于1月20日举办，全省60余家学会秘书长参加")),
    ),
    (
        "off",
        A,
        "T2 编印年度重点工作和工作要点\n已完成。《省科协2027年重点工作和工作要点》已于3月10日印发。",
        upd(U("T2", "done", 100, note="《省科协2027年重点工作和工作要点》已于3月10日印发")),
    ),
    (
        "party",
        A,
        "T5 关于省级文明单位复查工作的汇报\n按照省直文明办部署，2026年度精神文明建设材料整理汇编工作已按期完成，"
        "并于3月12日迎接了实地考察。下一步将根据考评组反馈意见抓好整改。",
        upd(
            U(
                "T5",
                "done",
                100,
                note="按照省直文明办部署，2026年度精神文明建设材料整理汇编工作已按期完成，"
                "并于3月12日迎接了实地考察",
                next_steps="将根据考评组反馈意见抓好整改",
            )
        ),
    ),
    (
        "res",
        A,
        "T10 河南科技智库课题研究已全部结题，成果汇编已报送党组。",
        upd(U("T10", "done", 100, note="河南科技智库课题研究已全部结题，成果汇编已报送党组")),
    ),
    (
        "org",
        A,
        "【T4】院士专家地方行活动按计划顺利完成，共邀请院士5名、专家32名。",
        upd(
            U(
                "T4",
                "done",
                100,
                note="院士专家地方行活动按计划顺利完成，共邀请院士5名、专家32名",
            )
        ),
    ),
]

# "已完成X", a part, a hedge, or work still going on: progress, not done.
NOT_DONE: list[Case] = [
    ("party", A, "T5 材料汇编基本完成", upd(U("T5", "progress", note="材料汇编基本完成"))),
    ("party", A, "T5 材料快弄完了", upd(U("T5", "progress", note="材料快弄完了"))),
    ("party", A, "T5 已完成复查材料初稿", upd(U("T5", "progress", note="已完成复查材料初稿"))),
    (
        "party",
        A,
        "T6 培训方案已完成，正在联系授课老师",
        upd(U("T6", "progress", note="培训方案已完成，正在联系授课老师")),
    ),
    ("res", A, "T10 课题中期评估已完成", upd(U("T10", "progress", note="课题中期评估已完成"))),
    (
        "acad",
        A,
        "T7 首批12家学会评估已完成，其余正在推进",
        upd(U("T7", "progress", note="首批12家学会评估已完成，其余正在推进")),
    ),
    (
        "mus",
        A,
        "T12 一期工程已完工，二期正在施工",
        upd(U("T12", "progress", note="一期工程已完工，二期正在施工")),
    ),
    (
        "pop",
        A,
        "T9 资源征集完成了，还在审核",
        upd(U("T9", "progress", note="资源征集完成了，还在审核")),
    ),
    ("party", A, "T5 复查能按期完成", upd(U("T5", "progress", note="复查能按期完成"))),
    (
        "party",
        A,
        "T5 尚未完成，预计下周完成",
        upd(U("T5", "progress", expected="2027-03-26", note="尚未完成")),
    ),
    (
        "acad",
        A,
        "3.1 论坛各项筹备工作均已完成",
        upd(U("3.1", "progress", note="论坛各项筹备工作均已完成")),
    ),
    (
        "pop",
        A,
        "T9 资源征集完成后将开展审核",
        upd(U("T9", "progress", note="资源征集完成后将开展审核")),
    ),
    (
        "org",
        A,
        "T3 已完成代表资格审查，正在汇总",
        upd(U("T3", "progress", note="已完成代表资格审查，正在汇总")),
    ),
    ("party", A, "T6 完成了第一期培训", upd(U("T6", "progress", note="完成了第一期培训"))),
    (
        "res",
        A,
        "T10 已完成3个课题的结题验收",
        upd(U("T10", "progress", note="已完成3个课题的结题验收")),
    ),
    (
        "mus",
        A,
        "T12 3号展厅布展完成，5号楼正在装修",
        upd(U("T12", "progress", note="3号展厅布展完成，5号楼正在装修")),
    ),
    (
        "org",
        A,
        "T3 资格初审已完成，复审预计月底完成",
        upd(U("T3", "progress", expected="2027-03-31", note="资格初审已完成，复审")),
    ),
    (
        "mus",
        A,
        "飞行影院调试已完成，展厅布展完成了七成",
        upd(U("T12", "progress", 70, note="飞行影院调试已完成，展厅布展")),
    ),
    ("party", A, "T5 还没弄完", upd(U("T5", "progress", note="还没弄完"))),
    (
        "off",
        A,
        "T1 筹备工作即将完成",
        upd(U("T1", "progress", note="筹备工作即将完成")),
    ),
]

# Deadline-moving words: an extension request, or a question when no date can be read.
# T4's deadline is 2027-04-30; T12's 2027-12-31.
EXTENSIONS: list[Case] = [
    ("org", A, "T4 延到5月底", upd(U("T4", "extend", new="2027-05-31"))),
    ("org", A, "T4 得往后推一周", upd(U("T4", "extend", new="2027-05-07"))),
    ("org", A, "T4 时间改到5月20日", upd(U("T4", "extend", new="2027-05-20"))),
    ("org", A, "T4 改到5月中旬", upd(U("T4", "extend", new="2027-05-20"))),
    ("org", A, "T4 完成时限调整至6月15日", upd(U("T4", "extend", new="2027-06-15"))),
    ("org", A, "T4 顺延至五月底", upd(U("T4", "extend", new="2027-05-31"))),
    ("org", A, "T4 推迟到6月份", upd(U("T4", "extend", new="2027-06-30"))),
    ("org", A, "T4 往后推两周吧", upd(U("T4", "extend", new="2027-05-14"))),
    ("org", A, "T4 估计要拖到5月中旬了", upd(U("T4", "extend", new="2027-05-20"))),
    ("org", A, "T4 可能得延到6月初", upd(U("T4", "extend", new="2027-06-10"))),
    ("org", A, "T4要延期，大概延到5月中", upd(U("T4", "extend", new="2027-05-20"))),
    ("org", A, "T4 推迟了，改到五月中旬😂", upd(U("T4", "extend", new="2027-05-20"))),
    ("org", A, "T4 节点往后挪到5月10号", upd(U("T4", "extend", new="2027-05-10"))),
    ("org", A, "T4 能否延期到5月底？", upd(U("T4", "extend", new="2027-05-31"))),
    ("org", A, "T4 往后推推", clar("missing_date", ["T4"])),
    ("org", A, "T4 看来得延期了", clar("missing_date", ["T4"])),
    ("org", A, "T4 院士行程有变，活动推迟", clar("missing_date", ["T4"])),
    ("org", A, "T4：院士那边还没定时间，可能要往后推", clar("missing_date", ["T4"])),
    (
        "org",
        A,
        "T4 活动延期一个月举办，原因是院士行程调整",
        upd(U("T4", "extend", new="2027-05-30", note="院士行程调整")),
    ),
    (
        "org",
        A,
        "T4 因院士专家档期调整，经与中国科协沟通，活动拟顺延至5月中旬举办",
        upd(U("T4", "extend", new="2027-05-20", note="院士专家档期调整")),
    ),
    (
        "org",
        A,
        "T4 关于院士专家地方行活动延期的请示\n因部分院士行程冲突，原定4月举办的活动无法按期开展，"
        "拟将活动时间调整至5月下旬，恳请批准。",
        upd(U("T4", "extend", new="2027-05-31", note="部分院士行程冲突")),
    ),
    (
        "org",
        A,
        "T4 院士专家地方行活动推进情况\n进展：已与中国科协对接，活动方案正在优化调整。\n"
        "问题：部分院士4月档期冲突，需延期至5月下旬举办。",
        upd(
            U(
                "T4",
                "extend",
                new="2027-05-31",
                note="已与中国科协对接，活动方案正在优化调整",
                problems="部分院士4月档期冲突，需延期至5月下旬举办",
            )
        ),
    ),
    ("mus", A, "布展申请延到明年二月份", upd(U("T12", "extend", new="2028-02-29", note="布展"))),
    (
        "mus",
        A,
        "新馆开馆时间往后推到明年3月底",
        upd(U("T12", "extend", new="2028-03-31", note="新馆开馆")),
    ),
    (
        "mus",
        A,
        "T12 新馆工程建设\n因展项设计方案调整，部分展品需重新招标采购，新馆开放时间拟由年底推迟至2028年6月底。"
        "特此申请延期。",
        upd(U("T12", "extend", new="2028-06-30", note="展项设计方案调整")),
    ),
    (
        "res",
        A,
        "智库课题结题时间推迟到6月底",
        upd(U("T10", "extend", new="2027-06-30", note="智库课题结题")),
    ),
    (
        "party",
        A,
        "T6 培训推迟两周，原因：师资未落实",
        upd(U("T6", "extend", new="2027-06-03", note="师资未落实")),
    ),
    ("party", A, "T6 申请延期至六月十日", upd(U("T6", "extend", new="2027-06-10"))),
    ("acad", A, "3.1 论坛延后一个月", upd(U("3.1", "extend", new="2027-07-30", note="论坛"))),
    ("pop", A, "T9 建设周期顺延半个月", upd(U("T9", "extend", new="2027-09-15", note="建设周期"))),
    # Deadline words that move nothing.
    (
        "org",
        A,
        "T4 不需要延期，能按期完成",
        upd(U("T4", "progress", note="不需要延期，能按期完成")),
    ),
    ("org", A, "T4 按原计划推进，不会推迟", upd(U("T4", "progress", note="不会推迟"))),
    (
        "mus",
        A,
        "T12 延长开放时间至晚8点",
        upd(U("T12", "progress", note="延长开放时间至晚8点")),
    ),
    (
        "org",
        A,
        "T4 确保不延期，活动方案已报批",
        upd(U("T4", "progress", note="确保不延期，活动方案已报批")),
    ),
]

NOT_STARTED_AND_BLOCKED: list[Case] = [
    ("party", A, "T6 还没开始呢", upd(U("T6", "progress", 0))),
    ("party", A, "T6 还没动", upd(U("T6", "progress", 0))),
    ("party", A, "T6 还没动手，等通知", upd(U("T6", "progress", 0, note="等通知"))),
    ("pop", A, "T8 暂无进展", upd(U("T8", "progress", 0))),
    ("acad", A, "T7 这个还没弄呢😅", upd(U("T7", "progress", 0))),
    ("party", A, "T6 目前尚未开展", upd(U("T6", "progress", 0))),
    (
        "party",
        A,
        "T6 培训工作尚未启动，拟于五一后开展",
        upd(U("T6", "progress", 0, note="培训工作尚未启动，拟于五一后开展")),
    ),
    (
        "party",
        A,
        "T6 集中培训目前尚未开展，待省直工委下发通知后组织实施",
        upd(U("T6", "progress", 0, note="集中培训目前尚未开展，待省直工委下发通知后组织实施")),
    ),
    ("res", A, "课题研究还没开始", upd(U("T10", "progress", 0, note="课题研究还没开始"))),
    (
        "party",
        A,
        "T6 已完成方案起草，培训尚未启动",
        upd(U("T6", "progress", note="已完成方案起草，培训尚未启动")),
    ),
    (
        "acad",
        A,
        "T7 进展情况：已完成评估\n存在问题：因经费未到位，评审工作暂停",
        upd(U("T7", "blocked", note="已完成评估", problems="因经费未到位，评审工作暂停")),
    ),
    (
        "acad",
        A,
        "T7 目前进度40%。存在问题：专家评审受阻，部分学会材料无法按时报送。",
        upd(U("T7", "blocked", 40, problems="专家评审受阻，部分学会材料无法按时报送")),
    ),
    (
        "mus",
        A,
        "T12 施工单位资金链紧张，项目已停工两周",
        upd(U("T12", "blocked", problems="施工单位资金链紧张，项目已停工两周")),
    ),
    (
        "mus",
        A,
        "展项招标卡住了，推不动",
        upd(U("T12", "blocked", problems="展项招标卡住了，推不动")),
    ),
    (
        "party",
        A,
        "T6 师资没落实，培训暂缓",
        upd(U("T6", "blocked", problems="师资没落实，培训暂缓")),
    ),
    (
        "pop",
        A,
        "T9 存在问题：资源审核无法推进",
        upd(U("T9", "blocked", problems="资源审核无法推进")),
    ),
    ("mus", A, "展厅施工暂停了", upd(U("T12", "blocked", problems="展厅施工暂停了"))),
    (
        "party",
        A,
        "T5 复查材料还差两个部门没交，有点卡住了",
        upd(U("T5", "blocked", problems="复查材料还差两个部门没交，有点卡住了")),
    ),
    (
        "acad",
        A,
        "T7 存在问题：部分学会积极性不高",
        upd(U("T7", "progress", problems="部分学会积极性不高")),
    ),
    (
        "acad",
        A,
        "T7 目前没有遇到困难，按计划推进",
        upd(U("T7", "progress", note="目前没有遇到困难")),
    ),
    (
        "mus",
        A,
        "T12 不存在停工风险，正常推进",
        upd(U("T12", "progress", note="不存在停工风险")),
    ),
    ("acad", A, "T7 学会换届工作进展缓慢", upd(U("T7", "progress", note="学会换届工作进展缓慢"))),
]

PERCENTS: list[Case] = [
    (
        "mus",
        A,
        "T12 展项安装已完成60%，总体进度约50%",
        upd(U("T12", "progress", 50, note="展项安装已完成60%")),
    ),
    (
        "mus",
        A,
        "T12 土建完成90%，布展完成30%，整体进度65%",
        upd(U("T12", "progress", 65, note="土建完成90%，布展完成30%")),
    ),
    (
        "res",
        A,
        "T10 8个子课题中已有6个完成开题，目前总进度约四成",
        upd(U("T10", "progress", 40, note="8个子课题中已有6个完成开题")),
    ),
    (
        "pop",
        A,
        "T9 2026年全省公民具备科学素质比例达13.2%，资源库建设进度70%",
        upd(U("T9", "progress", 70, note="2026年全省公民具备科学素质比例达13.2%")),
    ),
    (
        "pop",
        A,
        "T9 资源库访问量同比增长35%",
        upd(U("T9", "progress", note="资源库访问量同比增长35%")),
    ),
    (
        "acad",
        A,
        "T7 截至3月15日，已完成首批8家学会中期评估，占计划的40%。",
        upd(U("T7", "progress", 40, note="截至3月15日，已完成首批8家学会中期评估")),
    ),
    ("org", A, "T3 差不多80%了吧", upd(U("T3", "progress", 80))),
    ("org", A, "t3 八成了～", upd(U("T3", "progress", 80))),
    ("org", A, "T3 审查弄到一半了", upd(U("T3", "progress", 50, note="审查"))),
    ("org", A, "T3 进度大概七成左右", upd(U("T3", "progress", 70))),
    (
        "pop",
        A,
        "T9 已征集科普视频120个、图文300篇，完成年度目标的60%",
        upd(U("T9", "progress", 60, note="已征集科普视频120个、图文300篇")),
    ),
    (
        "mus",
        A,
        "T12 累计接待观众220万人次，新馆工程总体完成85%",
        upd(U("T12", "progress", 85, note="累计接待观众220万人次")),
    ),
]

# A question about a task is a query, never an update, whoever asks.
QUERIES: list[Case] = [
    ("off", A, "T1 筹备工作目前进展如何？", cmd("show", "T1")),
    ("res", A, "查询T10办理情况", cmd("show", "T10")),
    ("org", A, "T3 怎么样了", cmd("show", "T3")),
    ("lead", A, "T3 怎么样了？", cmd("show", "T3")),
    ("lead", A, "T12现在到哪一步了", cmd("show", "T12")),
    ("lead", A, "请问T4的最新进展", cmd("show", "T4")),
    ("lead", A, "T5完成了吗", cmd("show", "T5")),
    ("lead", A, "T9 什么时候能完成？", cmd("show", "T9")),
    ("party", A, "帮我查一下T6的进度", cmd("show", "T6")),
    ("lead", A, "看下T10", cmd("show", "T10")),
    ("lead", A, "T1 进展情况", cmd("show", "T1")),
    ("lead", A, "了解一下T7推进情况", cmd("show", "T7")),
    ("acad", A, "3.1 论坛筹备得怎么样了？", cmd("show", "3.1")),
    ("lead", A, "T2 是否已经完成？", cmd("show", "T2")),
    ("lead", A, "T8 方案定了没有", cmd("show", "T8")),
    ("lead", A, "T6 培训什么时候办？", cmd("show", "T6")),
    ("lead", A, "T11 情况呢", cmd("show", "T11")),
    (
        "org",
        A,
        "T3 已完成，需要报送纸质材料吗？",
        upd(U("T3", "done", 100, note="需要报送纸质材料吗")),
    ),
    ("mus", A, "进展如何？", cmd("list")),
]

COMMANDS: list[Case] = [
    ("org", A, "我有哪些任务", cmd("list")),
    ("org", A, "请列出我部承担的全部任务", cmd("list")),
    ("org", A, "我们部门还有什么任务？", cmd("list")),
    ("pop", A, "我负责的事项有哪些", cmd("list")),
    ("lead", A, "发一下任务清单", cmd("list")),
    ("org", A, "看看我的台账", cmd("list")),
    ("lead", A, "汇总一下各部门进展", cmd("summary")),
    ("lead", A, "汇总各部门重点任务推进情况", cmd("summary")),
    ("lead", A, "各部门进展怎么样？", cmd("summary")),
    ("lead", A, "这周汇总发我一下", cmd("summary", period="week")),
    ("lead", A, "周报", cmd("summary", period="week")),
    ("lead", A, "本月汇总", cmd("summary", period="month")),
    ("lead", A, "月调度", cmd("summary", period="month")),
    ("lead", A, "本月情况", cmd("summary", period="month")),
    ("lead", A, "这个月各部门情况汇总一下", cmd("summary", period="month")),
    ("lead", A, "截至目前哪些任务未按期完成", cmd("overdue")),
    ("lead", A, "逾期未办结事项清单", cmd("overdue")),
    ("lead", A, "有没有超期的？", cmd("overdue")),
    ("lead", A, "过期没完成的任务有哪些", cmd("overdue")),
    ("org", A, "发错了，撤回", cmd("undo")),
    ("org", A, "上一条信息报送有误，请撤回", cmd("undo")),
    ("org", A, "刚才那条删掉", cmd("undo")),
    ("org", A, "不好意思，刚发错了，撤销一下", cmd("undo")),
    ("org", A, "撤回刚才的消息", cmd("undo")),
    ("org", A, "请提供操作说明", cmd("help")),
    ("org", A, "这个机器人怎么用啊", cmd("help")),
    ("org", A, "进度怎么报？", cmd("help")),
    ("org", A, "有使用指南吗", cmd("help")),
    ("lead", A, "未报送", cmd("not_reported")),
    ("lead", A, "哪些没报", cmd("not_reported")),
    ("lead", A, "还有谁没报进度", cmd("not_reported")),
    ("lead", A, "本周哪些部门未报送进展？", cmd("not_reported")),
    ("lead", A, "未识别", cmd("unknowns")),
    ("off", A, "查看未识别的消息", cmd("unknowns")),
    ("off", A, "最近有哪些没识别的回复", cmd("unknowns")),
    # Instructions to everyone and reports that only contain a command word.
    ("lead", A, "请各部门本周五前报送进展", UNK),
    ("lead", A, "请大家抓紧推进", UNK),
    ("lead", A, "各位，月底前务必完成材料报送", UNK),
    ("mus", A, "汇总材料已报送办公室", upd(U("T12", "progress", note="汇总材料已报送办公室"))),
    (
        "party",
        A,
        "T6 已撤回原培训方案，重新起草中",
        upd(U("T6", "progress", note="已撤回原培训方案，重新起草中")),
    ),
    (
        "res",
        A,
        "任务清单中的第一批课题已结题",
        upd(U("T10", "progress", note="任务清单中的第一批课题已结题")),
    ),
]

# No id: the one open task of the sender, or "which task?".
WITHOUT_ID: list[Case] = [
    ("res", A, "开题工作已全面完成", upd(U("T10", "done", 100, note="开题工作已全面完成"))),
    ("mus", A, "布展全部弄好了", upd(U("T12", "done", 100, note="布展全部弄好了"))),
    ("mus", A, "新馆布展已按期完成👍", upd(U("T12", "done", 100, note="新馆布展已按期完成"))),
    ("mus", A, "3号展厅布展完成", upd(U("T12", "done", 100, note="3号展厅布展完成"))),
    ("res", A, "搞定了", upd(U("T10", "done", 100))),
    ("mus", A, "还没开工", upd(U("T12", "progress", 0))),
    (
        "mus",
        A,
        "布展差不多了，下周应该能弄完",
        upd(U("T12", "progress", expected="2027-03-26", note="布展差不多了")),
    ),
    (
        "mus",
        A,
        "还在装修 估计5月底",
        upd(U("T12", "progress", expected="2027-05-31", note="还在装修")),
    ),
    ("org", A, "开题工作已全面完成", clar("missing_task", ORG)),
    ("org", A, "活动推迟到5月中旬", clar("missing_task", ORG)),
    ("acad", A, "还没开始", clar("missing_task", ACAD)),
    ("party", A, "复查材料都弄好了✅", clar("missing_task", PARTY)),
    ("pop", A, "资源库建设进度70%，预计6月底完成", clar("missing_task", POP)),
    ("lead", A, "材料已全部报送完毕", clar("no_tasks", [])),
]

# Numbers beside an explicit id are places, counts and document numbers.
NUMBERS: list[Case] = [
    (
        "mus",
        A,
        "T12 5号楼布展完成",
        upd(U("T12", "done", 100, note="5号楼布展完成")),
    ),
    (
        "org",
        A,
        "T3已完成，3号展厅布展完成",
        upd(U("T3", "done", 100, note="3号展厅布展完成")),
    ),
    (
        "org",
        A,
        "T3 今天在3号会议室召开审查会",
        upd(U("T3", "progress", note="今天在3号会议室召开审查会")),
    ),
    (
        "party",
        A,
        "T6 第2期培训班已于3月10日结业，参训120人",
        upd(U("T6", "progress", note="第2期培训班已于3月10日结业，参训120人")),
    ),
    (
        "off",
        A,
        "T1 已印发《关于召开省科协第十次代表大会的通知》（豫科协〔2027〕6号）",
        upd(
            U(
                "T1",
                "progress",
                note="已印发《关于召开省科协第十次代表大会的通知》(豫科协【2027】6号)",
            )
        ),
    ),
    (
        "mus",
        A,
        "T12 “智慧人类”展厅位于3号楼二层，展项已进场",
        upd(U("T12", "progress", note="“智慧人类”展厅位于3号楼二层，展项已进场")),
    ),
    (
        "pop",
        A,
        "T9 “科普中原”第5期专题已上线",
        upd(U("T9", "progress", note="“科普中原”第5期专题已上线")),
    ),
    ("org", A, "3号 进度90%", upd(U("T3", "progress", 90))),
    (
        "party",
        A,
        "T6 培训安排在4号楼报告厅",
        upd(U("T6", "progress", note="培训安排在4号楼报告厅")),
    ),
]

RANGES_AND_DATES: list[Case] = [
    ("off", A, "T1-T2 已完成", upd(U("T1", "done", 100), U("T2", "done", 100))),
    ("off", A, "T1至T2均已办结", upd(U("T1", "done", 100), U("T2", "done", 100))),
    (
        "off",
        A,
        "T1~T2 进度都是50%",
        upd(U("T1", "progress", 50), U("T2", "progress", 50)),
    ),
    ("pop", A, "T8到T9均未启动", upd(U("T8", "progress", 0), U("T9", "progress", 0))),
    (
        "org",
        A,
        "T3—T5 已完成",
        upd(U("T3", "done", 100), U("T4", "done", 100), U("T5", "done", 100)),
    ),
    ("pop", A, "T9 春节前完成", upd(U("T9", "progress", expected="2028-01-25"))),
    ("pop", A, "T9 清明前完成", upd(U("T9", "progress", expected="2027-04-04"))),
    ("pop", A, "T9 端午前完成", upd(U("T9", "progress", expected="2027-06-08"))),
    ("pop", A, "T9 中秋节前完成", upd(U("T9", "progress", expected="2027-09-14"))),
    ("pop", A, "T9 元旦前完成", upd(U("T9", "progress", expected="2027-12-31"))),
    ("pop", A, "T9 预计国庆节后完成", upd(U("T9", "progress", expected="2027-10-08"))),
    ("pop", A, "T9 国庆后启动", upd(U("T9", "progress", note="国庆后启动"))),
    ("mus", C, "T12 春节前完成", upd(U("T12", "progress", expected="2028-01-25"))),
    ("mus", C, "T12 年前能完成", upd(U("T12", "progress", expected="2028-01-25"))),
    ("mus", C, "T12 延期到春节后", upd(U("T12", "extend", new="2028-02-02"))),
    ("mus", C, "T12 争取元旦前完工", upd(U("T12", "progress", expected="2027-12-31"))),
    ("org", B, "T3 4月2日完成", upd(U("T3", "done", 100))),
    ("org", B, "T3 4月15日全部完成", upd(U("T3", "done", 100))),
    ("org", B, "T3 4月30日完成", upd(U("T3", "progress", expected="2027-04-30"))),
    ("party", B, "T6 4月20日办结", upd(U("T6", "done", 100))),
    ("org", B, "T3 预计5月10日完成", upd(U("T3", "progress", expected="2027-05-10"))),
]

# Formal reports pasted from a department's work report: headed parts, numbered items.
REPORTS: list[Case] = [
    (
        "acad",
        A,
        "T7 一流学会建设推进情况\n一、进展情况\n1. 已完成第二批河南特色一流学会申报受理，共收到申报材料23份；\n"
        "2. 3月10日组织召开专家评审会，评出拟入选学会8家。\n二、存在问题\n部分学会申报材料不够规范。\n"
        "三、下一步打算\n4月底前完成公示并发文认定。",
        upd(
            U(
                "T7",
                "progress",
                note="已完成第二批河南特色一流学会申报受理，共收到申报材料23份，"
                "3月10日组织召开专家评审会，评出拟入选学会8家",
                problems="部分学会申报材料不够规范",
                next_steps="4月底前完成公示并发文认定",
            )
        ),
    ),
    (
        "off",
        A,
        "T1 推进情况：\n一是已印发《河南省科协第十次代表大会筹备工作方案》，成立了筹备工作领导小组和5个工作组；\n"
        "二是3月15日省委常委会议同意召开大会的建议；\n三是代表名额分配方案正在征求意见。\n总体进度约40%。",
        upd(
            U(
                "T1",
                "progress",
                40,
                note="已印发《河南省科协第十次代表大会筹备工作方案》，成立了筹备工作领导小组和5个工作组，"
                "3月15日省委常委会议同意召开大会的建议，代表名额分配方案正在征求意见",
            )
        ),
    ),
    (
        "org",
        A,
        "T3 十大代表资格审查工作进展情况\n目前，已完成全部54个选举单位代表候选人初步人选的资格初审，完成率80%。"
        "下一步，将配合省委组织部开展考察。",
        upd(
            U(
                "T3",
                "progress",
                80,
                note="已完成全部54个选举单位代表候选人初步人选的资格初审",
                next_steps="将配合省委组织部开展考察",
            )
        ),
    ),
    (
        "pop",
        A,
        "T9 科普资源库建设运营\n进展情况：新一期资源库建设运营已启动，已征集科普视频120个、图文300篇，"
        "完成年度目标的60%。\n存在问题：优质原创资源偏少。\n下一步打算：5月底前完成第二批资源上线。",
        upd(
            U(
                "T9",
                "progress",
                60,
                note="新一期资源库建设运营已启动，已征集科普视频120个、图文300篇",
                problems="优质原创资源偏少",
                next_steps="5月底前完成第二批资源上线",
            )
        ),
    ),
    (
        "mus",
        A,
        "关于新馆工程建设推进情况的汇报\n一、工程进展\n飞行影院进行时序调试，近期将投入使用；"
        "“智慧人类”“人工智能”两个常设展厅已进场施工。\n二、存在问题\n部分展项供货延迟，布展进度受阻。\n"
        "三、下一步工作计划\n确保年底前全面建成开放。",
        upd(
            U(
                "T12",
                "blocked",
                note="飞行影院进行时序调试，近期将投入使用，“智慧人类”“人工智能”两个常设展厅已进场施工",
                problems="部分展项供货延迟，布展进度受阻",
                next_steps="确保年底前全面建成开放",
            )
        ),
    ),
    (
        "res",
        A,
        "T10 调研宣传部智库课题研究推进情况\n（一）2027年度河南科技智库重点课题开题报告会已于3月5日召开，"
        "12个课题全部开题；\n（二）研究基地座谈会已召开，《河南科技智库研究基地工作指南》已印发。\n"
        "目前整体进度约30%，预计10月底前完成结题。",
        upd(
            U(
                "T10",
                "progress",
                30,
                expected="2027-10-31",
                note="2027年度河南科技智库重点课题开题报告会已于3月5日召开，12个课题全部开题，"
                "研究基地座谈会已召开，《河南科技智库研究基地工作指南》已印发，完成结题",
            )
        ),
    ),
    (
        "party",
        A,
        "T6 党务干部集中培训\n一、进展情况\n培训方案已报党组审定，授课师资已基本落实。\n二、存在问题\n暂无。\n"
        "三、下一步打算\n拟于4月中旬举办集中培训班。",
        upd(
            U(
                "T6",
                "progress",
                note="培训方案已报党组审定，授课师资已基本落实",
                next_steps="拟于4月中旬举办集中培训班",
            )
        ),
    ),
    (
        "pop",
        A,
        "各位领导好，现将科普部重点任务进展报告如下：\nT8 全国科普日活动方案已完成初稿，正在征求意见；\n"
        "T9 资源库建设进度60%，预计6月底完成。",
        upd(
            U("T8", "progress", note="全国科普日活动方案已完成初稿，正在征求意见"),
            U("T9", "progress", 60, expected="2027-06-30"),
        ),
    ),
    (
        "party",
        A,
        "T6 推进情况\n1. 培训方案已印发；\n2. 已邀请省直工委专家授课；\n3. 首期培训班于3月15日开班，"
        "参训党务干部60人。\n完成率约50%。",
        upd(
            U(
                "T6",
                "progress",
                50,
                note="培训方案已印发，已邀请省直工委专家授课，首期培训班于3月15日开班，参训党务干部60人",
            )
        ),
    ),
    (
        "off",
        A,
        "T1：\n（一）进展情况。赴广东、贵州等地考察学习换届经验，拟制了换届工作方案（草案），多次与省委组织部沟通汇报。"
        "\n（二）存在困难。代表名额分配尚未最终确定。\n（三）下步打算。4月底前报请省委审定大会方案。",
        upd(
            U(
                "T1",
                "progress",
                note="赴广东、贵州等地考察学习换届经验，拟制了换届工作方案(草案)，多次与省委组织部沟通汇报",
                problems="代表名额分配尚未最终确定",
                next_steps="4月底前报请省委审定大会方案",
            )
        ),
    ),
    (
        "acad",
        A,
        "3.1 科创中原论坛\n重点开展好6项品牌性、8项重点性学术交流活动，已举办2场，论坛筹备进展顺利。"
        "下一步：6月中旬举办主论坛。",
        upd(
            U(
                "3.1",
                "progress",
                note="重点开展好6项品牌性、8项重点性学术交流活动，已举办2场，论坛筹备进展顺利",
                next_steps="6月中旬举办主论坛",
            )
        ),
    ),
    (
        "res",
        A,
        "T10\n进展情况：开题报告会已于3月5日召开，课题研究有序推进。\n存在问题：个别课题组调研进度滞后。\n"
        "下一步：4月中旬组织中期检查。",
        upd(
            U(
                "T10",
                "progress",
                note="开题报告会已于3月5日召开，课题研究有序推进",
                problems="个别课题组调研进度滞后",
                next_steps="4月中旬组织中期检查",
            )
        ),
    ),
    (
        "mus",
        A,
        "T12 新馆工程建设进展\n截至目前，新馆工程总体完成85%，飞行影院已完成调试。存在问题：“人工智能”展厅"
        "展项供货延迟，布展工作暂停。下一步：督促供货单位尽快到货。",
        upd(
            U(
                "T12",
                "blocked",
                85,
                note="飞行影院已完成调试",
                problems="“人工智能”展厅展项供货延迟，布展工作暂停",
                next_steps="督促供货单位尽快到货",
            )
        ),
    ),
    (
        "org",
        A,
        "T3 80%\nT4 院士行程定了，4月20号出发",
        upd(U("T3", "progress", 80), U("T4", "progress", note="院士行程定了，4月20号出发")),
    ),
    (
        "party",
        A,
        "T5：省级文明单位复查材料已于3月12日报送省直文明办，迎检准备工作已全部完成。\n"
        "T6：培训计划已印发，预计4月中旬完成集中培训。",
        upd(
            U(
                "T5",
                "done",
                100,
                note="省级文明单位复查材料已于3月12日报送省直文明办，迎检准备工作已全部完成",
            ),
            U("T6", "progress", expected="2027-04-20", note="培训计划已印发，完成集中培训"),
        ),
    ),
    (
        "off",
        A,
        "T2 工作要点编印\n进展情况：《省科协2027年重点工作和工作要点》初稿已完成，正在征求各部门意见。\n"
        "存在问题：无\n下一步打算：3月底前印发。",
        upd(
            U(
                "T2",
                "progress",
                note="《省科协2027年重点工作和工作要点》初稿已完成，正在征求各部门意见",
                next_steps="3月底前印发",
            )
        ),
    ),
]

# Casual chat on a phone.
CASUAL: list[Case] = [
    ("org", A, "t3 80", upd(U("T3", "progress", 80))),
    ("org", A, "T3 80%了", upd(U("T3", "progress", 80))),
    (
        "org",
        A,
        "t3进度80%，月底能完",
        upd(U("T3", "progress", 80, expected="2027-03-31")),
    ),
    (
        "party",
        A,
        "T6 场地定了，老师还在联系中",
        upd(U("T6", "progress", note="场地定了，老师还在联系中")),
    ),
    (
        "pop",
        A,
        "T9 快了 预计下周五",
        upd(U("T9", "progress", expected="2027-03-26", note="快了")),
    ),
    (
        "mus",
        A,
        "T12 还在装修 估计5月底",
        upd(U("T12", "progress", expected="2027-05-31", note="还在装修")),
    ),
    (
        "party",
        A,
        "T5 弄好了 材料已经交了",
        upd(U("T5", "done", 100, note="材料已经交了")),
    ),
    ("party", A, "T6那个培训还没开始", upd(U("T6", "progress", 0, note="那个培训还没开始"))),
    (
        "res",
        A,
        "课题那边进展顺利，报告初稿写了一半",
        upd(U("T10", "progress", 50, note="课题那边进展顺利，报告初稿")),
    ),
    ("org", A, "T4 在弄了，别急😂", upd(U("T4", "progress", note="别急"))),
    ("acad", A, "T7。。。60%", upd(U("T7", "progress", 60))),
    ("acad", A, "【T7】60%！！！", upd(U("T7", "progress", 60))),
    ("party", A, "T5 复查的事儿搞定了哈，谢谢", upd(U("T5", "done", 100, note="复查的事儿搞定了"))),
    (
        "pop",
        A,
        "T8 方案还在改 下周一给",
        upd(U("T8", "progress", expected="2027-03-22", note="方案还在改")),
    ),
    ("mus", A, "嗯嗯 弄完了", upd(U("T12", "done", 100))),
    (
        "org",
        A,
        "T4 院士那边还没回话，有点卡",
        upd(U("T4", "blocked", problems="院士那边还没回话，有点卡")),
    ),
]


# Fresh replies tried after the grammar was written, each checked by hand.
MORE: list[Case] = [
    (
        "party",
        A,
        "T5 复查的材料昨天都交上去了，这项算是完成了",
        upd(U("T5", "done", 100, note="复查的材料昨天都交上去了，这项算是完成了")),
    ),
    (
        "party",
        A,
        "T5这个已经弄完了哈，材料交给办公室了",
        upd(U("T5", "done", 100, note="材料交给办公室了")),
    ),
    (
        "party",
        A,
        "T6 培训班已于3月15日顺利结业，集中培训任务全面完成。",
        upd(U("T6", "done", 100, note="培训班已于3月15日顺利结业，集中培训任务全面完成")),
    ),
    (
        "org",
        A,
        "T3：资格审查工作已全部结束，共审核代表候选人386名",
        upd(U("T3", "done", 100, note="资格审查工作已全部结束，共审核代表候选人386名")),
    ),
    ("org", A, "T4 活动圆满落幕", upd(U("T4", "done", 100, note="活动圆满落幕"))),
    ("pop", A, "T8 方案已定稿并印发，任务完成", upd(U("T8", "done", 100, note="方案已定稿并印发"))),
    (
        "pop",
        A,
        "T9 本期资源库建设已完成验收",
        upd(U("T9", "done", 100, note="本期资源库建设已完成验收")),
    ),
    (
        "acad",
        A,
        "3.1 论坛已成功举办，圆满完成各项任务",
        upd(U("3.1", "done", 100, note="论坛已成功举办")),
    ),
    (
        "res",
        A,
        "T10 课题成果已报送，本项工作已办结",
        upd(U("T10", "done", 100, note="课题成果已报送")),
    ),
    ("off", A, "T1 大会已胜利闭幕", upd(U("T1", "done", 100, note="大会已胜利闭幕"))),
    (
        "party",
        A,
        "T6 基本弄完了，还差个总结",
        upd(U("T6", "progress", note="基本弄完了，还差个总结")),
    ),
    ("org", A, "T4 时间可能要往后调一调", clar("missing_date", ["T4"])),
    (
        "org",
        A,
        "T4 4月底肯定来不及了，申请延到5月31日",
        upd(U("T4", "extend", new="2027-05-31", note="4月底肯定来不及了")),
    ),
    (
        "org",
        A,
        "T4 原定4月下旬，现调整为5月中旬",
        upd(U("T4", "extend", new="2027-05-20", note="原定4月下旬")),
    ),
    (
        "party",
        A,
        "T6 原计划4月份培训，现推迟到5月，原因是师资时间冲突",
        upd(U("T6", "extend", new="2027-05-31", note="师资时间冲突")),
    ),
    (
        "org",
        A,
        "T4 经与中国科协沟通，院士专家地方行活动拟调整至5月下旬举办，特申请将完成时限延长至6月15日。",
        upd(
            U(
                "T4",
                "extend",
                new="2027-06-15",
                note="经与中国科协沟通，院士专家地方行活动拟调整至5月下旬举办",
            )
        ),
    ),
    (
        "acad",
        A,
        "T7 弄不完了 能不能延两周",
        upd(U("T7", "extend", new="2027-10-14", note="弄不完了")),
    ),
    (
        "org",
        A,
        "t4：延期，月底前不行了，大概要到5月10号",
        upd(U("T4", "extend", new="2027-05-10", note="月底前不行了")),
    ),
    (
        "acad",
        A,
        "T7 评审工作暂缓，待经费到位后再启动",
        upd(U("T7", "blocked", problems="评审工作暂缓，待经费到位后再启动")),
    ),
    (
        "acad",
        A,
        "T7 由于经费未到位，工作暂时停滞",
        upd(U("T7", "blocked", problems="由于经费未到位，工作暂时停滞")),
    ),
    (
        "res",
        A,
        "T10 进度受阻，部分课题组负责人调离",
        upd(U("T10", "blocked", problems="进度受阻，部分课题组负责人调离")),
    ),
    (
        "party",
        A,
        "T6 暂时停了，领导说等通知",
        upd(U("T6", "blocked", problems="暂时停了，领导说等通知")),
    ),
    ("party", A, "T6 目前还未开始，正在做方案", upd(U("T6", "progress", 0, note="正在做方案"))),
    ("pop", A, "T8 还没来得及弄", upd(U("T8", "progress", 0))),
    ("acad", A, "3.2 沙龙还没办呢", upd(U("3.2", "progress", 0, note="沙龙还没办"))),
    ("org", A, "T3 这周忙别的，还没顾上", upd(U("T3", "progress", 0, note="这周忙别的"))),
    ("org", A, "T3 一直没动静", upd(U("T3", "progress", 0, note="一直没动静"))),
    ("lead", A, "T10的进度怎么样了", cmd("show", "T10")),
    ("lead", A, "请问T1大会筹备到什么程度了", cmd("show", "T1")),
    ("lead", A, "T4延期申请批了没有", cmd("show", "T4")),
    ("org", A, "T4有进展吗", cmd("show", "T4")),
    ("lead", A, "T3和T4现在什么进度", cmd("show", "T3")),
    ("lead", A, "T5、T6情况怎么样", cmd("show", "T5")),
    ("lead", A, "把本周的汇总发我", cmd("summary", period="week")),
    ("lead", A, "目前有几项逾期了", cmd("overdue")),
    ("lead", A, "逾期任务有哪些？发个清单", cmd("overdue")),
    ("lead", A, "谁还没报", cmd("not_reported")),
    ("lead", A, "哪个部门还没交进度", cmd("not_reported")),
    ("lead", A, "哪些任务快到期了", cmd("list")),
    ("org", A, "我部门有几项任务", cmd("list")),
    ("org", A, "刚刚发的不对，帮我撤回一下", cmd("undo")),
    ("lead", A, "同意T4延期到5月底", cmd("approve", "T4")),
    (
        "pop",
        A,
        "T9 资源库建设已完成总任务量的七成",
        upd(U("T9", "progress", 70, note="资源库建设")),
    ),
    (
        "mus",
        A,
        "T12 主体工程完成95%，布展完成40%，总体约70%",
        upd(U("T12", "progress", 70, note="主体工程完成95%，布展完成40%")),
    ),
    (
        "org",
        A,
        "T3 截至3月16日，全省54个选举单位已有50个报送代表候选人初步人选，报送率92.6%，资格审查工作有序推进。",
        upd(
            U(
                "T3",
                "progress",
                note="截至3月16日，全省54个选举单位已有50个报送代表候选人初步人选，报送率92.6%，资格审查工作有序推进",
            )
        ),
    ),
    (
        "res",
        A,
        "T10 年底前完成全部结题",
        upd(U("T10", "progress", expected="2027-12-31", note="完成全部结题")),
    ),
    ("org", A, "T3 下周三前能搞定", upd(U("T3", "progress", expected="2027-03-24"))),
    ("off", A, "T2 印好了，已经发到各部门", upd(U("T2", "done", 100, note="已经发到各部门"))),
    (
        "acad",
        A,
        "T7\n一、工作进展\n（一）完成第二批一流学会申报受理，共受理申报23家；\n（二）组织专家开展材料初审。\n二、存在的困难\n评审专家库人员不足。\n三、下步工作安排\n4月中旬前完成会议评审。",
        upd(
            U(
                "T7",
                "progress",
                note="完成第二批一流学会申报受理，共受理申报23家，组织专家开展材料初审",
                problems="评审专家库人员不足",
                next_steps="4月中旬前完成会议评审",
            )
        ),
    ),
    (
        "off",
        A,
        "T1：\n一是筹备工作方案已印发；\n二是代表名额分配方案已报省委组织部审核；\n三是大会文件起草工作正在推进。\n存在问题：部分选举单位推荐工作进度偏慢。\n下一步：督促各选举单位4月底前完成代表推选。",
        upd(
            U(
                "T1",
                "progress",
                note="筹备工作方案已印发，代表名额分配方案已报省委组织部审核，大会文件起草工作正在推进",
                problems="部分选举单位推荐工作进度偏慢",
                next_steps="督促各选举单位4月底前完成代表推选",
            )
        ),
    ),
    (
        "party",
        A,
        "T6 关于党务干部集中培训推进情况的报告\n按照年度工作安排，我委制定了《2027年度党务干部培训方案》，目前培训课程设置和师资邀请已基本完成，计划于4月中旬举办集中培训，总体进度约60%。",
        upd(
            U(
                "T6",
                "progress",
                60,
                note="按照年度工作安排，我委制定了《2027年度党务干部培训方案》，目前培训课程设置和师资邀请已基本完成，计划于4月中旬举办集中培训",
            )
        ),
    ),
    (
        "pop",
        A,
        "T9 进展情况：资源库二期建设已于3月10日启动，完成资源征集1200条。存在问题：暂无。下一步打算：持续推进资源审核上线工作。",
        upd(
            U(
                "T9",
                "progress",
                note="资源库二期建设已于3月10日启动，完成资源征集1200条",
                next_steps="持续推进资源审核上线工作",
            )
        ),
    ),
    (
        "party",
        A,
        "T5 省级文明单位复查工作已全部完成，复查结果待省文明委公布。",
        upd(U("T5", "done", 100, note="省级文明单位复查工作已全部完成，复查结果待省文明委公布")),
    ),
    (
        "acad",
        A,
        "3.1 第三届科创中原论坛筹备工作正在有序推进，主论坛拟于6月中旬举办，目前已完成方案制定和专家邀请。",
        upd(
            U(
                "3.1",
                "progress",
                note="第三届科创中原论坛筹备工作正在有序推进，主论坛拟于6月中旬举办，目前已完成方案制定和专家邀请",
            )
        ),
    ),
    (
        "mus",
        A,
        "展厅布展90%了，下周能完",
        upd(U("T12", "progress", 90, expected="2027-03-26", note="展厅布展")),
    ),
    ("res", A, "课题的事还在弄，进度60%左右", upd(U("T10", "progress", 60, note="课题的事还在弄"))),
    ("acad", A, "3.2沙龙办完了", upd(U("3.2", "done", 100, note="沙龙办完了"))),
]

MORE += [
    (
        "org",
        A,
        "T3 80％，预计本月底前全部完成",
        upd(U("T3", "progress", 80, expected="2027-03-31")),
    ),
    (
        "org",
        A,
        "T3：已完成初审，复审工作正在进行，预计4月10日前完成。",
        upd(U("T3", "progress", expected="2027-04-10", note="已完成初审，复审工作正在进行")),
    ),
    ("party", A, "T5 已完成，详见附件", upd(U("T5", "done", 100, note="详见附件"))),
    ("party", A, "T5 完成了，材料稍后报送", upd(U("T5", "done", 100, note="材料稍后报送"))),
    ("party", A, "T5 完成情况：已全部完成", upd(U("T5", "done", 100))),
    (
        "party",
        A,
        "T6 完成情况：完成培训方案制定，进度30%",
        upd(U("T6", "progress", 30, note="完成培训方案制定")),
    ),
    (
        "pop",
        A,
        "T9 一期已完成，二期待启动",
        upd(U("T9", "progress", note="一期已完成，二期待启动")),
    ),
    ("res", A, "T10 中期检查完毕", upd(U("T10", "progress", note="中期检查完毕"))),
    ("mus", A, "完事", upd(U("T12", "done", 100))),
    ("mus", A, "推迟一个月吧", upd(U("T12", "extend", new="2028-01-31"))),
    ("mus", A, "新馆开放时间要推迟", clar("missing_date", ["T12"])),
    ("org", A, "T4 活动顺延", clar("missing_date", ["T4"])),
    ("org", A, "T4 推迟一周可以吗", upd(U("T4", "extend", new="2027-05-07"))),
    (
        "org",
        A,
        "T3 80%了，T4 刚启动",
        upd(U("T3", "progress", 80), U("T4", "progress", note="刚启动")),
    ),
    ("org", A, "T3 九十五", upd(U("T3", "progress", 95))),
    (
        "acad",
        A,
        "3.1 已完成；3.2 进行中；T7 50%",
        upd(U("3.1", "done", 100), U("3.2", "progress"), U("T7", "progress", 50)),
    ),
    ("off", A, "T1、T2都在推进中", upd(U("T1", "progress"), U("T2", "progress"))),
    ("party", A, "任务5 已办结", upd(U("T5", "done", 100))),
    (
        "org",
        A,
        "关于T3：已完成资格审查；关于T4：活动延期至5月20日，原因：院士行程调整",
        upd(
            U("T3", "progress", note="已完成资格审查"),
            U("T4", "extend", new="2027-05-20", note="院士行程调整"),
        ),
    ),
    (
        "party",
        A,
        "T6 已经培训了两期，剩余一期计划4月举办",
        upd(U("T6", "progress", note="已经培训了两期，剩余一期计划4月举办")),
    ),
    (
        "pop",
        A,
        "T8 本周五前报送方案",
        upd(U("T8", "progress", expected="2027-03-19", note="报送方案")),
    ),
    (
        "res",
        A,
        "截至目前已完成课题开题12项，中期检查尚未开始",
        upd(U("T10", "progress", note="截至目前已完成课题开题12项，中期检查尚未开始")),
    ),
    (
        "mus",
        A,
        "馆里布展暂停了，等供货",
        upd(U("T12", "blocked", problems="馆里布展暂停了，等供货")),
    ),
]

CASES2: list[Case] = [
    *DONE_CASUAL,
    *DONE_FORMAL,
    *NOT_DONE,
    *EXTENSIONS,
    *NOT_STARTED_AND_BLOCKED,
    *PERCENTS,
    *QUERIES,
    *COMMANDS,
    *WITHOUT_ID,
    *NUMBERS,
    *RANGES_AND_DATES,
    *REPORTS,
    *CASUAL,
    *MORE,
]
