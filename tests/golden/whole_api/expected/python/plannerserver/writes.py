# Copied by specgen from generator/runtime/server/writes.py, the same in every API. Do not edit by hand.
"""Create, update and delete: act on the store in one transaction, and log every attempt.

Each write, whether it succeeds or fails with 404 or 422, is told to the ``audit`` hook as a
``WriteEvent``; the object it returns (an activity, when the API keeps an activity log) is
recorded in the same transaction as the write. A failed write records only its activity, and
of what was sent only a summary (``summary``: at most ``MAX_LOGGED_BODY`` characters, marked
when cut) and its bounded errors: refused writes cannot fill the database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from .auth import Claims
from .errors import APIError, ErrorObject, InvalidRecord, not_found
from .limits import MAX_LOGGED_BODY
from .store import Store
from .table import Resource
from .transaction import Transaction, transaction

Operation = Literal["create", "update", "delete"]
_DONE = {"create": "created", "update": "updated", "delete": "deleted"}


@dataclass(frozen=True, slots=True)
class Caller:
    """Who writes (their claims), in which namespace, from where (the client address)."""

    claims: Claims
    namespace: str
    source: str


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


def create(store: Store, resource: Resource[Any], caller: Caller, body: dict[str, Any], audit: Audit | None) -> Any:
    """The created object, in the wire form; APIError 422 when it is refused."""
    assert resource.creating is not None, f"{resource.table.name} does not allow create"
    event = WriteEvent("create", resource.table.name, caller, None, body, None, None)
    with transaction(store) as tx:
        try:
            obj = tx.insert(resource, resource.creating(body, caller.namespace))
        except InvalidRecord as exc:
            failure = APIError(422, exc.errors)
            _log(tx, audit, replace(event, data=summary(body), errors=failure.errors))
        else:
            after = obj.to_dict()
            _log(tx, audit, replace(event, identifier=_identifier(resource, after), data=after))
            return after
    raise failure


def update(
    store: Store, resource: Resource[Any], caller: Caller, identifier: str, body: dict[str, Any], audit: Audit | None
) -> Any:
    """The updated object, in the wire form; APIError 404 or 422."""
    assert resource.updating is not None, f"{resource.table.name} does not allow update"
    event = WriteEvent("update", resource.table.name, caller, identifier, summary(body), None, None)
    with transaction(store) as tx:
        stored = tx.get(resource.table, identifier, caller.namespace)
        if stored is None:
            failure = _missing(resource, identifier, caller)
            _log(tx, audit, replace(event, errors=failure.errors))
        else:
            event = replace(event, original=stored)
            try:
                obj = resource.updating(resource.from_wire(stored), body)
                tx.replace(resource, identifier, obj)
            except InvalidRecord as exc:
                failure = APIError(422, exc.errors)
                _log(tx, audit, replace(event, errors=failure.errors))
            else:
                after = obj.to_dict()
                _log(tx, audit, replace(event, data=after))
                return after
    raise failure


def delete(store: Store, resource: Resource[Any], caller: Caller, identifier: str, audit: Audit | None) -> Any:
    """The deleted object, in the wire form; APIError 404."""
    event = WriteEvent("delete", resource.table.name, caller, identifier, None, None, None)
    with transaction(store) as tx:
        stored = tx.get(resource.table, identifier, caller.namespace)
        if stored is not None:
            tx.delete(resource.table, identifier)
            _log(tx, audit, replace(event, original=stored))
            return stored
        failure = _missing(resource, identifier, caller)
        _log(tx, audit, replace(event, errors=failure.errors))
    raise failure


def _missing(resource: Resource[Any], identifier: str, caller: Caller) -> APIError:
    key = resource.table.identifier
    assert key is not None, f"{resource.table.name} has no identifier"
    return not_found(resource.table.name, key.attribute, identifier, caller.namespace)
