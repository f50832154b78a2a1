"""The spec loader's rules, each with where it says a problem is: ``file:line:column``, the
field (dotted path) and the exact words, for every kind of node and every refusal."""

from __future__ import annotations

import pytest
import yaml

from generator.errors import SpecError, SpecProblem
from generator.yamlsource import MAX_BYTES, MAX_DEPTH, Document, _problem, load_yaml


def refused(text: bytes | str, file: str = "specs/thing.spec.yaml") -> SpecProblem:
    """The one problem the loader reports for ``text``."""
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(SpecError) as caught:
        load_yaml(raw, file)
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


def at(line: int, column: int, field: str, message: str) -> SpecProblem:
    return SpecProblem("specs/thing.spec.yaml", line, column, field, message)


# --- the file as bytes: size, byte order mark, encoding, NUL ------------------------------------


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused() -> None:
    head = b"a: 1\n#"
    at_limit = head + b"x" * (MAX_BYTES - len(head))
    assert len(at_limit) == MAX_BYTES == 1_000_000
    assert load_yaml(at_limit, "f.yaml").data == {"a": 1}
    assert refused(at_limit + b"x") == at(1, 1, "", "file is 1,000,001 bytes; a spec may be at most 1,000,000")


def test_a_byte_order_mark_is_refused() -> None:
    message = "file starts with a byte order mark; save it as UTF-8 without BOM"
    assert refused(b"\xef\xbb\xbfa: 1\n") == at(1, 1, "", message)
    # A BOM elsewhere is the character U+FEFF in a value, not a mark.
    assert load_yaml("a: '\ufeff'\n".encode(), "f.yaml").data == {"a": "\ufeff"}


@pytest.mark.parametrize(
    ("raw", "line", "column", "byte"),
    [
        (b"\xff: 1\n", 1, 1, "0xff"),
        (b"ab: \xfe\n", 1, 5, "0xfe"),
        (b"a: 1\nbcd: x\xc3\n", 2, 7, "0xc3"),
        (b"a: 1\n\nb: 2\n\x80\n", 4, 1, "0x80"),
        (b"\nab: \xff\n", 2, 5, "0xff"),  # a newline as the first byte counts
        (b"a: 1\nb: 2\ncd: \xff\n", 3, 5, "0xff"),
    ],
)
def test_a_byte_that_is_not_utf8_is_located(raw: bytes, line: int, column: int, byte: str) -> None:
    assert refused(raw) == at(line, column, "", f"invalid UTF-8 byte {byte}; specs must be UTF-8")


@pytest.mark.parametrize(
    ("raw", "line"),
    [(b"\x00a: 1\n", 1), (b"a: 1\nb: 2\nc: \x00\n", 3), (b"\na: \x00\n", 2), (b"a: \x00\nb: \x00\n", 1)],
)
def test_a_nul_character_is_located_by_line(raw: bytes, line: int) -> None:
    assert refused(raw) == at(line, 1, "", "file holds a NUL character; specs are text")


# --- YAML the parser refuses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("a: [1, 2\n", 2, 1, "YAML syntax: while parsing a flow sequence: did not find expected ',' or ']'"),
        ("a:\n  b: c: d\n", 2, 7, "YAML syntax: mapping values are not allowed in this context"),
        ("a: 'x\n", 2, 1, "YAML syntax: while scanning a quoted scalar: found unexpected end of stream"),
        ("- a\nb: 1\n", 2, 1, "YAML syntax: while parsing a block collection: did not find expected '-' indicator"),
    ],
)
def test_a_syntax_error_is_located_with_what_the_parser_was_doing(
    text: str, line: int, column: int, message: str
) -> None:
    assert refused(text) == at(line, column, "", message)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [("a: \x07\n", 1, 4), ("a: 1\nbc: x\x1b\n", 2, 6), ("\nab: \x07\n", 2, 5), ("a: 1\nb: 2\nc: \x07\n", 3, 4)],
)
def test_a_control_character_is_named_and_located(text: str, line: int, column: int) -> None:
    char = text.strip()[-1]
    assert refused(text) == at(line, column, "", f"character U+{ord(char):04X} is not allowed in YAML")


def test_nesting_the_parser_refuses_is_a_located_syntax_error() -> None:
    problem = refused(b"x: " + b"[" * 2000 + b"]" * 2000 + b"\n")
    assert (problem.line, problem.field) == (1, "")
    assert problem.message == "YAML syntax: while increasing flow level: exceeded maximum nesting depth"


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_a_file_with_no_document_is_empty(text: str) -> None:
    assert refused(text) == at(1, 1, "", "file is empty; a spec is a YAML mapping")


def test_a_second_document_is_refused_where_it_starts() -> None:
    message = "a spec file holds one YAML document, found several"
    assert refused("a: 1\n---\nb: 2\n") == at(3, 1, "", message)
    assert refused("a: 1\n--- [x]\n--- 3\n") == at(2, 5, "", message)


