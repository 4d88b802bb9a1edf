"""SIGHUP makes a running `duban run` read its config again and follow the new schedule."""

from __future__ import annotations

import signal
import threading
import time
import urllib.request
from pathlib import Path

from tests.conftest import free_port, start_bot, write_config


def test_sighup_reloads_the_config_and_reschedules(tmp_path: Path):
    port = free_port()
    config = write_config(tmp_path, port=port)
    proc = start_bot(config)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")))  # type: ignore[union-attr]
    reader.start()

    def wait_for(text: str) -> bool:
        for _ in range(400):  # polling a process's output, not timing behaviour
            if any(text in line for line in lines) or proc.poll() is not None:
                break
            time.sleep(0.05)
        return any(text in line for line in lines)

    try:
        assert wait_for("duban listening"), "".join(lines)
        for _ in range(200):  # polling a starting server, not timing behaviour
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        text = config.read_text(encoding="utf-8").replace('time = "09:10"', 'time = "08:40"')
        config.write_text(text, encoding="utf-8")
        proc.send_signal(signal.SIGHUP)
        assert wait_for("reminders at 08:40 (were at 09:10)"), "".join(lines)
        assert wait_for("SIGHUP: config"), "".join(lines)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
        reader.join(timeout=5)
    assert proc.returncode == 0 and "Traceback" not in "".join(lines)
