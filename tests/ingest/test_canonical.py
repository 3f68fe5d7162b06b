from __future__ import annotations

import pytest

from tribune.ingest.canonical import canonical_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTP://Www.KKE.gr/en/articles/Statement?utm_source=tw&id=3&fbclid=abc#top",
            "http://www.kke.gr/en/articles/Statement?id=3",
        ),
        ("https://tkp.org.tr/haber/?b=2&a=1", "https://tkp.org.tr/haber/?a=1&b=2"),
        ("http://kke.gr:80/a/../b/./c", "http://kke.gr/b/c"),
        ("https://kke.gr:443/", "https://kke.gr/"),
        ("http://127.0.0.1:8081/news/1.html#x", "http://127.0.0.1:8081/news/1.html"),
        ("https://pcp.pt/?p=123", "https://pcp.pt/?p=123"),
    ],
)
def test_one_spelling_per_page(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_idempotent() -> None:
    url = "HTTPS://Example.org:443/x/../y/?utm_medium=a&z=1#f"
    assert canonical_url(canonical_url(url)) == canonical_url(url)
