"""Extraction in worker processes: the same result as inline, and no worker outlives its poll."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tribune.ingest.extract import extract_page
from tribune.ingest.workers import Extractor, workers_for

PAGE = (
    "<html><head><title>On the strike</title></head><body><nav><a href='/'>Home</a></nav>"
    "<article><h1>On the strike</h1><p>"
    + "The dock workers of Piraeus stopped work for a second day against the new law. " * 6
    + "</p></article></body></html>"
)
CHILD = """
import asyncio, sys
from tribune.ingest.workers import Extractor

async def main() -> None:
    extractor = Extractor(2)
    await asyncio.gather(*(extractor.extract(sys.argv[1], None) for _ in range(4)))
    print("extracted", flush=True)
    await asyncio.sleep(60)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_workers_extract_what_the_polling_process_would() -> None:
    async def both() -> tuple[object, object]:
        async with Extractor(2) as pool:
            return await pool.extract(PAGE, "http://x/a"), await pool.extract(PAGE, "http://x/b")

    first, second = asyncio.run(both())
    assert first == extract_page(PAGE, url="http://x/a")
    assert second == first
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


def test_no_worker_outlives_a_killed_poll(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(script), PAGE], stdout=subprocess.PIPE, text=True)
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
