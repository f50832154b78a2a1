"""The validator, rule by rule: each problem located (file:line:col: field: message), every one
reported at once, in a stable order; and values checked against their attribute's type."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator import validate
from generator.errors import SpecError, SpecProblem
from generator.yamlsource import load_yaml

FILE = "specs/widget.spec.yaml"
HEAD = """\
model:
  name: widget
  category: widgets
  class_name: Widget
  description: A widget.
  operations: [list]
attributes:
"""


def problems(text: str, file_name: str = "widget.spec.yaml") -> list[str]:
    """What loading reports for one model file: its schema problems, else its model rules."""
    doc = load_yaml(textwrap.dedent(text).encode("utf-8"), FILE)
    found = validate.schema_problems(doc, "model")
    found += validate.without_repeats(validate.spec_problems(doc, "model", file_name), found)
    return [str(p).removeprefix(FILE + ":") for p in found]


def attribute(body: str) -> list[str]:
    """Problems of a spec holding one attribute (line 8 onwards) written as ``body``."""
    return problems(HEAD + textwrap.indent(textwrap.dedent(body), "  "))


def test_a_valid_model_has_no_problem() -> None:
    assert attribute("- {name: a, description: A., type: string}") == []


# -- the model's own rules --------------------------------------------------------------------


def test_the_file_is_named_after_the_model() -> None:
    assert problems(HEAD + "  - {name: a, description: A., type: string}\n", "gadget.spec.yaml") == [
        "2:9: model.name: model 'widget' must live in a file named 'widget.spec.yaml', not 'gadget.spec.yaml'"
    ]


@pytest.mark.parametrize(
    ("description", "message"),
    [
        ('"   "', "must not be blank"),
        ("A widget", "a description is a sentence: end it with a period"),
        ("'A widget;'", "a description is a sentence: end it with a period"),
    ],
)
def test_descriptions_are_sentences(description: str, message: str) -> None:
    spec = HEAD.replace("description: A widget.", f"description: {description}")
    spec += f"  - {{name: a, description: {description}, type: string}}\n"
    assert problems(spec) == [f"5:16: model.description: {message}", f"8:28: attributes[0].description: {message}"]


@pytest.mark.parametrize("ending", ["A widget.", "Is it a widget?", "A widget!", "'A widget.  '"])
def test_a_sentence_may_end_with_any_full_stop(ending: str) -> None:
    assert attribute(f"- {{name: a, description: {ending}, type: string}}") == []


def test_names_hold_no_trailing_newline() -> None:
    spec = HEAD.replace("name: widget", 'name: "widget\\n"').replace("category: widgets", 'category: "widgets\\n"')
    spec = spec.replace("class_name: Widget", 'class_name: "Widget\\n"')
    spec += '  - {name: "a\\n", exposed_name: "b\\n", description: A., type: string}\n'
    assert problems(spec, "widget\n.spec.yaml") == [
        '2:9: model.name: "widget\\n" ends with a newline; names are one plain word',
        '3:13: model.category: "widgets\\n" ends with a newline; names are one plain word',
        '4:15: model.class_name: "Widget\\n" ends with a newline; names are one plain word',
        '8:12: attributes[0].name: "a\\n" ends with a newline; names are one plain word',
        '8:33: attributes[0].exposed_name: "b\\n" ends with a newline; names are one plain word',
    ]


def test_duplicates_by_name_exposed_name_or_python_name_once_each() -> None:
    assert attribute(
        """\
        - {name: a, description: A., type: string}
        - {name: b, exposed_name: a, description: B., type: string}
        - {name: a, description: C., type: string}
        - {name: class, description: D., type: string}
        - {name: class_, description: E., type: string}
        - {name: c, exposed_name: z, description: F., type: string}
        - {name: d, exposed_name: z, description: G., type: string}
        """
    ) == [
        "9:12: attributes[1].name: duplicate attribute exposed name 'a' (also attributes[0])",
        "10:12: attributes[2].name: duplicate attribute name 'a' (also attributes[0])",
        "12:12: attributes[4].name: duplicate attribute Python name 'class_' (also attributes[3])",
        "14:12: attributes[6].name: duplicate attribute exposed name 'z' (also attributes[5])",
    ]


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("Id", "7:15: model.identifier: no attribute named 'Id' (did you mean 'ID'?)"),
        ("zzz", "7:15: model.identifier: no attribute named 'zzz'"),
        ("size", "7:15: model.identifier: the identifier 'size' must be of type string, not 'integer'"),
        ("ID", None),
    ],
)
def test_the_identifier_is_a_string_attribute(identifier: str, message: str | None) -> None:
    spec = HEAD.replace("attributes:", f"  identifier: {identifier}\nattributes:")
    spec += "  - {name: ID, description: I., type: string}\n  - {name: size, description: S., type: integer}\n"
    assert problems(spec) == ([message] if message else [])


@pytest.mark.parametrize("operation", ["retrieve", "update", "delete"])
def test_one_object_operations_need_an_identifier(operation: str) -> None:
    spec = HEAD.replace("[list]", f"[list, {operation}]") + "  - {name: a, description: A., type: string}\n"
    assert problems(spec) == ["6:15: model.operations: retrieve, update and delete need model.identifier"]
    spec = spec.replace("attributes:", "  identifier: a\nattributes:")
    assert problems(spec) == []


def test_the_default_order_names_orderable_attributes() -> None:
    spec = HEAD.replace("attributes:", "  default_order: [-a, b, -siz, nope]\nattributes:")
    spec += "  - {name: a, description: A., type: string, orderable: true}\n"
    spec += "  - {name: b, description: B., type: string, orderable: false}\n"
    spec += "  - {name: size, description: S., type: integer}\n"
    assert problems(spec) == [
        "7:23: model.default_order[1]: attribute 'b' is not orderable",
        "7:26: model.default_order[2]: no attribute named 'siz' (did you mean 'size'?)",
        "7:32: model.default_order[3]: no attribute named 'nope'",
    ]


# -- the attribute rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "{name: a, description: A., type: integer, min_value: 1, max_value: 0}",
            ["min_value (1) is greater than max_value (0)"],
        ),
        (
            "{name: a, description: A., type: float, min_value: 0.5, max_value: -0.5}",
            ["min_value (0.5) is greater than max_value (-0.5)"],
        ),
        (
            "{name: a, description: A., type: integer, min_value: 0, max_value: -1}",
            ["min_value (0) is greater than max_value (-1)"],
        ),
        ("{name: a, description: A., type: integer, min_value: 2, max_value: 2}", []),
        ("{name: a, description: A., type: integer, min_value: 0}", []),
        (
            "{name: a, description: A., type: string, min_length: 3, max_length: 2}",
            ["min_length (3) is greater than max_length (2)"],
        ),
        (
            "{name: a, description: A., type: string, min_length: 1, max_length: 0}",
            ["min_length (1) is greater than max_length (0)"],
        ),
        ("{name: a, description: A., type: list, subtype: string, min_length: 2, max_length: 2}", []),
        ("{name: a, description: A., type: string, unique_scope: global}", ["unique_scope needs unique: true"]),
        (
            "{name: a, description: A., type: string, unique: false, unique_scope: namespace}",
            ["unique_scope needs unique: true"],
        ),
        ("{name: a, description: A., type: string, unique: true, unique_scope: namespace}", []),
    ],
)
def test_bounds_and_scopes(body: str, expected: list[str]) -> None:
    namespaced = HEAD.replace("attributes:", "  namespaced: true\nattributes:")
    spec = f"{namespaced}  - {body}\n  - {{name: namespace, description: N., type: string}}\n"
    assert [p.split(": ", 2)[2] for p in problems(spec)] == expected


def test_a_namespace_scope_needs_namespaced_objects() -> None:
    assert attribute("- {name: a, description: A., type: string, unique: true, unique_scope: namespace}") == [
        "8:74: attributes[0].unique_scope: unique_scope namespace on a model whose objects are not namespaced"
        " (set model.namespaced: true, or use unique_scope global)"
    ]
    assert attribute("- {name: a, description: A., type: string, unique: true, unique_scope: global}") == []


def test_bounds_are_located_at_the_lower_one() -> None:
    assert attribute("- {name: a, description: A., type: integer, max_value: 0, min_value: 1}") == [
        "8:72: attributes[0].min_value: min_value (1) is greater than max_value (0)"
    ]


def key_column(line: str, key: str) -> int:
    return line.index(f"{key}:") + 1


@pytest.mark.parametrize("kind", ["integer", "float", "boolean", "time", "enum", "object", "raw_data"])
def test_lengths_apply_to_strings_lists_and_maps_only(kind: str) -> None:
    extra = ", choices: [x]" if kind == "enum" else ""
    line = f"  - {{name: a, description: A., type: {kind}{extra}, min_length: 0, max_length: 1}}"
    assert attribute(line.removeprefix("  ")) == [  # located at the key, which is what is wrong
        f"8:{key_column(line, 'min_length')}: attributes[0].min_length: 'min_length' applies to string, list and"
        f" map attributes, not {kind!r}",
        f"8:{key_column(line, 'max_length')}: attributes[0].max_length: 'max_length' applies to string, list and"
        f" map attributes, not {kind!r}",
    ]


@pytest.mark.parametrize("kind", ["string", "boolean", "time", "object", "raw_data"])
def test_value_bounds_apply_to_numbers_only(kind: str) -> None:
    line = f"  - {{name: a, description: A., type: {kind}, min_value: 0, max_value: 1}}"
    assert attribute(line.removeprefix("  ")) == [
        f"8:{key_column(line, 'min_value')}: attributes[0].min_value: 'min_value' applies to integer and float"
        f" attributes, not {kind!r}",
        f"8:{key_column(line, 'max_value')}: attributes[0].max_value: 'max_value' applies to integer and float"
        f" attributes, not {kind!r}",
    ]


def test_a_scope_without_unique_is_located_at_its_key() -> None:
    line = "  - {name: a, description: A., type: string, unique_scope: global}"
    assert attribute(line.removeprefix("  ")) == [
        f"8:{key_column(line, 'unique_scope')}: attributes[0].unique_scope: unique_scope needs unique: true"
    ]


def test_names_ending_in_x_are_plain_names() -> None:
    spec = (
        HEAD.replace("class_name: Widget", "class_name: WidgetX") + "  - {name: maX, description: A., type: string}\n"
    )
    assert problems(spec) == []


def test_default_and_example_values_are_checked_and_located() -> None:
    assert attribute(
        """\
        - name: a
          description: A.
          type: integer
          default_value: "1"
          example_value: 2
        - name: b
          description: B.
          type: enum
          choices: [Small, large]
          example_value: small
        """
    ) == [
        '11:20: attributes[0].default_value: expected an integer, got string "1"',
        '17:20: attributes[1].example_value: expected one of Small, large, got string "small"',
    ]


VALUES: list[tuple[dict[str, Any], Any, str | None]] = [
    ({"type": "string"}, "x", None),
    ({"type": "string"}, 1, "expected a string, got integer 1"),
    ({"type": "integer"}, 3, None),
    ({"type": "integer"}, True, "expected an integer, got boolean true"),
    ({"type": "integer"}, 1.5, "expected an integer, got number 1.5"),
    ({"type": "float"}, 1.5, None),
    ({"type": "float"}, 2, None),
    ({"type": "float"}, False, "expected a number, got boolean false"),
    ({"type": "float"}, "1", 'expected a number, got string "1"'),
    ({"type": "boolean"}, False, None),
    ({"type": "boolean"}, 0, "expected true or false, got integer 0"),
    ({"type": "time"}, "2019-06-17T10:00:00Z", None),
    ({"type": "time"}, "2019-06-17t10:00:00.123+02:00", None),
    # RFC 3339's grammar has a T; the space some applications use is refused, as by the models.
    (
        {"type": "time"},
        "2019-06-17 10:00:00.123+02:00",
        'expected an RFC 3339 time such as "2019-06-17T10:00:00Z", got string "2019-06-17 10:00:00.123+02:00"',
    ),
    ({"type": "time"}, "2019-06-17t10:00:00z", None),
    (
        {"type": "time"},
        "2019-06-17",
        'expected an RFC 3339 time such as "2019-06-17T10:00:00Z", got string "2019-06-17"',
    ),
    (
        {"type": "time"},
        "2019-06-17T10:00:00",
        'expected an RFC 3339 time such as "2019-06-17T10:00:00Z", got string "2019-06-17T10:00:00"',
    ),
    (
        {"type": "time"},
        "2019-02-30T10:00:00Z",
        'expected an RFC 3339 time such as "2019-06-17T10:00:00Z", got string "2019-02-30T10:00:00Z"',
    ),
    (
        {"type": "time"},
        "x2019-06-17T10:00:00Z",
        'expected an RFC 3339 time such as "2019-06-17T10:00:00Z", got string "x2019-06-17T10:00:00Z"',
    ),
    ({"type": "time"}, 5, 'expected an RFC 3339 time such as "2019-06-17T10:00:00Z", got integer 5'),
    ({"type": "enum", "choices": ["a", "B"]}, "B", None),
    ({"type": "enum", "choices": ["a", "B"]}, "b", 'expected one of a, B, got string "b"'),  # choices are exact
    ({"type": "enum", "choices": ["a", "B"]}, "A", 'expected one of a, B, got string "A"'),
    ({"type": "enum", "choices": ["a"]}, 1, "expected one of a, got integer 1"),
    ({"type": "enum"}, "a", 'expected one of , got string "a"'),
    ({"type": "object"}, {"k": [1]}, None),
    ({"type": "object"}, [1], "expected a mapping, got list [1]"),
    ({"type": "list", "subtype": "integer"}, [1, 2], None),
    ({"type": "list", "subtype": "integer"}, [], None),
    ({"type": "list", "subtype": "integer"}, [1, "2", 3.5], 'item 1: expected an integer, got string "2"'),
    (
        {"type": "list", "subtype": "time"},
        ["2019-06-17T10:00:00Z", "x"],
        'item 1: expected an RFC 3339 time such as "2019-06-17T10:00:00Z", got string "x"',
    ),
    ({"type": "list", "subtype": "string"}, "a", 'expected a list, got string "a"'),
    ({"type": "raw_data"}, [None, {"a": 1}], None),
    ({"type": "raw_data"}, None, None),
    ({"type": "string"}, None, "expected a string, got null null"),
    ({"type": "string"}, "y" * 70, None),
    ({"type": "integer"}, "y" * 70, f'expected an integer, got string "{"y" * 56}...'),
]


@pytest.mark.parametrize(("attr", "value", "problem"), VALUES)
def test_a_value_fits_its_attribute_type(attr: dict[str, Any], value: Any, problem: str | None) -> None:
    assert validate.value_problem(value, attr) == problem


# -- what the schema reports ------------------------------------------------------------------


def by_place(found: list[str]) -> list[str]:
    """In the order a SpecError reports them: by line, then column."""
    return sorted(found, key=lambda p: tuple(int(n) for n in p.split(":")[:2]))


def test_schema_problems_are_explained_and_located() -> None:
    assert by_place(
        problems(
            """\
        model:
          name: Widget
          category: widgets
          class_name: Widget
          description: A widget.
          operations: [list, List]
          nmae: x
          zz: 1
        attributes:
          - name: a
            description: A.
            type: strng
            filterable: "yes"
          - name: b
            description: B.
            type: enum
          - name: c
            description: C.
            type: string
            subtype: string
            choices: [x]
          - description: D.
            type: integer
            min_length: -1
          - name: e
            description: {what: E.}
            type: string
            unique_scope: 1
        """
        )
    ) == [
        '2:9: model.name: "Widget" does not have the allowed form: Singular name of one object, lower snake'
        " case; also the file name: <name>.spec.yaml. (pattern ^[a-z][a-z0-9_]{0,62}$)",
        "6:22: model.operations[1]: \"List\" is not allowed (did you mean 'list'?); allowed: list, retrieve,"
        " create, update, delete",
        "7:3: model.nmae: unknown key 'nmae' (did you mean 'name'?); allowed keys: aliases, cap, category,"
        " class_name, default_order, deprecated, description, extends, identifier, indexes, name, namespaced,"
        " operations, private, validators",
        "8:3: model.zz: unknown key 'zz'; allowed keys: aliases, cap, category, class_name, default_order,"
        " deprecated, description, extends, identifier, indexes, name, namespaced, operations, private, validators",
        "12:11: attributes[0].type: \"strng\" is not allowed (did you mean 'string'?); allowed: string, integer,"
        " float, boolean, time, enum, list, map, object, raw_data, ref, ref_list, ref_map",
        '13:17: attributes[0].filterable: expected true or false, got string "yes" (a flag is true or false: write'
        " true); leave the key out when unset",
        "14:5: attributes[1]: missing key 'choices': an attribute of type 'enum' needs it",
        "20:5: attributes[2].subtype: 'subtype' is only allowed when type is one of list, map, ref, ref_list, ref_map",
        "21:5: attributes[2].choices: 'choices' is only allowed when type is 'enum'",
        "22:5: attributes[3]: missing required key 'name'",
        "24:17: attributes[3].min_length: -1 is less than the minimum of 0",
        '26:18: attributes[4].description: expected string, got mapping {"what": "E."}',
        "28:19: attributes[4].unique_scope: 1 is not allowed; allowed: namespace, global",
    ]


def test_a_wrong_type_names_what_was_expected() -> None:
    assert problems(
        HEAD.replace("operations: [list]", "operations: list") + "  - {name: a, description: A., type: string}\n"
    ) == ['6:15: model.operations: expected one of these shapes: array, object; got string "list"']
    # The model rules find no attributes to read in a list either, and say so.
    assert problems("[1, 2]\n") == [
        "1:1: expected object, got list [1, 2]",
        "1:1: model: no attributes: write some, or extend an abstract that has some",
    ]


def test_a_pattern_without_a_description_still_says_which_pattern() -> None:
    spec = (
        HEAD.replace("attributes:", '  default_order: ["a b"]\nattributes:')
        + "  - {name: a, description: A., type: string}\n"
    )
    assert problems(spec) == [
        '7:19: model.default_order[0]: "a b" does not have the allowed form:  (pattern ^-?[A-Za-z0-9][A-Za-z0-9_-]*$)'
    ]


def test_schema_problems_of_the_api_file() -> None:
    doc = load_yaml(
        b"title: T\nversion: 1\ndescription: D.\npackages: {models: m, server: s, x: 1}\n", "specs/_api.yaml"
    )
    assert [str(p) for p in validate.schema_problems(doc, "api")] == [
        "specs/_api.yaml:1:1: missing required key 'base_url'",
        "specs/_api.yaml:2:10: version: expected string, got integer 1",
        "specs/_api.yaml:4:34: packages.x: unknown key 'x'; allowed keys: client, models, server",
    ]


@pytest.fixture
def fresh_fast_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast validators compiled anew: the process keeps them once made, which would hide how."""
    monkeypatch.setattr(validate, "_FAST", {})


