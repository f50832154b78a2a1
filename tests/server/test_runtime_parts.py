"""Parts of the server runtime where they stand (generator/runtime/server/): parameters, what
leaves nested values, encryption, the wire form SQLite builds, filters on paths."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from generator.runtime.server.crypto import Cipher, CipherError, new_key, parse_key
from generator.runtime.server.errors import APIError
from generator.runtime.server.filters import parse
from generator.runtime.server.params import Parameter, Parameters
from generator.runtime.server.sql import compile_filter
from generator.runtime.server.table import Column, Table
from generator.runtime.server.visibility import Concealment, Pruning, with_secrets


def refused(parameters: Parameters, found: dict[str, list[str]]) -> dict[str, Any]:
    with pytest.raises(APIError) as caught:
        parameters.parse(found)
    (error,) = caught.value.errors
    assert caught.value.status == 400
    data: dict[str, Any] = error["data"]
    return {**data, "description": error["description"]}


# -- parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("string", "any text", "any text"),
        ("integer", "-42", -42),
        ("integer", "+7", 7),
        ("float", "2.5e3", 2500.0),
        ("float", ".5", 0.5),
        ("boolean", "TRUE", True),
        ("boolean", "false", False),
        ("time", "2024-06-01T10:00:00+02:00", datetime(2024, 6, 1, 8, tzinfo=UTC)),
        ("time", "2024-06-01", datetime(2024, 6, 1, tzinfo=UTC)),
        ("duration", "1h30m", timedelta(minutes=90)),
        ("duration", "2d", timedelta(days=2)),
    ],
)
def test_each_type_parses(kind: Any, text: str, value: object) -> None:
    assert Parameters([Parameter("p", kind)]).parse({"p": [text]}) == {"p": value}


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("integer", "4.0"),
        ("integer", "99999999999999999999"),
        ("float", "nan"),
        ("float", "1e999"),
        ("boolean", "yes"),
        ("time", "tomorrow"),
        ("time", "2024-13-01"),
        ("duration", "-1h"),
        ("duration", "1.5h"),
        ("duration", "9" * 40 + "d"),
    ],
)
def test_a_value_of_another_type_is_a_400_naming_the_parameter(kind: Any, text: str) -> None:
    found = refused(Parameters([Parameter("p", kind)]), {"p": [text]})
    assert found["parameter"] == "p" and found["description"].startswith("parameter 'p' must be")


def test_enum_required_multiple_and_defaults() -> None:
    parameters = Parameters(
        [
            Parameter("mode", "enum", choices=("a", "b"), default="b"),
            Parameter("tag", "string", multiple=True, default=["x"]),
            Parameter("limit", "float", default=3),
            Parameter("who", "string", required=True),
        ]
    )
    assert parameters.parse({"who": ["me"]}) == {"mode": "b", "tag": ["x"], "limit": 3.0, "who": "me"}
    assert parameters.parse({"who": ["me"], "tag": ["y", "z"]})["tag"] == ["y", "z"]
    assert refused(parameters, {})["parameter"] == "who"
    assert refused(parameters, {"who": ["a", "b"]})["description"] == "parameter 'who' is given more than once"
    assert "must be one of a, b" in refused(parameters, {"who": ["me"], "mode": ["c"]})["description"]
    with pytest.raises(APIError):  # a bad default fails when the module loads, not at a request
        Parameters([Parameter("when", "time", default="noon")])


def test_combinations_each_group_needs_one_whole_alternative() -> None:
    window = Parameters(
        [Parameter("since", "time"), Parameter("until", "time"), Parameter("last", "duration")],
        combinations=[[["since", "until"], ["last"]]],
    )
    assert window.parse({"last": ["1h"]})["last"] == timedelta(hours=1)
    assert window.parse({"since": ["2024-01-01"], "until": ["2024-02-01"]})["since"] == datetime(2024, 1, 1, tzinfo=UTC)
    assert refused(window, {"since": ["2024-01-01"]}) == {
        "parameter": "until",
        "description": "give since and until or last: parameter 'until' is missing",
    }
    assert refused(window, {})["parameter"] == "since"


# -- visibility ------------------------------------------------------------------------------

# A step holds steps (recursive) and a secret; a map of steps holds them too.
PRUNING = Pruning({"step": (("token",), {"steps": ("list", ("ref", "step"))})})


def test_pruning_walks_nested_shapes_and_recursive_types() -> None:
    value = {
        "a": [{"text": "1", "token": "t1", "steps": [{"text": "1.1", "token": "t2", "steps": []}]}],
        "b": [],
    }
    shape = ("map", ("list", ("ref", "step")))
    assert PRUNING.apply(value, shape) == {"a": [{"text": "1", "steps": [{"text": "1.1", "steps": []}]}], "b": []}
    # What does not have the shape (a refused body) is left as it is, never a crash.
    assert PRUNING.apply({"a": "text"}, shape) == {"a": "text"}
    assert PRUNING.apply(None, shape) is None
    bound = PRUNING.bind(("ref", "step"))
    assert bound.text('{"steps":[{"token":"x"}],"token":"y"}') == '{"steps":[{}]}'


def test_concealment_and_secrets_kept_across_updates() -> None:
    concealed = Concealment(("password",), {"first": PRUNING.bind(("ref", "step"))})
    assert concealed({"name": "n", "password": "p", "first": {"token": "t", "text": "x"}}) == {
        "name": "n",
        "first": {"text": "x"},
    }
    assert concealed([1, 2]) == [1, 2]
    stored = {"name": "old", "password": "kept"}
    assert with_secrets({"name": "new"}, stored, ("password",)) == {"password": "kept", "name": "new"}
    assert with_secrets({"name": "new", "password": None}, stored, ("password",)) == {"name": "new", "password": None}
    assert with_secrets("not an object", stored, ("password",)) == "not an object"


# -- encryption ------------------------------------------------------------------------------


def test_keys_are_hex_or_base64_of_32_bytes() -> None:
    key = new_key()
    assert len(key) == 64 and parse_key(key) == bytes.fromhex(key)
    assert parse_key("A" * 43 + "=") == bytes(32)  # base64
    for bad in ("", "00" * 31, "zz" * 32, "not a key at all"):
        with pytest.raises(CipherError, match="32 random bytes"):
            parse_key(bad)


def test_a_sealed_value_opens_only_with_its_key_in_its_place() -> None:
    cipher = Cipher(bytes(range(32)))
    sealed = cipher.seal("task.note", '"secret text"')
    assert b"secret" not in sealed and cipher.seal("task.note", '"secret text"') != sealed  # a fresh nonce each time
    assert cipher.open("task.note", sealed) == '"secret text"'
    for where, key, value in (
        ("task.other", bytes(range(32)), sealed),
        ("task.note", bytes(32), sealed),
        ("task.note", bytes(range(32)), sealed[:-1] + bytes([sealed[-1] ^ 1])),
        ("task.note", bytes(range(32)), "text"),
    ):
        with pytest.raises(CipherError):
            Cipher(key).open(where, value)


# -- the wire form SQLite builds -------------------------------------------------------------


def _table() -> Table:
    return Table(
        name="thing",
        category="things",
        columns=(
            Column("ID", "id", "string", "TEXT"),
            Column("text", "text", "string", "TEXT", filterable=True, omit_empty=True),
            Column("count", "count", "integer", "INTEGER", omit_empty=True),
            Column("flag", "flag", "boolean", "INTEGER", omit_empty=True),
            Column("items", "items", "list", "TEXT", omit_empty=True),
            Column("raw", "raw", "raw_data", "TEXT", omit_empty=True),
            Column("plain", "plain", "list", "TEXT"),
            Column("hidden", "hidden", "integer", "INTEGER", exposed=False),
            Column("secret", "secret", "string", "TEXT", secret=True),
            Column("doc", "doc", "object", "TEXT", filterable=True),
        ),
        identifier="ID",
        namespace=None,
        default_order=(),
        cap=None,
        indexes=(("doc.size",),),
    )


def _wire(row: tuple[object, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    table = _table()
    conn = sqlite3.connect(":memory:")
    for statement in table.ddl():
        conn.execute(statement)
    conn.execute(table.insert_sql, row)
    wire, stored = conn.execute(f"SELECT {table.select_json}, {table.select_stored} FROM thing").fetchone()
    conn.close()
    return json.loads(wire), json.loads(stored)


def test_omit_empty_hidden_and_secret_in_the_sql_wire_form() -> None:
    wire, stored = _wire(("a", "", 0, 0, "[]", '""', "[]", 3, "s", "{}"))
    assert wire == {"ID": "a", "plain": [], "doc": {}}
    assert stored == {
        "ID": "a",
        "text": "",
        "count": 0,
        "flag": False,
        "items": [],
        "raw": "",
        "plain": [],
        "hidden": 3,
        "secret": "s",
        "doc": {},
    }
    wire, _ = _wire(("b", "t", 2, 1, "[1]", "0.5", None, None, None, None))
    assert wire == {"ID": "b", "text": "t", "count": 2, "flag": True, "items": [1], "raw": 0.5}


def test_a_filter_on_a_path_compiles_to_the_expression_of_its_index() -> None:
    table = _table()
    sql, params = compile_filter(parse('doc.size > 2 and doc.kind in ["a", "b"] and doc.ok == true'), table)
    assert "json_extract(\"doc\", '$.size') > ?" in sql and params == [2, "a", "b", 1]
    assert table.indexes()["thing_index_doc_size"] == ["json_extract(\"doc\", '$.size')"]
    for text, message in (
        ("doc.when > date(2024-01-01)", "holds text, not a time"),
        ("text.size == 1", "is a string, with no members"),
        ("hidden == 3", "unknown attribute 'hidden'"),
    ):
        with pytest.raises(ValueError, match=message):
            compile_filter(parse(text), table)
    sql, _ = compile_filter(parse("hidden == 3"), table, trusted=True)  # the server's own filters reach it
    assert sql == '"hidden" = ?'
