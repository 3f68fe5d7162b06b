"""Reader pages under load: 100,000 published items in SQLite, 2 uvicorn workers, wrk on loopback.

usage: .venv/bin/python bench/web_load.py [--items N] [--duration S] [--repeat N] [--reuse]
                                          [--db PATH] [--only T,...] [--json] [--write]

Needs ``/usr/bin/wrk`` (Debian: ``apt-get install wrk``). Everything runs on this machine:

1. A SQLite database, migrated and loaded with the packaged KB by the project's code
   (``tribune.db.migrate.upgrade``, ``tribune.kb.load.load_kb``), then ``--items`` (default
   100,000) published items written straight into the tables as ingest and a publish leave them
   (``tribune.newsroom.items.set_status`` one item at a time would take hours): one ``feed``
   source for each of 150 organisations of the KB (``gr-kke`` among them; a language per source,
   half of them English, the others Spanish, Portuguese, French, German, Italian, Greek or
   Turkish), items spread evenly over the sources and over the three years up to 30 November
   2026 (ids in random order of date), each with a title, a lead, about 1.6 kB of body text (the
   prose of :mod:`newsgen` and of :mod:`ingest_speed`'s templates, seeded, with the real party
   names of the KB), a kind for most, its first revision and its mentions (the parties it names,
   the publisher's country); the four newest are featured. One transaction, ``executemany`` in
   batches of 5,000; the search index is filled by one ``INSERT INTO item_search ... SELECT``
   over the published items (through the text preparation of
   ``tribune.db.search.index_item``), then the site generation is bumped once
   (``tribune.db.generation.bump``). No ``ANALYZE``: a database grown by ingest has no
   statistics either. About 2.5 minutes and 1.4 GB. ``--reuse`` keeps the database
   (``$TMPDIR/tribune-web-load-N.db``, or ``--db``) and uses it again when it holds the same
   items, upgraded to the newest schema first (so a new index applies); otherwise it lives in
   a temporary directory removed at the end.
2. ``uvicorn --factory tribune.web.app:app_from_environment --workers 2 --host 127.0.0.1
   --port P --log-level warning`` (as ``tribune serve --workers 2`` runs it: no access log),
   with ``TRIBUNE_DATABASE_URL`` set, until ``/healthz`` answers; its log goes to a file.
3. Each target is fetched once and must answer 200 (for the organisation page a 404 is
   reported, the other targets are still measured, and it is fetched again at the end). Then 10
   searches one at a time (terms spread over the range of matches, nothing else in flight).
4. ``--repeat`` rounds (default 1) over the targets: ``/healthz`` (a static string: the
   baseline), the front page ``/``, an item page, the organisation page ``/orgs/gr-kke``, the
   Atom feed ``/index.atom``, the front page while a thread bumps the site generation every 3 s
   (as each publish does: every cached page of both workers is then rebuilt on its next
   request), a search over 200 terms answered from the page cache, a search with 50 clients
   where every request is a cache miss and the same search with 2 (one per worker). Each run is
   ``wrk -t2 -c50 -d{S}s --latency --timeout 10s -s SCRIPT URL``. Before a page run one client
   fetches the page until both workers answer it from their cache (a cold page must not meet
   50 clients at once), then a 2-second warm-up at 50 clients; after every run the benchmark
   waits until the workers are idle (requests wrk gave up at the end of a run still run in the
   server; the time is reported as "server busy"). Reader pages are cached per worker, keyed by
   path and query (:mod:`tribune.web.render`). The search runs' Lua ``request()`` cycles over
   200 terms (party acronyms and names, cities, surnames, topic words in eight languages). For
   the cached search that is all: after its warm-up every term's page is in both workers'
   caches, as repeated searches are between two publishes. For the others it adds a parameter
   the page ignores (``&n=...``, new on every request, also across warm-ups and rounds), so
   every search request runs the query, the count and the form's choices. The script's
   ``done()`` prints the p50, p90, p95, p99 and the error counts;
   requests/s and wrk's latency distribution are parsed from its output. The CPU time of the
   server's workers (``/proc``) and of wrk (``wait4``) is read for each run: **wrk runs on the
   same two cores as the server**, so every figure is the server's while wrk takes its share.
   Answers of 500 to requests wrk gave up are counted from the server's log.

Goals: each page (front, item, organisation, Atom) at least 0.5 of the ``/healthz``
throughput with p99 under 100 ms; search p95 under 100 ms. With ``--repeat`` above 1 the table
shows medians (ratios: the median of the per-round ratios). ``--only`` measures some targets
(healthz, front, item, org, atom, front-publish, search-cached, search, search-c2). ``--json``
prints the results as JSON; ``--write`` replaces the "Web: pages under load" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import json
import math
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchdoc import load_average, machine, replace_section

HEADING = "Web: pages under load"
GOAL_RATIO = 0.5  # of the /healthz throughput
GOAL_P99_MS = 100.0
GOAL_SEARCH_P95_MS = 100.0
BUILD_VERSION = 3  # PRAGMA user_version of a finished benchmark database (for --reuse)
N_ORGS = 150
END = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
BATCH = 5000
THREADS, CONNECTIONS, WARMUP_S, TIMEOUT = 2, 50, 2, "10s"
WRK = "/usr/bin/wrk"
APP = "tribune.web.app:app_from_environment"  # the factory uvicorn runs in each worker
KINDS = ("statement", "article", "news", "interview", "greeting", "event-report", "campaign")
TOPIC_WORDS = (
    "strike", "elections", "prices", "war", "congress", "budget", "wages", "pensioners",
    "delegates", "solidarity", "parliament", "turnout", "hospital", "diesel", "bombing",
    "nationalisation", "pickets", "rents", "inflation", "missile", "troops", "minister",
    "banks", "deficit", "resolution", "shop steward", "heating", "assembly", "intimidation",
    "huelga", "presupuestos", "manifestación", "greve", "professores", "congresso",
    "retraites", "grève", "loyers", "Kundgebung", "Warnstreik", "Mieten", "presidio",
    "sciopero", "logistica", "συλλαλητήριο", "απεργία", "προϋπολογισμό", "miting", "grev",
    "zamlar",
)  # fmt: skip
TARGETS = (
    "healthz", "front", "item", "org", "atom", "front-publish", "search-cached", "search",
    "search-c2",
)  # fmt: skip
PUBLISH_EVERY = 3.0  # seconds between generation bumps in the "front-publish" runs
LABELS = {
    "healthz": "`/healthz` (static string: the baseline)",
    "front": "front page `/`",
    "item": "item page",
    "org": "organisation page `/orgs/gr-kke`",
    "atom": "Atom feed `/index.atom`",
    "front-publish": f"front page `/`, a publish every {PUBLISH_EVERY:g} s",
    "search-cached": "search `/search?q=…` (200 terms in turn, from the page cache)",
    "search": "search `/search?q=…` (200 terms, every request a cache miss)",
    "search-c2": "the same search, 2 clients (one per worker: no queueing)",
}
CLIENTS = {"search-c2": 2}  # the other targets: CONNECTIONS
PAGES = ("front", "item", "org", "atom", "front-publish")


def say(*parts: object) -> None:
    """Progress, on stderr (stdout carries the results)."""
    print(*parts, file=sys.stderr, flush=True)


# --- the database ----------------------------------------------------------------------------


def _ts(when: datetime) -> str:
    """A UTC timestamp as SQLAlchemy stores ``UTCDateTime`` in SQLite."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _uuid7(rng: random.Random, when: datetime) -> str:
    """A UUIDv7 like ``tribune.db.types.new_public_id``, for *when*, from the seeded *rng*."""
    ms = int(when.timestamp() * 1000)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rng.getrandbits(12) << 64
    value |= 0b10 << 62 | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


