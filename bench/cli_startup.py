"""How fast ``tribune --help`` answers: the command imports the core lazily.

usage: .venv/bin/python bench/cli_startup.py [--runs N] [--write]

Runs the venv's ``tribune --help`` as a fresh process N times (after two warm-up runs that fill
the OS file cache) and reports the median wall time. Target: under 0.3 s. ``--write`` replaces
the "Command line: start-up" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from datetime import date

from benchdoc import TRIBUNE, load_average, machine, replace_section

TARGET = 0.3


def time_help(runs: int) -> list[float]:
    for _ in range(2):
        subprocess.run([str(TRIBUNE), "--help"], capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(TRIBUNE), "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    loads = load_average()
    times = time_help(args.runs)
    median = statistics.median(times)
    verdict = "met" if median < TARGET else "MISSED"
    body = f"""`.venv/bin/python bench/cli_startup.py --write` — {date.today()}, on {machine()}; \
load average at the start {loads}.

| measure | value | target | ratio to target |
| --- | --- | --- | --- |
| `tribune --help`, median of {args.runs} fresh processes \
(min {min(times):.3f} s, max {max(times):.3f} s) | {median:.3f} s | < {TARGET} s | \
{median / TARGET:.2f}× ({verdict}) |
"""
    print(body)
    if args.write:
        replace_section("Command line: start-up", body)
        print("updated docs/benchmarks.md")


if __name__ == "__main__":
    main()
