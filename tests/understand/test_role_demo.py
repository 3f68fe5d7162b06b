"""The demo's party sites state roles in several languages, so that after ``tribune demo`` the
newsroom has role suggestions to show (and the KB's holders to recognise)."""

from __future__ import annotations

from datetime import date
from importlib import resources

import lxml.html
import pytest

from tribune.understand.link import Linker
from tribune.understand.roles import find_roles


@pytest.mark.parametrize(
    ("page", "org", "expected"),
    [
        (
            "pce-es/2026/10/comite-federal-octubre/index.html",
            "es-pce",
            (None, "Enrique Santiago", "es-pce", "general-secretary"),
        ),
        (
            "pcp-pt/comunicados/2026/festa-do-avante-2026-comicio",
            "pt-pcp",
            ("paulo-raimundo", "Paulo Raimundo", "pt-pcp", "general-secretary"),
        ),
        (
            "kke-gr/el/articles/28419-omilia-koutsoumba-deth/index.html",
            "gr-kke",
            ("dimitris-koutsoumbas", "Δημήτρης Κουτσούμπας", "gr-kke", "general-secretary"),
        ),
        (
            "tkp-tr/2026/10/03/okuyan-roportaj-secim-muhalefet/index.html",
            "tr-tkp",
            ("kemal-okuyan", "Kemal Okuyan", "tr-tkp", "general-secretary"),
        ),
        ("kprf-ru/news/241636.html", "ru-kprf", (None, "Г.А. Зюганов", "ru-kprf", "chair")),
    ],
)
def test_demo_pages_state_roles(
    linker: Linker, page: str, org: str, expected: tuple[str | None, str, str, str]
) -> None:
    html = resources.files("tribune.data").joinpath(f"demo/sites/{page}").read_text("utf-8")
    text = lxml.html.fromstring(html).text_content()
    found = find_roles(text, linker.link(text, date=date(2026, 11, 1), source_org=org))
    assert expected in [(r.person_id, r.person_name, r.org_id, r.title) for r in found]
