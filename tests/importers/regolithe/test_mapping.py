"""Each regolithe key lands where docs/coming-from-regolithe.md says, on a fixture that uses
every key (tests/importers/regolithe/kitchen/); what is not carried is in the report, located."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.importers import regolithe
from tests.importers.regolithe.support import KITCHEN, attribute, import_to, spec


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, regolithe.Result]:
    out = tmp_path_factory.mktemp("import") / "specs"
    return out, import_to(KITCHEN, out, fix=True)


@pytest.fixture(scope="module")
def out(imported: tuple[Path, regolithe.Result]) -> Path:
    return imported[0]


@pytest.fixture(scope="module")
def result(imported: tuple[Path, regolithe.Result]) -> regolithe.Result:
    return imported[1]


def _notes(result: regolithe.Result, category: str, subject: str) -> list[Any]:
    return [n for n in result.notes.items if n.category == category and n.subject == subject]


def test_fixed_import_validates_and_counts(out: Path, result: regolithe.Result) -> None:
    assert result.problems == []
    assert result.written
    api = pipeline.validate(out)
    assert sorted(m.name for m in api.models) == [
        "access_rule",
        "import",
        "list",
        "namespacerecord",
        "project",
        "task",
        "user",
    ]
    assert sorted(t.name for t in api.nested_types) == ["label", "orphan", "step"]  # orphan: no route at all
    assert sorted(a.name for a in api.abstracts) == ["identifiable", "sharded", "timed"]
    assert result.counts == {"models": 7, "nested types": 3, "abstracts": 3, "parameter sets": 6, "validators": 3}
    assert sorted(p.name for p in out.iterdir()) == sorted(result.files)


def test_api_file_from_info_ini_and_mappings(out: Path, result: regolithe.Result) -> None:
    api = spec(out, "_api.yaml")
    assert api["title"] == "Planner"  # regolithe.ini product_name
    assert api["version"] == "3"  # _api.info version
    assert api["description"] == "Projects, their lists and their tasks."  # [transformer] description
    assert api["packages"] == {"models": "planner_models", "server": "planner_server"}
    (prefix,) = _notes(result, "lossy", "prefix")  # _api.info prefix: routes at the root now
    assert prefix.where == "kitchen/_api.info:1:1"
    ini = _notes(result, "go_only", "regolithe.ini")
    assert len(ini) == 6 and "[transformer] author" in ini[0].why


def test_validation_mapping_becomes_function_validators_you_write(out: Path, result: regolithe.Result) -> None:
    validators = spec(out, "_api.yaml")["validators"]
    assert validators["slug"]["function"] == "planner_validators:validate_slug"  # elemental ValidateSlug
    assert validators["weekday"]["function"] == "planner_validators:check_weekday"  # the only generator's name
    assert validators["task_dates"]["function"] == "planner_validators:validate_task_dates"
    code = {n.why.split("(")[0] for n in _notes(result, "user_code", "validator")}
    assert code == {
        "planner_validators.validate_slug",
        "planner_validators.check_weekday",
        "planner_validators.validate_task_dates",
    }
    assert attribute(out, "project.spec.yaml", "name")["validators"] == ["slug"]  # attribute validations
    assert spec(out, "task.spec.yaml")["model"]["validators"] == ["task_dates"]  # model validations


def test_parameter_mapping_becomes_parameter_sets(out: Path, result: regolithe.Result) -> None:
    sets = spec(out, "_api.yaml")["parameters"]
    assert sets["window"]["combinations"] == [[["since", "until"], ["last"]]]  # required -> combinations
    archived = sets["archived_filter"]["entries"][0]  # archivedFilter, renamed
    assert archived == {
        "name": "archived",
        "description": "Show archived objects too, or only them.",
        "type": "enum",
        "choices": ["include", "only", "exclude"],  # allowed_choices
        "multiple": True,
        "default_value": "exclude",
    }
    assert _notes(result, "renamed", "parameter set")[0].why.startswith("'archivedFilter' -> 'archived_filter'")


def test_root_relations_are_the_collections_at_the_top(out: Path, result: regolithe.Result) -> None:
    project = spec(out, "project.spec.yaml")["model"]
    operations = project["operations"]
    assert list(operations) == ["list", "retrieve", "create", "update", "delete"]
    assert operations["list"] == {"description": "Lists the projects.", "parameters": ["$archived_filter"]}
    # $queryable declares only q: specgen's list has it built in (the filter language)
    (queryable,) = _notes(result, "not_carried", "global parameters $queryable")
    assert queryable.where.startswith("kitchen/root.spec:")
    assert operations["create"]["parameters"][0]["name"] == "dryRun"
    assert _notes(result, "not_carried", "root relation delete")
    # a set with q and more: the rest, in a set of its own
    user = spec(out, "user.spec.yaml")["model"]["operations"]
    assert user["list"]["parameters"] == ["$searchable_list"]
    assert [e["name"] for e in spec(out, "_api.yaml")["parameters"]["searchable_list"]["entries"]] == ["deep"]
    # an inline parameter named like a built-in one
    access = spec(out, "access_rule.spec.yaml")["model"]["operations"]
    assert access == ["list", "create"] or "parameters" not in access["list"]
    assert _notes(result, "not_carried", "parameter page")


def test_model_operations_get_update_delete(out: Path, result: regolithe.Result) -> None:
    operations = spec(out, "project.spec.yaml")["model"]["operations"]
    assert operations["retrieve"] == {"description": "Retrieves the project with the given ID."}
    # parameters.required of one parameter alone: required: true
    assert operations["delete"]["parameters"] == [
        {"name": "confirm", "description": "Says yes.", "type": "boolean", "required": True}
    ]
    assert _notes(result, "not_carried", "deprecated")  # a deprecated operation
    task = spec(out, "task.spec.yaml")["model"]["operations"]
    assert task["retrieve"]["parameters"] == ["$queryable"]  # q is not built into retrieve: kept


def test_relations(out: Path, result: regolithe.Result) -> None:
    relations = spec(out, "project.spec.yaml")["relations"]
    assert relations == [
        {
            "model": "list",
            "list": {"description": "Lists the lists of a project.", "parameters": ["$window"]},
            "create": {"description": "Makes a list in a project.", "parameters": ["$project_list_create"]},
        }
    ]
    # alternatives in an operation's own required: a set of _api.yaml with combinations
    created = spec(out, "_api.yaml")["parameters"]["project_list_create"]
    assert created["combinations"] == [[["color"], ["template"]]]
    assert [e["name"] for e in created["entries"]] == ["color", "template"]
    assert _notes(result, "not_carried", "relation update")
    assert any("step is detached" in n.why for n in _notes(result, "not_carried", "relation"))
    assert spec(out, "list.spec.yaml")["relations"][0]["model"] == "task"


def test_model_header(out: Path, result: regolithe.Result) -> None:
    model = spec(out, "project.spec.yaml")["model"]
    assert (model["name"], model["category"], model["class_name"]) == ("project", "projects", "Project")
    # documentation appended: text of several paragraphs keeps its lines
    assert model["description"].startswith(
        "A project, the top of the tree: it holds lists, which hold tasks. This sentence is long\nenough"
    )
    # one paragraph wrapped by regolithe's formatter is one line again
    assert spec(out, "list.spec.yaml")["model"]["description"] == "A list of tasks, kept in the order they were added."
    assert model["description"].endswith(
        "Projects are never deleted while they have lists.\n\n- archive them instead;\n- or move their lists."
    )
    assert model["identifier"] == "ID"  # identifier: true, from @identifiable
    assert model["namespaced"] is True  # a read-only namespace: the server fills it
    assert model["extends"] == ["sharded", "identifiable", "timed"]  # '@sharded' -> sharded
    assert model["default_order"] == ["name", "-priority"]
    assert model["indexes"] == [["namespace", "name"]]
    assert model["aliases"] == ["proj"]
    assert "private" not in model
    user = spec(out, "user.spec.yaml")["model"]
    assert user["private"] is True
    assert user["namespaced"] is False  # a namespace the client sends
    assert user["aliases"] == ["usr"]  # projects names another model
    assert user["class_name"] == "Model2"  # Model is the models package's own
    assert _notes(result, "not_carried", "alias")
    rule = spec(out, "access_rule.spec.yaml")["model"]
    assert (rule["name"], rule["category"], rule["class_name"]) == ("access_rule", "access_rules", "AccessRule")
    assert spec(out, "import.spec.yaml")["model"]["name"] == "import"  # a Python keyword, as it is
    for subject in ("package", "group", "extensions"):
        assert _notes(result, "go_only", subject)


def test_abstracts_versions_and_indexes(out: Path, result: regolithe.Result) -> None:
    timed = spec(out, "timed.abstract.yaml")
    create = next(a for a in timed["attributes"] if a["name"] == "createTime")
    assert create.get("orderable") is True  # from v2, over v1
    assert _notes(result, "lossy", "attributes versions")
    assert _notes(result, "not_carried", "default_order")  # an abstract's default_order
    identifiable = spec(out, "identifiable.abstract.yaml")
    assert identifiable["indexes"] == [["namespace", "ID"]]
    sharded = spec(out, "sharded.abstract.yaml")
    assert sharded["indexes"] == [["zone", "zHash"]]  # :shard and :unique are MongoDB's
    assert _notes(result, "not_carried", "index :shard") and _notes(result, "lossy", "index :unique")
    assert _notes(result, "lossy", "index :no-inherit")
    task = spec(out, "task.spec.yaml")
    title = next(a for a in task["attributes"] if a["name"] == "title")
    assert title["description"] == "What to do, in a few words." and title["max_length"] == 80
    assert [a["name"] for a in task["attributes"]] == ["title", "due", "estimate"]


def test_an_attribute_redefined_over_an_abstract_inlines_the_abstract(out: Path, result: regolithe.Result) -> None:
    record = spec(out, "namespacerecord.spec.yaml")
    assert "extends" not in record["model"]
    assert [a["name"] for a in record["attributes"]] == ["ID", "namespace"]
    assert record["attributes"][1]["description"] == "The namespace that was deleted."  # the spec's own wins
    assert record["model"]["indexes"] == [["namespace", "ID"]]  # the abstract's indexes come along
    (note,) = _notes(result, "lossy", "extends")
    assert note.where == "kitchen/namespacerecord.spec:9:5"


ATTRIBUTES = [
    # (project attribute, what it becomes)
    (
        "name",
        {
            "type": "string",
            "required": True,
            "filterable": True,
            "pattern": "^[a-z0-9-]+$",
            "pattern_message": "lower-case letters, digits and dashes",
            "max_length": 64,
            "example_value": "launch",
        },
    ),
    ("priority", {"type": "integer", "min_value": 1, "max_value": 5, "default_value": 1}),
    ("status", {"type": "enum", "choices": ["Draft", "Active", "Done"], "default_value": "Draft"}),
    ("labels", {"type": "ref_list", "subtype": "label", "omit_empty": True}),
    ("firstStep", {"type": "ref", "subtype": "step"}),
    ("labelByName", {"type": "ref_map", "subtype": "label"}),
    ("tags", {"type": "list", "subtype": "string"}),
    ("scores", {"type": "list", "subtype": "raw_data"}),  # a list without subtype: any JSON
    ("owners", {"type": "map", "subtype": "string", "example_value": {"code": "alice"}}),  # map[string]string
    ("grid", {"type": "list", "subtype": "list[string]"}),  # [][]string
    ("extra", {"type": "object"}),  # map[string]any
    ("counts", {"type": "map", "subtype": "list[integer]"}),  # map[string][]int
    ("flags", {"type": "map", "subtype": "boolean"}),  # a jsonschema mapping only
    ("blob", {"type": "raw_data"}),  # a Go type of another package
    ("settings", {"type": "object", "example_value": {"theme": "dark"}}),
    ("webhookSecret", {"type": "string", "secret": True, "encrypted": True}),
    ("internalScore", {"type": "integer", "exposed": False, "default_value": 0}),  # exposed absent
    ("notify", {"type": "boolean", "stored": False}),  # transient, not stored
    ("legacyName", {"type": "string", "exposed_name": "legacy_name", "deprecated": True, "creation_only": True}),
    ("parentID", {"type": "string", "read_only": True}),
]


@pytest.mark.parametrize(("name", "expected"), ATTRIBUTES, ids=[a[0] for a in ATTRIBUTES])
def test_attribute_keys(out: Path, name: str, expected: dict[str, Any]) -> None:
    found = attribute(out, "project.spec.yaml", name)
    for key, value in expected.items():
        assert found.get(key) == value, key
    if "exposed" not in expected:
        assert "exposed" not in found  # exposed: true
    if "stored" not in expected:
        assert "stored" not in found  # stored: true


def test_keys_not_carried_are_each_located(result: regolithe.Result) -> None:
    where = {n.subject: n.where for n in result.notes.items if n.category != "fixed"}
    assert where["getter"] == "kitchen/@identifiable.abs:20:5"
    assert where["setter"] == "kitchen/@identifiable.abs:21:5"
    assert where["primary_key"] == "kitchen/@identifiable.abs:19:5"
    assert where["foreign_key"].startswith("kitchen/project.spec:")
    assert where["signed"].startswith("kitchen/project.spec:")
    assert where["min_length"].startswith("kitchen/project.spec:")  # 0: regolithe checks it only above 0
    assert where["external"].startswith("kitchen/project.spec:")  # Toto: raw_data
    assert where["identifier"].startswith("kitchen/+label.spec:")  # a nested type has none
    assert where["get"].startswith("kitchen/+step.spec:")  # a nested type has no routes
    assert where["root get"].startswith("kitchen/root.spec:")
    assert where["file"] == "kitchen/README.md:1:1"
    assert where["documentation"].startswith("kitchen/project.spec:")
    transient = [n for n in result.notes.items if n.subject == "transient"]
    assert [n.where for n in transient] == ["kitchen/@sharded.abs:24:5"]  # stored and transient: kept stored
    assert attribute(Path(result.out), "sharded.abstract.yaml", "zone").get("stored") is None


def test_a_model_without_any_route_is_a_nested_type(out: Path, result: regolithe.Result) -> None:
    assert spec(out, "orphan.type.yaml")["type"]["class_name"] == "Orphan"
    (note,) = _notes(result, "lossy", "routes")
    assert note.where == "kitchen/orphan.spec:2:3"


def test_types_from_detached_specs(out: Path) -> None:
    label = spec(out, "label.type.yaml")
    assert label["type"] == {"name": "label", "class_name": "Label", "description": "A coloured tag."}
    assert [a.get("stored") for a in label["attributes"]] == [False, False]  # stored absent
    step = spec(out, "step.type.yaml")
    assert step["attributes"][1] == {
        "name": "steps",
        "description": "The steps of this step.",
        "type": "ref_list",
        "subtype": "step",
        "omit_empty": True,
    }


def test_fix_repairs_and_lists_each_repair(result: regolithe.Result, out: Path) -> None:
    fixed = {(n.subject, n.why) for n in result.notes.of("fixed")}
    assert ("example_value", '"0.5" -> 0.5') in fixed
    assert ("example_value", '"active" -> "Active"') in fixed
    assert ("example_value", '"false" -> false') in fixed
    assert ("example_value", '"urgent" -> ["urgent"]') in fixed
    assert ("example_value", '"true" -> true') in fixed  # a parameter's
    assert ("filterable", "dropped: encrypted: the store holds only ciphertext") in fixed
    assert ("required", "dropped: read-only with no default: no client could ever set it") in fixed
    assert ("identifier", "ID: retrieve, update and delete need one") in fixed
    assert ("orderable", "true: project.spec.yaml orders by it by default") in fixed
    assert ("description", "a description is a sentence: a period added") in fixed
    assert all(n.file.startswith("specs/") for n in result.notes.of("fixed"))  # located in the imported files
    assert attribute(out, "project.spec.yaml", "priority")["orderable"] is True
    assert spec(out, "user.spec.yaml")["model"]["identifier"] == "ID"
