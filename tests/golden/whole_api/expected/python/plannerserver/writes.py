# Copied by specgen from generator/runtime/server/writes.py, the same in every API. Do not edit by hand.
"""Create, update and delete: act on the store in one transaction, and log every attempt.

Each write, whether it succeeds or fails with 404 or 422, is told to the ``audit`` hook as a
``WriteEvent``; the object it returns (an activity, when the API keeps an activity log) is
recorded in the same transaction as the write. A failed write records only its activity, and
of what was sent only a summary (``summary``: at most ``MAX_LOGGED_BODY`` characters, marked
when cut) and its bounded errors: refused writes cannot fill the database.

Secrets are never told: not in the answer (``Resource.answer``), not in the activity's
``data`` or ``originalData`` (the object as answered, as it was), not in a refused write's
body summary; nor is what the store keeps encrypted, since the log is not (``Resource.logged``). Processors (``processors``) run before and after each
write, inside its transaction; what they refuse is undone and logged as a refused write.
An object created under a parent (``parent``) is linked to it: 404 when the parent does not
exist in the caller's namespace.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from .auth import Caller
from .errors import APIError, ErrorObject, InvalidRecord, not_found
from .limits import MAX_LOGGED_BODY
from .processors import NO_PROCESSORS, Context, Processors
from .store import Store
from .table import Resource, Table
from .transaction import Transaction, transaction

Operation = Literal["create", "update", "delete"]
_DONE = {"create": "created", "update": "updated", "delete": "deleted"}


@dataclass(frozen=True, slots=True)
class WriteEvent:
    """One write attempt, as the activity log tells it."""

    operation: Operation
    target: str  # the model's name
    caller: Caller
    identifier: str | None
    data: Any  # the object after the write; for a refused write, the body the client sent
    original: dict[str, Any] | None  # the object before (update and delete)
    errors: list[ErrorObject] | None  # why the write failed; None when it succeeded

    @property
    def message(self) -> str:
        what = self.target + (f" {self.identifier[:100]}" if self.identifier else "")
        if not self.errors:
            return f"{_DONE[self.operation]} {what}"
        omitted = self.errors[-1]["data"].get("omitted", 0) if len(self.errors) > 1 else 0
        total = len(self.errors) - (1 if omitted else 0) + omitted
        more = f" (and {total - 1} more)" if total > 1 else ""
        return f"{self.operation} of {what} failed: {self.errors[0]['description']}{more}"


def summary(body: Any) -> Any:
    """What a refused write's activity keeps of the body sent: the body itself when its JSON is
    at most ``MAX_LOGGED_BODY`` characters, else ``{"_truncated": {...}, "_head": "..."}`` with
    the size sent and its first characters."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    if len(text) <= MAX_LOGGED_BODY:
        return body
    return {"_truncated": {"characters": len(text), "kept": MAX_LOGGED_BODY}, "_head": text[:MAX_LOGGED_BODY]}


# The hook: the object to record for a write (an activity), or None to record nothing.
Audit = Callable[[WriteEvent], Any]


def _identifier(resource: Resource[Any], wire: dict[str, Any]) -> str | None:
    key = resource.table.identifier
    value = wire.get(key.attribute) if key is not None else None
    return None if value is None else str(value)


def _log(tx: Transaction, audit: Audit | None, event: WriteEvent) -> None:
    if audit is None:
        return
    activity = audit(event)
    if activity is not None:
        tx.record(activity)


def _answer(resource: Resource[Any], obj: Any) -> dict[str, Any]:
    answer: dict[str, Any] = resource.answer(obj) if resource.answer is not None else obj.to_dict()
    return answer


def _logged(resource: Resource[Any], data: Any) -> Any:
    """What an activity keeps of an object or a body: no secret, nothing the store keeps encrypted."""
    return resource.logged(data) if resource.logged is not None else data


def _sent(resource: Resource[Any], body: Any) -> Any:
    """What an activity keeps of a refused write's body: ``_logged``, then at most a summary."""
    return summary(_logged(resource, body))


def _stored(resource: Resource[Any], stored: dict[str, Any]) -> Any:
    assert resource.from_stored is not None, f"{resource.table.name} reads no stored form"
    return resource.from_stored(stored)


def _hooked(processors: Processors, model: str, operation: Any) -> bool:
    return processors.has(model, operation, "before") or processors.has(model, operation, "after")


def _children_of(store: Store, model: str, identifier: str) -> Callable[[str], int]:
    return lambda child: store.children(model, identifier, child)


