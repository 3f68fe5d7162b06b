"""Canonical URLs: one spelling per page, so that one statement is stored once.

courlan normalises the URL (scheme and host case, tracking parameters such as ``utm_*`` and
``fbclid`` dropped, the other parameters sorted); the fragment, the default port and ``.`` and
``..`` path segments are removed here too. Parameters that select an article (``?p=123``) are
kept: they are part of the page's identity on many CMS.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit, urlunsplit

import courlan

_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """The canonical spelling of an absolute http(s) URL."""
    normalised = courlan.normalize_url(url.strip())
    parts = urlsplit(normalised)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host
    if ":" in host:  # IPv6
        netloc = f"[{host}]"
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{parts.port}"
    path = parts.path or "/"
    if "/." in path:
        trailing = path.endswith("/")
        path = posixpath.normpath(path)
        if trailing and not path.endswith("/"):
            path += "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))
