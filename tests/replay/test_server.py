"""The replay server over real HTTP: files, conditional requests, every misbehaviour, the logs."""

from __future__ import annotations

import http.client
import json
import socket
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tribune.replay import ReplayServer

GREEK = "Ανακοίνωση του Κόμματος για την ειρήνη"
INDEX = "<html><head><title>Alpha</title></head><body><a href='/feed.xml'>feed</a></body></html>"
ALPHA_CONFIG = {
    "charset": "utf-8",
    "paths": {
        "/slow.xml": {"delay": 0.4},
        "/err": {"status": 500},
        "/busy": {"status": 429, "retry_after": 120},
        "/huge": {"huge_mb": 20},
        "/bomb": {"gzip_bomb_mb": 8},
        "/loop": {"redirect_loop": True},
        "/meta": {"redirect": "http://169.254.169.254/latest/meta-data/"},
        "/private": {"redirect": "http://10.0.0.1/"},
        "/wrong-charset.xml": {"charset": "utf-8", "encode": "iso-8859-7"},
        "/no-charset.html": {"charset": None},
        "/broken.xml": {"malformed_xml": True},
        "/html-as-feed.xml": {"content_type": "application/rss+xml", "body_from": "index.html"},
        "/billion-laughs.xml": {"entity_bomb": True},
        "/always-304": {"status": 304},
    },
}
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Alpha</title><link>{{site}}/</link>
<item><title>One</title><link>{{site:alpha}}/articles/1.html</link></item>
<item><title>Joint</title><link>{{site:beta}}/articles/a.html</link></item>
<item><title>Elsewhere</title><link>{{site:nowhere}}/x</link></item>
</channel></rss>
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    alpha = tmp_path / "alpha"
    _write(alpha / "index.html", INDEX)
    _write(alpha / "robots.txt", "User-agent: *\nDisallow: /private\n")
    _write(alpha / "feed.xml", FEED)
    _write(alpha / "feed.rss", FEED)
    _write(alpha / "feed.atom", '<feed xmlns="http://www.w3.org/2005/Atom"/>')
    _write(alpha / "feeds" / "feed.json", '{"version": "https://jsonfeed.org/version/1.1"}')
    _write(alpha / "data.json", "{}")
    _write(alpha / "articles" / "1.html", "<p>First version</p>")
    _write(alpha / "articles" / "index.html", "<p>Articles</p>")
    _write(alpha / "wrong-charset.xml", f"<rss><channel><title>{GREEK}</title></channel></rss>")
    _write(alpha / "no-charset.html", "<p>no charset</p>")
    _write(alpha / "broken.xml", FEED)
    _write(alpha / "_replay.json", json.dumps(ALPHA_CONFIG))
    _write(alpha / "_later" / "articles" / "1.html", "<p>Second version</p>")
    _write(alpha / "_later" / "articles" / "new" / "index.html", "<p>Published later</p>")
    _write(alpha / "_later" / "feed.xml", FEED.replace("<title>One</title>", "<title>Uno</title>"))
    _write(tmp_path / "beta" / "index.html", "<p>Beta</p>")
    _write(tmp_path / "beta" / "articles" / "a.html", "<p>A</p>")
    _write(tmp_path / "gamma" / "index.html", "<p>Gamma</p>")
    _write(tmp_path / "_shared" / "index.html", "not a site")
    return tmp_path


@pytest.fixture
def server(root: Path) -> Iterator[ReplayServer]:
    with ReplayServer(root) as running:
        yield running


