"""What the newsroom does to items through the API: create, edit, publish and the other actions,
and answers to a proposed kind.

Each route checks the caller against the permissions policy before it reads the request's
body (401 for anonymous callers, 403 for a token or user without the right), then calls the
same core function the newsroom's pages call, which writes the audit log. Answers are the
item as the newsroom sees it afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from tribune.db.engine import Database
from tribune.newsroom import items as editorial
from tribune.newsroom import kinds
from tribune.newsroom.create import CreateError, DuplicateItem, create_item
from tribune.newsroom.policy import Action, Actor, NotAllowed
from tribune.web.api import query
from tribune.web.api.auth import allowed, scopes_for
from tribune.web.api.caching import json_response
from tribune.web.api.params import PREFIX, Key, problems, site
from tribune.web.api.schemas import Item, ItemCreate, ItemPatch
from tribune.web.errors import problem

router = APIRouter(tags=["newsroom"])
Run = Callable[[Database, Actor, str], editorial.Change]
ACTIONS: dict[str, Run] = {
    "publish": lambda db, a, i: editorial.set_status(db, a, i, "published"),
    "reject": lambda db, a, i: editorial.set_status(db, a, i, "rejected"),
    "unpublish": lambda db, a, i: editorial.set_status(db, a, i, "inbox"),
    "withdraw": lambda db, a, i: editorial.set_status(db, a, i, "withdrawn"),
    "feature": lambda db, a, i: editorial.set_featured(db, a, i, True),
    "unfeature": lambda db, a, i: editorial.set_featured(db, a, i, False),
}
WRITE_PROBLEMS = problems(401, 403, 404, 409)


def needs(action: Action) -> dict[str, Any]:
    """The OpenAPI extension naming the token scopes an operation needs."""
    return {"x-scopes": scopes_for(action)}


def newsroom_item(request: Request, public_id: str) -> Item:
    with request.app.state.db.read() as conn:
        row = query.row_of(conn, public_id)
        if row is None:
            raise HTTPException(404, f"No item {public_id!r}.")
        return query.models(conn, site(request), [row], newsroom=True)[0]


Editor = Annotated[Actor, Depends(allowed(Action.EDIT_ITEMS))]
Publisher = Annotated[Actor, Depends(allowed(Action.PUBLISH))]


@router.post(
    "/items",
    status_code=201,
    response_model=Item,
    responses=problems(401, 403, 409),
    openapi_extra=needs(Action.EDIT_ITEMS),
    summary="Create an item in the inbox",
)
def create(request: Request, actor: Editor, body: ItemCreate) -> Response:
    """An item an editor writes in: stored in the inbox without a source (the body is
    sanitised). 409 when an item has the same canonical URL, with its id as `existing`."""
    try:
        created = create_item(request.app.state.db, actor, **body.model_dump())
    except DuplicateItem as exc:
        return problem(409, str(exc), existing=exc.public_id)
    except CreateError as exc:
        raise HTTPException(422, str(exc)) from None
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    item = newsroom_item(request, created.public_id)
    return json_response(item, 201, {"Location": f"{PREFIX}/items/{created.public_id}"})


@router.patch(
    "/items/{item_id}",
    response_model=Item,
    responses=WRITE_PROBLEMS,
    openapi_extra=needs(Action.EDIT_ITEMS),
    summary="Edit an item",
)
def patch(request: Request, actor: Editor, item_id: Key, body: ItemPatch) -> Response:
    """Change the headline, lead, body (sanitised), kind or correction note."""
    fields: dict[str, str] = {}
    for name, value in body.model_dump(exclude_unset=True).items():
        if name == "kind":
            fields["kind"] = value or ""
        elif value is not None:
            fields[name] = value
    return _answered(
        request, item_id, lambda: editorial.edit(request.app.state.db, actor, item_id, fields), 422
    )


def _answered(
    request: Request, item_id: str, change: Callable[[], object], refused: int = 409
) -> Response:
    """Make *change*; answer the item as it is afterwards, or the problem: 404 for no such
    item, *refused* for a change the item does not allow, 403 for a caller without the right."""
    try:
        change()
    except editorial.ItemNotFound:
        raise HTTPException(404, f"No item {item_id!r}.") from None
    except editorial.EditError as exc:
        raise HTTPException(refused, str(exc)) from None
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    return json_response(newsroom_item(request, item_id))


def _action(name: str, run: Run) -> Callable[..., Response]:
    def act(request: Request, actor: Publisher, item_id: Key) -> Response:
        return _answered(request, item_id, lambda: run(request.app.state.db, actor, item_id))

    act.__name__ = f"{name}_item"
    act.__doc__ = f"{name.capitalize()} the item; answers the item as it is afterwards."
    return act


for _name, _run in ACTIONS.items():
    router.add_api_route(
        f"/items/{{item_id}}/{_name}",
        _action(_name, _run),
        methods=["POST"],
        response_model=Item,
        responses=WRITE_PROBLEMS,
        openapi_extra=needs(Action.PUBLISH),
        summary=f"{_name.capitalize()} an item",
    )


def _kind_answer(accept: bool) -> Callable[..., Response]:
    def answer(request: Request, actor: Editor, item_id: Key) -> Response:
        db = request.app.state.db
        return _answered(request, item_id, lambda: kinds.answer(db, actor, item_id, accept=accept))

    verb = "accept" if accept else "reject"
    answer.__name__ = f"{verb}_kind"
    answer.__doc__ = (
        f"{verb.capitalize()} the kind the kinds stage proposes for the item (its "
        "`kind_suggestion`); 409 when none is proposed. A rejected kind is not proposed again."
    )
    return answer


for _accept in (True, False):
    _verb = "accept" if _accept else "reject"
    router.add_api_route(
        f"/items/{{item_id}}/{_verb}-kind",
        _kind_answer(_accept),
        methods=["POST"],
        response_model=Item,
        responses=WRITE_PROBLEMS,
        openapi_extra=needs(Action.EDIT_ITEMS),
        summary=f"{_verb.capitalize()} the proposed kind",
    )
