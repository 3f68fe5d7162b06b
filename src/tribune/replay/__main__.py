"""``python -m tribune.replay ROOT``: serve a directory of captured sites until interrupted.

For looking at captured sites in a browser or pointing a development instance at them.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from pathlib import Path

from tribune.replay.server import ReplayServer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tribune.replay", description=__doc__)
    parser.add_argument("root", type=Path, help="directory with one subdirectory per site")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port-base",
        type=int,
        metavar="N",
        help="ports N, N+1, ... for the sites in name order (default: any free ports)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)
    server = ReplayServer(args.root, host=args.host, port_base=args.port_base)
    server.verbose = not args.quiet
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: done.set())
    with server:
        for name, url in server.sites.items():
            print(f"{name}\t{url}/", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while not done.wait(0.5):  # a timeout keeps Ctrl-C deliverable
                pass


if __name__ == "__main__":
    main()