def _chosen_orgs(rng: random.Random, parties: list[Any]) -> list[Any]:
    pool = [p for p in parties if p.id != "gr-kke"]
    kke = next(p for p in parties if p.id == "gr-kke")
    return [kke, *rng.sample(pool, N_ORGS - 1)]


def _texts(
    rng: random.Random, parties: list[Any], home: Any, language: str, day: date
) -> tuple[str, list[str], set[str]]:
    """A title, paragraphs of about 1.5 kB in all, and the ids of the parties they name."""
    from ingest_speed import FOREIGN, _NativeWriter
    from newsgen import HEADLINES, TOPICS, _Writer

    if language == "en":
        writer = _Writer(rng, parties, home)
        headlines, pool = HEADLINES, None
    else:
        writer = _NativeWriter(rng, parties, home)
        headlines, pool = FOREIGN[language]
    title = writer.fill(rng.choice(headlines), day)
    target = rng.randrange(1100, 1900)
    paragraphs: list[str] = []
    length = 0
    topics = tuple(TOPICS)
    while length < target:
        sentences = list(pool or TOPICS[rng.choice(topics)])
        rng.shuffle(sentences)
        paragraph = " ".join(writer.fill(s, day) for s in sentences[: rng.randrange(2, 5)])
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return title, paragraphs, set(writer.named)


