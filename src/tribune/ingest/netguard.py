"""The SSRF guard: which addresses outbound HTTP may reach, and a transport that enforces it.

A source URL is typed by an editor or found in a feed, so it may point anywhere: at the cloud
metadata service, at the database on the private network, at ``localhost``. The rules (DESIGN §5):

- only ``http`` and ``https``;
- never link-local (which includes the 169.254.169.254 metadata address), multicast, reserved,
  unspecified or ``0.0.0.0/8`` addresses, nor the known metadata addresses that sit elsewhere;
- loopback and private (anything not globally routable) only when the operator allows private
  networks, which the tests and the demo replay server do;
- an IPv6 address carrying an IPv4 one (IPv4-mapped ``::ffff:a.b.c.d``, 6to4, NAT64) is judged as
  the IPv4 address it leads to.

Checking a name and then letting the HTTP library resolve it again would let a DNS server answer a
public address to the check and a private one to the connection (DNS rebinding). So
:class:`GuardedTransport` resolves each request's host once, refuses the request if any answer is
refused, and pins the connection to the checked addresses: its network backend connects to those
IPs and never resolves anything. The URL is left untouched, so the Host header, TLS SNI, certificate
checks and the connection pool's keys all stay those of the real host name.
"""

from __future__ import annotations

import asyncio
import contextvars
import ipaddress
import select
import socket
from collections.abc import Iterable, Sequence
from typing import Any

import httpcore2
import httpx2