def create(
    store: Store,
    resource: Resource[Any],
    caller: Caller,
    body: dict[str, Any],
    audit: Audit | None,
    parameters: dict[str, Any] | None = None,
    parent: tuple[Table, str] | None = None,
    processors: Processors = NO_PROCESSORS,
) -> Any:
    """The created object as answered; APIError 404 (no such parent), 422 (refused) or a processor's."""
    assert resource.creating is not None, f"{resource.table.name} does not allow create"
    name = resource.table.name
    event = WriteEvent("create", name, caller, None, None, None, None)
    with transaction(store) as tx:
        try:
            with tx.attempt():
                link = None
                if parent is not None:
                    if not tx.exists(parent[0], parent[1], caller.namespace):
                        raise _missing(parent[0], parent[1], caller)
                    link = (parent[0].name, parent[1])
                obj = resource.creating(body, caller.namespace)
                ctx = None
                if _hooked(processors, name, "create"):
                    ctx = Context(name, "create", caller, parameters or {}, parent=link, obj=obj, store=store)
                    if processors.has(name, "create", "before"):
                        processors.run("before", ctx)
                        obj = resource.prepare(ctx.obj)
                obj = tx.insert(resource, obj, link)
                answer = logged = _answer(resource, obj)
                if ctx is not None and processors.has(name, "create", "after"):
                    ctx.obj, ctx.answer = obj, dict(answer)
                    identifier = _identifier(resource, answer)
                    if identifier is not None:
                        ctx.identifier, ctx._children = identifier, _children_of(store, name, identifier)
                    processors.run("after", ctx)
                    answer = ctx.answer
        except InvalidRecord as exc:
            failure = APIError(422, exc.errors)
        except APIError as exc:
            failure = exc
        else:
            _log(tx, audit, replace(event, identifier=_identifier(resource, logged), data=_logged(resource, logged)))
            return answer
        _log(tx, audit, replace(event, data=_sent(resource, body), errors=failure.errors))
    raise failure


def update(
    store: Store,
    resource: Resource[Any],
    caller: Caller,
    identifier: str,
    body: dict[str, Any],
    audit: Audit | None,
    parameters: dict[str, Any] | None = None,
    processors: Processors = NO_PROCESSORS,
) -> Any:
    """The updated object as answered; APIError 404, 422 or a processor's."""
    assert resource.updating is not None, f"{resource.table.name} does not allow update"
    name = resource.table.name
    event = WriteEvent("update", name, caller, identifier, _sent(resource, body), None, None)
    with transaction(store) as tx:
        found = tx.get_both(resource.table, identifier, caller.namespace)
        try:
            if found is None:
                raise _missing(resource.table, identifier, caller)
            wire, stored_form = found
            event = replace(event, original=_logged(resource, wire))
            with tx.attempt():
                stored = _stored(resource, stored_form)
                obj = resource.updating(stored, body)
                ctx = None
                if _hooked(processors, name, "update"):
                    ctx = Context(
                        name,
                        "update",
                        caller,
                        parameters or {},
                        identifier=identifier,
                        obj=obj,
                        original=stored,
                        store=store,
                        _children=_children_of(store, name, identifier),
                    )
                    if processors.has(name, "update", "before"):
                        processors.run("before", ctx)
                        obj = resource.prepare(ctx.obj)
                tx.replace(resource, identifier, obj)
                answer = logged = _answer(resource, obj)
                if ctx is not None and processors.has(name, "update", "after"):
                    ctx.obj, ctx.answer = obj, dict(answer)
                    processors.run("after", ctx)
                    answer = ctx.answer
        except InvalidRecord as exc:
            failure = APIError(422, exc.errors)
        except APIError as exc:
            failure = exc
        else:
            _log(tx, audit, replace(event, data=_logged(resource, logged)))
            return answer
        _log(tx, audit, replace(event, errors=failure.errors))
    raise failure


def delete(
    store: Store,
    resource: Resource[Any],
    caller: Caller,
    identifier: str,
    audit: Audit | None,
    parameters: dict[str, Any] | None = None,
    processors: Processors = NO_PROCESSORS,
) -> Any:
    """The deleted object as it was (in the wire form); APIError 404 or a processor's.

    The objects that lived under it stay (``Store.unlink``): a processor may refuse the delete
    while it has some, or delete them.
    """
    name = resource.table.name
    event = WriteEvent("delete", name, caller, identifier, None, None, None)
    with transaction(store) as tx:
        found = tx.get_both(resource.table, identifier, caller.namespace)
        try:
            if found is None:
                raise _missing(resource.table, identifier, caller)
            wire, stored_form = found
            event = replace(event, original=_logged(resource, wire))
            with tx.attempt():
                answer = wire
                if _hooked(processors, name, "delete"):
                    ctx = Context(
                        name,
                        "delete",
                        caller,
                        parameters or {},
                        identifier=identifier,
                        obj=_stored(resource, stored_form),
                        store=store,
                        _children=_children_of(store, name, identifier),
                    )
                    processors.run("before", ctx)
                    tx.delete(resource.table, identifier)
                    ctx.answer = dict(wire)
                    processors.run("after", ctx)
                    answer = ctx.answer
                else:
                    tx.delete(resource.table, identifier)
        except APIError as exc:
            failure = exc
        else:
            _log(tx, audit, event)
            return answer
        _log(tx, audit, replace(event, errors=failure.errors))
    raise failure


def _missing(table: Table, identifier: str, caller: Caller) -> APIError:
    key = table.identifier
    assert key is not None, f"{table.name} has no identifier"
    return not_found(table.name, key.attribute, identifier, caller.namespace)
