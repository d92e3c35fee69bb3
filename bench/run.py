"""Time djcheck against the tools it replaces, on the fixtures and on a tree of 200 setups.

Usage: pip install '.[bench]' && python bench/run.py [--runs N] [--setups N]

Every command runs as a fresh process, the way a pre-commit hook runs it. For each
fixture with a compose file and a Dockerfile, each run times ``djcheck`` and then
``hadolint Dockerfile`` plus ``compose-lint <compose file>`` back to back; the ratio is
the median of the paired ratios (targets: at most 0.75, and peak memory under 60 MB).
Each fixture is copied out of this repository first, so that djcheck does not read the
repository's own ``pyproject.toml``, as it would not in a real project. Then ``--setups`` copies of one fixture go in one tree: one djcheck run over all of
them against one setup (target: at most 25x, with every setup reported). Python's
own timers and os.wait4; no timed assertions anywhere.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and max RSS (KiB) of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss


def tool(name: str) -> str:
    found = shutil.which(name, path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if not found:
        sys.exit(f"{name} is not installed: pip install '.[bench]'")
    return found


def paired(djcheck: str, fixture: Path, runs: int, hadolint: str, compose_lint: str) -> tuple[float, float, float, int]:
    """Median djcheck time, median peers' time, median paired ratio, peak KiB."""
    compose = next(fixture / n for n in COMPOSE_NAMES if (fixture / n).is_file())
    ours, theirs, ratios, peak = [], [], [], 0
    for _ in range(runs):
        seconds, rss = timed([djcheck], fixture)
        peers = timed([hadolint, "--no-fail", "Dockerfile"], fixture)[0] + timed([compose_lint, compose.name], fixture)[0]
        ours.append(seconds)
        theirs.append(peers)
        ratios.append(seconds / peers)
        peak = max(peak, rss)
    return statistics.median(ours), statistics.median(theirs), statistics.median(ratios), peak


def many_setups(djcheck: str, fixture: Path, count: int, runs: int) -> tuple[float, float, int]:
    """Median time for one setup, for ``count`` copies in one tree, and how many setups djcheck reported."""
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder)
        for index in range(count):
            shutil.copytree(fixture, tree / f"service-{index:03}")
        one = statistics.median(timed([djcheck], tree / "service-000")[0] for _ in range(runs))
        many = statistics.median(timed([djcheck], tree)[0] for _ in range(max(3, runs // 3)))
        summary = subprocess.run([djcheck], cwd=tree, capture_output=True, text=True).stdout.splitlines()[-1]
        reported = int(re.search(r"(\d+) setups?", summary).group(1))
    return one, many, reported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--setups", type=int, default=200, help="copies in one tree; 0 skips that part")
    options = parser.parse_args()
    if options.runs < 1 or options.setups < 0:
        parser.error("--runs must be at least 1 and --setups at least 0")
    djcheck, hadolint, compose_lint = tool("djcheck"), tool("hadolint"), tool("compose-lint")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{options.runs} paired runs each, medians")
    print(f"{'setup':<20} {'djcheck':>8} {'peak MB':>8} {'hadolint+compose-lint':>22} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for source in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
            if not (source / "Dockerfile").is_file() or not any((source / n).is_file() for n in COMPOSE_NAMES):
                continue
            fixture = shutil.copytree(source, Path(folder) / source.name, symlinks=True)
            ours, theirs, ratio, peak = paired(djcheck, fixture, options.runs, hadolint, compose_lint)
            print(f"{fixture.name:<20} {ours * 1000:6.0f}ms {peak / 1024:8.1f} {theirs * 1000:20.0f}ms {ratio:6.2f}")
    if not options.setups:
        return
    one, many, reported = many_setups(djcheck, FIXTURES / "web-postgres-good", options.setups, options.runs)
    print(f"{options.setups} setups in one tree: {many:.2f} s against {one * 1000:.0f} ms for one "
          f"({many / one:.1f}x); {reported} setups reported")


if __name__ == "__main__":
    main()
