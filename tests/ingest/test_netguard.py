"""The SSRF guard: schemes, address classes, pinning, DNS rebinding, redirects."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
from typing import Any

import pytest
from httpserver import Reply, TestServer

from tribune.config import Settings
from tribune.ingest.errors import BlockedAddress
from tribune.ingest.fetch import Fetcher
from tribune.ingest.netguard import _readable, check_url, refusal

_real_getaddrinfo = socket.getaddrinfo


def _settings(**kw: Any) -> Settings:
    return Settings(**{"allow_private_networks": True, **kw})


def _fake_dns(
    monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]], calls: list[str]
) -> None:
    """``getaddrinfo`` answering made-up names; each call pops the next answer (the last sticks)."""

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in answers:
            calls.append(host)
            queue = answers[host]
            ip = queue.pop(0) if len(queue) > 1 else queue[0]
            family = socket.AF_INET6 if ":" in ip else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (ip, port))]
        return _real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://a.b/"])
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(BlockedAddress, match="scheme"):
        check_url(url, allow_private=True)


@pytest.mark.parametrize(
    ("address", "refused", "refused_when_private_allowed"),
    [
        ("::1", True, False),
        ("127.0.0.1", True, False),
        ("10.1.2.3", True, False),
        ("192.168.0.1", True, False),
        ("fe80::1", True, True),
        ("169.254.169.254", True, True),
        ("::ffff:169.254.169.254", True, True),
        ("::ffff:127.0.0.1", True, False),
        ("0.0.0.0", True, True),
        ("224.0.0.1", True, True),
        ("ff02::1", True, True),
        ("240.0.0.1", True, True),
        ("fd00:ec2::254", True, True),
        ("93.184.215.14", False, False),
        ("2606:4700::1111", False, False),
    ],
)
def test_addresses_are_classified(
    address: str, refused: bool, refused_when_private_allowed: bool
) -> None:
    ip = ipaddress.ip_address(address)
    assert (refusal(ip, allow_private=False) is not None) is refused
    assert (refusal(ip, allow_private=True) is not None) is refused_when_private_allowed


@pytest.mark.parametrize("host", ["[::1]", "[fe80::1]", "0.0.0.0", "224.0.0.1", "localhost"])
def test_literal_and_local_hosts_are_refused(host: str) -> None:
    with pytest.raises(BlockedAddress):
        check_url(f"http://{host}/", allow_private=False)


def test_a_name_resolving_to_loopback_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, {"party.example": ["127.0.0.1"]}, [])
    with pytest.raises(BlockedAddress, match="loopback"):
        check_url("http://party.example/", allow_private=False)
    check_url("http://party.example/", allow_private=True)


def test_one_bad_address_among_many_refuses_the_name(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(BlockedAddress, match="link-local"):
        check_url("http://mixed.example/", allow_private=True)


def test_fetch_refuses_loopback_names_without_allow_private(
    server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_dns(monkeypatch, {"party.example": ["127.0.0.1"]}, [])
    server.route("/", Reply(body=b"hi"))

    async def go() -> None:
        async with Fetcher(_settings(allow_private_networks=False)) as f:
            await f.fetch(server.url("/", host="party.example"))

    with pytest.raises(BlockedAddress, match=r"party\.example"):
        asyncio.run(go())
    assert server.requests == []


def test_the_connection_goes_to_the_checked_address_with_the_host_header(
    server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    _fake_dns(monkeypatch, {"party.example": ["127.0.0.1"]}, calls)
    server.route("/", Reply(body=b"hello", headers={"Content-Type": "text/plain"}))

    async def go() -> str:
        async with Fetcher(_settings(), respect_robots=False) as f:
            return (await f.fetch(server.url("/", host="party.example"))).text

    assert asyncio.run(go()) == "hello"
    assert server.requests[0].headers["host"] == f"party.example:{server.port}"
    assert calls == ["party.example"]


def test_dns_rebinding_is_resolved_once_per_request(
    server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """First answer loopback (allowed), every later answer the metadata address."""
    calls: list[str] = []
    _fake_dns(monkeypatch, {"party.example": ["127.0.0.1", "169.254.169.254"]}, calls)
    server.route("/", Reply(body=b"hello"))

    async def go() -> tuple[str, BaseException | None]:
        async with Fetcher(_settings(), respect_robots=False) as f:
            first = await f.fetch(server.url("/", host="party.example"))
            try:
                await f.fetch(server.url("/", host="party.example"))
            except BlockedAddress as exc:
                return first.text, exc
            return first.text, None

    text, error = asyncio.run(go())
    assert text == "hello"
    assert len(server.requests) == 1  # the first request went to the checked address only
    assert calls == ["party.example", "party.example"]  # once per request, never by the library
    assert isinstance(error, BlockedAddress)
    assert "169.254.169.254" in str(error)


def test_a_redirect_to_metadata_is_refused_even_with_allow_private(server: TestServer) -> None:
    target = "http://169.254.169.254/latest/meta-data/"
    server.route("/go", Reply(302, headers={"Location": target}))

    async def go() -> None:
        async with Fetcher(_settings(), respect_robots=False) as f:
            await f.fetch(server.url("/go"))

    with pytest.raises(BlockedAddress, match="link-local"):
        asyncio.run(go())


def test_a_redirect_to_a_private_address_is_refused_without_allow_private(
    server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first hop goes to a "public" name (faked) whose server redirects to 10.0.0.1."""
    _fake_dns(monkeypatch, {"public.example": ["127.0.0.1"]}, [])
    server.route("/go", Reply(302, headers={"Location": "http://10.0.0.1/admin"}))

    async def go() -> None:
        async with Fetcher(_settings(allow_private_networks=False), respect_robots=False) as f:
            await f.fetch(server.url("/go", host="public.example"))

    monkeypatch.setattr("tribune.ingest.netguard.refusal", _refuse_only_ten)
    with pytest.raises(BlockedAddress, match=r"10\.0\.0\.1"):
        asyncio.run(go())
    assert server.paths() == ["/go"]


def _refuse_only_ten(ip: Any, *, allow_private: bool) -> str | None:
    """The real rules, except that loopback counts as public so the first hop can be served."""
    if ip.is_loopback:
        return None
    return refusal(ip, allow_private=allow_private)


def test_a_kept_alive_connection_the_server_closed_is_not_reused() -> None:
    """The server answers each connection once, then closes it without saying so: the pool
    must see the closed connection as readable (its end is waiting) and open a new one, or the
    second request would be sent into a dead socket."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    served: list[int] = []

    def serve() -> None:
        for n in range(2):
            conn, _ = listener.accept()
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(4096)
                body = f"answer {n}".encode()
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                served.append(n)
        listener.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    async def go() -> list[str]:
        async with Fetcher(_settings(), respect_robots=False) as f:
            first = (await f.fetch(f"http://127.0.0.1:{port}/a")).text
            while len(served) < 1:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.1)  # the server has closed the first connection by now
            return [first, (await f.fetch(f"http://127.0.0.1:{port}/b")).text]

    assert asyncio.run(go()) == ["answer 0", "answer 1"]
    thread.join(timeout=5)
    assert served == [0, 1]


def test_readability_of_a_connection() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert not _readable(ours)  # idle: a read would wait
        theirs.sendall(b"x")
        assert _readable(ours)
        ours.recv(1)
        theirs.close()
        assert _readable(ours)  # the end of the connection is waiting
    assert _readable(ours)  # closed here: as good as readable
    assert _readable(None)
