"""Parser throughput over the test corpus, and the import time of handlers.parser.

Run: .venv/bin/python bench/parse.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers.parser import parse_reply  # noqa: E402
from tests.parser.corpus import CASES as ROUND1  # noqa: E402
from tests.parser.corpus2 import CASES2  # noqa: E402
from tests.parser.corpus3 import CASES3  # noqa: E402
from tests.parser.corpus4 import CASES4  # noqa: E402
from tests.parser.fixtures import TASKS  # noqa: E402

ROUNDS = 20
CASES = ROUND1 + CASES2 + CASES3 + CASES4  # every round, long formal reports included


_IMPORT_PROBE = (
    "import time; t = time.perf_counter(); import handlers.parser; print(time.perf_counter() - t)"
)


def _import_ms(env: dict[str, str], runs: int = 21) -> tuple[float, float]:
    """Median and best time of ``import handlers.parser`` in fresh interpreters, in ms.

    Timed inside the child, so interpreter start-up is excluded exactly.
    """
    subprocess.run([sys.executable, "-c", "import handlers.parser"], cwd=ROOT, env=env, check=True)
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        times.append(float(out.stdout) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    per_message: list[float] = []
    total = 0.0
    for _ in range(ROUNDS):
        for sender, today, text, _expected in CASES:
            tasks = TASKS[sender]
            start = time.perf_counter()
            parse_reply(text, today=today, tasks=tasks)
            elapsed = time.perf_counter() - start
            per_message.append(elapsed)
            total += elapsed
    count = len(per_message)
    print(f"corpus: {len(CASES)} messages x {ROUNDS} rounds")
    print(f"throughput: {count / total:,.0f} messages/s")
    print(f"median per message: {statistics.median(per_message) * 1000:.3f} ms")
    print(f"p95 per message: {sorted(per_message)[int(count * 0.95)] * 1000:.3f} ms")
    # Deployed code has its .pyc files; this environment may forbid writing them.
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for label, env in (
        (".pyc cached", cached),
        ("no .pyc, source compiled", dict(os.environ, PYTHONDONTWRITEBYTECODE="1")),
    ):
        median, best = _import_ms(env)
        print(f"import handlers.parser ({label}): median {median:.1f} ms, best {best:.1f} ms")


if __name__ == "__main__":
    main()