def fetch(
    url: str, *, method: str = "GET", headers: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, Message, bytes]:
    """One request with http.client, which follows no redirect and decodes nothing."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        conn.request(
            method, parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
        )
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def until(condition: Callable[[], bool], seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition never met"
        time.sleep(0.01)


def test_each_site_has_its_own_port(server: ReplayServer) -> None:
    assert set(server.sites) == {"alpha", "beta", "gamma"}
    ports = {urlsplit(base).port for base in server.sites.values()}
    assert len(ports) == 3
    assert server.url("beta", "articles/a.html") == server.sites["beta"] + "/articles/a.html"
    assert fetch(server.url("beta"))[2] == b"<p>Beta</p>"
    assert fetch(server.url("gamma", "/"))[2] == b"<p>Gamma</p>"


def test_answers_are_sent_without_nagle_delay(server: ReplayServer) -> None:
    """The head and the body of an answer leave in two writes; with Nagle's algorithm on, the
    body of every answer on a kept-alive connection would wait for the client's delayed ACK."""
    host, port = urlsplit(server.sites["alpha"]).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        for _ in range(2):  # the same kept-alive connection, twice
            conn.request("GET", "/robots.txt")
            assert conn.getresponse().read()
        open_sockets = list(server._sites["alpha"].connections)
        assert len(open_sockets) == 1
        assert open_sockets[0].getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        conn.close()


def test_files_index_robots_and_404(server: ReplayServer) -> None:
    status, headers, body = fetch(server.url("alpha", "/robots.txt"))
    assert (status, body) == (200, b"User-agent: *\nDisallow: /private\n")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert fetch(server.url("alpha", "/articles/"))[2] == b"<p>Articles</p>"
    assert fetch(server.url("alpha", "/articles"))[2] == b"<p>Articles</p>"
    assert fetch(server.url("beta", "/robots.txt"))[0] == 404
    assert fetch(server.url("alpha", "/nothing.html"))[0] == 404
    assert fetch(server.url("alpha", "/_replay.json"))[0] == 404
    assert fetch(server.url("alpha", "/../beta/index.html"))[0] == 404


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/feed.rss", "application/rss+xml; charset=utf-8"),
        ("/feed.atom", "application/atom+xml; charset=utf-8"),
        ("/feeds/feed.json", "application/feed+json; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
    ],
)
def test_content_types(server: ReplayServer, path: str, expected: str) -> None:
    assert fetch(server.url("alpha", path))[1]["Content-Type"] == expected


def test_placeholders_become_base_urls(server: ReplayServer) -> None:
    body = fetch(server.url("alpha", "/feed.xml"))[2].decode()
    assert f"<link>{server.sites['alpha']}/</link>" in body
    assert f"{server.sites['alpha']}/articles/1.html" in body
    assert f"{server.sites['beta']}/articles/a.html" in body
    assert "{{site:nowhere}}/x" in body  # unknown sites are left visible, not guessed
    link = ET.fromstring(body).findall("./channel/item/link")[1].text
    assert fetch(link or "")[2] == b"<p>A</p>"


