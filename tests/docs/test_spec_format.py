"""The spec-format page says what the validator accepts: its tables come from the shipped schemas."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

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


def test_every_schema_key_has_a_row(html: Element) -> None:
    model = validate.schema("model")
    api = validate.schema("api")
    expected = [
        list(api["properties"]),
        list(api["properties"]["packages"]["properties"]),
        list(model["properties"]),
        list(model["properties"]["model"]["properties"]),
        list(model["$defs"]["attribute"]["properties"]),
    ]
    shown = [[row[0] for row in table[1:]] for table in _key_tables(html)]
    assert shown == expected


def test_rows_carry_the_schema_facts(html: Element) -> None:
    attribute_table = _key_tables(html)[4]
    rows = {row[0]: row for row in attribute_table[1:]}
    assert rows["name"][2] == "yes" and rows["choices"][2] == "no"
    assert rows["type"][1].startswith("one of string, integer, float")
    assert rows["required"][1].startswith("flag: true, false, or leave the key out")
    assert "matches ^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$" in rows["name"][4]
    model_table = _key_tables(html)[3]
    operations = next(row for row in model_table if row[0] == "operations")
    assert (
        operations[1]
        == "list of list, retrieve, create, update, delete or mapping of list, retrieve, create, update, delete"
    )
    assert "at least one item" in operations[4] and "no duplicates" in operations[4]


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
