"""Decode + validate + encode 10,000 realistic Activity payloads: generated class vs pydantic v2 vs attrs+cattrs.

Run: ``.venv/bin/python benchmarks/models.py`` (needs the ``bench`` extra: ``pip install -e '.[bench]'``).
Each library does the same work per payload: wire dict -> typed object (times parsed to aware
datetimes, types checked) -> wire dict (exposed names, RFC 3339 times, unset left out).
Prints the median of several rounds and the ratio to pydantic (below 1.0 = faster than pydantic).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generated" / "python"))

from squallmodels import Activity  # noqa: E402

OPERATIONS = ("create", "update", "delete")
IDENTITIES = ("processingunit", "networkaccesspolicy", "namespace", "apiauthorizationpolicy", "enforcer")


def payloads(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Activity entries shaped like a real audit log: claims, before/after objects, some errors."""
    rng = random.Random(seed)
    start = datetime(2019, 6, 17, tzinfo=UTC)
    out = []
    for i in range(count):
        operation = rng.choice(OPERATIONS)
        identity = rng.choice(IDENTITIES)
        name = f"{identity}-{rng.randrange(1000)}"
        after = {"name": name, "protected": rng.random() < 0.2, "tags": [f"env={rng.choice(('dev', 'prod'))}"]}
        entry: dict[str, Any] = {
            "ID": f"{i:024x}",
            "claims": {"@auth:realm": "certificate", "@auth:subject": f"user{rng.randrange(50)}", "@auth:org": "acme"},
            "data": after if operation != "delete" else None,
            "date": (start + timedelta(seconds=i * 7, microseconds=rng.randrange(10**6))).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ"
            ),
            "message": f"{identity} {name} {operation}d",
            "namespace": f"/acme/{rng.choice(('dev', 'prod', 'staging'))}",
            "operation": operation,
            "originalData": {"name": name, "protected": False} if operation != "create" else None,
            "source": rng.choice(("apoctl", "ui", "api")),
            "targetIdentity": identity,
        }
        if rng.random() < 0.05:
            entry["error"] = {"code": 422, "title": "Validation Error", "description": "name is required"}
        out.append({k: v for k, v in entry.items() if v is not None})
    return out


def generated_round_trip(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        obj = Activity.from_dict(item)
        if obj.validate():
            raise AssertionError("payload should be valid")
        out.append(obj.to_dict())
    return out


def pydantic_round_trip_factory() -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

    # raw_data is Any, as in the generated class: neither walks the JSON inside it.

    class PydanticActivity(BaseModel):
        model_config = ConfigDict(populate_by_name=True)

        claims: Any = None
        data: Any = None
        date: AwareDatetime | None = None
        error: Any = None
        id: str | None = Field(default=None, alias="ID")
        message: str | None = None
        namespace: str | None = None
        operation: str | None = None
        original_data: Any = Field(default=None, alias="originalData")
        source: str | None = None
        target_identity: str | None = Field(default=None, alias="targetIdentity")

    def run(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            PydanticActivity.model_validate(item).model_dump(mode="json", by_alias=True, exclude_none=True)
            for item in items
        ]

    return run


def attrs_round_trip_factory() -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    import attrs
    import cattrs
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    optional_str = attrs.validators.optional(attrs.validators.instance_of(str))

    @attrs.define(kw_only=True)
    class AttrsActivity:
        claims: Any = None
        data: Any = None
        date: datetime | None = attrs.field(
            default=None, validator=attrs.validators.optional(attrs.validators.instance_of(datetime))
        )
        error: Any = None
        id: str | None = attrs.field(default=None, validator=optional_str)
        message: str | None = attrs.field(default=None, validator=optional_str)
        namespace: str | None = attrs.field(default=None, validator=optional_str)
        operation: str | None = attrs.field(default=None, validator=optional_str)
        original_data: Any = None
        source: str | None = attrs.field(default=None, validator=optional_str)
        target_identity: str | None = attrs.field(default=None, validator=optional_str)

    converter = cattrs.Converter(omit_if_default=True)
    converter.register_structure_hook(datetime, lambda v, _: datetime.fromisoformat(v).astimezone(UTC))
    converter.register_unstructure_hook(datetime, lambda v: v.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    converter.register_structure_hook(Any, lambda v, _: v)
    structure = make_dict_structure_fn(
        AttrsActivity,
        converter,
        id=override(rename="ID"),
        original_data=override(rename="originalData"),
        target_identity=override(rename="targetIdentity"),
    )
    unstructure = make_dict_unstructure_fn(
        AttrsActivity,
        converter,
        _cattrs_omit_if_default=True,
        id=override(rename="ID"),
        original_data=override(rename="originalData"),
        target_identity=override(rename="targetIdentity"),
    )
    converter.register_structure_hook(AttrsActivity, structure)
    converter.register_unstructure_hook(AttrsActivity, unstructure)

    def run(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for item in items:
            obj = converter.structure(item, AttrsActivity)
            attrs.validate(obj)
            out.append(converter.unstructure(obj))
        return out

    return run


def median_seconds(fn: Callable[[list[dict[str, Any]]], Any], items: list[dict[str, Any]], rounds: int) -> float:
    fn(items[:200])  # warm up (pydantic and cattrs build their code on first use)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn(items)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    items = payloads(args.count)

    contenders: dict[str, Callable[[list[dict[str, Any]]], Any]] = {"generated (squallmodels)": generated_round_trip}
    contenders["pydantic v2"] = pydantic_round_trip_factory()
    contenders["attrs + cattrs"] = attrs_round_trip_factory()

    # The three must agree on the wire output before their speed means anything.
    reference = generated_round_trip(items[:500])
    for name, fn in contenders.items():
        got = fn(items[:500])
        assert got == reference, f"{name} does not produce the same wire form"

    results = {name: median_seconds(fn, items, args.rounds) for name, fn in contenders.items()}
    base = results["pydantic v2"]
    print(f"decode + validate + encode of {args.count:,} Activity payloads, median of {args.rounds} rounds")
    print(f"{'library':<26} {'total ms':>9} {'us/object':>10} {'vs pydantic':>12}")
    for name, seconds in results.items():
        print(f"{name:<26} {seconds * 1000:>9.1f} {seconds / args.count * 1e6:>10.2f} {seconds / base:>11.2f}x")


if __name__ == "__main__":
    main()
