"""Extraction in worker processes: the same result as inline, and no worker outlives its poll."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tribune.db.engine import Database
from tribune.ingest.dedupe import minhash
from tribune.ingest.extract import extract_page
from tribune.ingest.workers import POOL_AFTER, Context, Extractor, Prepared, workers_for
from tribune.understand.link import get_linker

PAGE = (
    "<html><head><title>On the strike</title></head><body><nav><a href='/'>Home</a></nav>"
    "<article><h1>On the strike</h1><p>"
    + "The dock workers of Piraeus stopped work for a second day against the new law. " * 6
    + "The Communist Party of Greece stood by them.</p></article></body></html>"
)
CHILD = """
import asyncio, sys
from tribune.db.engine import Database
from tribune.ingest.workers import Context, Extractor
from tribune.understand.link import get_linker

async def main() -> None:
    db = Database(sys.argv[2])
    extractor = Extractor(2, lambda: get_linker(db))
    await asyncio.gather(*(extractor.page(sys.argv[1], None, Context()) for _ in range(12)))
    print("extracted", flush=True)
    await asyncio.sleep(60)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_workers_prepare_what_the_polling_process_would(shared_kb_db: Database) -> None:
    context = Context(title="Feed title", language="en", source_org="gr-kke")

    async def prepare(workers: int) -> tuple[list[Prepared | None], bool]:
        linker = get_linker(shared_kb_db)
        async with Extractor(workers, lambda: linker) as pool:
            # more entries at once than POOL_AFTER: the later ones go to worker processes
            done = await asyncio.gather(
                *(pool.page(PAGE, "http://x/a", context) for _ in range(POOL_AFTER * 2))
            )
            return list(done), pool._pool is not None

    there, used_processes = asyncio.run(prepare(2))
    here, used_none = asyncio.run(prepare(1))
    assert used_processes
    assert not used_none
    assert there == here
    first = there[0]
    assert first is not None
    assert first.extracted == extract_page(PAGE, url="http://x/a")
    # the near-duplicate signature is made in the worker, as the store would make it
    assert first.signature == minhash(first.extracted.text).tobytes()
    assert first.language == "en"
    assert [m.id for m in first.found["body"]] == ["gr-kke"]
    assert workers_for(0) == (os.cpu_count() or 1)
    assert workers_for(3) == 3


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def test_no_worker_outlives_a_killed_poll(tmp_path: Path, shared_kb_db: Database) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), PAGE, shared_kb_db.url],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the resource tracker's note about its killed parent
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "extracted"
        workers = _children(child.pid)
        assert len(workers) >= 2  # the two workers (and multiprocessing's resource tracker)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
            time.sleep(0.1)
        alive = [p for p in workers if Path(f"/proc/{p}").exists()]
        assert alive == []
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        assert child.stdout is not None
        child.stdout.close()
