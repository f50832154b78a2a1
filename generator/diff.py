"""What changed between two spec sets, and what each change breaks: clients, stored data, or nothing.

``specgen diff --against REF`` compares the specs with those of a git revision or a folder.
Each change is classified by rules written down once here (the "Changing a spec" docs page
quotes them): a change is *breaking for clients* when a client written against the old API
can fail against the new one (a request it sends is refused, a value it reads is gone or has
another type); *breaking for stored data* when objects stored under the old spec would be lost,
rewritten or refused; *compatible* otherwise.

A breaking change must be acknowledged in the spec repository, where review sees it: a major
version bump in ``_api.yaml`` acknowledges every one; ``breaking_changes:`` in ``_api.yaml``
acknowledges one change by its id (``task.priority.type``) with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from generator.spec import Api, Attribute, Model, NestedType, OperationSpec, Parameter, Relation

Impact = Literal["clients", "data"]
CLIENTS: Impact = "clients"
DATA: Impact = "data"


@dataclass(frozen=True, slots=True)
class Where:
    """Where one side of a change is: a spec file and the path of the value in it."""

    file: str
    path: tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the two spec sets."""

    id: str  # stable: task.priority.type, project.operations.delete, label.color.choices
    what: str  # in words: "type changed from integer to float"
    breaks: tuple[Impact, ...]  # empty: compatible
    old: Where | None = None
    new: Where | None = None

    @property
    def breaking(self) -> bool:
        return bool(self.breaks)


@dataclass
class _Collector:
    changes: list[Change] = field(default_factory=list)

    def add(self, id: str, what: str, breaks: tuple[Impact, ...], old: Where | None, new: Where | None) -> None:
        self.changes.append(Change(id, what, breaks, old, new))


def compare(old: Api, new: Api) -> list[Change]:
    """Every change from ``old`` to ``new``, in a stable order (by id)."""
    found = _Collector()
    _api_level(found, old, new)
    _objects(found, old.models_by_name, new.models_by_name, kind="model")
    _objects(found, old.nested_by_name, new.nested_by_name, kind="type")
    return sorted(found.changes, key=lambda c: c.id)


def _api_level(found: _Collector, old: Api, new: Api) -> None:
    old_file, new_file = Where(old.spec_file, ()), Where(new.spec_file, ())
    for key, impact in (("models_package", (CLIENTS,)), ("server_package", ())):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            found.add(
                f"api.{key}", f"{key.replace('_', ' ')} renamed from {before} to {after}", impact, old_file, new_file
            )
    if old.version != new.version:
        found.add("api.version", f"version {old.version} -> {new.version}", (), old_file, new_file)
    old_sets = {s.name: s for s in old.parameter_sets}
    new_sets = {s.name: s for s in new.parameter_sets}
    for name in sorted(old_sets.keys() - new_sets.keys()):
        found.add(
            f"api.parameters.{name}",
            f"parameter set {name} removed",
            (CLIENTS,),
            Where(old.spec_file, ("parameters", name)),
            None,
        )
    old_validators = {v.name: v for v in old.validators}
    for validator in new.validators:
        before = old_validators.get(validator.name)
        if before is not None and (before.pattern, before.function) != (validator.pattern, validator.function):
            found.add(
                f"api.validators.{validator.name}",
                f"validator {validator.name} changed: values accepted before may be refused",
                (CLIENTS, DATA),
                Where(old.spec_file, ("validators", validator.name)),
                Where(new.spec_file, ("validators", validator.name)),
            )


def _objects(
    found: _Collector,
    old: dict[str, Model] | dict[str, NestedType],
    new: dict[str, Model] | dict[str, NestedType],
    kind: Literal["model", "type"],
) -> None:
    for name in sorted(old.keys() - new.keys()):
        impact: tuple[Impact, ...] = (CLIENTS, DATA) if kind == "model" else (CLIENTS,)
        found.add(name, f"{kind} {name} removed", impact, Where(old[name].spec_file, (kind,)), None)
    for name in sorted(new.keys() - old.keys()):
        found.add(name, f"{kind} {name} added", (), None, Where(new[name].spec_file, (kind,)))
    for name in sorted(old.keys() & new.keys()):
        before, after = old[name], new[name]
        if isinstance(before, Model) and isinstance(after, Model):
            _model(found, before, after)
        _attributes(found, name, before, after)
        if before.class_name != after.class_name:
            found.add(
                f"{name}.class_name",
                f"class renamed from {before.class_name} to {after.class_name}",
                (CLIENTS,),
                Where(before.spec_file, (kind, "class_name")),
                Where(after.spec_file, (kind, "class_name")),
            )


