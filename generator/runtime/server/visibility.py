"""What a client sees of an object, and what the store keeps of it.

- Secret attributes are accepted on writes and never shown: a ``Concealment`` takes them out
  of an answer. An update that leaves a secret out keeps the stored one (``with_secrets``): a
  client cannot read it back to send it again.
- An activity never keeps a secret, nor what the store keeps encrypted (the log itself is not
  encrypted): another ``Concealment`` takes those out of its ``data``, its ``originalData``
  and the body of a refused write.
- Nested values (objects of nested types or models, in lists and maps) may hold attributes a
  client must never see (secret or hidden ones: a task's ``reviewer`` is a whole user,
  password included) or that are never kept (transient ones). The models' ``to_dict`` writes
  them all; a ``Pruning`` leaves them out of a value again, walking it by its shape (the
  models' convention: ``("list", shape)``, ``("map", shape)``, ``("ref", type name)`` or a
  scalar like ``("string",)``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Shape = tuple[Any, ...]


class Pruning:
    """For each nested type concerned: the wire names to leave out of its objects, and the
    attributes (wire name -> shape) that hold more objects to walk into. Types not listed
    have nothing to leave out, at any depth."""

    def __init__(self, types: Mapping[str, tuple[Sequence[str], Mapping[str, Shape]]]) -> None:
        self._drop = {name: frozenset(drop) for name, (drop, _) in types.items()}
        self._inner = {name: dict(inner) for name, (_, inner) in types.items()}

    def apply(self, value: Any, shape: Shape) -> Any:
        """The value without what is left out; values not of the shape are returned as they are."""
        kind = shape[0]
        if kind == "list" and type(value) is list:
            return [self.apply(item, shape[1]) for item in value]
        if kind == "map" and type(value) is dict:
            return {key: self.apply(item, shape[1]) for key, item in value.items()}
        if kind == "ref" and type(value) is dict and shape[1] in self._drop:
            drop, inner = self._drop[shape[1]], self._inner[shape[1]]
            return {
                key: self.apply(item, inner[key]) if key in inner else item
                for key, item in value.items()
                if key not in drop
            }
        return value

    def bind(self, shape: Shape) -> Pruned:
        return Pruned(self, shape)


@dataclass(frozen=True, slots=True)
class Pruned:
    """A pruning for the values of one shape (one column, one attribute)."""

    pruning: Pruning
    shape: Shape

    def __call__(self, value: Any) -> Any:
        return self.pruning.apply(value, self.shape)

    def text(self, text: str | None) -> str | None:
        """The same on canonical JSON text (the store's SQL function)."""
        if text is None:
            return None
        return json.dumps(self(json.loads(text)), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Concealment:
    """What to leave out of an object's wire form (or of a body sent): attributes by wire name,
    and the parts of nested values that ``nested`` prunes. What is not an object is returned as it is."""

    left_out: tuple[str, ...] = ()
    nested: Mapping[str, Pruned] = field(default_factory=dict)

    def __call__(self, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        kept = {key: value for key, value in data.items() if key not in self.left_out}
        for key, prune in self.nested.items():
            if key in kept:
                kept[key] = prune(kept[key])
        return kept


def with_secrets(body: Any, stored: Mapping[str, Any], secrets: Sequence[str]) -> Any:
    """An update body with each secret it leaves out (the key absent) set to the stored value;
    a secret sent, even as null, replaces the stored one."""
    if not isinstance(body, dict):
        return body
    kept = {key: stored[key] for key in secrets if key not in body and key in stored}
    return {**kept, **body} if kept else body