def build_db(path: Path, n_items: int, seed: int = 20261203) -> None:
    """The benchmark database at *path*: schema, packaged KB, sources, published items, index."""
    from ingest_speed import LANGUAGES
    from newsgen import load_parties
    from tribune.db import generation
    from tribune.db.engine import Database
    from tribune.db.migrate import upgrade
    from tribune.db.search import _prepare
    from tribune.kb.load import load_kb
    from tribune.newsroom.slugs import slugify

    started = time.perf_counter()
    db = Database(f"sqlite:///{path.absolute()}")
    upgrade(db)
    load_kb(db)
    db.dispose()
    say(f"schema and KB: {time.perf_counter() - started:.1f} s")
    rng = random.Random(seed)
    parties = load_parties()
    orgs = _chosen_orgs(rng, parties)
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA synchronous = OFF")
    raw.execute("PRAGMA cache_size = -200000")
    country_of = dict(raw.execute("SELECT id, country FROM organizations"))
    created = _ts(END - SPAN - timedelta(days=30))
    raw.execute("BEGIN")
    sources = []  # (source id, party, language)
    for i, party in enumerate(orgs):
        language = "el" if party.id == "gr-kke" else LANGUAGES[i % len(LANGUAGES)]
        host = re.sub(r"[^a-z0-9]+", "-", party.id.lower()) + ".example"
        cur = raw.execute(
            "INSERT INTO sources (public_id, org_id, kind, url, title, language, rights, state,"
            " min_interval_s, max_interval_s, interval_s, error_count, created_at)"
            " VALUES (?, ?, 'feed', ?, ?, ?, 'full-text', 'active', 900, 86400, 3600, 0, ?)",
            (_uuid7(rng, END - SPAN), party.id, f"https://{host}/feed", party.name, language,
             created),
        )  # fmt: skip
        sources.append((cur.lastrowid, party, language, host))
    when_of = sorted(END - SPAN * rng.random() for _ in range(n_items))
    order = list(range(n_items))
    rng.shuffle(order)  # ids in random order of date
    item_rows: list[tuple[Any, ...]] = []
    revision_rows: list[tuple[Any, ...]] = []
    mention_rows: list[tuple[Any, ...]] = []
    first_id = (raw.execute("SELECT max(id) FROM items").fetchone()[0] or 0) + 1
    newest = {i for i in order if i >= n_items - 4}  # the four newest are featured

    def flush() -> None:
        raw.executemany(
            "INSERT INTO items (id, public_id, slug, source_id, url, canonical_url, title, lead,"
            " body_html, body_text, language, published_at, published_offset,"
            " published_precision, fetched_at, content_hash, kind, status, featured, correction,"
            " refetch_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " 0, 'second', ?, ?, ?, 'published', ?, '', 0, ?, ?)",
            item_rows,
        )
        raw.executemany(
            "INSERT INTO item_revisions (item_id, content_hash, title, body_html, body_text,"
            " fetched_at) VALUES (?, ?, ?, ?, ?, ?)",
            revision_rows,
        )
        raw.executemany(
            'INSERT INTO mentions (item_id, field, start, "end", surface, type, entity_id,'
            " confidence, version) VALUES (?, 'body', ?, ?, ?, ?, ?, 0.95, 'bench')",
            mention_rows,
        )
        item_rows.clear()
        revision_rows.clear()
        mention_rows.clear()

    names = {p.id: p.name for p in parties}
    for n, k in enumerate(order):
        item_id = first_id + n
        source_id, home, language, host = sources[k % len(sources)]
        published = when_of[k].replace(microsecond=0)
        fetched = published + timedelta(minutes=rng.randrange(5, 240))
        title, paragraphs, named = _texts(rng, parties, home, language, published.date())
        body = "\n\n".join(paragraphs)
        lead = re.split(r"(?<=[.!?])\s", paragraphs[0], maxsplit=1)[0]
        body_html = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
        digest = hashlib.sha256(body.encode()).hexdigest()
        slug = slugify(title)
        url = f"https://{host}/{published:%Y/%m}/{slug[:60]}-{k}/"
        kind = rng.choice(KINDS) if rng.random() < 0.7 else None
        item_rows.append(
            (item_id, _uuid7(rng, fetched), slug, source_id, url, url, title, lead, body_html,
             body, language, _ts(published), _ts(fetched), digest, kind, int(k in newest),
             _ts(fetched), _ts(fetched))
        )  # fmt: skip
        revision_rows.append((item_id, digest, title, body_html, body, _ts(fetched)))
        for m, org_id in enumerate(sorted(named | {home.id})):
            mention_rows.append((item_id, m * 10, m * 10 + 5, names[org_id], "org", org_id))
        if country_of.get(home.id):
            mention_rows.append((item_id, 990, 995, country_of[home.id], "country",
                                 country_of[home.id]))  # fmt: skip
        if len(item_rows) >= BATCH:
            flush()
            if (n + 1) % 20_000 == 0:
                say(f"  {n + 1:,} items ({time.perf_counter() - started:.0f} s)")
    flush()
    raw.execute("COMMIT")
    say(f"items written: {time.perf_counter() - started:.1f} s")
    raw.create_function("prepare", 1, _prepare, deterministic=True)
    raw.execute("BEGIN")
    raw.execute(
        "INSERT INTO item_search (rowid, title, lead, body) SELECT id, prepare(title),"
        " prepare(lead), prepare(body_text) FROM items WHERE status = 'published'"
    )
    raw.execute("COMMIT")
    say(f"search index filled: {time.perf_counter() - started:.1f} s")
    raw.close()
    db = Database(f"sqlite:///{path.absolute()}")
    with db.write() as conn:
        generation.bump(conn)
    db.dispose()
    with contextlib.closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.execute(f"PRAGMA user_version = {BUILD_VERSION}")
    size = path.stat().st_size / 1e6
    say(f"database ready: {time.perf_counter() - started:.1f} s, {size:.0f} MB")