@pytest.mark.usefixtures("fresh_fast_checks")
def test_the_fast_check_agrees_with_the_schema_on_presence_rules() -> None:
    good = {"name": "a", "description": "A.", "type": "enum", "choices": ["x"]}
    model = {
        "model": {"name": "w", "category": "ws", "class_name": "W", "description": "W.", "operations": ["list"]},
        "attributes": [good],
    }
    assert validate.is_valid(model, "model")
    for attribute in (
        {"name": "a", "description": "A.", "type": "enum"},
        {"name": "a", "description": "A.", "type": "string", "choices": ["x"]},
        {"name": "a", "description": "A.", "type": "list"},
        {"name": "a", "description": "A.", "type": "string", "subtype": "string"},
    ):
        assert not validate.is_valid({**model, "attributes": [good, attribute]}, "model"), attribute
    assert validate.is_valid(
        {**model, "attributes": [{"name": "a", "description": "A.", "type": "list", "subtype": "time"}]}, "model"
    )
    assert not validate.is_valid({**model, "zz": 1}, "model")
    api = {
        "title": "T",
        "version": "1",
        "description": "D.",
        "packages": {"models": "m", "server": "s"},
        "base_url": "http://x",
    }
    assert validate.is_valid(api, "api") and not validate.is_valid({**api, "title": ""}, "api")


