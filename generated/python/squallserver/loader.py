# Copied by specgen from generator/runtime/server/loader.py, the same in every API. Do not edit by hand.
"""Load a JSON-lines file (one wire-form object per line) into the store, all or nothing.

A line may hold every attribute of the model, hidden ones too (the store's own form); an
object loaded this way lives under no parent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import InvalidRecord
from .store import Store
from .table import Resource

MAX_SHOWN = 20


class LoadError(Exception):
    """The file has problems; ``problems`` are ``line N: ...`` messages. Nothing was stored."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_objects(path: Path, resource: Resource[Any]) -> list[Any]:
    """Every object of the file, prepared (IDs and times filled in) and validated."""
    problems: list[str] = []
    objects: list[Any] = []
    seen: dict[object, int] = {}
    identifier = resource.table.identifier
    names_known = resource.accepts or tuple(resource.table.by_attribute)
    known = frozenset(names_known)
    decode = resource.from_stored or resource.from_wire
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise InvalidRecord([{"description": "expected a JSON object"}])
                if not data:
                    raise InvalidRecord([{"description": f"an empty object: no attribute of {resource.table.name}"}])
                # A line of another shape is refused, never stored with its fields dropped.
                unknown = [key for key in data if key not in known]
                if unknown:
                    names = ", ".join(repr(key) for key in unknown[:5]) + (", ..." if len(unknown) > 5 else "")
                    attributes = ", ".join(names_known)
                    problem = f"{names}: not an attribute of {resource.table.name} (attributes: {attributes})"
                    raise InvalidRecord([{"description": problem}])
                obj = resource.prepare(decode(data))
            except ValueError as exc:  # JSONDecodeError and InvalidRecord are ValueErrors
                errors = exc.errors if isinstance(exc, InvalidRecord) else [{"description": f"not JSON: {exc}"}]
                problems.extend(f"line {number}: {e['description']}" for e in errors)
                continue
            key = None if identifier is None else resource.to_row(obj)[resource.table.columns.index(identifier)]
            if identifier is not None and key in seen:
                problems.append(f"line {number}: {identifier.attribute} {key!r} is already used on line {seen[key]}")
            seen[key] = number
            objects.append(obj)
    if problems:
        shown = problems[:MAX_SHOWN]
        if len(problems) > MAX_SHOWN:
            shown.append(f"... and {len(problems) - MAX_SHOWN} more")
        raise LoadError(shown)
    return objects


def load_jsonl(store: Store, path: Path, resource: Resource[Any]) -> int:
    """Store every object of the file in one transaction; the number stored."""
    objects = read_objects(path, resource)
    store.record_many(objects)
    return len(objects)
