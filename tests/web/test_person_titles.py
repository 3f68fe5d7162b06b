"""A person's page lists their titles over time, in the order they were held, with the years."""

from __future__ import annotations

import re
from datetime import date

import httpx2 as httpx
import pytest
from seed import Seeded
from websupport import CLI

from tribune.db.engine import Database
from tribune.newsroom.kb_admin import NewRole, add_role
from tribune.reading.profiles import RoleRecord, find_person

Site = tuple[str, Database, Seeded]


def _titles(html: str) -> list[str]:
    section = re.search(r'<section aria-labelledby="roles-heading">(.*?)</section>', html, re.S)
    assert section is not None, html
    return [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r"<li>(.*?)</li>", section.group(1), re.S)
    ]


def test_titles_over_time_on_the_person_page(site: Site, client: httpx.Client) -> None:
    _, db, _ = site
    add_role(
        db,
        CLI,
        NewRole(
            org_id="gr-kke",
            title="Member of Parliament",
            person_id="aleka-papariga",
            start="2015-01-25",
        ),
    )
    add_role(
        db,
        CLI,
        NewRole(
            org_id="gr-kke",
            title="Member of the Political Bureau",
            person_id="aleka-papariga",
            start="1986-05-01",
            end="1991-02-27",
        ),
    )
    page = client.get("/people/aleka-papariga")
    assert page.status_code == 200
    assert "Titles over time" in page.text
    assert _titles(page.text) == [
        "Member of the Political Bureau , Communist Party of Greece 1986–1991",
        "General Secretary of the Central Committee , Communist Party of Greece 1991–2013",
        "Member of Parliament , Communist Party of Greece since 2015 in office",
    ]
    with db.read() as conn:
        person = find_person(conn, "aleka-papariga")
    assert person is not None
    assert [r.start for r in person.roles] == [
        date(1986, 5, 1),
        date(1991, 2, 27),
        date(2015, 1, 25),
    ]


def _record(start: date | None, end: date | None) -> RoleRecord:
    return RoleRecord("p", "P", "o", "O", "Secretary", start, end, "")


@pytest.mark.parametrize(
    ("start", "end", "period"),
    [
        (date(2010, 3, 1), None, "since 2010"),
        (date(2005, 1, 1), date(2016, 6, 1), "2005–2016"),
        (date(2016, 1, 1), date(2016, 6, 1), "2016"),
        (None, date(2016, 6, 1), "until 2016"),
        (None, None, ""),
    ],
)
def test_a_terms_years(start: date | None, end: date | None, period: str) -> None:
    assert _record(start, end).period == period
