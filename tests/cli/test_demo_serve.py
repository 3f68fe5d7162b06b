"""``tribune demo`` as the README's first command runs it: a real process that gathers the
sample sites, publishes part of them, prints a one-time login and serves a full front page."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

from tribune.demo import demo_sites


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _free_run(n: int) -> int:
    for start in range(21000, 60000, 97):
        try:
            for port in range(start, start + n):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return start
    raise RuntimeError("no free run of ports")


def test_demo_serves_a_full_newswire_with_a_working_login(tmp_path: Path) -> None:
    port, sites = _free_port(), _free_run(len(demo_sites()))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIBUNE_")}
    env["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tribune.cli",
            "demo",
            "--port",
            str(port),
            "--sites-port",
            str(sites),
            "--no-progress",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 300
        password = ""
        while not password:
            line = process.stdout.readline()
            assert line or process.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "".join(lines)
            lines.append(line)
            found = re.search(r"name editor, password (\S+)", line)
            password = found.group(1) if found else ""
        assert f"http://127.0.0.1:{port}/" in "".join(lines)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=20) as client:
            front = None
            while front is None:
                assert time.monotonic() < deadline, "the demo site did not answer"
                try:
                    front = client.get("/")
                except httpx.TransportError:
                    time.sleep(0.1)
            assert front.status_code == 200
            assert "Featured" in front.text
            assert front.text.count('class="card') >= 20
            assert 'rel="next"' in front.text  # more than one page
            # the joint statement the demo accepted, grown by a revision and a portal's copy
            joints = client.get("/joint-statements")
            link = re.search(r'href="(/joint-statements/[^"]+)">Joint Statement of', joints.text)
            assert link is not None, joints.text
            assert '<span class="badge">New signatures updated</span>' in joints.text
            joint = client.get(link.group(1)).text
            assert "36 signatories" in joint
            assert "New signatures updated" in joint
            assert "Communist Party of Kenya" in joint  # not in the KB: as printed
            assert "— from the copy at " in joint
            assert "— from the revision 2 of " in joint
            # the compilation the demo started is public, with its headline and its entries
            listed = client.get("/stories")
            started = re.search(
                r'<a href="(/stories/[^"]+)">([^<]+\(To be updated\))</a>', listed.text
            )
            assert started is not None, listed.text[:2000]
            compilation = client.get(started.group(1))
            assert compilation.status_code == 200
            assert compilation.text.count('class="entry"') >= 2
            assert "Who has spoken" in compilation.text
            form = client.get("/editor/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token
            login = client.post(
                "/editor/login",
                data={"name": "editor", "password": password, "csrf_token": token.group(1)},
            )
            assert login.status_code == 303
            inbox = client.get("/editor/inbox")
            assert inbox.status_code == 200
            assert inbox.text.count("data-item=") >= 20  # the rest wait in the inbox
            # every stage's suggestions are there for the editor
            found = {
                "kinds": "kind: <strong>" in inbox.text,
                "stories": "Stories: suggestions" in inbox.text,
                "compilations": "Compilations to start" in inbox.text,
                "roles": 'id="role-suggestions-heading"' in inbox.text,
                "joint statements": 'id="joint-suggestions-heading"' in inbox.text,
            }
            assert all(found.values()), found
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0, out
        assert "stopped; the scheduler lease is released" in out
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