def test_conditional_requests(server: ReplayServer) -> None:
    url = server.url("alpha", "/feed.xml")
    status, headers, body = fetch(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200
    assert etag
    assert modified
    assert fetch(url, headers={"If-None-Match": etag})[:3:2] == (304, b"")
    assert fetch(url, headers={"If-None-Match": f'"other", W/{etag}'})[0] == 304
    assert fetch(url, headers={"If-Modified-Since": modified})[0] == 304
    assert fetch(url, headers={"If-None-Match": '"other"', "If-Modified-Since": modified})[0] == 200
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert fetch(url, headers={"If-Modified-Since": old})[0] == 200
    head = fetch(url, method="HEAD")
    assert head[0] == 200
    assert head[2] == b""
    assert head[1]["Content-Length"] == str(len(body))


def test_fixed_last_modified(root: Path) -> None:
    config = {**ALPHA_CONFIG, "last_modified": "Tue, 04 Mar 2025 10:00:00 GMT"}
    (root / "alpha" / "_replay.json").write_text(json.dumps(config), "utf-8")
    with ReplayServer(root) as server:
        headers = fetch(server.url("alpha", "/feed.xml"))[1]
        assert headers["Last-Modified"] == "Tue, 04 Mar 2025 10:00:00 GMT"


def test_error_statuses(server: ReplayServer) -> None:
    assert fetch(server.url("alpha", "/err"))[0] == 500
    status, headers, _ = fetch(server.url("alpha", "/busy"))
    assert (status, headers["Retry-After"]) == (429, "120")
    status, _, body = fetch(server.url("alpha", "/always-304"))
    assert (status, body) == (304, b"")


def test_slow_responses_trip_timeouts_and_stop_interrupts_them(server: ReplayServer) -> None:
    start = time.monotonic()
    assert fetch(server.url("alpha", "/slow.xml"))[0] == 404  # slow, then not found
    assert time.monotonic() - start >= 0.4
    with pytest.raises(TimeoutError):
        fetch(server.url("alpha", "/slow.xml"), timeout=0.1)
    server.misbehave("beta", "/", delay=30)
    outcome: list[BaseException] = []

    def wait_for_beta() -> None:
        try:
            fetch(server.url("beta"))
        except (OSError, http.client.HTTPException) as exc:
            outcome.append(exc)

    waiting = threading.Thread(target=wait_for_beta)
    waiting.start()
    until(lambda: server.concurrency("beta").current == 1)
    start = time.monotonic()
    server.stop()
    waiting.join(5)
    assert time.monotonic() - start < 3
    assert not waiting.is_alive()
    assert outcome  # the connection was cut, not answered


def test_huge_body_is_streamed(server: ReplayServer) -> None:
    parts = urlsplit(server.url("alpha", "/huge"))
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    tracemalloc.start()
    try:
        conn.request("GET", "/huge")
        response = conn.getresponse()
        assert response.headers["Content-Length"] == str(20 * 1024 * 1024)
        total = 0
        while chunk := response.read(64 * 1024):
            total += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        conn.close()
    assert total == 20 * 1024 * 1024
    assert peak < 4 * 1024 * 1024  # neither side ever held the body whole


def test_gzip_bomb_inflates_to_its_size(server: ReplayServer) -> None:
    status, headers, body = fetch(server.url("alpha", "/bomb"))
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert len(body) < 8 * 1024 * 1024 // 500
    inflater = zlib.decompressobj(wbits=31)
    total, data = 0, body
    while data:
        total += len(inflater.decompress(data, 1024 * 1024))
        data = inflater.unconsumed_tail
    assert total == 8 * 1024 * 1024
    assert inflater.eof


def test_redirect_loop_never_ends(server: ReplayServer) -> None:
    url, seen = server.url("alpha", "/loop"), set()
    for hop in range(1, 30):
        status, headers, _ = fetch(url)
        assert status == 302
        assert headers["Location"] == f"/loop?n={hop}"
        url = server.url("alpha", headers["Location"])
        seen.add(url)
    assert len(seen) == 29
    assert server.count("alpha", "/loop") == 29


@pytest.mark.parametrize(
    ("path", "location"),
    [("/meta", "http://169.254.169.254/latest/meta-data/"), ("/private", "http://10.0.0.1/")],
)
def test_redirects_to_private_addresses(server: ReplayServer, path: str, location: str) -> None:
    status, headers, _ = fetch(server.url("alpha", path))
    assert (status, headers["Location"]) == (302, location)


def test_charsets_wrong_and_missing(server: ReplayServer) -> None:
    _, headers, body = fetch(server.url("alpha", "/wrong-charset.xml"))
    assert headers["Content-Type"] == "application/xml; charset=utf-8"
    assert GREEK.encode("iso-8859-7") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    _, headers, body = fetch(server.url("alpha", "/no-charset.html"))
    assert headers["Content-Type"] == "text/html"
    assert body == b"<p>no charset</p>"


def test_a_whole_site_in_another_encoding(root: Path) -> None:
    russian = "<p>Заявление Президиума ЦК КПРФ</p>"
    _write(root / "delta" / "index.html", russian)
    config = {"charset": "windows-1251", "encode": "cp1251"}
    _write(root / "delta" / "_replay.json", json.dumps(config))
    with ReplayServer(root) as server:
        _, headers, body = fetch(server.url("delta", "/"))
        assert headers["Content-Type"] == "text/html; charset=windows-1251"
        assert body == russian.encode("cp1251")
    _write(root / "delta" / "_replay.json", json.dumps({"encode": "no-such-codec"}))
    with pytest.raises(LookupError):
        ReplayServer(root)


def test_malformed_xml_does_not_parse(server: ReplayServer) -> None:
    status, _, body = fetch(server.url("alpha", "/broken.xml"))
    assert status == 200
    with pytest.raises(ET.ParseError):
        ET.fromstring(body)
    server.misbehave("beta", "/feed.xml", malformed_xml=True)  # no file: a broken feed anyway
    with pytest.raises(ET.ParseError):
        ET.fromstring(fetch(server.url("beta", "/feed.xml"))[2])


def test_html_served_as_feed(server: ReplayServer) -> None:
    _, headers, body = fetch(server.url("alpha", "/html-as-feed.xml"))
    assert headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert body == INDEX.encode()


def test_entity_bomb(server: ReplayServer) -> None:
    _, headers, body = fetch(server.url("alpha", "/billion-laughs.xml"))
    text = body.decode()
    assert headers["Content-Type"].startswith("application/rss+xml")
    assert len(body) < 2048
    assert "<!DOCTYPE rss [" in text
    for level in range(1, 10):
        assert f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' in text
    assert "<title>&lol9;</title>" in text  # never parsed here: expanded, it is 3 GB


def test_misbehaviour_switched_between_polls(server: ReplayServer) -> None:
    url = server.url("beta", "/articles/a.html")
    assert fetch(url)[0] == 200
    server.misbehave("beta", "/articles/a.html", status=503, retry_after=5)
    status, headers, _ = fetch(url)
    assert (status, headers["Retry-After"]) == (503, "5")
    server.reset("beta")
    assert fetch(url)[0] == 200
    server.misbehave("alpha", "/err")  # no options: normal, whatever _replay.json says
    assert fetch(server.url("alpha", "/err"))[0] == 404
    server.reset("alpha", "/err")
    assert fetch(server.url("alpha", "/err"))[0] == 500
    with pytest.raises(ValueError, match="unknown replay options"):
        server.misbehave("alpha", "/x", statuss=500)


def test_replace_overlays_content_between_polls(server: ReplayServer, root: Path) -> None:
    url = server.url("alpha", "/articles/1.html")
    _, first, _ = fetch(url)
    server.replace("alpha", "/articles/1.html", "<p>Edited</p><a href='{{site:beta}}/'>b</a>")
    status, second, body = fetch(url, headers={"If-None-Match": first["ETag"]})
    assert status == 200
    assert body.decode() == f"<p>Edited</p><a href='{server.sites['beta']}/'>b</a>"
    assert second["ETag"] != first["ETag"]
    assert fetch(url, headers={"If-Modified-Since": first["Last-Modified"]})[0] == 200
    assert (root / "alpha" / "articles" / "1.html").read_text("utf-8") == "<p>First version</p>"
    server.replace("alpha", "/signatories.html", "<li>One</li>")
    server.replace("alpha", "/signatories.html", "<li>One</li><li>Two</li>")
    assert fetch(server.url("alpha", "/signatories.html"))[2] == b"<li>One</li><li>Two</li>"
    server.restore("alpha")
    assert fetch(url)[2] == b"<p>First version</p>"
    assert fetch(server.url("alpha", "/signatories.html"))[0] == 404


def test_paths_starting_with_an_underscore_are_never_served(server: ReplayServer) -> None:
    for path in ("/_later/articles/1.html", "/_later/feed.xml", "/_later/", "/_replay.json"):
        assert fetch(server.url("alpha", path))[0] == 404, path
    assert fetch(server.url("gamma", "/_shared/index.html"))[0] == 404


def test_publish_later_serves_the_later_files_until_restored(server: ReplayServer) -> None:
    url = server.url("alpha", "/articles/1.html")
    _, first, _ = fetch(url)
    assert fetch(server.url("alpha", "/articles/new/"))[0] == 404
    published = server.publish_later()
    assert published == {"alpha": ["/articles/1.html", "/articles/new/index.html", "/feed.xml"]}
    status, second, body = fetch(url, headers={"If-None-Match": first["ETag"]})
    assert (status, body) == (200, b"<p>Second version</p>")
    assert second["ETag"] != first["ETag"]
    assert fetch(url, headers={"If-Modified-Since": first["Last-Modified"]})[0] == 200
    for path in ("/articles/new/", "/articles/new", "/articles/new/index.html"):
        assert fetch(server.url("alpha", path))[2] == b"<p>Published later</p>", path
    feed = fetch(server.url("alpha", "/feed.xml"))[2].decode()
    assert "<title>Uno</title>" in feed
    assert f"{server.sites['beta']}/articles/a.html" in feed  # placeholders still rewritten
    assert fetch(server.url("alpha", "/_later/articles/1.html"))[0] == 404
    assert fetch(server.url("beta", "/articles/a.html"))[2] == b"<p>A</p>"
    server.restore()
    assert fetch(url)[2] == b"<p>First version</p>"
    assert fetch(server.url("alpha", "/articles/new/"))[0] == 404
    assert "<title>One</title>" in fetch(server.url("alpha", "/feed.xml"))[2].decode()


def test_request_log_and_counts(server: ReplayServer) -> None:
    fetch(server.url("alpha", "/robots.txt"), headers={"User-Agent": "TribuneBot/1"})
    fetch(server.url("alpha", "/feed.xml?page=2"))
    fetch(server.url("alpha", "/feed.xml"), method="HEAD")
    log = server.requests("alpha")
    assert [(r.method, r.path) for r in log] == [
        ("GET", "/robots.txt"),
        ("GET", "/feed.xml?page=2"),
        ("HEAD", "/feed.xml"),
    ]
    assert log[0].headers["user-agent"] == "TribuneBot/1"
    assert server.count("alpha", "/feed.xml") == 2
    assert server.count("alpha", "/robots.txt") == 1
    assert server.requests("beta") == []
    server.clear_log()
    assert server.requests("alpha") == []


def test_concurrency_is_counted_per_site(server: ReplayServer) -> None:
    server.misbehave("beta", "/", delay=1)
    threads = [threading.Thread(target=fetch, args=(server.url("beta"),)) for _ in range(5)]
    for thread in threads:
        thread.start()
    until(lambda: server.concurrency("beta").current == 5)
    for thread in threads:
        thread.join()
    # a handler leaves the count just after its client has read the answer
    until(lambda: server.concurrency("beta").current == 0)
    assert server.concurrency("beta") == (0, 5)
    assert server.concurrency("alpha") == (0, 0)


def test_stop_frees_the_ports(root: Path) -> None:
    server = ReplayServer(root).start()
    ports = [urlsplit(base).port or 0 for base in server.sites.values()]
    fetch(server.url("alpha"))
    server.stop()
    assert server.sites == {}
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        with socket.socket() as again:  # as a restarted server would bind it
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            again.bind(("127.0.0.1", port))


def test_module_serves_a_directory(root: Path) -> None:
    command = [sys.executable, "-m", "tribune.replay", str(root), "--quiet"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            lines = dict(process.stdout.readline().split("\t") for _ in range(3))
            assert set(lines) == {"alpha", "beta", "gamma"}
            assert fetch(lines["beta"].strip())[2] == b"<p>Beta</p>"
        finally:
            process.terminate()
        assert process.wait(10) == 0  # SIGTERM stops it cleanly


def test_a_client_hanging_up_is_not_reported_as_an_error(
    server: ReplayServer, capfd: pytest.CaptureFixture[str]
) -> None:
    """A poller closes its kept-alive connections with a reset: the server says nothing."""
    parts = urlsplit(server.url("alpha", "/"))
    assert parts.hostname is not None
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: alpha\r\n\r\n")
        assert sock.recv(12).startswith(b"HTTP/1.1 200")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset
    time.sleep(0.3)  # the server's thread meets the reset reading the next request
    status, _, body = fetch(server.url("alpha", "/"))
    assert status == 200
    assert b"Alpha" in body
    assert "Exception" not in capfd.readouterr().err