def test_problem_without_a_mark_is_at_the_start_of_the_file() -> None:
    assert _problem("f.yaml", None, "what") == SpecProblem("f.yaml", 1, 1, "", "what")
    mark = yaml.Mark("f.yaml", 0, 4, 9, "", 0)
    assert _problem("f.yaml", mark, "what", "a.b") == SpecProblem("f.yaml", 5, 10, "a.b", "what")


# --- nodes the loader refuses, each at its node with its field -----------------------------------


def test_an_alias_is_refused_naming_the_anchor_line() -> None:
    text = "a: 1\nb: &x [1]\nc:\n  d: *x\n"
    message = "aliases are not allowed in specs (this repeats the anchored value at line 2); write the value out"
    assert refused(text) == at(2, 4, "c.d", message)


def test_an_anchor_used_once_is_plain_data() -> None:
    assert load_yaml(b"a: &x [1]\nb: 2\n", "f.yaml").data == {"a": [1], "b": 2}


def test_nesting_is_read_to_the_limit_and_refused_one_level_deeper() -> None:
    deepest = "x: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    value: object = load_yaml(deepest.encode(), "f.yaml").data["x"]
    for _ in range(MAX_DEPTH - 1):
        assert isinstance(value, list)
        value = value[0]
    assert value == []
    deeper = "x: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"
    message = f"nesting deeper than {MAX_DEPTH} levels"
    assert MAX_DEPTH == 64
    assert refused(deeper) == at(1, 4 + MAX_DEPTH, "x" + "[0]" * MAX_DEPTH, message)


@pytest.mark.parametrize(
    ("text", "line", "column", "field", "message"),
    [
        ("a: !!set {x: null}\n", 1, 4, "a", "tag 'tag:yaml.org,2002:set' is not allowed; use a plain mapping"),
        ("a:\n  b: !thing {x: 1}\n", 2, 6, "a.b", "tag '!thing' is not allowed; use a plain mapping"),
        ("!!omap [ ]\n", 1, 1, "", "tag 'tag:yaml.org,2002:omap' is not allowed; use a plain list"),
        ("a:\n- !list [1]\n", 2, 3, "a[0]", "tag '!list' is not allowed; use a plain list"),
    ],
)
def test_a_tagged_collection_is_refused(text: str, line: int, column: int, field: str, message: str) -> None:
    assert refused(text) == at(line, column, field, message)


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!binary aGVsbG8=", "tag:yaml.org,2002:binary"),
        ("!!python/object:os.system x", "tag:yaml.org,2002:python/object:os.system"),
        ("!custom x", "!custom"),
    ],
)
def test_a_tagged_scalar_is_refused(value: str, tag: str) -> None:
    message = f"tag {tag!r} is not allowed; specs hold plain strings, numbers, booleans and null"
    assert refused(f"a:\n- 1\n- {value}\n") == at(3, 3, "a[1]", message)


def test_explicit_plain_tags_are_read_as_their_type() -> None:
    text = "a: !!str 12\nb: !!int '7'\nc: !!float '1.5'\nd: !!null ''\ne: !!bool 'true'\n"
    data = load_yaml(text.encode(), "f.yaml").data
    assert data == {"a": "12", "b": 7, "c": 1.5, "d": None, "e": True}
    assert type(data["b"]) is int and type(data["e"]) is bool


def test_merge_keys_are_refused_at_the_key() -> None:
    message = "merge keys (<<) are not allowed in specs; write the keys out"
    assert refused("base: {x: 1}\nb:\n  y: 2\n  <<: {z: 3}\n") == at(4, 3, "b", message)
    assert refused('"<<": 1\n') == at(1, 1, "", message)


@pytest.mark.parametrize(
    ("text", "line", "column", "field"),
    [
        ("a:\n  1: x\n", 2, 3, "a"),
        ("null: x\n", 1, 1, ""),
        ("true: x\n", 1, 1, ""),
        ("? [a, b]\n: x\n", 1, 3, ""),
        ("a:\n  ? {k: v}\n  : x\n", 2, 5, "a"),
    ],
)
def test_keys_must_be_plain_strings(text: str, line: int, column: int, field: str) -> None:
    assert refused(text) == at(line, column, field, "keys must be plain strings")


def test_keys_that_look_typed_but_are_strings_are_read() -> None:
    assert load_yaml(b"'1': a\n!!str 2: b\n\"true\": c\n", "f.yaml").data == {"1": "a", "2": "b", "true": "c"}


