"""Who may do what: one policy object decides, for sessions (roles) and API tokens (scopes).

Roles nest: a viewer reads the newsroom, an editor also changes items, stories, signatures,
sources and the KB, an admin also manages users and tokens. API tokens carry scopes instead of a
role; each scope grants the actions listed in :data:`SCOPES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    READ_NEWSROOM = "read-newsroom"  # the inbox, suggestions, the audit log
    EDIT_ITEMS = "edit-items"  # headline, lead, body, entities, kind
    PUBLISH = "publish"  # publish, reject, unpublish, feature, withdraw
    EDIT_STORIES = "edit-stories"
    EDIT_SIGNATURES = "edit-signatures"
    MANAGE_SOURCES = "manage-sources"
    EDIT_KB = "edit-kb"
    MANAGE_USERS = "manage-users"


ROLES = ("viewer", "editor", "admin")

_EDITOR = frozenset(Action) - {Action.MANAGE_USERS}
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    "viewer": frozenset({Action.READ_NEWSROOM}),
    "editor": _EDITOR,
    "admin": frozenset(Action),
}

SCOPES: dict[str, frozenset[Action]] = {
    "read": frozenset({Action.READ_NEWSROOM}),
    "items:write": frozenset({Action.READ_NEWSROOM, Action.EDIT_ITEMS}),
    "items:publish": frozenset({Action.READ_NEWSROOM, Action.PUBLISH}),
    "stories:write": frozenset({Action.READ_NEWSROOM, Action.EDIT_STORIES}),
    "signatures:write": frozenset({Action.READ_NEWSROOM, Action.EDIT_SIGNATURES}),
}


class NotAllowed(PermissionError):
    """The actor may not do this."""


@dataclass(frozen=True)
class Actor:
    """Someone acting: a user through a session or the CLI, or an API token."""

    name: str
    role: str | None = None  # sessions and the CLI
    scopes: frozenset[str] = frozenset()  # API tokens
    user_id: int | None = None
    via: str = "session"  # session, token, cli

    @property
    def label(self) -> str:
        """How the audit log names the actor."""
        return self.name if self.via == "session" else f"{self.via}:{self.name}"


class Policy:
    """The one place that answers "may this actor do that?"."""

    def allows(self, actor: Actor | None, action: Action) -> bool:
        if actor is None:
            return False
        if actor.role is not None:
            return action in ROLE_ACTIONS.get(actor.role, frozenset())
        return any(action in SCOPES.get(scope, frozenset()) for scope in actor.scopes)

    def require(self, actor: Actor | None, action: Action) -> Actor:
        """The actor, when allowed; :class:`NotAllowed` otherwise."""
        if actor is None or not self.allows(actor, action):
            who = "an anonymous visitor" if actor is None else actor.label
            raise NotAllowed(f"{who} may not {action.value.replace('-', ' ')}")
        return actor


POLICY = Policy()


def check_scopes(scopes: list[str]) -> list[str]:
    """The scopes, checked; ValueError names an unknown one."""
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ValueError(
            f"unknown scope {unknown[0]!r}"
            if unknown
            else f"give at least one scope (scopes: {', '.join(SCOPES)})"
        )
    return sorted(set(scopes))