def _schema(path: Path) -> list[tuple[str, str, str]]:
    with contextlib.closing(sqlite3.connect(path)) as raw:
        rows = raw.execute(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_master"
            " WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        )
        return [tuple(row) for row in rows]


def reusable(path: Path, n_items: int) -> bool:
    """Whether *path* is a finished benchmark database with *n_items* published items and the
    schema the migrations make now (a migration may have been edited since it was built)."""
    from tribune.db.engine import Database
    from tribune.db.migrate import upgrade

    if not path.exists():
        return False
    with contextlib.closing(sqlite3.connect(path)) as raw:
        try:
            version = raw.execute("PRAGMA user_version").fetchone()[0]
            count = raw.execute("SELECT count(*) FROM items WHERE status = 'published'")
            if version != BUILD_VERSION or count.fetchone()[0] != n_items:
                return False
        except sqlite3.DatabaseError:
            return False
    db = Database(f"sqlite:///{path.absolute()}")
    upgrade(db)  # newer migrations apply to the reused database too
    db.dispose()
    with tempfile.TemporaryDirectory(prefix="tribune-bench-") as tmp:
        fresh = Path(tmp) / "schema.db"
        db = Database(f"sqlite:///{fresh}")
        upgrade(db)
        db.dispose()
        if _schema(fresh) != _schema(path):
            say(f"{path}: its schema differs from the migrations' now")
            return False
    return True


def prepare_db(path: Path, n_items: int, reuse: bool) -> None:
    if reuse and reusable(path, n_items):
        say(f"reusing {path}")
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    say(f"building {path} with {n_items:,} items ...")
    build_db(path, n_items)


def search_terms(path: Path) -> list[str]:
    """200 search terms: acronyms and names of the publishing parties, cities, surnames, topic
    words in eight languages."""
    from newsgen import CITIES, COMPANY_A, LAST, load_parties

    orgs = _chosen_orgs(random.Random(20261203), load_parties())
    terms: list[str] = []
    for term in [
        *TOPIC_WORDS,
        *CITIES,
        *LAST,
        *COMPANY_A,
        *(o.acronyms[0] for o in orgs[:80] if o.acronyms),
        *(f'"{o.name}"' for o in orgs[80:]),
    ]:
        if term not in terms:
            terms.append(term)
    return terms[:200]


def term_hits(path: Path, terms: list[str]) -> list[int]:
    """How many published items each term matches."""
    from tribune.db.search import fts5_query

    with contextlib.closing(sqlite3.connect(path)) as raw:
        return [
            raw.execute(
                "SELECT count(*) FROM item_search WHERE item_search MATCH ?", (fts5_query(t),)
            ).fetchone()[0]
            for t in terms
        ]


def an_item_path(path: Path) -> str:
    """The path of the item page measured: the item of the median id."""
    with contextlib.closing(sqlite3.connect(path)) as raw:
        public_id, slug = raw.execute(
            "SELECT public_id, slug FROM items WHERE status = 'published' ORDER BY id"
            " LIMIT 1 OFFSET (SELECT count(*) / 2 FROM items WHERE status = 'published')"
        ).fetchone()
    return f"/items/{public_id}/{slug}"


# --- the server and the load generator --------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def status_of(url: str) -> int:
    """The status of a GET of *url* (redirects not followed)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=60) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@contextlib.contextmanager
def server(url: str, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """uvicorn with two workers on 127.0.0.1:*port*, serving the database *url*; its output
    goes to *log*."""
    command = [
        sys.executable, "-m", "uvicorn", "--factory", APP,
        "--workers", "2", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    env = os.environ | {"TRIBUNE_DATABASE_URL": url}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, env=env, start_new_session=True, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                sys.exit(f"uvicorn exited ({proc.returncode}) before answering:\n{log.read_text()}")
            with contextlib.suppress(OSError):
                if status_of(f"http://127.0.0.1:{port}/healthz") == 200:
                    break
            if time.monotonic() > deadline:
                sys.exit("uvicorn did not answer /healthz within 120 s")
            time.sleep(0.2)
        time.sleep(1.0)  # both workers up
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def server_errors(log: Path) -> int:
    """How many requests the server answered with an unhandled exception (500) so far: wrk does
    not see those of requests it gave up at the end of a run."""
    return log.read_text(encoding="utf-8", errors="replace").count("Exception in ASGI application")


@contextlib.contextmanager
def publishing(url: str, every: float) -> Iterator[list[float]]:
    """Bump the site generation every *every* seconds, as each publish does, in a thread."""
    from tribune.db import generation
    from tribune.db.engine import Database

    db = Database(url)
    stop = threading.Event()
    times: list[float] = []

    def run() -> None:
        started = time.monotonic()
        while not stop.wait(every):
            with db.write() as conn:
                generation.bump(conn)
            times.append(time.monotonic() - started)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield times
    finally:
        stop.set()
        thread.join()
        db.dispose()


def children_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the child processes of *pid*."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def one_at_a_time(base: str, terms: list[str], hits: list[int], n: int = 10) -> list[Any]:
    """Searches one at a time (no other request in flight): *n* terms spread over the range of
    matches; (term, matches, seconds) for each."""
    ranked = sorted(zip(hits, terms, strict=True))
    chosen = [ranked[round(i * (len(ranked) - 1) / (n - 1))] for i in range(n)]
    out = []
    for count, term in chosen:
        started = time.perf_counter()
        status = status_of(f"{base}/search?q={urllib.request.quote(term)}&n=one-{time.time_ns()}")
        seconds = time.perf_counter() - started
        if status != 200:
            sys.exit(f"search for {term!r} answered {status}")
        say(f"search {term!r} ({count:,} matches), alone: {seconds:.3f} s")
        out.append((term, count, seconds))
    return out


def wait_idle(server_pid: int, limit: float = 600.0) -> float:
    """Wait until the workers are idle (requests abandoned by wrk still run); seconds waited."""
    started = time.monotonic()
    last = children_cpu(server_pid)
    quiet = 0
    while time.monotonic() - started < limit and quiet < 2:
        time.sleep(0.5)
        now = children_cpu(server_pid)
        quiet = quiet + 1 if now - last < 0.05 else 0
        last = now
    return time.monotonic() - started


def warm_up(url: str, limit: float = 300.0) -> None:
    """GET *url* one request at a time until 8 answers in a row are fast (both workers have it
    cached: requests go to either worker); a cold page must not meet 50 clients at once."""
    started = time.monotonic()
    fast = 0
    while fast < 8 and time.monotonic() - started < limit:
        begun = time.perf_counter()
        if status_of(url) != 200:
            return
        fast = fast + 1 if time.perf_counter() - begun < 0.05 else 0


LUA = """\
-- generated by bench/web_load.py
local paths = {%(paths)s}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
%(request)s
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WEBLOAD {"requests": %%.0f, "duration_us": %%.0f, "bytes": %%.0f, "connect": %%d, ' ..
    '"read": %%d, "write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%.0f, ' ..
    '"p90_us": %%.0f, "p95_us": %%.0f, "p99_us": %%.0f, "max_us": %%.0f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""
LUA_ROTATE = """\
local n = 0
function request()
  n = n + 1
  local k = n * %(threads)d + id
  return wrk.format("GET", paths[(k %% #paths) + 1] .. "&n=%(run)s-" .. k)
end
"""
LUA_CYCLE = """\
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", paths[((n * %(threads)d + id) %% #paths) + 1])
end
"""


def lua_script(
    directory: Path, name: str, paths: list[str] | None = None, *, fresh: bool = True
) -> Path:
    """A wrk script: percentiles and errors from ``done()``; with *paths*, ``request()`` cycles
    over them, each with a parameter seen once when *fresh* (*name* keeps runs apart)."""
    quoted = ", ".join(json.dumps(p, ensure_ascii=False) for p in paths or [])
    cycle = LUA_ROTATE if fresh else LUA_CYCLE
    request = cycle % {"threads": THREADS, "run": name} if paths else ""
    file = directory / f"{name}.lua"
    file.write_text(LUA % {"paths": quoted, "request": request}, encoding="utf-8")
    return file


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse_wrk(out: str) -> dict[str, Any]:
    """Requests/s, wrk's latency distribution (ms), error counts and the ``done()`` figures."""
    result: dict[str, Any] = {}
    found = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    if not found:
        raise ValueError(f"no Requests/sec in wrk's output:\n{out}")
    result["rps"] = float(found.group(1))
    for pct, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", out, re.M):
        result[f"wrk_p{pct}_ms"] = _ms(value)
    found = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx_3xx"] = int(found.group(1)) if found else 0
    found = re.search(r"^WEBLOAD (\{.*\})$", out, re.M)
    if not found:
        raise ValueError(f"no WEBLOAD line in wrk's output:\n{out}")
    done = json.loads(found.group(1))
    result["requests"] = int(done["requests"])
    result["seconds"] = done["duration_us"] / 1e6
    result["bytes_per_request"] = done["bytes"] / max(1, done["requests"])
    for p in (50, 90, 95, 99):
        result[f"p{p}_ms"] = done[f"p{p}_us"] / 1000
    result["max_ms"] = done["max_us"] / 1000
    result["socket_errors"] = sum(done[k] for k in ("connect", "read", "write", "timeout"))
    result["timeouts"] = done["timeout"]
    result["status_errors"] = done["status"]  # answers >= 400
    return result


def run_wrk(
    url: str, seconds: int, script: Path, server_pid: int, clients: int = CONNECTIONS
) -> dict[str, Any]:
    """One wrk run; its figures, and the CPU time of wrk and of the server's workers."""
    command = [
        WRK, f"-t{THREADS}", f"-c{clients}", f"-d{seconds}s", "--latency",
        "--timeout", TIMEOUT, "-s", str(script), url,
    ]  # fmt: skip
    before = children_cpu(server_pid)
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    assert proc.stdout is not None
    out = proc.stdout.read().decode("utf-8", "replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"wrk failed ({proc.returncode}):\n{out}")
    result = parse_wrk(out)
    result["cpu_server_s"] = children_cpu(server_pid) - before
    result["cpu_wrk_s"] = usage.ru_utime + usage.ru_stime
    result["wall_s"] = wall
    result["cpu_ms_per_request"] = 1000 * result["cpu_server_s"] / max(1, result["requests"])
    return result


# --- the report -------------------------------------------------------------------------------


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def summarise(results: dict[str, Any]) -> None:
    """Medians per target, and each target's ratio to /healthz (median of per-round ratios)."""
    base = results["runs"].get("healthz", [])
    for name, runs in results["runs"].items():
        if not runs:
            continue
        keys = ("rps", "p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms", "bytes_per_request",
                "cpu_ms_per_request")  # fmt: skip
        s: dict[str, Any] = {k: _median(runs, k) for k in keys}
        s["rps_each"] = [r["rps"] for r in runs]
        for k in ("requests", "socket_errors", "timeouts", "status_errors", "non_2xx_3xx",
                  "server_errors", "publishes"):  # fmt: skip
            s[k] = sum(r[k] for r in runs)
        s["idle_after_s"] = max(r["idle_after_s"] for r in runs)
        cores = [(r["cpu_server_s"] / r["wall_s"], r["cpu_wrk_s"] / r["wall_s"]) for r in runs]
        s["cores_server"] = statistics.median(c[0] for c in cores)
        s["cores_wrk"] = statistics.median(c[1] for c in cores)
        if base:
            s["ratio"] = statistics.median(
                r["rps"] / b["rps"] for r, b in zip(runs, base, strict=False)
            )
        results["summary"][name] = s


def _verdict(value: float, goal: float, at_least: bool) -> str:
    met = value >= goal if at_least else value < goal
    if math.isinf(value):
        return "MISSED"
    return f"{value / goal:.2f}× ({'met' if met else 'MISSED'})"


def _latency(s: dict[str, Any], p: int) -> tuple[str, float]:
    """The p-th percentile as text and in ms; beyond the timeout when too many timed out."""
    tried = s["requests"] + s["timeouts"]
    if not s["requests"]:
        return "no answer", float("inf")
    if tried and s["timeouts"] / tried > (100 - p) / 100:
        return f"> {TIMEOUT}", float("inf")
    return f"{s[f'p{p}_ms']:,.1f}", s[f"p{p}_ms"]


def table(results: dict[str, Any]) -> str:
    rows = ["| measure | value | goal | ratio to goal |", "| --- | --- | --- | --- |"]
    summary = results["summary"]
    n = results["repeat"]
    median = f", median of {n} runs" if n > 1 else ""
    for name in TARGETS:
        label = LABELS[name] if name != "item" else f"item page `{results['item_path'][:20]}…`"
        s = summary.get(name)
        if s is None:
            if name in results["status_before"]:
                status = results["status_before"][name]
                after = results.get("status_after", {}).get(name)
                again = f" (again at the end: {after})" if after else ""
                rows.append(f"| {label} | not measured: HTTP {status}{again} | 200 | MISSED |")
            continue
        each = ", ".join(f"{x:,.1f}" for x in s["rps_each"]) if n > 1 else ""
        rps = f"{s['rps']:,.1f} req/s" + (f" ({each})" if each else "")
        cpu = f"; server CPU {s['cpu_ms_per_request']:.1f} ms per answer" if s["requests"] else ""
        p50, _ = _latency(s, 50)
        p95, p95_ms = _latency(s, 95)
        p99, p99_ms = _latency(s, 99)
        if s["requests"]:
            latency_50_99 = f"{p50} / **{p99}** ms"
            latency_50_95_99 = f"{p50} / **{p95}** / {p99} ms"
        else:
            latency_50_99 = latency_50_95_99 = f"no answer within {results['duration_s']} s"
        timeouts = f", {s['timeouts']:,} timed out" if s["timeouts"] else ""
        if s["idle_after_s"] >= 5:
            timeouts += f"; server busy {s['idle_after_s']:.0f} s after the run"
        if s["server_errors"]:
            timeouts += f"; {s['server_errors']:,} answered 500 (server log)"
        if name == "healthz":
            rows.append(f"| {label}: throughput{median}; p50 / p99 | {rps}; {p50} / {p99} ms"
                        f"{cpu} | – | – |")  # fmt: skip
            continue
        ratio = s["ratio"]
        if name in PAGES:
            rows.append(
                f"| {label}: throughput{median}, ÷ `/healthz` | {rps}, **{ratio:.2f}**{cpu} "
                f"| ≥ {GOAL_RATIO:g} | {_verdict(ratio, GOAL_RATIO, True)} |"
            )
            rows.append(
                f"| {label}: latency p50 / p99 | {latency_50_99}{timeouts} "
                f"| p99 < {GOAL_P99_MS:g} ms | {_verdict(p99_ms, GOAL_P99_MS, False)} |"
            )
        else:
            clients = CLIENTS.get(name, CONNECTIONS)
            goal = " (diagnosis: the goal is for 50 clients)" if clients != CONNECTIONS else ""
            rows.append(f"| {label}: throughput{median}, ÷ `/healthz` | {rps}, {ratio:.3f}{cpu} "
                        "| – | – |")  # fmt: skip
            rows.append(
                f"| {label}: latency p50 / p95 / p99 | {latency_50_95_99}{timeouts} "
                f"| p95 < {GOAL_SEARCH_P95_MS:g} ms{goal} "
                f"| {_verdict(p95_ms, GOAL_SEARCH_P95_MS, False)} |"
            )
    alone = results.get("one_at_a_time")
    if alone:
        seconds = sorted(x[2] for x in alone)
        rows.append(
            f"| search, one request at a time: {len(alone)} terms from {alone[0][1]:,} to "
            f"{alone[-1][1]:,} matches, median / slowest | {1000 * statistics.median(seconds):,.0f}"
            f" / **{1000 * seconds[-1]:,.0f}** ms | p95 < {GOAL_SEARCH_P95_MS:g} ms (diagnosis: "
            f"no queueing) | {_verdict(1000 * seconds[-1], GOAL_SEARCH_P95_MS, False)} |"
        )
    total = sum(s["requests"] for s in summary.values())
    socket = sum(s["socket_errors"] - s["timeouts"] for s in summary.values())
    timeouts = sum(s["timeouts"] for s in summary.values())
    bad = sum(s["non_2xx_3xx"] for s in summary.values())
    logged = sum(s["server_errors"] for s in summary.values())
    rows.append(
        f"| socket errors / timeouts (> {TIMEOUT}) / non-2xx-3xx answers seen by wrk / 500s in "
        f"the server's log, all runs ({total:,} answers) | {socket} / {timeouts:,} / {bad} / "
        f"{logged:,} | 0 | {'met' if socket + timeouts + bad + logged == 0 else 'MISSED'} |"
    )
    cores = "; ".join(
        f"{name} {s['cores_server']:.2f} + {s['cores_wrk']:.2f}" for name, s in summary.items()
    )
    rows.append(f"| CPU cores busy during a run, server workers + wrk: {cores} | – | – | – |")
    hits = results["term_hits"]
    if any(name.startswith("search") for name in summary):
        rows.append(
            f"| search terms: items matched per term, min / median / max "
            f"| {min(hits):,} / {statistics.median(hits):,.0f} / {max(hits):,} | – | – |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000, help="items (default 100000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (default 10)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per target (default 1)")
    parser.add_argument("--reuse", action="store_true", help="keep the database, reuse it")
    parser.add_argument("--db", type=Path, help="the database file (with --reuse)")
    parser.add_argument("--only", help="comma-separated targets (default all)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    if not Path(WRK).exists():
        sys.exit(f"{WRK} is missing: apt-get install wrk")
    targets = [t for t in TARGETS if not args.only or t in args.only.split(",")]
    load = load_average()
    say(f"machine: {machine()}; load average {load}")
    results: dict[str, Any] = {
        "items": args.items,
        "duration_s": args.duration,
        "repeat": args.repeat,
        "threads": THREADS,
        "connections": CONNECTIONS,
        "machine": machine(),
        "load_average": load,
        "date": date.today().isoformat(),
        "status_before": {},
        "runs": {t: [] for t in targets},
        "summary": {},
    }
    with tempfile.TemporaryDirectory(prefix="tribune-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        if args.reuse:
            path = args.db or Path(tempfile.gettempdir()) / f"tribune-web-load-{args.items}.db"
        else:
            path = args.db or tmp / "web.db"
        prepare_db(path, args.items, args.reuse)
        terms = search_terms(path)
        results["term_hits"] = term_hits(path, terms)
        results["item_path"] = an_item_path(path)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        paths = {
            "healthz": "/healthz",
            "front": "/",
            "item": results["item_path"],
            "org": "/orgs/gr-kke",
            "atom": "/index.atom",
            "front-publish": "/",
            "search-cached": "/search?q=" + urllib.request.quote(terms[2]),
            "search": "/search?q=" + urllib.request.quote(terms[0]),
            "search-c2": "/search?q=" + urllib.request.quote(terms[1]),
        }
        search_paths = [f"/search?q={urllib.request.quote(t)}" for t in terms]
        url = f"sqlite:///{path.absolute()}"
        log = tmp / "uvicorn.log"
        with server(url, port, log) as proc:
            for name in targets:
                started = time.perf_counter()
                status = status_of(base + paths[name])
                results["status_before"][name] = status
                say(f"{name}: GET {paths[name]} → {status} ({time.perf_counter() - started:.2f} s)")
            measured = [t for t in targets if results["status_before"][t] == 200]
            if "search" in measured:
                results["one_at_a_time"] = one_at_a_time(base, terms, results["term_hits"])
            for round_no in range(args.repeat):
                for name in measured:
                    rotate = search_paths if name.startswith("search") else None
                    fresh = name != "search-cached"
                    clients = CLIENTS.get(name, CONNECTIONS)
                    if rotate and fresh:  # a few searches, one at a time (each later one new)
                        for term in search_paths[-4:]:
                            status_of(f"{base}{term}&n=warm{round_no}{name}")
                    else:  # one client until both workers have the page(s), then 50
                        for path in rotate or [paths[name]]:
                            warm_up(base + path)
                        warm = lua_script(tmp, f"w{round_no}{name}", rotate, fresh=False)
                        run_wrk(base + paths[name], WARMUP_S, warm, proc.pid, clients)
                    wait_idle(proc.pid)
                    errors_before = server_errors(log)
                    script = lua_script(tmp, f"r{round_no}{name}", rotate, fresh=fresh)
                    every = PUBLISH_EVERY if name == "front-publish" else 0.0
                    with publishing(url, every) if every else contextlib.nullcontext([]) as bumps:
                        run = run_wrk(base + paths[name], args.duration, script, proc.pid, clients)
                    run["publishes"] = len(bumps)
                    run["idle_after_s"] = wait_idle(proc.pid)
                    run["server_errors"] = server_errors(log) - errors_before
                    results["runs"][name].append(run)
                    say(
                        f"round {round_no + 1} {name}: {run['rps']:,.0f} req/s, p50 "
                        f"{run['p50_ms']:.1f} ms, p95 {run['p95_ms']:.1f} ms, p99 "
                        f"{run['p99_ms']:.1f} ms, errors {run['socket_errors']}/"
                        f"{run['status_errors']}/{run['non_2xx_3xx']}, cpu server "
                        f"{run['cpu_server_s']:.1f} s wrk {run['cpu_wrk_s']:.1f} s, "
                        f"{run['cpu_ms_per_request']:.2f} ms CPU/request; server busy "
                        f"{run['idle_after_s']:.1f} s after the run; publishes "
                        f"{run['publishes']}; server errors {run['server_errors']}"
                    )
            if "org" in targets and results["status_before"]["org"] != 200:
                results["status_after"] = {"org": status_of(base + paths["org"])}
                say(f"org: GET {paths['org']} again → {results['status_after']['org']}")
        results["runs"] = {k: v for k, v in results["runs"].items() if v}
        results["load_average_end"] = load_average()
        summarise(results)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return
    result = table(results)
    print("\n" + result)
    if args.write:
        command = " ".join([".venv/bin/python bench/web_load.py", *sys.argv[1:]])
        loads = [float(x.split()[0]) for x in (load, results["load_average_end"])]
        busy = " (other work ran on the machine)" if max(loads) > 1.0 else ""
        replace_section(
            HEADING,
            f"`{command}` — {results['date']}, on {machine()}; load average at the start "
            f"{load} (1, 5, 15 min), at the end {results['load_average_end']}{busy}. **wrk "
            f"shares the two cores with the server** (see the CPU row)."
            f"\n\n{result}\n\n{method(results)}",
        )
        say("updated docs/benchmarks.md")


def method(results: dict[str, Any]) -> str:
    return (
        f"A SQLite database with the packaged KB and {results['items']:,} published items "
        f"(about 1.6 kB of text each, eight languages, {N_ORGS} publishing organisations, three "
        f"years of dates; each with its revision and mentions, all in the search index), served "
        f"by `uvicorn --factory tribune.web.app:app_from_environment --workers 2 --log-level "
        f"warning` on 127.0.0.1 (httptools and uvloop, installed with Tribune); "
        f"load from `wrk -t{THREADS} -c{CONNECTIONS} -d{results['duration_s']}s --latency "
        f"--timeout {TIMEOUT}` on the same two cores. Before each page run, one client fetches "
        f"the page until both workers have it cached, then a {WARMUP_S}-second run at 50 "
        f"clients; between runs the benchmark waits until the workers are idle (requests wrk "
        f'gave up at the end of a run still run in the server: "server busy" says how long). '
        f"Pages and the feed are answered from the page cache (one read of the site generation "
        f"per request). The publish run bumps the site generation every {PUBLISH_EVERY:g} s "
        f"during the run, as each publish does, so every cached page of both workers is "
        f"rebuilt on its next request (one request per page and worker rebuilds it; the others "
        f"get the page as it was). The cached search cycles over 200 terms, so each term's "
        f"page is built once per worker (in the warm-up) and then answered from the cache, as "
        f"repeated searches are until the next publish. In the other search runs every request "
        f"is a cache miss (200 terms in turn, plus a parameter the page ignores that changes on "
        f"every request), so it runs the query, the count and the form's choices; the searches "
        f"one at a time have no other request in flight. Ratio: the target's requests/s ÷ those "
        f"of `/healthz` in the same round; the goals are a ratio of at least {GOAL_RATIO:g} "
        f"and a p99 under {GOAL_P99_MS:g} ms for each page, a p95 under "
        f"{GOAL_SEARCH_P95_MS:g} ms for search. "
        f"Latencies are those of 50 clients that each send a request as soon as the previous "
        f"answer arrives, so they include the wait in the server's queue; wrk counts only the "
        f"answers that arrive within the run, and 500s of requests it gave up are counted from "
        f"the server's log."
    )


if __name__ == "__main__":
    main()