@pytest.mark.usefixtures("fresh_fast_checks")
def test_a_fast_check_is_compiled_once_kept_in_its_cache_folder_and_leaves_the_schema_alone(tmp_path: Path) -> None:
    shipped = copy.deepcopy(validate.schema("model"))
    validate.prepare("model", tmp_path)
    assert [path.suffix for path in tmp_path.iterdir()] == [".marshal"], "the compiled code is kept for the next run"
    assert validate.schema("model") == shipped, "compiling works on a copy of the shared schema"
    check, rules = validate._fast_check("model")
    assert validate._fast_check("model")[0] is check, "compiled once per process"
    # The attribute presence rules leave the compiled schema for set lookups (fastjsonschema's
    # if/then/else raises and catches four exceptions per attribute); a kind without
    # attributes has none.
    assert rules and rules == validate._presence_rules(shipped["$defs"]["attribute"]["allOf"])
    assert validate._fast_check("api")[1] == ()


def test_presence_rules_of_another_shape_are_refused() -> None:
    rule = {
        "if": {"properties": {"type": {"const": "enum"}}, "required": ["type"]},
        "then": {"required": ["choices"]},
        "else": {"not": {"required": ["choices"]}},
    }
    assert validate._presence_rules([rule]) == (("type", frozenset({"enum"}), "choices"),)
    one_of = {**rule, "if": {"properties": {"type": {"enum": ["list", "map"]}}, "required": ["type"]}}
    assert validate._presence_rules([one_of]) == (("type", frozenset({"list", "map"}), "choices"),)
    for odd in (
        {**rule, "else": {}},
        {**rule, "if": {"properties": {"type": {"const": 1}}, "required": ["type"]}},
        {**rule, "if": {"properties": {"type": {"const": "enum"}}}},
        {**rule, "if": {"properties": {"type": {"const": "enum"}, "b": {}}, "required": ["type"]}},
    ):
        with pytest.raises(ValueError) as caught:
            validate._presence_rules([odd])
        assert str(caught.value) == f"the fast validator does not know this attribute rule: {odd}"


