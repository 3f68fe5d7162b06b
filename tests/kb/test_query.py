"""``show`` and ``search``: full entries with their ids and links, names found in any spelling."""

from __future__ import annotations

import json

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import org_names, org_redirects
from tribune.kb.edit import remove_org_name
from tribune.kb.query import search, show


def test_show_an_organisation(shared_kb_db: Database) -> None:
    kke = show(shared_kb_db, "gr-kke")
    assert kke is not None
    assert (kke["type"], kke["id"], kke["country_name"]) == ("org", "gr-kke", "Greece")
    assert kke["partyfacts_id"] == 48
    assert kke["partyfacts_url"] == "https://partyfacts.herokuapp.com/data/partycodes/48/"
    assert kke["wikidata_id"] == "Q192406"
    assert kke["wikidata_url"] == "https://www.wikidata.org/wiki/Q192406"
    assert kke["names"][0] == {
        "id": kke["names"][0]["id"],
        "name": "Communist Party of Greece",
        "language": "en",
        "kind": "official",
        "valid_from": None,
        "valid_to": None,
        "certain": True,
        "field": "name_en",
        "origin": "seed:organizations.csv",
    }
    assert {c["id"] for c in kke["children"]} == {"gr-kne", "gr-rizospastis"}
    assert {p["person_id"] for p in kke["people"]} >= {"dimitris-koutsoumbas", "aleka-papariga"}
    assert [e["id"] for e in kke["events"]] == ["imcwp-13", "imcwp-20", "imcwp-21"]
    assert json.loads(json.dumps(kke)) == kke, "JSON-ready"


def test_show_names_with_their_periods_and_a_parent(shared_kb_db: Database) -> None:
    tkp = show(shared_kb_db, "tr-tkp")
    assert tkp is not None
    kp = [n for n in tkp["names"] if n["name"] == "KP" and n["field"] == "org_names"]
    assert (kp[0]["valid_from"], kp[0]["valid_to"]) == ("2014-11-01", "2017-06-30")
    kne = show(shared_kb_db, "gr-kne")
    assert kne is not None
    assert kne["parent"] == {"id": "gr-kke", "name_en": "Communist Party of Greece"}


def test_show_a_person_and_an_event(shared_kb_db: Database) -> None:
    person = show(shared_kb_db, "gennady-zyuganov")
    assert person is not None
    assert person["type"] == "person"
    assert [n["name"] for n in person["names"]] == ["Геннадий Зюганов", "G. Zyuganov"]
    assert person["roles"][0]["org_id"] == "ru-kprf"
    assert person["roles"][0]["start"] == "1993-02-14"
    event = show(shared_kb_db, "imcwp-21")
    assert event is not None
    assert (event["type"], event["city"], event["country_name"]) == ("event", "İzmir", "Türkiye")
    assert [h["id"] for h in event["hosts"]] == ["tr-tkp", "gr-kke"]


def test_show_an_unknown_id(shared_kb_db: Database) -> None:
    assert show(shared_kb_db, "xx-nothing") is None


def test_show_follows_a_redirect(db: Database) -> None:
    with db.write() as conn:
        conn.execute(sa.insert(org_redirects).values(old_id="gr-old-kke", new_id="gr-kke"))
    found = show(db, "gr-old-kke")
    assert found is not None
    assert (found["id"], found["redirected_from"]) == ("gr-kke", "gr-old-kke")


def test_search_ranks_exact_matches_first(shared_kb_db: Database) -> None:
    results = search(shared_kb_db, "kke")
    assert results[0] == {
        "type": "org",
        "id": "gr-kke",
        "name": "Communist Party of Greece",
        "country": "GR",
        "network_member": "yes",
        "matched_name": "KKE",
    }
    assert results[1]["id"] == "pf-334", "KKE Interior: a prefix match"
    assert all("kke" in r["matched_name"].lower() for r in results)
    assert len({(r["type"], r["id"]) for r in results}) == len(results), "each entry once"


def test_search_puts_network_members_before_others(shared_kb_db: Database) -> None:
    results = search(shared_kb_db, "communist party of greece", limit=5)
    assert [r["id"] for r in results[:2]] == ["gr-kke", "pf-334"]
    members = [r["network_member"] for r in search(shared_kb_db, "communist party of", limit=60)]
    assert members == sorted(members, key=lambda m: m != "yes")


def test_search_ignores_case_and_diacritics(shared_kb_db: Database) -> None:
    results = search(shared_kb_db, "KOMUNIST PARTI")
    assert ("tr-tkp", "Komünist Parti") in {(r["id"], r["matched_name"]) for r in results}
    sousa = search(shared_kb_db, "jerónimo")
    assert [(r["type"], r["id"]) for r in sousa] == [("person", "jeronimo-de-sousa")]
    greek = search(shared_kb_db, "κουτσουμπας")
    assert greek[0]["id"] == "dimitris-koutsoumbas"
    assert greek[0]["matched_name"] == "Δημήτρης Κουτσούμπας"


def test_search_finds_events_and_respects_the_limit(shared_kb_db: Database) -> None:
    results = search(shared_kb_db, "21st international meeting")
    assert [(r["type"], r["id"], r["country"]) for r in results] == [("event", "imcwp-21", "TR")]
    assert len(search(shared_kb_db, "party", limit=3)) == 3
    assert search(shared_kb_db, "   ") == []
    assert search(shared_kb_db, "zzzqqq") == []


def test_removed_names_are_not_found(db: Database) -> None:
    with db.read() as conn:
        cpa = conn.execute(
            sa.select(org_names.c.id).where(
                org_names.c.org_id == "ar-pca", org_names.c.name == "CPA"
            )
        ).scalar_one()
    assert "ar-pca" in {r["id"] for r in search(db, "CPA", limit=100)}
    remove_org_name(db, cpa, editor="maria")
    assert "ar-pca" not in {r["id"] for r in search(db, "CPA", limit=100)}
