from __future__ import annotations

from datetime import date

from tribune.db.engine import Database
from tribune.understand.lexicon import build_lexicon, kb_fingerprint


def test_world_party_with_a_seed_wikidata_id_is_the_seed_organisation(
    shared_kb_db: Database,
) -> None:
    lexicon = build_lexicon(shared_kb_db)
    # Party Facts lists the Workers' Party of Ireland twice; one row shares ie-wp's Wikidata id
    assert "pf-8360" not in lexicon.orgs
    ids = {
        c.id for key, cands in lexicon.entries if key == "workers party of ireland" for c in cands
    }
    assert ids == {"ie-wp"}


def test_dated_names_are_not_undone_by_undated_copies(shared_kb_db: Database) -> None:
    lexicon = build_lexicon(shared_kb_db)
    (cands,) = [c for k, c in lexicon.entries if k == "hungarian workers party"]
    mine = [c for c in cands if c.id == "hu-munkaspart"]
    assert mine
    assert not any(c.valid_on(date(2010, 1, 1)) for c in mine)
    assert all(c.valid_on(date(2014, 1, 1)) for c in mine)


def test_fingerprint_changes_with_the_kb(db: Database) -> None:
    from tribune.kb.edit import add_org_name, remove_org_name

    before = kb_fingerprint(db)
    assert kb_fingerprint(db) == before
    name_id = add_org_name(db, "gr-kke", "Perissos Party", kind="variant", editor="ed")
    added = kb_fingerprint(db)
    assert added != before
    remove_org_name(db, name_id, editor="ed")
    assert kb_fingerprint(db) != added