def _model(found: _Collector, old: Model, new: Model) -> None:
    name = old.name

    def at(model: Model, *path: str | int) -> Where:
        return Where(model.spec_file, ("model", *path))

    if old.category != new.category:
        found.add(
            f"{name}.category",
            f"collection moved from /{old.category} to /{new.category}",
            (CLIENTS,),
            at(old, "category"),
            at(new, "category"),
        )
    if old.identifier != new.identifier:
        found.add(
            f"{name}.identifier",
            f"identifier changed from {old.identifier} to {new.identifier}",
            (CLIENTS, DATA),
            at(old, "identifier"),
            at(new, "identifier"),
        )
    if old.namespaced != new.namespaced:
        found.add(
            f"{name}.namespaced",
            f"namespaced changed to {str(new.namespaced).lower()}",
            (CLIENTS, DATA),
            at(old, "namespaced"),
            at(new, "namespaced"),
        )
    if (old.cap or 0) != (new.cap or 0):
        lowered = new.cap is not None and (old.cap is None or new.cap < old.cap)
        found.add(
            f"{name}.cap",
            f"cap changed from {old.cap} to {new.cap}",
            (DATA,) if lowered else (),
            at(old, "cap"),
            at(new, "cap"),
        )
    if old.default_order != new.default_order:
        found.add(
            f"{name}.default_order",
            f"default order changed to {', '.join(new.default_order) or 'arrival'}",
            (),
            at(old, "default_order"),
            at(new, "default_order"),
        )
    for alias in sorted(set(old.aliases) - set(new.aliases)):
        found.add(f"{name}.aliases.{alias}", f"alias {alias} removed", (CLIENTS,), at(old, "aliases"), at(new, "model"))
    for operation in ("list", "retrieve", "create", "update", "delete"):
        was, now = old.allows(operation), new.allows(operation)
        where_old, where_new = at(old, "operations"), at(new, "operations")
        if was and not now:
            found.add(
                f"{name}.operations.{operation}", f"operation {operation} removed", (CLIENTS,), where_old, where_new
            )
        elif now and not was:
            found.add(f"{name}.operations.{operation}", f"operation {operation} added", (), where_old, where_new)
        elif was and now:
            prefix = f"{name}.operations.{operation}"
            _operation(
                found, prefix, old.operation_spec(operation), new.operation_spec(operation), where_old, where_new
            )
    old_children = {r.child: (i, r) for i, r in enumerate(old.relations)}
    new_children = {r.child: (i, r) for i, r in enumerate(new.relations)}
    for child in sorted(old_children.keys() | new_children.keys()):
        before = old_children.get(child)
        after = new_children.get(child)
        relation_old = Where(old.spec_file, ("relations", before[0])) if before else None
        relation_new = Where(new.spec_file, ("relations", after[0])) if after else None
        _relation(
            found,
            f"{name}.relations.{child}",
            before[1] if before else None,
            after[1] if after else None,
            relation_old,
            relation_new,
        )
    for index in sorted(set(new.indexes) - set(old.indexes)):
        found.add(
            f"{name}.indexes.{'+'.join(index)}", f"index on {', '.join(index)} added", (), None, at(new, "indexes")
        )
    for index in sorted(set(old.indexes) - set(new.indexes)):
        found.add(
            f"{name}.indexes.{'+'.join(index)}", f"index on {', '.join(index)} removed", (), at(old, "indexes"), None
        )


def _relation(
    found: _Collector,
    prefix: str,
    old: Relation | None,
    new: Relation | None,
    where_old: Where | None,
    where_new: Where | None,
) -> None:
    for operation in ("list", "create"):
        before = getattr(old, operation) if old is not None else None
        after = getattr(new, operation) if new is not None else None
        if before is not None and after is None:
            found.add(
                f"{prefix}.{operation}", f"{operation} under the parent removed", (CLIENTS,), where_old, where_new
            )
        elif after is not None and before is None:
            found.add(f"{prefix}.{operation}", f"{operation} under the parent added", (), where_old, where_new)
        elif before is not None and after is not None:
            _operation(found, f"{prefix}.{operation}", before, after, where_old, where_new)


