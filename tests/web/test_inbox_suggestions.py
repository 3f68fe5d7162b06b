"""The inbox gathers every stage's suggestions: the kind, the story and compilation, the joint
statement with its signatories, and the roles an item states, each with its answer forms."""

from __future__ import annotations

import re

import httpx2 as httpx
from seed import BASE, Seeded, add_item
from seedstories import seed_strike
from websupport import login

from tribune.db.engine import Database
from tribune.understand import joint_stage, kind_stage, role_stage

Site = tuple[str, Database, Seeded]
JOINT = (
    "Joint statement of communist parties on the blockade of Cuba",
    "We, the undersigned parties, call for the end of the blockade of Cuba.\n\n"
    "Signatories:\n1. Communist Party of Greece\n2. Communist Party of Turkey\n"
    "3. Communist Party of Kenya",
)
ROLE = (
    "TKP on the strike",
    "Kemal Okuyan, General Secretary of the Communist Party of Turkey (TKP), saluted the "
    "strikers of Piraeus.",
)


def test_the_inbox_shows_every_stages_suggestions(client: httpx.Client, site: Site) -> None:
    _, db, seeded = site
    seed_strike(db, publish=False)
    joint = add_item(db, seeded.sources["kke"], *JOINT, when=BASE)
    role = add_item(db, seeded.sources["tkp"], *ROLE, when=BASE)
    for stage in (kind_stage, joint_stage, role_stage):
        stage.run(db, pending=True)
    login(client, db)
    page = client.get("/editor/inbox")
    assert page.status_code == 200
    html = page.text
    # the kinds stage: a guessed kind on the joint statement's row
    row = re.search(rf'<tr data-item="{joint}">(.*?)</tr>', html, re.S)
    assert row is not None
    assert "kind: <strong>joint-statement</strong>" in row.group(1)
    # the stories stage: a compilation to start
    assert "Compilations to start" in html
    assert "2 parties have spoken on" in html
    # the signatures stage: the statement found, with its list
    assert f'data-joint-suggestion="{joint}"' in html
    assert "3 signatories: 2 in the KB, 1 kept as printed" in html
    # the roles stage: the title an item states
    roles = html[html.index('id="role-suggestions-heading"') :]
    assert "Kemal Okuyan" in roles
    assert "General Secretary" in roles
    assert role in roles  # links the item that states it
    # a later page of another list shows no suggestion of the inbox's items
    published = client.get("/editor/inbox?status=published")
    assert "Compilations to start" not in published.text
    assert f'data-joint-suggestion="{joint}"' not in published.text
