"""Time djcheck on the fixtures, side by side with hadolint on the same Dockerfile.

Usage: python bench/run.py [--runs N]

Each command runs N times (default 15) as a fresh process, the way a pre-commit hook
runs it; the script prints the median wall time, the peak memory (max RSS) and the
ratio to hadolint. Python's own timers and os.wait4; no timed assertions anywhere.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def measure(command: list[str], cwd: Path, runs: int) -> tuple[float, int]:
    """Median wall seconds and the largest max-RSS (KiB) over ``runs`` fresh processes."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    djcheck = [sys.executable, "-m", "djlint_docker"]
    hadolint = shutil.which("hadolint")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{runs} runs each, median wall time")
    print(f"{'setup':<18} {'djcheck':>9} {'peak MB':>8} {'hadolint':>9} {'ratio':>6}")
    for fixture in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        ours, peak = measure(djcheck, fixture, runs)
        dockerfile = next(fixture.rglob("Dockerfile"), None)
        theirs = measure([hadolint, "--no-fail", str(dockerfile)], fixture, runs)[0] if hadolint and dockerfile else None
        shown = f"{theirs * 1000:7.0f}ms" if theirs else "      n/a"
        ratio = f"{ours / theirs:6.2f}" if theirs else "   n/a"
        print(f"{fixture.name:<18} {ours * 1000:7.0f}ms {peak / 1024:8.1f} {shown} {ratio}")


if __name__ == "__main__":
    main()
