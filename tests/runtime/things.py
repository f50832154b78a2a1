"""A small model bound to a table, built from the runtime at its source (not a generated copy).

``Thing`` has one attribute of every stored kind, a non-filterable one, an identifier and a
namespace, like a generated resource (see templates/server/resources/model.py.j2), so the
filter compiler, the store and the writes can be run against real SQLite here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from generator.runtime.server.encoding import json_text, new_identifier, now, parse_time, time_text
from generator.runtime.server.errors import InvalidRecord, error_object
from generator.runtime.server.namespaces import is_namespace
from generator.runtime.server.table import Column, Resource, Row, Table

KINDS = ("small", "Medium", "large")  # mixed case on purpose: choices compare exactly

COLUMNS = (
    Column("ID", "id", "string", "TEXT", filterable=True, orderable=True, unique=True),
    Column("name", "name", "string", "TEXT", filterable=True, orderable=True),
    Column("kind", "kind", "enum", "TEXT", filterable=True, orderable=True, choices=KINDS),
    Column("count", "count", "integer", "INTEGER", filterable=True, orderable=True),
    Column("ratio", "ratio", "float", "REAL", filterable=True, orderable=True),
    Column("enabled", "enabled", "boolean", "INTEGER", filterable=True, orderable=True),
    Column("date", "date", "time", "TEXT", filterable=True, orderable=True),
    Column("tags", "tags", "list", "TEXT", filterable=True),
    Column("data", "data", "object", "TEXT", filterable=True),
    Column("raw", "raw", "raw_data", "TEXT", filterable=True, orderable=True),
    Column("secret", "secret", "string", "TEXT"),
    Column("code", "code", "string", "TEXT", unique=True, unique_in_namespace=True),
    Column("namespace", "namespace", "string", "TEXT", filterable=True, orderable=True),
)
ATTRIBUTES = [c.attribute for c in COLUMNS]
FILTERABLE = [c.attribute for c in COLUMNS if c.filterable]
_FIELDS = (
    "id",
    "name",
    "kind",
    "count",
    "ratio",
    "enabled",
    "date",
    "tags",
    "data",
    "raw",
    "secret",
    "code",
    "namespace",
)


def table(*, cap: int | None = None, deletes: bool = False, default_order: tuple[str, ...] = ()) -> Table:
    return Table(
        name="thing",
        category="things",
        columns=COLUMNS,
        identifier="ID",
        namespace="namespace",
        default_order=default_order,
        cap=cap,
        deletes=deletes,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Thing:
    id: str | None = None
    name: str | None = None
    kind: str | None = None
    count: int | None = None
    ratio: float | None = None
    enabled: bool | None = None
    date: datetime | None = None
    tags: list[Any] | None = None
    data: dict[str, Any] | None = None
    raw: Any = None
    secret: str | None = None
    code: str | None = None
    namespace: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The wire form, as the store answers it (unset left out; times in UTC, whole seconds without a fraction)."""
        date = None if self.date is None else time_text(self.date).replace(".000000Z", "Z")
        values = [getattr(self, name) for name in _FIELDS]
        values[_FIELDS.index("date")] = date
        return {a: v for a, v in zip(ATTRIBUTES, values, strict=True) if v is not None}


def prepare(obj: Thing) -> Thing:
    obj = replace(obj, id=obj.id or new_identifier(), date=obj.date or now())
    errors = []
    if obj.namespace is None or not is_namespace(obj.namespace):
        errors.append(error_object(422, "namespace must be absolute", {"attribute": "namespace"}))
    if obj.kind is not None and obj.kind not in KINDS:
        errors.append(error_object(422, f"kind must be one of {', '.join(KINDS)}", {"attribute": "kind"}))
    if errors:
        raise InvalidRecord(errors)
    return obj


def to_row(obj: Thing) -> Row:
    return (
        obj.id,
        obj.name,
        obj.kind,
        obj.count,
        obj.ratio,
        None if obj.enabled is None else int(obj.enabled),
        None if obj.date is None else time_text(obj.date),
        json_text(obj.tags),
        json_text(obj.data),
        json_text(obj.raw),
        obj.secret,
        obj.code,
        obj.namespace,
    )


def from_wire(data: dict[str, Any]) -> Thing:
    known = {a: data.get(a) for a in ATTRIBUTES}
    if known["date"] is not None:
        try:
            known["date"] = parse_time(known["date"])
        except ValueError:
            raise InvalidRecord([error_object(422, "date must be a time", {"attribute": "date"})]) from None
    return Thing(**{name: known[c.attribute] for name, c in zip(_FIELDS, COLUMNS, strict=True)})


_REFUSED = {"ID", "date", "namespace"}


def creating(body: Any, namespace: str) -> Thing:
    refused = sorted(set(body) & _REFUSED)
    if refused:
        raise InvalidRecord([error_object(422, f"{name} is read-only", {"attribute": name}) for name in refused])
    return prepare(replace(from_wire(body), namespace=namespace))


def updating(stored: Thing, body: Any) -> Thing:
    refused = sorted(set(body) & (_REFUSED | {"code"}))
    if refused:
        raise InvalidRecord([error_object(422, f"{name} is read-only", {"attribute": name}) for name in refused])
    given = from_wire(body)
    return prepare(replace(stored, name=given.name, kind=given.kind, count=given.count, secret=given.secret))


def resource(the_table: Table | None = None) -> Resource[Thing]:
    return Resource(
        table=the_table or table(),
        model=Thing,
        prepare=prepare,
        to_row=to_row,
        from_wire=from_wire,
        creating=creating,
        updating=updating,
        from_stored=from_wire,  # nothing hidden or secret here: the stored form is the wire form
    )


def decoded(text: str) -> list[dict[str, Any]]:
    """A list answer (JSON array text) as Python objects."""
    result: list[dict[str, Any]] = json.loads(text)
    return result
