"""The KB page through a real server: find an id, add a name, a role (with a new person) and an
event; the additions show in ``kb show``, are audited and survive ``kb load``."""

from __future__ import annotations

import re

import httpx2 as httpx
import sqlalchemy as sa
from seed import Seeded
from websupport import login

from tribune.db.engine import Database
from tribune.db.tables import audit_log
from tribune.kb.load import load_kb
from tribune.kb.query import show

Site = tuple[str, Database, Seeded]
NAME = {
    "org_id": "gr-kke",
    "alias": "K.K.E. of Greece",
    "name_kind": "variant",
    "language": "en",
    "valid_from": "1924-11-01",
    "valid_to": "",
}
ROLE = {
    "person_id": "",
    "person_name": "Nikos Sofianos",
    "org_id": "gr-kke",
    "role_title": "Member of the Central Committee",
    "start": "2021-06-01",
    "end": "",
}
EVENT = {
    "event_id": "imcwp-24",
    "series": "imcwp",
    "number": "24",
    "event_name": "24th International Meeting of Communist and Workers' Parties",
    "start": "2025-10-31",
    "end": "2025-11-02",
    "date_precision": "day",
    "city": "Istanbul",
    "country": "TR",
    "hosts": "tr-tkp, gr-kke",
}
FORMS = {"/editor/kb/names": NAME, "/editor/kb/roles": ROLE, "/editor/kb/events": EVENT}


def _audit(db: Database) -> list[tuple[str, str]]:
    with db.read() as conn:
        query = sa.select(audit_log.c.action, audit_log.c.actor).where(
            audit_log.c.action.like("kb.%")
        )
        return [tuple(r) for r in conn.execute(query.order_by(audit_log.c.id))]


def test_find_an_id(client: httpx.Client, site: Site) -> None:
    _url, db, _seeded = site
    login(client, db, "viewer")
    page = client.get("/editor/kb", params={"q": "Communist Party of Greece"})
    assert page.status_code == 200
    assert "<code>gr-kke</code>" in page.text
    assert 'href="/orgs/gr-kke"' in page.text
    none = client.get("/editor/kb", params={"q": "zzzz-nothing"})
    assert "Nothing matches “zzzz-nothing”." in none.text


def test_additions_show_in_the_kb_and_survive_a_load(client: httpx.Client, site: Site) -> None:
    _url, db, _seeded = site
    csrf = login(client, db, "editor")
    for path, form, done in (
        ("/editor/kb/names", NAME, "/editor/kb?done=name&id=gr-kke"),
        ("/editor/kb/roles", ROLE, "/editor/kb?done=role&id=nikos-sofianos"),
        ("/editor/kb/events", EVENT, "/editor/kb?done=event&id=imcwp-24"),
    ):
        response = client.post(path, data={**form, "csrf_token": csrf})
        assert response.status_code == 303, response.text
        assert response.headers["location"] == done
    page = client.get("/editor/kb?done=event&id=imcwp-24")
    assert 'Done: event added (<a href="/events/imcwp-24">imcwp-24</a>).' in page.text

    def snapshot() -> tuple[object, ...]:
        org, person, event = (show(db, i) for i in ("gr-kke", "nikos-sofianos", "imcwp-24"))
        assert org is not None
        assert person is not None
        assert event is not None
        names = [n for n in org["names"] if n["name"] == "K.K.E. of Greece"]
        return names, person, event

    names, person, event = snapshot()
    assert [(n["language"], n["kind"], n["valid_from"], n["origin"]) for n in names] == [
        ("en", "variant", "1924-11-01", "editor:editor-user")
    ]
    assert person["name"] == "Nikos Sofianos"
    assert person["origin"] == "editor:editor-user"
    assert [(r["org_id"], r["title"], r["start"]) for r in person["roles"]] == [
        ("gr-kke", "Member of the Central Committee", "2021-06-01")
    ]
    assert (event["number"], event["city"], event["country"], event["start"]) == (
        24,
        "Istanbul",
        "TR",
        "2025-10-31",
    )
    assert [h["id"] for h in event["hosts"]] == ["tr-tkp", "gr-kke"]
    assert _audit(db) == [
        ("kb.name.add", "editor-user"),
        ("kb.person.add", "editor-user"),
        ("kb.role.add", "editor-user"),
        ("kb.event.add", "editor-user"),
    ]
    before = snapshot()
    load_kb(db)
    assert snapshot() == before
    # readers see them too
    assert "Istanbul" in client.get("/events/imcwp-24").text


def test_refused_additions_show_the_problems(client: httpx.Client, site: Site) -> None:
    _url, db, _seeded = site
    csrf = login(client, db, "editor")
    for path, changes, message in (
        ("/editor/kb/names", {"org_id": "no-such-party"}, "no organisation with id"),
        ("/editor/kb/names", {"valid_from": "1.11.1924"}, "is not a date"),
        ("/editor/kb/roles", {"person_name": "Aleka Papariga"}, "exists already"),
        ("/editor/kb/roles", {"person_name": "", "person_id": "nobody"}, "no person with id"),
        ("/editor/kb/events", {"event_id": "imcwp-21"}, "exists already"),
        ("/editor/kb/events", {"hosts": "gr-kke nobody-here"}, "no organisation with id"),
        ("/editor/kb/events", {"country": "XX"}, "not an ISO 3166-1"),
    ):
        response = client.post(path, data={**FORMS[path], **changes, "csrf_token": csrf})
        assert response.status_code == 422, (path, changes)
        assert "Nothing was added:" in response.text
        assert message in response.text
        for value in changes.values():  # what was typed is kept
            if value:
                assert re.search(rf'value="{re.escape(value)}"', response.text), value
    assert _audit(db) == []
    assert show(db, "imcwp-24") is None


def test_viewers_and_forged_forms_are_refused(client: httpx.Client, site: Site) -> None:
    _url, db, _seeded = site
    for path, form in FORMS.items():
        assert client.post(path, data=form).status_code == 403  # anonymous
    csrf = login(client, db, "viewer")
    assert client.get("/editor/kb").status_code == 200
    for path, form in FORMS.items():
        refused = client.post(path, data={**form, "csrf_token": csrf})
        assert refused.status_code == 403
        assert "viewer-user may not edit kb" in refused.text
    client.post("/editor/logout", data={"csrf_token": csrf})
    csrf = login(client, db, "editor")
    for path, form in FORMS.items():
        for data in (form, {**form, "csrf_token": "x" * len(csrf)}):
            refused = client.post(path, data=data)
            assert refused.status_code == 403
            assert "security token" in refused.text
    assert _audit(db) == []
    assert show(db, "imcwp-24") is None
    assert show(db, "nikos-sofianos") is None
