"""The spec-format page says what the validator accepts: its tables come from the shipped schemas."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import validate
from generator.load import load_api
from generator.render import Templates
from generator.spec import DOC_PROPERTIES
from generator.targets import docs, render_all
from tests.conftest import SPECS
from tests.docs.pages import Element, parse_html, table_rows


@pytest.fixture(scope="module")
def page(generated: Path) -> str:
    return (generated / "docs" / "reference" / "spec-format.md").read_text("utf-8")


@pytest.fixture(scope="module")
def html(site: Path) -> Element:
    return parse_html((site / "reference" / "spec-format.html").read_text("utf-8"))


def _key_tables(root: Element) -> list[list[list[str]]]:
    return [rows for rows in (table_rows(t) for t in root.iter("table")) if rows[0][0] == "Key"]


def _schema_mappings() -> list[list[str]]:
    """The keys of every mapping a spec file may hold, in the order the page shows them."""
    api = validate.schema("api")
    model = validate.schema("model")
    nested = validate.schema("type")
    abstract = validate.schema("abstract")
    return [
        list(api["properties"]),
        list(api["properties"]["packages"]["properties"]),
        list(api["properties"]["parameters"]["additionalProperties"]["properties"]),
        list(api["properties"]["validators"]["additionalProperties"]["properties"]),
        list(model["properties"]),
        list(model["properties"]["model"]["properties"]),
        list(model["$defs"]["attribute"]["properties"]),
        list(model["$defs"]["operation"]["properties"]),
        list(model["$defs"]["parameter"]["properties"]),
        list(model["properties"]["relations"]["items"]["properties"]),
        list(nested["properties"]),
        list(nested["properties"]["type"]["properties"]),
        list(abstract["properties"]),
        list(abstract["properties"]["abstract"]["properties"]),
    ]


def _all_mappings(node: Any) -> list[list[str]]:
    """The keys of every ``properties`` in a schema, wherever it sits (conditions aside: ``if``
    reads a key the mapping already has)."""
    found: list[list[str]] = []
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            found.append(list(node["properties"]))
        for key, value in node.items():
            if key != "if":
                found.extend(_all_mappings(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_all_mappings(item))
    return found


def test_every_schema_key_has_a_row(html: Element) -> None:
    shown = [[row[0] for row in table[1:]] for table in _key_tables(html)]
    assert shown == _schema_mappings()


def test_no_mapping_of_any_schema_is_left_out(html: Element) -> None:
    # A mapping added to a schema (a new kind of file, a new nested key) needs a table of its own.
    shown = [[row[0] for row in table[1:]] for table in _key_tables(html)]
    for kind in validate.KINDS:
        for keys in _all_mappings(validate.schema(kind)):
            assert keys in shown, f"{kind}: no table lists {keys}"


def test_rows_carry_the_schema_facts(html: Element) -> None:
    tables = _key_tables(html)
    attribute_table = tables[6]
    rows = {row[0]: row for row in attribute_table[1:]}
    assert rows["name"][2] == "yes" and rows["choices"][2] == "no"
    assert rows["type"][1].startswith("one of string, integer, float")
    assert rows["required"][1].startswith("flag: true, false, or leave the key out")
    assert "matches ^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$" in rows["name"][4]
    assert rows["validators"][1] == "list of names"
    model_table = tables[5]
    operations = next(row for row in model_table if row[0] == "operations")
    assert operations[1] == (
        "list of list, retrieve, create, update, delete, or mapping of list, retrieve, create, update, delete"
        " to operation mapping"
    )
    assert "no duplicates" in operations[4]
    api_table = tables[0]
    parameters = next(row for row in api_table if row[0] == "parameters")
    assert parameters[1] == "mapping of names to mappings (below)"
    assert "each name matches ^[a-z][a-z0-9_]{0,62}$" in parameters[4]
    operation_table = {row[0]: row for row in tables[7][1:]}
    assert operation_table["parameters"][1] == "list of $set names or parameter mappings"


def test_shared_parts_link_to_their_tables(html: Element) -> None:
    """A key whose value is described by another table links to it, and the link lands on it."""
    ids = {e.attrs["id"] for e in html.iter() if "id" in e.attrs}
    links = [a.attrs["href"] for table in html.iter("table") for a in table.iter("a")]
    assert {"#attributes", "#operations", "#parameters", "#relations", "#model"} <= set(links)
    for href in links:
        if href.startswith("#"):
            assert href[1:] in ids, href


def test_a_schema_change_shows_on_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tables are read from the schema at render time, not copied into the template.
    model = validate.schema("model")
    patched = {**model, "$defs": {**model["$defs"], "attribute": dict(model["$defs"]["attribute"])}}
    properties = dict(patched["$defs"]["attribute"]["properties"])
    properties["color_hint"] = {"description": "A key added for this test.", "type": "string"}
    patched["$defs"]["attribute"]["properties"] = properties
    real = validate.schema
    monkeypatch.setattr(validate, "schema", lambda kind: patched if kind == "model" else real(kind))
    text = docs.render_shared(load_api(SPECS), Templates())["docs/reference/spec-format.md"]
    assert "| `color_hint` | string | no | A key added for this test\\. |" in text


def test_every_type_and_flag_is_explained(page: str) -> None:
    types_section = page.split("## Types", 1)[1].split("\n## ", 1)[0]
    for kind in docs.attribute_types():
        assert f"| `{kind}` |" in types_section
    flags_section = page.split("## Tri-state flags", 1)[1].split("\n## ", 1)[0]
    flags = docs.flag_names()
    assert set(flags) == set(DOC_PROPERTIES) - {"description", "type", "choices", "unique_scope"}
    for flag in flags:
        assert f"`{flag}`" in flags_section
    assert "Unset is not `false`" in flags_section


def test_files_and_schema_comment_are_documented(page: str) -> None:
    assert "`specs/_api.yaml`" in page and "`specs/<name>.spec.yaml`" in page
    assert "# yaml-language-server: $schema=../generator/schemas/model.schema.json" in page


def test_the_example_spec_on_the_page_is_valid(page: str, tmp_path: Path) -> None:
    example = page.split("## Example", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", example, re.S)
    assert block is not None
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(SPECS / "_api.yaml", specs / "_api.yaml")
    name = re.search(r"^  name: (\w+)$", block[1], re.M)
    assert name is not None
    (specs / f"{name[1]}.spec.yaml").write_text(block[1], "utf-8")
    api = load_api(specs)  # raises SpecError, with every problem, if the example is wrong
    model = api.models_by_name[name[1]]
    assert {a.type for a in model.attributes} >= {"string", "time", "enum"}


def test_a_model_named_like_a_docs_page_gets_its_own_page(tmp_path: Path) -> None:
    # Model pages live in models/: a model named index or api never takes the overview's place.
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(SPECS / "_api.yaml", specs / "_api.yaml")
    activity = (SPECS / "activity.spec.yaml").read_text("utf-8")
    for name in ("index", "api"):
        text = activity.replace("name: activity\n", f"name: {name}\n", 1)
        text = text.replace("category: activities", f"category: {name}_items", 1)
        text = text.replace("class_name: Activity", f"class_name: {name.title()}", 1)
        (specs / f"{name}.spec.yaml").write_text(text, "utf-8")
    files = render_all(load_api(specs), Templates(), only=["docs"])["docs"]
    assert files["docs/index.md"].startswith("---\n# Generated by specgen from specs/_api.yaml.")
    assert files["docs/reference/api.md"].startswith("---\n# Generated by specgen from specs/_api.yaml.")
    assert "# Index\n" in files["docs/models/index.md"] and "# Api\n" in files["docs/models/api.md"]


def test_every_construct_has_a_section_with_an_example(page: str) -> None:
    for heading in (
        "## Visibility and storage",
        "## Nested types and references",
        "## Shared attributes",
        "## Relations",
        "## Operation parameters",
        "## Validators",
        "## Private models and indexes",
    ):
        assert f"\n{heading}" in page, heading
        section = page.split(f"\n{heading}", 1)[1].split("\n## ", 1)[0]
        assert "```yaml\n" in section or heading == "## Visibility and storage", heading


def test_the_construct_examples_form_a_valid_api_using_every_construct(page: str, tmp_path: Path) -> None:
    """The files the sections show (each block starts with its path) load together, and use each construct."""
    specs = tmp_path / "specs"
    specs.mkdir()
    files = re.findall(r"```yaml\n# specs/([\w.]+)\n(.*?)```", page, re.S)
    assert {name for name, _ in files} == {
        "_api.yaml",
        "tag.type.yaml",
        "stamped.abstract.yaml",
        "board.spec.yaml",
        "card.spec.yaml",
    }
    for name, text in files:
        (specs / name).write_text(text, "utf-8")
    api = load_api(specs)  # raises SpecError, with every problem, if an example is wrong
    board, card = api.models_by_name["board"], api.models_by_name["card"]
    attributes = [*board.attributes, *card.attributes]
    assert api.nested_types and api.abstracts and board.extends and board.aliases and card.indexes
    assert [relation.child for relation in board.relations] == ["card"]
    assert any(s.combinations for s in api.parameter_sets)
    assert {v.name for v in api.validators if v.pattern} and {v.name for v in api.validators if v.function}
    assert card.validators and any(a.validators for a in attributes) and any(a.pattern for a in attributes)
    assert board.operation_spec("delete").parameters and board.relations[0].list is not None
    assert any(a.secret for a in attributes) and any(not a.exposed for a in attributes)
    assert any(not a.stored for a in attributes) and any(a.omit_empty for a in attributes)
    assert any(a.encrypted for a in attributes)
    assert {a.type for a in attributes} >= {"ref_list", "map"}