def _operation(
    found: _Collector,
    prefix: str,
    old: OperationSpec,
    new: OperationSpec,
    where_old: Where | None,
    where_new: Where | None,
) -> None:
    before = {p.name: p for p in old.parameters}
    after = {p.name: p for p in new.parameters}
    for name in sorted(before.keys() - after.keys()):
        found.add(
            f"{prefix}.parameters.{name}",
            f"parameter {name} removed: a request that sends it is refused",
            (CLIENTS,),
            where_old,
            where_new,
        )
    for name in sorted(after.keys() - before.keys()):
        required = after[name].required
        what = f"parameter {name} added" + (", required" if required else "")
        found.add(f"{prefix}.parameters.{name}", what, (CLIENTS,) if required else (), where_old, where_new)
    for name in sorted(before.keys() & after.keys()):
        for what, breaking in _parameter_changes(before[name], after[name]):
            found.add(
                f"{prefix}.parameters.{name}",
                f"parameter {name}: {what}",
                (CLIENTS,) if breaking else (),
                where_old,
                where_new,
            )
    if old.combinations != new.combinations:
        found.add(
            f"{prefix}.combinations",
            "the required combinations of parameters changed",
            (CLIENTS,),
            where_old,
            where_new,
        )


def _parameter_changes(old: Parameter, new: Parameter) -> Iterator[tuple[str, bool]]:
    if old.type != new.type:
        yield f"type changed from {old.type} to {new.type}", True
    if new.required and not old.required:
        yield "made required", True
    if old.multiple and not new.multiple:
        yield "no longer repeatable", True
    removed = sorted(set(old.choices or ()) - set(new.choices or ()))
    if removed and new.choices is not None:
        yield f"choices removed: {', '.join(removed)}", True
    if old.default_value != new.default_value:
        yield f"default changed from {old.default_value!r} to {new.default_value!r}", False


def _attributes(found: _Collector, owner: str, old: Model | NestedType, new: Model | NestedType) -> None:
    before = {a.name: a for a in old.attributes}
    after = {a.name: a for a in new.attributes}
    for name in sorted(before.keys() - after.keys()):
        a = before[name]
        found.add(
            f"{owner}.{name}", f"attribute {name} removed", (CLIENTS, DATA) if a.stored else (CLIENTS,), _at(a), None
        )
    for name in sorted(after.keys() - before.keys()):
        a = after[name]
        must_send = a.required and a.default_value is None and not (a.read_only or a.autogenerated)
        what = f"attribute {name} added" + (
            ", required with no default: a create without it is refused" if must_send else ""
        )
        found.add(f"{owner}.{name}", what, (CLIENTS,) if must_send else (), None, _at(a))
    for name in sorted(before.keys() & after.keys()):
        for key, what, breaks in _attribute_changes(before[name], after[name]):
            found.add(f"{owner}.{name}.{key}", what, breaks, _at(before[name], key), _at(after[name], key))


def _at(attribute: Attribute, key: str | None = None) -> Where:
    """The attribute in the file that holds it (its index is looked up when it is located)."""
    key = key.removesuffix("_added").removesuffix("_removed") if key else None
    path: tuple[str | int, ...] = ("attribute", attribute.name) + ((key,) if key else ())
    return Where(attribute.spec_file, path)


_BOUNDS = {"min_length": "shortest", "max_length": "longest", "min_value": "smallest", "max_value": "largest"}


