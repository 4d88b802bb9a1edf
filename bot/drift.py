"""Where the database and the config file disagree, said before a read-only command trusts
either: the admin edited the file and has not run `duban sync` yet."""

from __future__ import annotations

from bot.config import Config
from domain.snapshot import Snapshot


def config_drift(config: Config, snapshot: Snapshot) -> list[str]:
    wanted = {t.id: t for t in config.tasks}
    held = snapshot.tasks
    lines = []
    missing = [i for i in wanted if i not in held]
    extra = [i for i in held if i not in wanted]
    changed = [
        i
        for i, t in wanted.items()
        if i in held and (held[i].title != t.title or held[i].config_deadline != t.due)
    ]
    if missing:
        lines.append(f"配置中的任务 {'、'.join(missing)} 还不在数据库里")
    if extra:
        lines.append(f"数据库中的任务 {'、'.join(extra)} 已从配置中删除")
    if changed:
        lines.append(f"任务 {'、'.join(changed)} 的名称或截止日期与配置不同")
    if lines:
        lines.append(
            f"以上为数据库中的情况；运行 duban sync --config {config.source} 使其与配置一致"
        )
    return lines
