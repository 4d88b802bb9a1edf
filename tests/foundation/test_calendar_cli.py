"""`duban calendar parse` and `duban calendar show`, and the check-config remedy they serve."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from bot.cli import main
from bot.config import CALENDAR_REMEDY
from tests.conftest import EXAMPLE, ROOT, write_config

NOTICES = ROOT / "tests" / "scheduler" / "notices"


def duban(*args: str, stdin: bytes = b"", cwd: Path = ROOT, **env: str):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, **env},
    )


def run(capsys, *args: str, stdin: bytes | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def notice(name: str | int) -> str:
    return (NOTICES / f"{name}.txt").read_text(encoding="utf-8")


def with_calendar(section: str) -> str:
    """The example config with its [calendar] section replaced, as the README says to."""
    text = EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("[calendar]"), text.index("workdays = []") + len("workdays = []\n")
    return text[:start] + section + text[end:]


def test_parse_reads_the_notice_from_stdin_without_any_config(tmp_path):
    result = duban(
        "calendar", "parse", "-", stdin=notice(2026).encode(), cwd=tmp_path, DUBAN_CONFIG=""
    )
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    calendar = tomllib.loads(out)["calendar"]
    assert set(calendar["holidays"]) == {d for d in chinese_calendar.holidays if d.year == 2026}
    assert set(calendar["workdays"]) == {d for d in chinese_calendar.workdays if d.year == 2026}
    assert "    # 春节：2月15日至23日放假，共9天；2月14日、2月28日上班\n" in out
    # A comment for each item among the holidays, and for the four with make-up days again.
    assert out.count("    # ") == 7 + 4
    assert "2026 年：7 项安排，放假 33 天，调休上班 6 天" in result.stderr.decode()


def test_parse_ignores_a_broken_config(tmp_path, capsys):
    broken = tmp_path / "config.toml"
    broken.write_text("[bot]\nprot = 1\n", encoding="utf-8")
    assert main(["check-config", "--config", str(broken)]) == 1
    capsys.readouterr()
    notice_file = tmp_path / "通知.txt"
    notice_file.write_text(notice(2025), encoding="utf-8")
    code, out, _ = run(capsys, "calendar", "parse", "--config", str(broken), str(notice_file))
    assert code == 0 and tomllib.loads(out)["calendar"]["holidays"][0] == date(2025, 1, 1)


def test_a_notice_saved_as_gbk_or_with_a_bom(tmp_path, capsys):
    path = tmp_path / "通知.txt"
    path.write_bytes(notice(2024).encode("gbk"))
    code, out, err = run(capsys, "calendar", "parse", str(path))
    assert code == 0, err
    assert tomllib.loads(out)["calendar"]["workdays"][0] == date(2024, 2, 4)
    path.write_bytes(notice(2024).encode("utf-8-sig"))  # Windows Notepad's "UTF-8 with BOM"
    assert run(capsys, "calendar", "parse", str(path))[1] == out


@pytest.mark.parametrize(
    ("wrong", "right", "error"),
    [
        ("2月14日（周五）", "2月14日（周六）", "春节：2月14日标注为周五，实为周六"),
        ("共10天", "共9天", "春节：2月15日至23日是 9 天，通知写的是共10天"),
        ("5月8日上班", "5月9日（周六）上班", "劳动节：5月8日是周五，本来就上班，不会是调休上班日"),
    ],
)
def test_a_mistyped_notice_prints_nothing_and_exits_1(capsys, monkeypatch, wrong, right, error):
    text = notice(2026).replace(right, wrong)
    code, out, err = run(capsys, "calendar", "parse", stdin=text.encode(), monkeypatch=monkeypatch)
    assert (code, out) == (1, "")
    assert err.splitlines() == ["通知有 1 处问题，没有生成 [calendar]：", f"  1. {error}"]


def test_parse_a_missing_file_or_an_unknown_year(tmp_path, capsys, monkeypatch):
    code, out, err = run(capsys, "calendar", "parse", str(tmp_path / "通知.txt"))
    assert (code, out) == (1, "") and "无法读取" in err
    body = notice(2026)[notice(2026).index("一、") :]
    code, out, err = run(capsys, "calendar", "parse", stdin=body.encode(), monkeypatch=monkeypatch)
    assert (code, out) == (1, "") and "请用 --year 指定" in err
    code, out, _ = run(
        capsys, "calendar", "parse", "--year", "2026", stdin=body.encode(), monkeypatch=monkeypatch
    )
    assert code == 0 and "2026-02-15" in out
    with pytest.raises(SystemExit) as exited:
        main(["calendar", "show", "--year", "99999"])
    assert exited.value.code == 2 and "年份应为四位数字" in capsys.readouterr().err


def test_pasted_output_passes_check_config_and_show_marks_it_as_config(tmp_path):
    before = duban("check-config", "--config", str(EXAMPLE))
    assert before.returncode == 0
    assert (
        f"2027 年的法定节假日和调休安排尚未内置，工作日暂按周一至周五计算 → {CALENDAR_REMEDY}"
        in before.stderr.decode()
    )
    shown = duban("calendar", "show", "--year", "2027", "--config", str(EXAMPLE)).stdout.decode()
    assert f"未内置，配置中也没有：暂按周一至周五计算 → {CALENDAR_REMEDY}" in shown

    parsed = duban("calendar", "parse", str(NOTICES / "invented-2027.txt"))
    assert parsed.returncode == 0, parsed.stderr.decode()
    config = write_config(tmp_path, with_calendar(parsed.stdout.decode()))
    checked = duban("check-config", "--config", str(config))
    assert checked.returncode == 0, checked.stderr.decode()
    assert "2027" not in checked.stderr.decode()  # the unknown-year warning is gone

    shown = duban("calendar", "show", "--year", "2027", "--config", str(config))
    assert shown.returncode == 0
    lines = shown.stdout.decode().splitlines()
    assert lines[1] == "节假日安排来源：配置 [calendar]（34 天），其余按周一至周五"
    for line in (
        "  休 2月5日至13日（配置）",
        "  班 2月14日 周日（配置）",
        "  休 10月1日至7日（配置）",
    ):
        assert line in lines
    assert "13休 14班" in shown.stdout.decode()  # the February grid


def test_show_a_built_in_year_month_by_month(tmp_path, capsys):
    config = write_config(tmp_path)
    code, out, _ = run(capsys, "calendar", "show", "--year", "2026", "--config", str(config))
    assert code == 0
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    working = sum(map(chinese_calendar.is_workday, days))
    lines = out.splitlines()
    assert lines[:2] == [
        f"2026 年工作日历：全年 {working} 个工作日（休 = 放假，班 = 调休上班）",
        "节假日安排来源：内置日历（chinese-calendar）",
    ]
    assert [line.split()[2] for line in lines if line.startswith("2026 年 ")] == [
        str(m) for m in range(1, 13)
    ]
    assert "2026 年 2 月    工作日 16 天" in lines
    assert (
        "  班 2月14日 周六（春节，内置）" in lines and "  休 2月15日至23日（春节，内置）" in lines
    )
    assert "  休 4月4日至6日（清明节，内置）" in lines


def test_show_when_the_config_overrides_a_built_in_year(tmp_path, capsys):
    section = "[calendar]\nholidays = [2026-03-09]\nworkdays = [2026-02-16]\n"
    config = write_config(tmp_path, with_calendar(section))
    code, out, _ = run(capsys, "calendar", "--config", str(config), "show", "--year", "2026")
    assert code == 0
    assert "节假日安排来源：内置日历（chinese-calendar），其中 2 天以配置 [calendar] 为准" in out
    assert "  休 3月9日（配置，与内置日历不同）" in out
    assert "  休 2月15日（春节，内置）\n  班 2月16日 周一（配置，与内置日历不同）\n" in out
    assert "\n16班 17休 18休" in out
