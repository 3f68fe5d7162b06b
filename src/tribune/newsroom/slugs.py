"""URL slugs from titles, in any script: lower case, words joined by hyphens."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w]+|_+")
MAX_SLUG = 80


def slugify(title: str, fallback: str = "item") -> str:
    """``"KKE: On Venezuela's elections"`` → ``"kke-on-venezuela-s-elections"``."""
    text = unicodedata.normalize("NFKC", title).lower()
    slug = _NOT_WORD.sub("-", text).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] or slug[:MAX_SLUG]
    return slug or fallback
