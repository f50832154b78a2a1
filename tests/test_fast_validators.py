"""The compiled schema validators kept between runs: the same verdicts from the cache as freshly
compiled, a new compile when the schema differs, and a damaged or unwritable cache never fails."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest

from generator import fast_validators, validate

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "probe",
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string", "pattern": "^[a-z]+$"}, "size": {"type": "integer", "minimum": 1}},
    "additionalProperties": False,
}
GOOD = [{"name": "abc"}, {"name": "x", "size": 3}]
BAD = [{}, {"name": "ABC"}, {"name": "a", "size": 0}, {"name": "a", "other": 1}, [], "name"]


def verdicts(check: Any) -> list[bool]:
    out = []
    for data in GOOD + BAD:
        try:
            check(data)
        except fastjsonschema.JsonSchemaException:
            out.append(False)
        else:
            out.append(True)
    return out


EXPECTED = [True] * len(GOOD) + [False] * len(BAD)


def test_the_second_run_reads_what_the_first_kept(tmp_path: Path) -> None:
    first = fast_validators.compiled(copy.deepcopy(SCHEMA), tmp_path)
    (kept,) = tmp_path.iterdir()
    stamp = kept.stat().st_mtime_ns
    second = fast_validators.compiled(copy.deepcopy(SCHEMA), tmp_path)
    assert verdicts(first) == verdicts(second) == verdicts(fastjsonschema.compile(copy.deepcopy(SCHEMA))) == EXPECTED
    assert list(tmp_path.iterdir()) == [kept] and kept.stat().st_mtime_ns == stamp  # read, not written again


def test_a_changed_schema_is_compiled_anew(tmp_path: Path) -> None:
    fast_validators.compiled(copy.deepcopy(SCHEMA), tmp_path)
    stricter = copy.deepcopy(SCHEMA)
    stricter["properties"]["size"]["minimum"] = 5
    check = fast_validators.compiled(stricter, tmp_path)
    assert len(list(tmp_path.iterdir())) == 2
    with pytest.raises(fastjsonschema.JsonSchemaException):
        check({"name": "x", "size": 3})


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\xe3" * 40])
def test_a_damaged_cache_file_means_compiling_again(tmp_path: Path, damage: bytes) -> None:
    fast_validators.compiled(copy.deepcopy(SCHEMA), tmp_path)
    (kept,) = tmp_path.iterdir()
    kept.write_bytes(damage)
    assert verdicts(fast_validators.compiled(copy.deepcopy(SCHEMA), tmp_path)) == EXPECTED
    assert kept.read_bytes() != damage  # and the good code is kept again


def test_a_cache_that_holds_another_kind_of_value_is_not_run(tmp_path: Path) -> None:
    import marshal

    fast_validators.compiled(copy.deepcopy(SCHEMA), tmp_path)
    (kept,) = tmp_path.iterdir()
    kept.write_bytes(marshal.dumps({"not": "code"}))
    assert verdicts(fast_validators.compiled(copy.deepcopy(SCHEMA), tmp_path)) == EXPECTED


def test_a_cache_folder_that_cannot_be_made_never_fails(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would be")
    assert verdicts(fast_validators.compiled(copy.deepcopy(SCHEMA), blocker / "validators")) == EXPECTED
    assert blocker.read_text() == "a file where the folder would be"
    assert list(tmp_path.iterdir()) == [blocker]  # no temporary file left behind


def test_every_spec_kind_from_the_cache_agrees_with_a_fresh_compile(tmp_path: Path) -> None:
    model = {
        "model": {"name": "w", "category": "ws", "class_name": "W", "description": "W.", "operations": ["list"]},
        "attributes": [{"name": "a", "description": "A.", "type": "string"}],
    }
    for kind in validate.KINDS:
        schema = copy.deepcopy(validate.schema(kind))
        schema["$defs"].get("attribute", {}).pop("allOf", None)
        fresh = fastjsonschema.compile(copy.deepcopy(schema))
        fast_validators.compiled(copy.deepcopy(schema), tmp_path)
        cached = fast_validators.compiled(copy.deepcopy(schema), tmp_path)
        for data in (model, {**model, "zz": 1}, {"title": "T"}, {}):
            outcomes = []
            for check in (fresh, cached):
                try:
                    check(copy.deepcopy(data))
                    outcomes.append("valid")
                except fastjsonschema.JsonSchemaException as exc:
                    outcomes.append(str(exc))
            assert outcomes[0] == outcomes[1], (kind, data)
    assert len(list(tmp_path.iterdir())) == len(validate.KINDS)
