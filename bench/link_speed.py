"""How fast the entity linker links text and builds its matcher, and how much memory it takes.

usage: .venv/bin/python bench/link_speed.py [--quick] [--write] [--profile]

Everything runs on this machine, in fresh SQLite databases made by the real CLI in a temporary
directory (``tribune init``, ``tribune kb load``):

a. throughput per core: one process links a generated corpus of English news-like articles
   (:mod:`newsgen`: 2,000–5,000 characters each, a date, sometimes a source_org), one
   ``Linker.link`` call per article; MB/s = UTF-8 bytes of all texts / wall seconds of the whole
   pass; median of 3 passes over 10 MB. Target: ≥ 1 MB/s.
b. build time on the packaged KB: ``Linker.from_db(db)``, the first call of the process
   (cold: it also prepares the packaged country automaton once) and the median of 5 later
   calls (warm). Target: < 1 s warm.
c. build time on a KB ten times larger (:mod:`gen_big_kb`, from ``tribune kb export``, loaded
   with ``tribune kb load DIR``): first call and median of 3 warm calls. Target: < 10 s warm.
d. memory, in a fresh child process per KB: the VmRSS increase of the first build (linker plus
   the one-off country data), of a second linker built beside it (what one more lexicon of that
   KB costs), the process's peak RSS (VmHWM; ``ru_maxrss`` would carry the parent's peak over
   exec), and the ``tracemalloc`` peak and retained size of one more warm build.

``--quick`` is a smoke run (0.5 MB, one pass, 2 warm builds, a 3× KB). ``--write`` replaces the
"Entity linker: speed" section of docs/benchmarks.md with the table (full runs only).
``--profile`` prints where the time of linking and of a build goes (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from benchdoc import load_average, machine, make_db, replace_section, tribune
from gen_big_kb import make_big_kb
from newsgen import Article, make_corpus
from tribune.db.engine import Database
from tribune.db.tables import org_names, organizations
from tribune.understand.link import Linker

MB = 1_000_000
TARGET_MBS, TARGET_BUILD, TARGET_BIG = 1.0, 1.0, 10.0


@dataclass
class Results:
    mb: float = 0.0
    articles: int = 0
    mentions: int = 0
    runs_mbs: list[float] = field(default_factory=list)
    build: dict[str, tuple[float, list[float]]] = field(default_factory=dict)
    size: dict[str, tuple[int, int]] = field(default_factory=dict)
    memory: dict[str, dict[str, float]] = field(default_factory=dict)


def rss_mb(field: str = "VmRSS") -> float:
    """Resident set size of this process now (VmRSS) or at its peak (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024 / MB
    return float("nan")


def time_builds(db: Database, warm: int) -> tuple[float, list[float]]:
    """Seconds of one first ``Linker.from_db`` call, then of *warm* further calls."""
    times = []
    for _ in range(warm + 1):
        gc.collect()
        start = time.perf_counter()
        Linker.from_db(db)
        times.append(time.perf_counter() - start)
    return times[0], times[1:]


def link_pass(linker: Linker, corpus: list[Article]) -> tuple[float, int]:
    """Wall seconds to link every article once, and the number of mentions found."""
    found = 0
    start = time.perf_counter()
    for a in corpus:
        found += len(linker.link(a.text, date=a.date, source_org=a.source_org))
    return time.perf_counter() - start, found


def kb_size(db: Database) -> tuple[int, int]:
    """Organisations and organisation names in the database."""
    with db.read() as conn:
        count = [
            conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (organizations, org_names)
        ]
    return count[0], count[1]


def memory_child(url: str) -> None:
    """In a fresh process: print the memory figures of building linkers on *url* as JSON."""
    db = Database(url)
    kb_size(db)  # opens the engine, so its own allocations are not counted
    alive: list[Linker] = []  # keeps each linker alive until its memory is measured
    gc.collect()
    before = rss_mb()
    alive.append(Linker.from_db(db))
    gc.collect()
    after_first = rss_mb()
    alive.append(Linker.from_db(db))
    gc.collect()
    after_second = rss_mb()
    peak_rss = rss_mb("VmHWM")  # before tracemalloc, whose own bookkeeping is large
    alive.pop()
    gc.collect()
    tracemalloc.start()
    alive.append(Linker.from_db(db))
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures = {
        "first_rss": after_first - before,
        "second_rss": after_second - after_first,
        "tm_peak": peak / MB,
        "tm_retained": retained / MB,
        "peak_rss": peak_rss,
    }
    print(json.dumps(figures))


def memory(url: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--memory-child", url],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def profile(label: str, run: Callable[[], object], top: int = 7) -> str:
    """Run *run* under cProfile; print the top functions; return a one-line Markdown summary."""
    prof = cProfile.Profile()
    prof.runcall(run)
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(20)
    print(f"\n### cProfile: {label}, by own time\n{out.getvalue()}")
    out.seek(0)
    out.truncate()
    stats.sort_stats("cumulative").print_stats("tribune", 20)
    print(f"\n### cProfile: {label}, tribune functions by cumulative time\n{out.getvalue()}")
    entries = stats.stats.items()  # type: ignore[attr-defined]
    # the entry point's cumulative time: the whole run (own times alone miss profiler overhead)
    total: float = max(v[3] for _, v in entries)

    def names(index: int, tribune_only: bool) -> str:
        rows = sorted(entries, key=lambda kv: kv[1][index], reverse=True)
        if tribune_only:  # the first is the entry point itself (100%)
            rows = [r for r in rows if "/tribune/" in r[0][0]][1:]
        return ", ".join(
            f"`{Path(f).name}:{line}({fn})` {v[index] / total:.0%}"
            for (f, line, fn), v in rows[:top]
        )

    return (
        f"- {label}, {total:.1f} s under cProfile. Own time: {names(2, False)}. "
        f"Cumulative, Tribune code: {names(3, True)}."
    )


def ratio(value: float, target: float, higher_is_better: bool) -> str:
    met = value >= target if higher_is_better else value < target
    return f"{value / target:.2f}× ({'met' if met else 'MISSED'})"


def table(r: Results, big: str) -> str:
    def build_row(key: str, label: str, target: float) -> list[str]:
        cold, warm = r.build[key]
        orgs, names = r.size[key]
        med = statistics.median(warm)
        what = f"{label} ({orgs:,} orgs, {names:,} names)"
        each = ", ".join(f"{t:.2f}" for t in warm)
        return [
            f"| build, {what}: warm median of {len(warm)} ({each}) | {med:.2f} s | < {target:g} s "
            f"| {ratio(med, target, False)} |",
            f"| build, {what}: first call of the process | {cold:.2f} s | – | – |",
        ]

    mbs = statistics.median(r.runs_mbs)
    runs = ", ".join(f"{v:.3f}" for v in r.runs_mbs)
    rows = [
        "| measure | value | target | ratio to target |",
        "| --- | --- | --- | --- |",
        f"| throughput per core: {r.mb:.1f} MB, {r.articles:,} articles, median of "
        f"{len(r.runs_mbs)} passes ({runs}) | {mbs:.3f} MB/s | ≥ {TARGET_MBS:g} MB/s "
        f"| {ratio(mbs, TARGET_MBS, True)} |",
        f"| mentions found per pass | {r.mentions:,} ({r.mentions / r.mb / 1000:.1f} per kB) "
        "| – | – |",
        *build_row("packaged", "packaged KB", TARGET_BUILD),
        *build_row("big", big, TARGET_BIG),
    ]
    for key, label in (("packaged", "packaged KB"), ("big", big)):
        m = r.memory[key]
        rows += [
            f"| memory, {label}: RSS increase of the first build / of a second linker "
            f"(peak RSS of the process) | {m['first_rss']:.0f} MB / {m['second_rss']:.0f} MB "
            f"({m['peak_rss']:.0f} MB) | – | – |",
            f"| memory, {label}: tracemalloc peak / retained, one warm build "
            f"| {m['tm_peak']:.0f} MB / {m['tm_retained']:.0f} MB | – | – |",
        ]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--profile", action="store_true", help="print cProfile summaries")
    parser.add_argument("--mb", type=float, help="corpus size in MB (default 10, quick 0.5)")
    parser.add_argument("--memory-child", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    if args.write and args.quick:
        parser.error("--write records full runs only: leave out --quick")
    mb = args.mb or (0.5 if args.quick else 10.0)
    passes, warm, big_warm, copies = (1, 2, 1, 2) if args.quick else (3, 5, 3, 9)
    big = f"{copies + 1}× KB"
    where: list[str] = []
    r = Results(mb=mb)
    load = load_average()
    print(f"machine: {machine()}; load average {load}", flush=True)
    with tempfile.TemporaryDirectory(prefix="tribune-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        url = make_db(tmp / "packaged.db")
        db = Database(url)
        r.size["packaged"] = kb_size(db)
        r.build["packaged"] = time_builds(db, warm)
        print(f"build, packaged KB: first {r.build['packaged'][0]:.2f} s", flush=True)
        linker = Linker.from_db(db)
        corpus = make_corpus(int(mb * MB))
        size = sum(len(a.text.encode("utf-8")) for a in corpus)
        r.articles, r.mb = len(corpus), size / MB
        for _ in range(passes):
            seconds, r.mentions = link_pass(linker, corpus)
            r.runs_mbs.append(size / MB / seconds)
            print(f"linked {size / MB:.2f} MB in {seconds:.1f} s", flush=True)
        if args.profile:
            part = corpus[: max(1, len(corpus) // 10)]
            where = [
                profile(f"linking {len(part)} articles", lambda: link_pass(linker, part)),
                profile("one warm build, packaged KB", lambda: Linker.from_db(db)),
            ]
        tribune(url, "kb", "export", str(tmp / "export"))
        make_big_kb(tmp / "export", tmp / "big", copies=copies)
        big_url = make_db(tmp / "big.db", tmp / "big")
        big_db = Database(big_url)
        r.size["big"] = kb_size(big_db)
        r.build["big"] = time_builds(big_db, big_warm)
        r.memory = {"packaged": memory(url), "big": memory(big_url)}
    result = table(r, big)
    if args.profile:
        result += "\n\nWhere the time goes (`--profile`, cProfile):\n\n" + "\n".join(where)
    print("\n" + result)
    if args.write:
        command = " ".join([".venv/bin/python bench/link_speed.py", *sys.argv[1:]])
        replace_section(
            "Entity linker: speed",
            f"`{command}` — {date.today().isoformat()}, on {machine()}; load average at the "
            f"start {load} (1, 5, 15 min).\n\n{result}\n\n"
            "The first build of a process also prepares the packaged country automaton (once "
            "per process); the warm median is the cost of building the matcher from the KB in "
            "the database, the figure the targets apply to. Ratio: measured ÷ target (at least "
            "1 for throughput, under 1 for build times). Memory figures come from a fresh "
            "process per KB (VmRSS before and after each build, kept alive).",
        )
        print("updated docs/benchmarks.md")


if __name__ == "__main__":
    main()
