"""The permissions policy: roles nest, tokens carry scopes, anything unknown grants nothing."""

from __future__ import annotations

import pytest

from tribune.newsroom.policy import (
    POLICY,
    ROLE_ACTIONS,
    ROLES,
    SCOPES,
    Action,
    Actor,
    NotAllowed,
    check_scopes,
)

EVERYTHING = set(Action)
EDITOR_ACTIONS = EVERYTHING - {Action.MANAGE_USERS}


def _role(role: str) -> Actor:
    return Actor(name=f"{role or 'nobody'}-1", role=role, user_id=1)


def _token(*scopes: str) -> Actor:
    return Actor(name="bot", scopes=frozenset(scopes), via="token")


def _allowed(actor: Actor) -> set[Action]:
    return {action for action in Action if POLICY.allows(actor, action)}


def test_the_roles_are_the_three_known_ones() -> None:
    assert ROLES == ("viewer", "editor", "admin")
    assert set(ROLE_ACTIONS) == set(ROLES)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("viewer", {Action.READ_NEWSROOM}),
        ("editor", EDITOR_ACTIONS),
        ("admin", EVERYTHING),
    ],
)
def test_each_role_allows_exactly_its_actions(role: str, expected: set[Action]) -> None:
    assert _allowed(_role(role)) == expected


def test_roles_nest() -> None:
    assert _allowed(_role("viewer")) < _allowed(_role("editor")) < _allowed(_role("admin"))
    assert not POLICY.allows(_role("editor"), Action.MANAGE_USERS)
    for action in (Action.PUBLISH, Action.EDIT_ITEMS):
        assert not POLICY.allows(_role("viewer"), action)


@pytest.mark.parametrize("role", ["root", "Admin", "", " editor", "superuser"])
def test_an_unknown_role_allows_nothing(role: str) -> None:
    assert _allowed(_role(role)) == set()


def test_nobody_allows_nothing() -> None:
    assert _allowed(Actor(name="nobody")) == set()  # no role, no scopes
    for action in Action:
        assert not POLICY.allows(None, action)


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        (("read",), {Action.READ_NEWSROOM}),
        (("items:write",), {Action.READ_NEWSROOM, Action.EDIT_ITEMS}),
        (("items:publish",), {Action.READ_NEWSROOM, Action.PUBLISH}),
        (("stories:write",), {Action.READ_NEWSROOM, Action.EDIT_STORIES}),
        (("signatures:write",), {Action.READ_NEWSROOM, Action.EDIT_SIGNATURES}),
        (
            ("items:write", "items:publish"),
            {Action.READ_NEWSROOM, Action.EDIT_ITEMS, Action.PUBLISH},
        ),
        ((), set()),
        (("admin",), set()),
        (("items:*",), set()),
        (("read", "bogus"), {Action.READ_NEWSROOM}),
    ],
)
def test_token_scopes_grant_their_actions_only(
    scopes: tuple[str, ...], expected: set[Action]
) -> None:
    assert _allowed(_token(*scopes)) == expected


def test_no_scope_lets_a_token_manage_users_sources_or_the_kb() -> None:
    everything = _token(*SCOPES)
    for action in (Action.MANAGE_USERS, Action.MANAGE_SOURCES, Action.EDIT_KB):
        assert not POLICY.allows(everything, action)


def test_require_returns_the_allowed_actor() -> None:
    actor = _role("editor")
    assert POLICY.require(actor, Action.PUBLISH) is actor


def test_not_allowed_names_who_and_what() -> None:
    with pytest.raises(NotAllowed, match=r"^viewer-1 may not publish$"):
        POLICY.require(_role("viewer"), Action.PUBLISH)
    with pytest.raises(NotAllowed, match=r"^editor-1 may not manage users$"):
        POLICY.require(_role("editor"), Action.MANAGE_USERS)
    with pytest.raises(NotAllowed, match=r"^token:bot may not edit items$"):
        POLICY.require(_token("read"), Action.EDIT_ITEMS)
    with pytest.raises(NotAllowed, match=r"^an anonymous visitor may not read newsroom$"):
        POLICY.require(None, Action.READ_NEWSROOM)
    assert issubclass(NotAllowed, PermissionError)


def test_actor_labels_name_the_channel() -> None:
    assert Actor(name="ana", role="editor").label == "ana"
    assert Actor(name="ana", role="admin", via="cli").label == "cli:ana"
    assert _token("read").label == "token:bot"


def test_check_scopes_sorts_and_refuses_unknown_or_none() -> None:
    assert check_scopes(["items:publish", "read", "read"]) == ["items:publish", "read"]
    with pytest.raises(ValueError, match="unknown scope 'items:delete'"):
        check_scopes(["read", "items:delete"])
    with pytest.raises(ValueError, match="at least one scope"):
        check_scopes([])