# -- the API file and the API as a whole ------------------------------------------------------


def test_the_api_file_rules() -> None:
    text = (
        'title: T\nversion: "1"\ndescription: D.\npackages: {models: same, server: same}\n'
        'base_url: "http://x\\n"\nexample_namespace: "/a\\n"\n'
    )
    doc = load_yaml(text.encode(), "specs/_api.yaml")
    names = load_yaml(b'packages: {models: "m\\n", server: "s\\n"}\n', "specs/_api.yaml")
    assert [str(p) for p in validate.api_file_problems(names)] == [
        'specs/_api.yaml:1:20: packages.models: "m\\n" ends with a newline; names are one plain word',
        'specs/_api.yaml:1:35: packages.server: "s\\n" ends with a newline; names are one plain word',
    ]
    assert [str(p) for p in validate.api_file_problems(doc)] == [
        'specs/_api.yaml:5:11: base_url: "http://x\\n" ends with a newline; names are one plain word',
        'specs/_api.yaml:6:20: example_namespace: "/a\\n" ends with a newline; names are one plain word',
        "specs/_api.yaml:4:34: packages.server: the server package needs a name of its own, not the models package's",
    ]
    fine = load_yaml(b'title: T\nversion: "1"\ndescription: D.\npackages: {models: m, server: s}\n', "specs/_api.yaml")
    assert validate.api_file_problems(fine) == []


def test_names_categories_and_class_names_are_unique_in_the_api() -> None:
    models = [
        ("specs/a.spec.yaml", "model", {"name": ("a", 2, 9), "category": ("as", 3, 13), "class_name": ("A", 4, 15)}),
        ("specs/b.spec.yaml", "model", {"name": ("b", 2, 9), "category": ("as", 3, 13), "class_name": ("A", 4, 15)}),
        ("specs/c.spec.yaml", "model", {"name": ("a", 2, 9), "category": ("cs", 3, 13), "class_name": ("C", 4, 15)}),
    ]
    assert validate.api_problems(models) == [
        SpecProblem("specs/c.spec.yaml", 2, 9, "model.name", "'a' is already used by specs/a.spec.yaml"),
        SpecProblem("specs/b.spec.yaml", 4, 15, "model.class_name", "'A' is already used by specs/a.spec.yaml"),
        SpecProblem("specs/b.spec.yaml", 3, 13, "model.category", "'as' is already used by specs/a.spec.yaml"),
    ]