def _attribute_changes(old: Attribute, new: Attribute) -> Iterator[tuple[str, str, tuple[Impact, ...]]]:
    """(key, what changed, what it breaks) for each property of an attribute that changed."""
    both: tuple[Impact, ...] = (CLIENTS, DATA)
    if (old.type, old.subtype) != (new.type, new.subtype):
        yield "type", f"type changed from {old.value_type} to {new.value_type}", both
    if old.exposed_name != new.exposed_name:
        yield "exposed_name", f"wire name changed from {old.exposed_name} to {new.exposed_name}", (CLIENTS,)
    if new.required and not old.required:
        yield "required", "made required", both
    elif old.required and not new.required:
        yield "required", "no longer required", ()
    for flag, becoming in (
        ("read_only", "read-only"),
        ("creation_only", "creation-only"),
        ("autogenerated", "autogenerated"),
    ):
        if getattr(new, flag) and not getattr(old, flag):
            yield flag, f"made {becoming}: a client that sends it is refused", (CLIENTS,)
        elif getattr(old, flag) and not getattr(new, flag):
            yield flag, f"no longer {becoming}", ()
    for flag in ("filterable", "orderable"):
        if getattr(old, flag) and not getattr(new, flag):
            yield flag, f"no longer {flag}: a request that uses it is refused", (CLIENTS,)
        elif getattr(new, flag) and not getattr(old, flag):
            yield flag, f"made {flag}", ()
    if new.unique and not old.unique:
        yield "unique", "made unique: stored duplicates would be refused", both
    elif old.unique and not new.unique:
        yield "unique", "no longer unique", ()
    if old.choices is not None and new.choices is not None:
        removed = [c for c in old.choices if c not in new.choices]
        added = [c for c in new.choices if c not in old.choices]
        if removed:
            yield "choices", f"choices removed: {', '.join(removed)}", both
        if added:
            yield "choices_added", f"choices added: {', '.join(added)}", ()
    for key, word in _BOUNDS.items():
        was, now = getattr(old, key), getattr(new, key)
        if was == now:
            continue
        tighter = now is not None and (was is None or (now > was if key.startswith("min") else now < was))
        yield key, f"{word} allowed changed from {was} to {now}", both if tighter else ()
    if old.pattern != new.pattern:
        yield "pattern", "pattern changed" if new.pattern else "pattern removed", both if new.pattern else ()
    added_validators = sorted(set(new.validators) - set(old.validators))
    if added_validators:
        yield "validators", f"validators added: {', '.join(added_validators)}", both
    if set(old.validators) - set(new.validators):
        yield "validators_removed", "validators removed", ()
    if new.secret != old.secret:
        yield (
            "secret",
            "made secret: responses no longer carry it" if new.secret else "no longer secret",
            (CLIENTS,) if new.secret else (),
        )
    if new.exposed != old.exposed:
        yield (
            "exposed",
            "hidden from the wire" if not new.exposed else "now on the wire",
            (CLIENTS,) if not new.exposed else (),
        )
    if new.stored != old.stored:
        yield (
            "stored",
            "no longer stored: its stored values would be dropped" if not new.stored else "now stored",
            (DATA,) if not new.stored else (),
        )
    if new.encrypted != old.encrypted:
        yield (
            "encrypted",
            f"{'now' if new.encrypted else 'no longer'} encrypted at rest: stored values are rewritten",
            (DATA,),
        )
    if new.omit_empty and not old.omit_empty:
        yield "omit_empty", "empty values now left out of responses", (CLIENTS,)
    elif old.omit_empty and not new.omit_empty:
        yield "omit_empty", "empty values now in responses", ()
    if old.default_value != new.default_value:
        yield "default_value", f"default changed from {old.default_value!r} to {new.default_value!r}", ()
    if old.description != new.description:
        yield "description", "description changed", ()
    if bool(new.deprecated) != bool(old.deprecated):
        yield "deprecated", "deprecated" if new.deprecated else "no longer deprecated", ()


# -- acknowledgement -----------------------------------------------------------------------

_MAJOR = re.compile(r"\s*v?(\d+)")


def major(version: str) -> int | None:
    """The major number of a version such as ``2``, ``2.1`` or ``v2.1.0``; None when there is none."""
    found = _MAJOR.match(version)
    return int(found.group(1)) if found else None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the breaking changes of a diff come to."""

    unacknowledged: tuple[Change, ...]
    acknowledged: tuple[tuple[Change, str], ...]  # (change, the reason it was acknowledged with)
    stale: tuple[str, ...]  # ids acknowledged in _api.yaml that are not in this diff

    @property
    def passes(self) -> bool:
        return not self.unacknowledged


def verdict(changes: list[Change], old: Api, new: Api, acknowledgements: dict[str, str]) -> Verdict:
    """Which breaking changes are acknowledged: all of them by a major version bump, each by its id."""
    breaking = [c for c in changes if c.breaking]
    old_major, new_major = major(old.version), major(new.version)
    bumped = old_major is not None and new_major is not None and new_major > old_major
    done: list[tuple[Change, str]] = []
    missing: list[Change] = []
    for change in breaking:
        if bumped:
            done.append((change, f"version {old.version} -> {new.version}"))
        elif change.id in acknowledgements:
            done.append((change, acknowledgements[change.id]))
        else:
            missing.append(change)
    ids = {c.id for c in changes}
    stale = tuple(sorted(set(acknowledgements) - ids))
    return Verdict(tuple(missing), tuple(done), stale)
