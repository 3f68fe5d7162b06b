"""A polling round in which every feed answers 304: 2,000 sources on 200 hosts, time and memory.

usage: .venv/bin/python bench/poll_304.py [--sites N] [--feeds N] [--items N] [--repeat N]
                                          [--json] [--profile] [--write]

Everything runs on this machine, over loopback HTTP, in a temporary directory:

1. Generate (seeded) ``--sites`` sites (default 200) for the replay server
   (:mod:`tribune.replay.server`: one 127.0.0.1 port per site, so 200 host:port pairs), each
   with ``--feeds`` RSS feeds (default 10, one per category) of ``--items`` full-text entries
   (default 2; the prose of :mod:`ingest_speed`) and a robots.txt.
2. A SQLite database migrated and loaded with the packaged KB by the project's code
   (``tribune.db.migrate.upgrade``, ``tribune.kb.load.load_kb``), one ``feed`` source per feed
   (``add_source``), and a first ``poll(which="all")`` round: every feed answers 200, its
   entries are stored, and each source keeps the ETag and Last-Modified it was sent. This round
   runs with a fetch timeout of an hour: with the default (30 s, which also counts the wait for
   a free fetch slot) the feeds queued last time out while the round links and stores the
   entries of the first ones.
3. The measured round, ``--repeat`` times (default 3): ``poll(db, which="all", settings=...)``
   with ``Settings(allow_private_networks=True)`` and the default fetch limits, in a child
   process, timed around the call. The replay server runs in this process, not in the child, so
   the child's peak resident set (VmHWM of ``/proc/self/status``, read in the child; it counts
   the interpreter, the imports and whatever ``poll`` builds) is the polling process's alone.
   Each round is checked: every report says ``not-modified``, and the server's request log holds
   one request per feed, each with If-None-Match or If-Modified-Since (robots.txt requests,
   one per host and round, are counted apart).

Goals: the round in ≤ 10 s, the peak RSS ≤ 300 MB. ``--profile`` adds one more round under
cProfile (not counted) and prints its top 25 functions by cumulative and by own time. ``--json``
prints the results as JSON; ``--write`` replaces the "Gathering: a 304 round over 2,000 sources"
section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from benchdoc import load_average, machine, replace_section
from ingest_speed import (
    ROBOTS,
    add_feeds,
    fresh_db,
    items_stored,
    make_site_data,
    make_template,
    poll_child,
    render_feed,
    run_poll_child,
    say,
)

HEADING = "Gathering: a 304 round over 2,000 sources"
GOAL_SECONDS, GOAL_MB = 10.0, 300.0
PREPARE_TIMEOUT = 3600.0  # the first round only: see the module's docstring
CATEGORIES = (
    "politics", "economy", "labour", "international", "youth", "opinion", "women", "culture",
    "statements", "press", "history", "theory", "elections", "housing", "health", "education",
)  # fmt: skip
CONDITIONAL = ("if-none-match", "if-modified-since")


def write_feeds(root: Path, n_sites: int, feeds: int, items: int, seed: int = 20261202) -> list:
    """The sites under *root*; returns (site name, feed path, organisation, language) per feed."""
    sites = make_site_data(n_sites, [feeds * items] * n_sites, seed)
    out = []
    for site in sites:
        directory = root / site.name
        directory.mkdir(parents=True)
        (directory / "robots.txt").write_text(ROBOTS, encoding="utf-8")
        for j in range(feeds):
            category = CATEGORIES[j % len(CATEGORIES)] + (f"-{j}" if j >= len(CATEGORIES) else "")
            path = f"/category/{category}/feed.xml"
            (directory / path.lstrip("/")).parent.mkdir(parents=True)
            pages = site.pages[j * items : (j + 1) * items]
            feed = render_feed(site, pages, full_text=True)
            (directory / path.lstrip("/")).write_text(feed, encoding="utf-8")
            out.append((site.name, path, site.party.id, site.language))
    return out


def check_requests(server: Any, names: list[str]) -> dict[str, int]:
    """What the server saw in a round: feed requests, those sent conditionally, robots.txt."""
    seen = {"feed": 0, "conditional": 0, "robots": 0, "other": 0}
    for name in names:
        for request in server.requests(name):
            if request.path == "/robots.txt":
                seen["robots"] += 1
            elif request.path.endswith("/feed.xml"):
                seen["feed"] += 1
                seen["conditional"] += any(h in request.headers for h in CONDITIONAL)
            else:
                seen["other"] += 1
    return seen


def table(r: dict[str, Any]) -> str:
    times, peaks = r["round_s"], r["peak_rss_mb"]
    t, m = statistics.median(times), statistics.median(peaks)
    each = ", ".join(f"{x:.2f}" for x in times)
    each_mb = ", ".join(f"{x:.0f}" for x in peaks)
    n, hosts = r["sources"], r["sites"]

    def verdict(value: float, goal: float) -> str:
        return f"{value / goal:.2f}× ({'met' if value <= goal else 'MISSED'})"

    seen = r["requests"]
    return "\n".join(
        [
            "| measure | value | goal | ratio to goal |",
            "| --- | --- | --- | --- |",
            f'| 304 round: `poll(which="all")` over {n:,} sources on {hosts} host:port pairs, '
            f"median of {len(times)} ({each}) | {t:.2f} s ({n / t:.0f} sources/s) "
            f"| ≤ {GOAL_SECONDS:g} s | {verdict(t, GOAL_SECONDS)} |",
            f"| polling process: peak RSS (VmHWM), median of {len(peaks)} ({each_mb}) "
            f"| {m:.0f} MB | ≤ {GOAL_MB:g} MB | {verdict(m, GOAL_MB)} |",
            f"| polling process: RSS before the round (interpreter and imports) "
            f"| {statistics.median(r['rss_before_mb']):.0f} MB | – | – |",
            f"| per round: reports `not-modified` / feed requests / sent conditionally / "
            f"robots.txt requests | {r['not_modified']:,} / {seen['feed']:,} / "
            f"{seen['conditional']:,} / {seen['robots']:,} | {n:,} | – |",
            f"| first round (every feed 200, {r['items']:,} full-text entries stored; fetch "
            f"timeout {PREPARE_TIMEOUT:g} s) "
            f"| {r['first_round_s']:.1f} s | – | – |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=200, help="host:port pairs (default 200)")
    parser.add_argument("--feeds", type=int, default=10, help="feeds per site (default 10)")
    parser.add_argument("--items", type=int, default=2, help="entries per feed (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="measured rounds (default 3)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--profile", action="store_true", help="one more round under cProfile")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--fetch-timeout", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        poll_child(args.child, args.profile, args.fetch_timeout)
        return

    from tribune.replay.server import ReplayServer

    load = load_average()
    say(f"machine: {machine()}; load average {load}")
    n = args.sites * args.feeds
    results: dict[str, Any] = {
        "sites": args.sites,
        "sources": n,
        "round_s": [],
        "process_s": [],
        "peak_rss_mb": [],
        "rss_before_mb": [],
        "machine": machine(),
        "load_average": load,
        "date": date.today().isoformat(),
    }
    with tempfile.TemporaryDirectory(prefix="tribune-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        feeds = write_feeds(tmp / "sites", args.sites, args.feeds, args.items)
        names = sorted({name for name, *_ in feeds})
        url = fresh_db(make_template(tmp / "template.db"), tmp / "poll.db")
        with ReplayServer(tmp / "sites") as server:
            add_feeds(url, [(server.url(s, path), org, lang) for s, path, org, lang in feeds])
            say(f"{n:,} sources on {len(names)} sites; first round (every feed 200) ...")
            first = run_poll_child(__file__, url, fetch_timeout=PREPARE_TIMEOUT)
            stored, _ = items_stored(url)
            say(
                f"first round: {first['seconds']:.1f} s, outcomes {first['outcomes']}, "
                f"counts {first['counts']}, {stored:,} items"
            )
            if first["outcomes"] != {"ok": n}:
                sys.exit(f"the first round did not read every feed: {first['errors']}")
            results["first_round_s"], results["items"] = first["seconds"], stored
            runs = [*range(args.repeat)] + (["profile"] if args.profile else [])
            for run in runs:
                server.clear_log()
                profiled = run == "profile"
                figures = run_poll_child(__file__, url, profile=profiled)
                seen = check_requests(server, names)
                say(
                    f"304 round{' (cProfile)' if profiled else ''}: {figures['seconds']:.2f} s "
                    f"(process {figures['process_seconds']:.1f} s), outcomes "
                    f"{figures['outcomes']}, peak RSS {figures['peak_rss_mb']:.0f} MB "
                    f"(before the round {figures['rss_before_mb']:.0f} MB), requests {seen}"
                )
                if figures["outcomes"] != {"not-modified": n}:
                    sys.exit(f"expected {n:,} not-modified reports: {figures['errors']}")
                if seen["feed"] != n or seen["conditional"] != n:
                    sys.exit(f"expected {n:,} conditional feed requests, the server saw {seen}")
                if profiled:
                    results["profile_s"] = figures["seconds"]
                    continue
                results["round_s"].append(figures["seconds"])
                results["process_s"].append(figures["process_seconds"])
                results["peak_rss_mb"].append(figures["peak_rss_mb"])
                results["rss_before_mb"].append(figures["rss_before_mb"])
                results["not_modified"] = figures["outcomes"]["not-modified"]
                results["requests"] = seen
                results["settings"] = figures["settings"]
                results["fetch"] = {
                    "concurrency": figures["fetch_concurrency"],
                    "per_host": figures["fetch_per_host"],
                }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    result = table(results)
    print("\n" + result)
    if args.write:
        command = " ".join([".venv/bin/python bench/poll_304.py", *sys.argv[1:]])
        fetch = results["fetch"]
        replace_section(
            HEADING,
            f"`{command}` — {results['date']}, on {machine()}; load average at the start "
            f"{load} (1, 5, 15 min).\n\n{result}\n\n"
            f"{args.sites} replay sites with {args.feeds} RSS feeds each; a first round stores "
            f"their entries and the sources keep the ETag and Last-Modified they were sent, so "
            f"every feed of the measured rounds answers 304 (checked in the reports and in the "
            f"server's request log). Fetch limits are the defaults ({fetch['concurrency']} in "
            f"flight, {fetch['per_host']} per host); a round also asks each host for its "
            f"robots.txt. The round runs in a child process and the replay server in the "
            f"benchmark's own process, so the peak RSS (the child's VmHWM: interpreter, imports "
            f"and whatever `poll` builds) is that of the polling process alone; the time is that "
            f"of the `poll` call.",
        )
        say("updated docs/benchmarks.md")


if __name__ == "__main__":
    main()