def test_models_and_nested_types_share_names_and_class_names_abstracts_keep_their_own() -> None:
    files = [
        ("specs/a.spec.yaml", "model", {"name": ("a", 2, 9), "category": ("as", 3, 13), "class_name": ("A", 4, 15)}),
        ("specs/a.type.yaml", "type", {"name": ("a", 2, 9), "class_name": ("A", 3, 15)}),
        ("specs/a.abstract.yaml", "abstract", {"name": ("a", 2, 9)}),
        ("specs/b.abstract.yaml", "abstract", {"name": ("a", 2, 9), "category": ("as", 3, 13)}),
    ]
    assert validate.api_problems(files) == [
        SpecProblem("specs/a.type.yaml", 2, 9, "type.name", "'a' is already used by specs/a.spec.yaml"),
        SpecProblem("specs/b.abstract.yaml", 2, 9, "abstract.name", "'a' is already used by specs/a.abstract.yaml"),
        SpecProblem("specs/a.type.yaml", 3, 15, "type.class_name", "'A' is already used by specs/a.spec.yaml"),
    ]


def test_every_problem_is_reported_in_a_stable_order() -> None:
    """Problems come out sorted by file, line and column, whatever order the rules found them in."""
    found = [
        SpecProblem("specs/b.spec.yaml", 1, 1, "", "z"),
        SpecProblem("specs/a.spec.yaml", 9, 2, "x", "b"),
        SpecProblem("specs/a.spec.yaml", 9, 1, "x", "c"),
        SpecProblem("specs/a.spec.yaml", 10, 1, "x", "a"),
        SpecProblem("specs/a.spec.yaml", 9, 1, "x", "c"),
    ]
    error = SpecError(found)
    assert error.problems == [found[2], found[1], found[3], found[0]]
    assert SpecError(list(reversed(found))).problems == error.problems
    assert str(error).splitlines()[0] == "specs/a.spec.yaml:9:1: x: c"


def test_dotted_paths_and_shown_values() -> None:
    assert validate.dotted(("attributes", 3, "name")) == "attributes[3].name"
    assert validate.dotted(("model", "default_order", 0)) == "model.default_order[0]"
    assert validate.dotted((2, "a")) == "[2].a"
    assert validate.dotted(()) == ""
    assert validate._shown("x" * 58) == '"' + "x" * 58 + '"'  # 60 characters: shown whole
    assert validate._shown("x" * 59) == '"' + "x" * 56 + "..."
    assert len(validate._shown("y" * 100)) == 60
    assert validate._shown("é") == '"é"'


def test_did_you_mean_prefers_the_same_word_in_another_case() -> None:
    assert validate._did_you_mean("Read_Only", ["read_only", "readonly"]) == " (did you mean 'read_only'?)"
    assert validate._did_you_mean("requird", ["required", "read_only"]) == " (did you mean 'required'?)"
    assert validate._did_you_mean("xyz", ["required"]) == ""


# -- rules of the constructs added with whole APIs ---------------------------------------------


def test_a_class_name_the_models_package_exports_is_refused() -> None:
    spec = HEAD.replace("class_name: Widget", "class_name: ValidationError")
    assert problems(spec + "  - {name: a, description: A., type: string}\n") == [
        "4:15: model.class_name: 'ValidationError' is a name the models package already exports; choose another"
        " (taken: AttributeSpec, Identity, JSONValue, Model, Object, ValidationError, ValidationFailed)"
    ]


def test_an_index_names_stored_attributes_and_reaches_only_into_objects() -> None:
    spec = HEAD.replace("attributes:", "  indexes: [[a.x], [b.y], [c], [d], [nope], [5], [b]]\nattributes:")
    spec += "  - {name: a, description: A., type: string}\n  - {name: b, description: B., type: object}\n"
    spec += "  - {name: c, description: C., type: string, stored: false}\n"
    spec += "  - {name: d, description: D., type: string, encrypted: true}\n"
    assert by_place(problems(spec)) == [
        "7:14: model.indexes[0][0]: 'a.x' reaches into 'a', a string, not an object",
        "7:28: model.indexes[2][0]: 'c' is not stored: it cannot be indexed",
        "7:33: model.indexes[3][0]: 'd' is encrypted: it cannot be indexed",
        "7:38: model.indexes[4][0]: no attribute named 'nope'",
        "7:46: model.indexes[5][0]: expected string, got integer 5",
    ]


def test_a_default_order_entry_that_is_not_text_is_the_schemas_to_report() -> None:
    # The entries after it are still checked.
    spec = HEAD.replace("attributes:", "  default_order: [1, a, b]\nattributes:")
    spec += "  - {name: a, description: A., type: string, orderable: true}\n"
    assert problems(spec + "  - {name: b, description: B., type: string}\n") == [
        "7:19: model.default_order[0]: expected string, got integer 1",
        "7:25: model.default_order[2]: attribute 'b' is not orderable",
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "{name: a, description: A., type: string, pattern_message: one line}",
            ["8:46: attributes[0].pattern_message: pattern_message goes with pattern"],
        ),
        (
            "{name: a, description: A., type: string, pattern: '('}",
            [
                "8:55: attributes[0].pattern: not a valid regular expression: missing ), unterminated subpattern at position 0"
            ],
        ),
        (
            "{name: a, description: A., type: ref, subtype: 'list[a]', example_value: {}}",
            ["8:52: attributes[0].subtype: 'list[a]': a ref names a nested type or model, like rule or user_group"],
        ),
        (
            "{name: a, description: A., type: list, subtype: 'list[nope]', example_value: [1]}",
            [
                "8:53: attributes[0].subtype: 'nope' is not a value type; allowed: string, integer, float, boolean,"
                " time, object, raw_data, or list[T] or map[T] of one"
            ],
        ),
        (
            "{name: a, description: A., type: map, subtype: integer, example_value: [1]}",
            ["8:76: attributes[0].example_value: expected a mapping, got list [1]"],
        ),
        (
            "{name: a, description: A., type: map, subtype: integer, example_value: {k: x}}",
            ["8:76: attributes[0].example_value: key 'k': expected an integer, got string \"x\""],
        ),
        ("{name: a, description: A., type: map, subtype: integer, example_value: {k: 1}}", []),
        (
            "{name: a, description: A., type: ref_list, subtype: user, example_value: 3}",
            ["8:78: attributes[0].example_value: expected a list, got integer 3"],
        ),
    ],
)
def test_patterns_subtypes_and_values_of_nested_shapes(body: str, expected: list[str]) -> None:
    assert attribute(f"- {body}") == expected