from tribune.ingest.errors import BlockedAddress, ConnectFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Refused even when private networks are allowed: "this network" (0.0.0.0/8 reaches the local
# host on Linux) and metadata services that live outside 169.254.0.0/16.
_ALWAYS_REFUSED = tuple(
    ipaddress.ip_network(n) for n in ("0.0.0.0/8", "100.100.100.200/32", "fd00:ec2::254/128")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, 6to4 or NAT64 address leads to, if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal(ip: IPAddress, *, allow_private: bool) -> str | None:
    """Why ``ip`` may not be reached, or ``None`` when it may."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return refusal(embedded, allow_private=allow_private)
    if ip.is_link_local:
        return f"{ip} is link-local (cloud metadata lives there)"
    if ip.is_multicast:
        return f"{ip} is multicast"
    if ip.is_unspecified:
        return f"{ip} is unspecified"
    if any(ip in net for net in _ALWAYS_REFUSED):
        return f"{ip} is a reserved or metadata address"
    if ip.is_loopback:
        return None if allow_private else f"{ip} is loopback and private networks are not allowed"
    if ip.is_reserved:
        return f"{ip} is reserved"
    if allow_private:
        return None
    if ip.is_private or not ip.is_global:
        return f"{ip} is private and private networks are not allowed"
    return None


def check_scheme(url: str) -> httpx2.URL:
    """Parse ``url`` and refuse anything but http(s) with a host."""
    try:
        parsed = httpx2.URL(url)
    except httpx2.InvalidURL as exc:
        raise BlockedAddress(url, f"not a valid URL ({exc})") from exc
    if parsed.scheme not in ALLOWED_SCHEMES:
        raise BlockedAddress(url, f"scheme {parsed.scheme!r} is not allowed, only http(s)")
    if not parsed.raw_host:
        raise BlockedAddress(url, "the URL has no host")
    return parsed


def _default_port(url: httpx2.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


def resolve_checked(url: str, host: str, port: int, *, allow_private: bool) -> list[IPAddress]:
    """Every address of ``host``, in resolver order; refuses them all if any one is refused.

    One bad answer refuses the whole name rather than being skipped: a name that mixes a public
    address with a private one is either misconfigured or an attack.
    """
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise ConnectFailed(url, f"cannot resolve {host} ({exc})") from exc
        addresses = []
        for info in infos:
            raw = str(info[4][0])
            try:
                ip = ipaddress.ip_address(raw)
            except ValueError as exc:
                raise BlockedAddress(url, f"{host} resolved to unparseable {raw!r}") from exc
            if ip not in addresses:
                addresses.append(ip)
        if not addresses:
            raise ConnectFailed(url, f"{host} has no address")
    for ip in addresses:
        reason = refusal(ip, allow_private=allow_private)
        if reason is not None:
            raise BlockedAddress(url, reason)
    return addresses


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_url(url: str, *, allow_private: bool) -> None:
    """Raise :class:`BlockedAddress` unless ``url`` is http(s) and all its addresses are allowed.

    This resolves the name (blocking); it suits a form or CLI check. Fetching must go through
    :class:`GuardedTransport`, which also pins the connection to what it checked.
    """
    parsed = check_scheme(url)
    host = parsed.raw_host.decode("ascii")
    resolve_checked(url, host, _default_port(parsed), allow_private=allow_private)


# (host, port) -> checked addresses, for the request being sent in this task only.
_PINS: contextvars.ContextVar[dict[tuple[str, int], Sequence[IPAddress]]] = contextvars.ContextVar(
    "tribune_netguard_pins"
)


class _PinnedBackend(httpcore2.AsyncNetworkBackend):
    """Connects only to the addresses the transport checked; with none pinned it fails closed."""

    def __init__(self) -> None:
        self._inner = httpcore2.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        addresses = _PINS.get({}).get((host, port))
        if not addresses:
            raise httpcore2.ConnectError(f"no checked address for {host}:{port}; refusing")
        error: Exception | None = None
        for ip in addresses:
            try:
                return _Stream(
                    await self._inner.connect_tcp(
                        str(ip), port, timeout, local_address, socket_options
                    )
                )
            except (httpcore2.ConnectError, httpcore2.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        raise httpcore2.ConnectError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _Stream(httpcore2.AsyncNetworkStream):
    """A connection as the backend made it, answering one question faster: whether it is
    readable. The connection pool asks it of every kept-alive connection each time it places a
    request, and anyio answers by building a mapping of every attribute of the socket first,
    which was a tenth of the polling process's time in a round of thousands of pages."""

    def __init__(self, inner: httpcore2.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore2.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return _readable(self._socket)
        return self._inner.get_extra_info(info)


def _readable(sock: socket.socket | None) -> bool:
    """Whether a read would return at once (data, or the end of a connection the server
    closed); a socket that is gone counts as readable, as httpcore counts it."""
    if sock is None or sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class GuardedTransport(httpx2.AsyncHTTPTransport):
    """An httpx2 transport that checks every request's address and connects only to it.

    Environment proxies are ignored (``trust_env=False``): a proxy would do its own resolving. The
    connection pool is replaced by one using :class:`_PinnedBackend`; httpx2 offers no public way
    to pass a network backend, so this sets its ``_pool`` attribute (httpx2 is pinned ~=2.16).
    """

    def __init__(
        self, *, allow_private: bool, verify: bool = True, limits: httpx2.Limits | None = None
    ) -> None:
        limits = limits or httpx2.Limits(max_connections=100, max_keepalive_connections=20)
        super().__init__(verify=verify, trust_env=False, limits=limits)
        self.allow_private = allow_private
        self._pool = httpcore2.AsyncConnectionPool(
            ssl_context=httpx2.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_PinnedBackend(),
        )

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        url = str(request.url)
        parsed = check_scheme(url)
        host = parsed.raw_host.decode("ascii")
        port = _default_port(parsed)
        if _is_literal(host):  # nothing to resolve: no thread needed
            addresses = resolve_checked(url, host, port, allow_private=self.allow_private)
        else:
            addresses = await asyncio.to_thread(
                resolve_checked, url, host, port, allow_private=self.allow_private
            )
        token = _PINS.set({(host, port): tuple(addresses)})
        try:
            return await super().handle_async_request(request)
        finally:
            _PINS.reset(token)