def test_a_duplicate_key_names_the_first_and_is_located_at_the_second() -> None:
    text = "a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n"
    assert refused(text) == at(5, 3, "b.c", "duplicate key 'c' (first at line 3)")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("x: 1\nx: 2\n", "x"),
        ("- a\n- k: 1\n  k: 2\n", "[1].k"),
        ("a:\n  - b:\n      - c: 1\n        c: 2\n", "a[0].b[0].c"),
        ("a:\n  b:\n    - - k: 1\n        k: 2\n", "a.b[0][0].k"),
    ],
)
def test_the_field_of_a_problem_is_its_dotted_path(text: str, field: str) -> None:
    problem = refused(text)
    assert problem.field == field
    assert problem.message.startswith("duplicate key 'x'" if field == "x" else "duplicate key '")


# --- scalars: what each plain value reads as -----------------------------------------------------


def test_plain_scalars_read_as_yaml_1_2_data() -> None:
    text = "s: text\ni: -12\nh: 0x1F\nf: 2.5\ne: 1.0e+3\nn: null\nt: ~\nb: false\nq: '3'\nempty:\n"
    data = load_yaml(text.encode(), "f.yaml").data
    assert data == {
        **{"s": "text", "i": -12, "h": 31, "f": 2.5, "e": 1000.0},
        **{"n": None, "t": None, "b": False, "q": "3", "empty": None},
    }
    assert [type(data[k]) for k in ("i", "h", "f", "e", "b")] == [int, int, float, float, bool]


@pytest.mark.parametrize("stamp", ["2019-06-17T10:00:00Z", "2019-06-17", "2001-12-14 21:59:43.10 -5"])
def test_dates_and_times_stay_the_text_they_are_written_as(stamp: str) -> None:
    assert load_yaml(f"a: {stamp}\n".encode(), "f.yaml").data == {"a": stamp}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".inf", ".inf is not a number a spec can hold; use a finite number"),
        ("-.INF", "-.INF is not a number a spec can hold; use a finite number"),
        (".nan", ".nan is not a number a spec can hold; use a finite number"),
        ("1.0e+400", "1.0e+400 is not a number a spec can hold; use a finite number"),
    ],
)
def test_floats_without_a_finite_value_are_refused(value: str, message: str) -> None:
    assert refused(f"a: 1\nb:\n  c: {value}\n") == at(3, 6, "b.c", message)


def test_a_value_python_cannot_read_is_refused_with_the_reason() -> None:
    digits = "1" * 5000
    message = (
        "cannot read the value '11111111111111111111'...: "
        "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits"
    )
    assert refused(f"a: {digits}\n") == at(1, 4, "a", message)
    not_int = "cannot read the value 'x'...: invalid literal for int() with base 10: 'x'"
    assert refused("a:\n  - !!int 'x'\n") == at(2, 5, "a[0]", not_int)


# --- the document: file, nodes, positions --------------------------------------------------------


def test_the_document_keeps_its_file_and_root_node() -> None:
    doc = load_yaml(b"a: [1]\n", "specs/a.spec.yaml")
    assert doc.file == "specs/a.spec.yaml"
    assert isinstance(doc.root, yaml.MappingNode)
    assert doc.data == {"a": [1]}


def test_a_document_without_nodes_places_everything_at_the_start() -> None:
    doc = Document("f.yaml", {"a": 1})
    assert doc.where(("a",)) == (1, 1)
    assert doc.where(("a",), key=True) == (1, 1)


def test_where_finds_every_kind_of_node() -> None:
    text = "top: {k: v, n: [1, {deep: x}]}\nlist:\n  - plain\n  - 'quoted'\n  -\n    key: |\n      block\n"
    doc = load_yaml(text.encode(), "f.yaml")
    assert doc.where(("top",)) == (1, 6)
    assert doc.where(("top",), key=True) == (1, 1)
    assert doc.where(("top", "k")) == (1, 10)
    assert doc.where(("top", "k"), key=True) == (1, 7)
    assert doc.where(("top", "n", 1, "deep")) == (1, 27)
    assert doc.where(("top", "n", 1, "deep"), key=True) == (1, 21)
    assert doc.where(("list", 0)) == (3, 5)
    assert doc.where(("list", 1)) == (4, 5)
    assert doc.where(("list", 2, "key")) == (6, 10)
    assert doc.where(("list", 2, "key"), key=True) == (6, 5)


def test_where_stops_at_the_nearest_node_that_exists() -> None:
    doc = load_yaml(b"a:\n  b: [x, y]\n  '0': zero\nc: text\n", "f.yaml")
    assert doc.where(("a", "b", 2)) == (2, 6)  # past the end of the list
    assert doc.where(("a", "b", -1)) == (2, 6)  # a negative index is no item
    assert doc.where(("a", "b", "0")) == (2, 6)  # a list has no named member
    assert doc.where(("a", 0)) == (2, 3)  # the key '0' is text, not the index 0
    assert doc.where(("a", "0")) == (3, 8)
    assert doc.where(("c", "more")) == (4, 4)  # a scalar holds nothing
    assert doc.where(("c", "more"), key=True) == (4, 1)
    assert doc.where(("nothing", "at", "all")) == (1, 1)