def test_the_parameters_of_an_operation_are_checked_against_their_type() -> None:
    spec = HEAD.replace(
        "operations: [list]",
        "operations:\n    list:\n      parameters:\n"
        "        - {name: p, description: P., type: integer, default_value: x}\n"
        "        - {name: q, description: Q., type: integer, multiple: true, example_value: [1, y]}\n"
        "        - {name: r, description: R., type: string, required: true, default_value: a}\n"
        "        - {name: s, description: S., type: enum, choices: [a], example_value: b}\n"
        "        - {name: t, description: T., type: integer, multiple: true, default_value: [1, 2]}\n"
        "        - {name: u, description: U., type: string, example_value: 5}\n"
        "        - {name: v, description: V., type: time, default_value: yesterday}",
    )
    assert problems(spec + "  - {name: a, description: A., type: string}\n") == [
        '9:68: model.operations.list.parameters[0].default_value: expected an integer, got string "x"',
        '10:84: model.operations.list.parameters[1].example_value: expected an integer, got string "y"',
        "11:83: model.operations.list.parameters[2].default_value: a required parameter has no default: the"
        " request always gives it",
        '12:79: model.operations.list.parameters[3].example_value: expected one of a, got string "b"',
        "14:67: model.operations.list.parameters[5].example_value: expected a string, got integer 5",
        "15:65: model.operations.list.parameters[6].default_value: expected an RFC 3339 time such as"
        ' "2019-06-17T10:00:00Z", got string "yesterday"',
    ]


def api_problems_of(text: str) -> list[str]:
    doc = load_yaml(text.encode(), "specs/_api.yaml")
    return [str(p) for p in validate.schema_problems(doc, "api") + validate.api_file_problems(doc)]


API = 'title: T\nversion: "1"\ndescription: D.\nbase_url: http://x\n'


@pytest.mark.parametrize(
    ("packages", "expected"),
    [
        (
            "{models: m, server: s, client: m}",
            "specs/_api.yaml:5:42: packages.client: the client package needs a name of its own, not the models package's",
        ),
        (
            "{models: m, server: s, client: s}",
            "specs/_api.yaml:5:42: packages.client: the client package needs a name of its own, not the server package's",
        ),
        (
            "{models: m, server: m_client}",
            "specs/_api.yaml:5:31: packages.server: m_client is the client package's default name: name the client"
            " (packages.client) or this one otherwise",
        ),
        ("{models: m, server: m_client, client: c}", None),
        ("{models: m, server: s, client: c}", None),
    ],
)
def test_the_client_package_has_a_name_of_its_own(packages: str, expected: str | None) -> None:
    assert api_problems_of(API + f"packages: {packages}\n") == ([expected] if expected else [])


def test_parameter_sets_and_validators_of_the_api_file() -> None:
    text = API + (
        "packages: {models: m, server: s}\nparameters:\n  w:\n    description: W.\n    entries:\n"
        "      - {name: a, description: A., type: string}\n      - {name: a, description: B., type: string}\n"
        '      - {name: b, description: B., type: integer, default_value: "1"}\n'
        'validators:\n  v1: {description: V., pattern: "("}\n  v2: {description: V., function: "m:f", message: hi}\n'
        '  v3: {description: Three, pattern: "^a$", message: an a}\n'
    )
    assert api_problems_of(text) == [
        "specs/_api.yaml:11:16: parameters.w.entries[1].name: two parameters named 'a' in the set",
        'specs/_api.yaml:12:66: parameters.w.entries[2].default_value: expected an integer, got string "1"',
        "specs/_api.yaml:14:34: validators.v1.pattern: not a valid regular expression: missing ), unterminated"
        " subpattern at position 0",
        "specs/_api.yaml:15:42: validators.v2.message: message goes with pattern (a function returns its own)",
        "specs/_api.yaml:16:21: validators.v3.description: a description is a sentence: end it with a period",
    ]


REQ = "8:46: attributes[0].required: "
VISIBILITY = [
    (
        "required: true, autogenerated: true",
        [f"{REQ}required and autogenerated: the server sets the value, a client cannot be required to"],
    ),
    (
        "required: true, read_only: true",
        [f"{REQ}required and read-only with no default: no client can set it, nothing else does"],
    ),
    ("required: true, read_only: true, default_value: x", []),
    ("required: true, exposed: false", [f"{REQ}required but not exposed with no default: a client can never send it"]),
    ("required: true, exposed: false, default_value: x", []),
    ("required: true, exposed: true", []),
    ("required: false, read_only: true", []),
    (
        "stored: false, unique: true",
        [
            "8:46: attributes[0].stored: not stored: it cannot be filterable, orderable or unique (the store never sees it)"
        ],
    ),
    (
        "stored: false, orderable: true",
        [
            "8:46: attributes[0].stored: not stored: it cannot be filterable, orderable or unique (the store never sees it)"
        ],
    ),
    ("stored: true, filterable: true, unique: true", []),
    (
        "secret: true, orderable: true",
        ["8:46: attributes[0].secret: secret: it cannot be filterable or orderable (a filter would reveal it)"],
    ),
    (
        "secret: true, filterable: true",
        ["8:46: attributes[0].secret: secret: it cannot be filterable or orderable (a filter would reveal it)"],
    ),
    ("secret: true, unique: true", []),
    (
        "encrypted: true, filterable: true",
        [
            "8:46: attributes[0].encrypted: encrypted: it cannot be filterable, orderable or unique (the store holds"
            " only ciphertext)"
        ],
    ),
    (
        "encrypted: true, orderable: true",
        [
            "8:46: attributes[0].encrypted: encrypted: it cannot be filterable, orderable or unique (the store holds"
            " only ciphertext)"
        ],
    ),
    (
        "encrypted: true, unique: true",
        [
            "8:46: attributes[0].encrypted: encrypted: it cannot be filterable, orderable or unique (the store holds"
            " only ciphertext)"
        ],
    ),
    (
        "encrypted: true, stored: false",
        ["8:46: attributes[0].encrypted: encrypted but not stored: there is nothing to encrypt"],
    ),
    ("encrypted: true, stored: true", []),
    (
        "omit_empty: true, default_value: x",
        [
            "8:46: attributes[0].omit_empty: omit_empty with a default that is not empty: an empty value would be left"
            " out, then read back as the default"
        ],
    ),
    ("omit_empty: true, default_value: ''", []),
]


@pytest.mark.parametrize(("flags", "expected"), VISIBILITY, ids=[v[0] for v in VISIBILITY])
def test_flags_that_cannot_go_together(flags: str, expected: list[str]) -> None:
    assert attribute(f"- {{name: a, description: A., type: string, {flags}}}") == expected


@pytest.mark.parametrize(
    ("value", "empty"),
    [
        (None, True),
        (False, True),
        ("", True),
        ([], True),
        ({}, True),
        (0, True),
        (0.0, True),
        (True, False),
        ("x", False),
        ([0], False),
        (1, False),
    ],
)
def test_what_omit_empty_leaves_out(value: Any, empty: bool) -> None:
    assert validate.empty_value(value) is empty


def test_pattern_applies_to_strings_and_is_located_at_its_key() -> None:
    assert attribute("- {name: a, description: A., type: integer, pattern: '^a$'}") == [
        "8:47: attributes[0].pattern: 'pattern' applies to string attributes, not 'integer'"
    ]


def test_the_refs_of_a_schema_are_found_at_any_depth() -> None:
    node = {
        "$ref": "#/$defs/a",
        "x": [{"$ref": "#/$defs/b"}, {"y": {"$ref": "#/$defs/c"}}, {"$ref": "other.json#/$defs/d"}, {"$ref": 5}],
        "z": {"$ref": "#/$defs/a"},
    }
    assert validate._refs(node) == {"a", "b", "c"}
    assert validate._refs([]) == set() and validate._refs("#/$defs/a") == set()


def test_operations_and_their_parameters_are_explained_in_their_own_words() -> None:
    spec = HEAD.replace(
        "operations: [list]",
        "operations:\n    list:\n      description: no period\n      parameters:\n"
        "        - {name: p, description: no period, type: enum}\n"
        "        - {name: d, description: D., type: duration, default_value: x}\n"
        "        - {name: f, description: F., type: float, default_value: x}\n"
        "        - {name: b, description: B., type: boolean, default_value: 1}\n"
        "        - {name: d2, description: D., type: duration, default_value: 90s}\n"
        "        - {name: t, description: T., type: time, default_value: '2024-01-01T00:00:00Z'}",
    )
    assert by_place(problems(spec + "  - {name: a, description: A., type: string}\n")) == [
        "8:20: model.operations.list.description: a description is a sentence: end it with a period",
        "10:11: model.operations.list.parameters[0]: missing key 'choices': a parameter of type 'enum' needs it",
        "10:34: model.operations.list.parameters[0].description: a description is a sentence: end it with a period",
        "11:69: model.operations.list.parameters[1].default_value: expected a duration such as 90s, 15m, 1h30m or"
        ' 2d, got string "x"',
        '12:66: model.operations.list.parameters[2].default_value: expected a number, got string "x"',
        "13:68: model.operations.list.parameters[3].default_value: expected true or false, got integer 1",
    ]


def test_a_validator_gives_a_pattern_or_a_function_exactly() -> None:
    base = API + "packages: {models: m, server: s}\nvalidators:\n"
    assert api_problems_of(base + "  v: {description: V.}\n") == [
        "specs/_api.yaml:7:6: validators.v: give exactly one of: pattern, function"
    ]
    assert api_problems_of(base + "  v: {description: V., pattern: a, function: 'm:f'}\n") == [
        "specs/_api.yaml:7:6: validators.v: give exactly one of: pattern, function"
    ]
    assert api_problems_of(base + "  v: {description: V., function: 'm:f'}\n") == []


def test_a_value_is_named_by_its_kind() -> None:
    assert attribute("- {name: a, description: A., type: string, example_value: 2019-01-01}") == []  # YAML 1.2: text
    values: list[Any] = [True, 1, 1.5, "s", [], {}, None, b"x"]
    assert [validate._kind_of(v) for v in values] == [
        "boolean",
        "integer",
        "number",
        "string",
        "list",
        "mapping",
        "null",
        "bytes",  # what no YAML file holds is named by its Python type
    ]
    assert attribute("- {name: a, description: A., type: ref, subtype: user, example_value: 3}") == [
        "8:73: attributes[0].example_value: expected a mapping, got integer 3"
    ]


# -- rules that read the model's header and its attributes together ---------------------------


def header(line: str) -> str:
    """HEAD with one more line in its model header."""
    return HEAD.replace("  operations: [list]\n", f"  operations: [list]\n  {line}\n")


NAMESPACED = (
    "7:15: model.namespaced: a namespaced model needs a string attribute named namespace (the server fills it"
    " from X-Namespace)"
)


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (header("namespaced: true"), "{name: a, description: A., type: string}", [NAMESPACED]),
        (header("namespaced: true"), "{name: namespace, description: A., type: integer}", [NAMESPACED]),
        (header("namespaced: true"), "{name: namespace, description: A., type: string}", []),
        # Saying namespaced: false is choosing a plain attribute named namespace on purpose.
        (header("namespaced: false"), "{name: namespace, description: A., type: string}", []),
        # An index may reach into the keys of a raw_data value, like those of an object.
        (header("indexes: [[data.x]]"), "{name: data, description: A., type: raw_data}", []),
        (
            header("indexes: [[data.x]]"),
            "{name: data, description: A., type: string}",
            ["7:14: model.indexes[0][0]: 'data.x' reaches into 'data', a string, not an object"],
        ),
        # A read-only identifier with a default value: every object gets one.
        (
            header("identifier: key"),
            "{name: key, description: A., type: string, read_only: true, default_value: k}",
            [],
        ),
    ],
)
def test_header_rules_that_read_the_attributes(head: str, body: str, expected: list[str]) -> None:
    assert problems(head + f"  - {body}\n") == expected


def test_no_attributes_is_reported_where_they_would_be() -> None:
    assert problems(HEAD + "  []\n") == [
        "8:3: attributes: no attributes: write some, or extend an abstract that has some"
    ]
    assert problems(HEAD.replace("attributes:\n", "")) == [
        "2:3: model: no attributes: write some, or extend an abstract that has some"
    ]
    # An abstract may have none of its own yet: what extends it adds them (the schema asks for the key).
    doc = load_yaml(b"abstract:\n  name: named\n  description: Named things.\n  attributes: []\n", FILE)
    assert validate.spec_problems(doc, "abstract", "named.abstract.yaml") == []


def test_the_operations_of_a_relation_are_checked_like_the_model_s() -> None:
    text = HEAD + (
        "  - {name: a, description: A., type: string}\nrelations:\n  - model: child\n    list:\n      parameters:\n"
        "        - {name: n, description: N., type: integer, default_value: x}\n"
    )
    assert problems(text) == [
        '13:68: relations[0].list.parameters[0].default_value: expected an integer, got string "x"'
    ]


def test_a_package_name_ending_with_a_newline_is_refused_for_every_package() -> None:
    for key in ("models", "server", "client"):
        names = {"models": "m", "server": "s", "client": "c"} | {key: "p\\n"}
        packages = ", ".join(f'{k}: "{v}"' for k, v in names.items())
        found = api_problems_of(API + f"packages: {{{packages}}}\n")
        assert any(f'packages.{key}: "p\\n" ends with a newline; names are one plain word' in p for p in found), found


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Without its subtype, a list's or a ref's default cannot be checked: the missing key is the problem.
        ("{name: a, description: A., type: list, default_value: [1]}", "8:5: attributes[0]: missing key 'subtype'"),
        ("{name: a, description: A., type: ref, default_value: 3}", "8:5: attributes[0]: missing key 'subtype'"),
        # An autogenerated attribute has a value: only "required and autogenerated" is wrong with it.
        (
            "{name: a, description: A., type: string, read_only: true, autogenerated: true, required: true}",
            "8:84: attributes[0].required: required and autogenerated",
        ),
        (
            "{name: a, description: A., type: string, exposed: false, autogenerated: true, required: true}",
            "8:83: attributes[0].required: required and autogenerated",
        ),
    ],
)
def test_one_problem_is_reported_alone(body: str, expected: str) -> None:
    found = attribute(f"- {body}")
    assert len(found) == 1 and found[0].startswith(expected), found


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # An enum's values cannot be checked without its choices, nor a map's without its subtype.
        ("{name: a, description: A., type: enum, default_value: x}", "8:5: attributes[0]: missing key 'choices'"),
        ("{name: a, description: A., type: map, default_value: {k: 1}}", "8:5: attributes[0]: missing key 'subtype'"),
        # A value is not checked against a subtype that is itself wrong.
        (
            "{name: a, description: A., type: ref, subtype: 'list[a]', example_value: 3}",
            "8:52: attributes[0].subtype: 'list[a]': a ref names a nested type or model",
        ),
    ],
)
def test_a_value_is_checked_only_against_a_type_that_can_hold_it(body: str, expected: str) -> None:
    found = attribute(f"- {body}")
    assert len(found) == 1 and found[0].startswith(expected), found


def test_an_enum_with_choices_that_are_not_text_reports_only_them() -> None:
    assert attribute("- {name: a, description: A., type: enum, choices: [1, 2], default_value: x}") == [
        "8:54: attributes[0].choices[0]: expected string, got integer 1",
        "8:57: attributes[0].choices[1]: expected string, got integer 2",
    ]


def test_the_description_of_a_parameter_set_is_a_sentence() -> None:
    text = API + "packages: {models: m, server: s}\nparameters:\n  w:\n    description: W\n    entries:\n"
    text += "      - {name: a, description: A., type: string}\n"
    assert api_problems_of(text) == [
        "specs/_api.yaml:8:18: parameters.w.description: a description is a sentence: end it with a period"
    ]


def test_combinations_of_the_wrong_shape_are_the_schemas_to_report() -> None:
    # Groups and alternatives that are not lists are skipped; the well-formed ones are still checked.
    text = API + (
        "packages: {models: m, server: s}\nparameters:\n  w:\n    description: W.\n    entries:\n"
        "      - {name: a, description: A., type: string}\n    combinations: [5, [5], [[a, nope]]]\n"
    )
    assert api_problems_of(text) == [
        "specs/_api.yaml:11:20: parameters.w.combinations[0]: expected array, got integer 5",
        "specs/_api.yaml:11:24: parameters.w.combinations[1][0]: expected array, got integer 5",
        "specs/_api.yaml:11:33: parameters.w.combinations[2][0][1]: no parameter named 'nope' in the set",
    ]


def test_a_read_only_identifier_without_a_value_says_how_to_fix_it() -> None:
    spec = header("identifier: key") + "  - {name: key, description: A., type: string, read_only: true}\n"
    assert problems(spec) == [
        "7:15: model.identifier: the identifier 'key' is read-only but not autogenerated: no object could ever get"
        " one (make it autogenerated, or let clients set it)"
    ]


def test_an_attribute_named_namespace_on_a_model_that_is_not_namespaced() -> None:
    assert problems(HEAD + "  - {name: namespace, description: A., type: string}\n") == [
        "8:12: attributes[0].name: an attribute named namespace on a model that is not namespaced: set"
        " model.namespaced: true (objects then live in the namespace of X-Namespace), or rename the attribute"
    ]


def test_index_keys_of_the_wrong_shape_are_the_schemas_to_report() -> None:
    # The keys after one that is not text are still checked; an index that is not a list is skipped.
    spec = header("indexes: [ab, 5, [5, nope], [m.k]]")
    spec += "  - {name: a, description: A., type: string}\n  - {name: m, description: M., type: map, subtype: string}\n"
    assert by_place(problems(spec)) == [
        '7:13: model.indexes[0]: expected array, got string "ab"',
        "7:17: model.indexes[1]: expected array, got integer 5",
        "7:21: model.indexes[2][0]: expected string, got integer 5",
        "7:24: model.indexes[2][1]: no attribute named 'nope'",
    ]


def test_an_exposed_name_that_is_not_text_takes_no_part_in_the_duplicate_checks() -> None:
    assert attribute(
        """\
        - {name: a, exposed_name: [x], description: A., type: string}
        - {name: class, description: B., type: string}
        - {name: class_, exposed_name: 5, description: C., type: string}
        """
    ) == [
        '8:29: attributes[0].exposed_name: expected string, got list ["x"]',
        "10:34: attributes[2].exposed_name: expected string, got integer 5",
        "10:12: attributes[2].name: duplicate attribute Python name 'class_' (also attributes[1])",
    ]


def test_a_relation_s_create_is_checked_like_its_list() -> None:
    text = HEAD + (
        "  - {name: a, description: A., type: string}\nrelations:\n  - model: child\n    create:\n"
        "      description: no period\n"
    )
    assert problems(text) == [
        "12:20: relations[0].create.description: a description is a sentence: end it with a period"
    ]


def test_a_model_that_extends_an_abstract_may_have_no_attributes_of_its_own() -> None:
    assert problems(header("extends: [named]") + "  []\n") == []
    assert problems(header("extends: [named]").replace("attributes:\n", "")) == []
