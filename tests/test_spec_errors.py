"""Broken specs: exit 1, a file:line:col: field: message for each problem, output untouched."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.load import load_api
from tests.conftest import Cli, snapshot

SPEC = "specs/activity.spec.yaml"
LOCATED = re.compile(r"^specs/[\w.]+\.yaml:\d+:\d+: ", re.M)

# (id, (old, new) replaced once in activity.spec.yaml, expected line:col, expected text)
BREAKAGES = [
    (
        "wrong type name",
        ("type: raw_data", "type: rawdata"),
        "22:11",
        "\"rawdata\" is not allowed (did you mean 'raw_data'?)",
    ),
    (
        "unknown key",
        ("    read_only: true\n", "    read_onyl: true\n"),
        "23:5",
        "unknown key 'read_onyl' (did you mean 'read_only'?)",
    ),
    (
        "missing description",
        ("    description: Data of the notification.\n", ""),
        "29:5",
        "missing required key 'description'",
    ),
    ("duplicate attribute", ("- name: data", "- name: claims"), "29:11", "duplicate attribute name 'claims'"),
    ("broken indentation", ("    type: raw_data\n", "   type: raw_data\n"), "22:", "YAML syntax"),
    (
        "enum without choices",
        ("type: raw_data", "type: enum"),
        "20:5",
        "missing key 'choices': an attribute of type 'enum' needs it",
    ),
    (
        "non-boolean flag",
        ("    read_only: true\n", "    read_only: maybe\n"),
        "23:16",
        'expected true or false, got string "maybe"',
    ),
    (
        "choices on a string",
        ("    type: raw_data\n", "    type: string\n    choices: [a]\n"),
        "23:5",
        "'choices' is only allowed when type is 'enum'",
    ),
    (
        "identifier not an attribute",
        ("identifier: ID", "identifier: Id"),
        "14:15",
        "no attribute named 'Id' (did you mean 'ID'?)",
    ),
    (
        "order on unorderable",
        ("default_order: [-date]", "default_order: [-operation]"),
        "16:19",
        "attribute 'operation' is not orderable",
    ),
    (
        "example of the wrong type",
        ("    type: time\n", "    type: time\n    example_value: yesterday\n"),
        "41:20",
        "expected an RFC 3339 time",
    ),
    (
        "description without period",
        ("Claims of the user who performed the operation.", "Claims"),
        "21:18",
        "end it with a period",
    ),
    (
        "name unusable as identifier",
        ("- name: data", "- name: da ta"),
        "29:11",
        "does not have the allowed form: Attribute name",
    ),
    (
        "duplicate key",
        ("    read_only: true\n", "    read_only: true\n    read_only: true\n"),
        "24:5",
        "duplicate key 'read_only'",
    ),
    (
        "python object tag",
        ("type: raw_data", "type: !!python/object:os.system raw_data"),
        "22:11",
        "tag 'tag:yaml.org,2002:python/object:os.system' is not allowed",
    ),
    ("alias", ("  - name: claims", "  - &a\n    name: claims"), "", "aliases are not allowed in specs"),
    (
        "wrong model file name",
        ("  name: activity", "  name: activities"),
        "5:9",
        "must live in a file named 'activities.spec.yaml'",
    ),
]


@pytest.mark.parametrize(("old_new", "where", "expected"), [b[1:] for b in BREAKAGES], ids=[b[0] for b in BREAKAGES])
def test_broken_spec_is_reported_with_its_location(
    project: Path, cli: Cli, old_new: tuple[str, str], where: str, expected: str
) -> None:
    spec = project / SPEC
    old, new = old_new
    text = spec.read_text("utf-8")
    assert old in text, "the test's anchor text must exist in the spec"
    text = text.replace(old, new, 1)
    if "&a" in new:  # an anchor needs a later alias to be one
        text += "  - *a\n"
    spec.write_text(text, encoding="utf-8")
    out = project / "generated"
    (out / "keep.txt").parent.mkdir()
    (out / "keep.txt").write_text("untouched\n")
    before = snapshot(out)

    result = cli("generate", "--specs", str(project / "specs"), "--out", str(out))

    assert result.code == 1
    assert "Traceback" not in result.err
    assert expected in result.err, result.err
    assert LOCATED.search(result.err), result.err
    if where:
        assert f"{SPEC}:{where}" in result.err, result.err
    assert snapshot(out) == before


def test_a_duplicate_name_is_reported_once(project: Path) -> None:
    spec = project / SPEC
    spec.write_text(spec.read_text("utf-8").replace("- name: data", "- name: claims", 1), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_api(project / "specs")
    assert [p.message for p in caught.value.problems] == ["duplicate attribute name 'claims' (also attributes[0])"]


def test_names_that_only_collide_in_python_are_refused(project: Path) -> None:
    spec = project / SPEC
    spec.write_text(spec.read_text("utf-8").replace("- name: data", "- name: Claims", 1), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_api(project / "specs")
    assert [p.message for p in caught.value.problems] == [
        "duplicate attribute Python name 'claims' (also attributes[0])"
    ]


def test_every_problem_is_reported_at_once(project: Path) -> None:
    spec = project / SPEC
    text = spec.read_text("utf-8")
    text = text.replace("type: raw_data", "type: rawdata", 1).replace("filterable: true", "filterable: 1", 1)
    text = text.replace("  name: activity", "  name: activity\n  colour: blue", 1)
    spec.write_text(text, encoding="utf-8")
    (project / "specs/_api.yaml").write_text("title: Squall\nversion: 1.0\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_api(project / "specs")
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) >= 5, messages
    assert any("colour" in m for m in messages)
    assert any("rawdata" in m for m in messages)
    assert any("filterable" in m for m in messages)
    assert any(m.startswith("specs/_api.yaml:2:10: version: expected string") for m in messages), messages
    assert any("missing required key 'packages'" in m for m in messages)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "file is empty"),
        (b"\xef\xbb\xbfmodel: {}\n", "byte order mark"),
        (b"model:\n  name: \xff\n", "invalid UTF-8 byte 0xff"),
        (b"model:\n\tname: x\n", "YAML syntax"),
        (b"a: 1\n---\nb: 2\n", "one YAML document"),
        (b"- just\n- a list\n", "expected object"),
        (b"a: &x [1]\nb: *x\n", "aliases are not allowed"),
        (b"? [1, 2]\n: x\n", "keys must be plain strings"),
        (b"x: " + b"[" * 100 + b"]" * 100 + b"\n", "nesting deeper"),
    ],
)
def test_unreadable_files_are_clean_errors(project: Path, cli: Cli, content: bytes, expected: str) -> None:
    (project / SPEC).write_bytes(content)
    result = cli("validate", "--specs", str(project / "specs"))
    assert result.code == 1
    assert expected in result.err, result.err
    assert "Traceback" not in result.err
    assert LOCATED.search(result.err), result.err


def test_a_valid_spec_set_validates(cli: Cli) -> None:
    result = cli("validate")
    assert result.code == 0, result.err
    assert "1 model, no problems" in result.out


def test_api_file_rules(project: Path) -> None:
    api = project / "specs/_api.yaml"
    api.write_text(api.read_text().replace("server: squallserver", "server: squallmodels"))
    with pytest.raises(SpecError) as caught:
        load_api(project / "specs")
    assert [str(p) for p in caught.value.problems] == [
        "specs/_api.yaml:9:11: packages.server: the server package needs a name of its own, not the models package's"
    ]


def test_a_name_may_not_end_with_a_newline(project: Path) -> None:
    api = project / "specs/_api.yaml"
    api.write_text(api.read_text().replace("models: squallmodels", 'models: "squallmodels\\n"'))
    with pytest.raises(SpecError) as caught:
        load_api(project / "specs")
    assert [p.message for p in caught.value.problems] == [
        '"squallmodels\\n" ends with a newline; names are one plain word'
    ]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("example_namespace", "/acme/`echo`/<script>"),
        ("example_namespace", "/$(rm -rf ~)"),
        ("example_namespace", "relative/path"),
        ("base_url", "http://host/`id`"),
        ("base_url", "http://host/<script>"),
        ("base_url", "ftp://host"),
    ],
)
def test_example_values_that_land_in_docs_and_shell_are_plain(project: Path, key: str, value: str) -> None:
    api = project / "specs/_api.yaml"
    text = api.read_text()
    old = next(line for line in text.splitlines() if line.startswith(f"{key}:"))
    api.write_text(text.replace(old, f"{key}: {json.dumps(value)}"))
    with pytest.raises(SpecError) as caught:
        load_api(project / "specs")
    assert [p.field for p in caught.value.problems] == [key]
    assert "does not have the allowed form" in caught.value.problems[0].message


def test_plain_example_values_are_accepted(project: Path) -> None:
    api = project / "specs/_api.yaml"
    text = api.read_text().replace("example_namespace: /acme", "example_namespace: /acme/prod-1.eu:x")
    api.write_text(text.replace("base_url: http://127.0.0.1:8000", "base_url: https://api.example.com:8443/v1?x=1&y=2"))
    assert load_api(project / "specs").example_namespace == "/acme/prod-1.eu:x"


def test_schema_and_semantic_problems_of_every_file_come_in_one_run(project: Path, cli: Cli) -> None:
    """Fixing what one run reports leaves nothing for the next: no second pass of semantic rules."""
    spec = project / SPEC
    text = spec.read_text("utf-8")
    text = text.replace("type: raw_data", "type: rawdata", 1)  # schema: attributes[0].type
    text = text.replace("    read_only: true\n", "    read_onyl: true\n", 1)  # schema: attributes[0].read_onyl
    text = text.replace("Data of the notification.", "Data", 1)  # rule: attributes[1].description
    text = text.replace("default_order: [-date]", "default_order: [-when]", 1)  # rule: model.default_order[0]
    text = text.replace("identifier: ID", "identifier: Id", 1)  # rule: model.identifier
    spec.write_text(text, encoding="utf-8")
    second = text.replace("name: activity", "name: event", 1).replace("class_name: Activity", "class_name: Event")
    second = second.replace("    filterable: true\n", "    filterable: yes\n", 1)  # schema (YAML 1.2: text)
    (project / "specs/event.spec.yaml").write_text(second, encoding="utf-8")  # rule: category already used

    result = cli("validate", "--specs", str(project / "specs"))

    assert result.code == 1
    problems = [line for line in result.err.splitlines() if LOCATED.match(line)]
    fields = sorted(line.split(": ", 2)[1] + " @ " + line.split(":", 1)[0] for line in problems)
    expected = [
        f"{field} @ specs/{file}"
        for file in ("activity.spec.yaml", "event.spec.yaml")
        for field in (
            "attributes[0].type",
            "attributes[0].read_onyl",
            "attributes[1].description",
            "model.default_order[0]",
            "model.identifier",
        )
    ]
    expected += ["attributes[0].filterable @ specs/event.spec.yaml", "model.category @ specs/event.spec.yaml"]
    assert fields == sorted(expected)
    assert len(problems) == len(set(problems)), "each problem once"
    assert result.err.splitlines()[-1] == "specgen: 12 problems in 2 files; nothing written"


def test_a_problem_the_schema_reports_is_not_reported_again_by_a_rule(project: Path) -> None:
    spec = project / SPEC
    spec.write_text(spec.read_text("utf-8").replace("  name: activity", '  name: "act ivity"', 1), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_api(project / "specs")
    # The pattern refuses the name; the file-name rule about the same field stays silent.
    assert [p.field for p in caught.value.problems] == ["model.name"]
    assert "does not have the allowed form" in caught.value.problems[0].message


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "OFF"])
def test_yaml_1_1_flag_spellings_are_refused_where_they_are(project: Path, cli: Cli, word: str) -> None:
    spec = project / SPEC
    spec.write_text(spec.read_text("utf-8").replace("    read_only: true\n", f"    read_only: {word}\n", 1))
    result = cli("validate", "--specs", str(project / "specs"))
    assert result.code == 1
    meant = "true" if word.lower() in ("yes", "on") else "false"
    assert result.err.startswith(
        f'{SPEC}:23:16: attributes[0].read_only: expected true or false, got string "{word}"'
        f" (a flag is true or false: write {meant}); leave the key out when unset\n"
    ), result.err


def test_a_yaml_1_1_spelling_in_a_default_value_is_refused_too(project: Path) -> None:
    spec = project / SPEC
    text = spec.read_text("utf-8").replace("    type: time\n", "    type: boolean\n    default_value: on\n", 1)
    spec.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    default_value: on") + 1
    with pytest.raises(SpecError) as caught:
        load_api(project / "specs")
    assert [str(p) for p in caught.value.problems] == [
        f'{SPEC}:{line}:20: attributes[2].default_value: expected true or false, got string "on"'
        " (a flag is true or false: write true)"
    ]


def test_spec_yml_files_are_read(project: Path, cli: Cli) -> None:
    (project / SPEC).rename(project / "specs/activity.spec.yml")
    result = cli("validate", "--specs", str(project / "specs"))
    assert result.code == 0, result.err
    assert "1 model, no problems" in result.out and result.err == ""


def test_other_yaml_files_of_the_specs_folder_are_named_as_skipped(project: Path, cli: Cli) -> None:
    specs = project / "specs"
    (specs / "notes.yaml").write_text("todo: more models\n")
    (specs / "Event.SPEC.YAML").write_text("model: {}\n")
    (specs / "_api.yml").write_text("title: x\n")
    (specs / "README.md").write_text("not YAML: not mentioned\n")
    result = cli("validate", "--specs", str(specs))
    assert result.code == 0
    assert result.err.splitlines() == [
        "specgen: warning: specs/Event.SPEC.YAML: skipped, not read: spec file names end in .spec.yaml, .type.yaml or .abstract.yaml, in lower case",
        "specgen: warning: specs/_api.yml: skipped, not read: the API file is named _api.yaml",
        "specgen: warning: specs/notes.yaml: skipped, not read: specgen reads _api.yaml, <name>.spec.yaml (models),"
        " <name>.type.yaml and <name>.abstract.yaml",
    ]


def test_the_same_model_in_a_yaml_and_a_yml_file_is_refused(project: Path) -> None:
    shutil.copy(project / SPEC, project / "specs/activity.spec.yml")
    with pytest.raises(SpecError) as caught:
        load_api(project / "specs")
    assert {p.field for p in caught.value.problems} == {"model.name", "model.category", "model.class_name"}
    assert all("is already used by specs/activity.spec.yaml" in p.message for p in caught.value.problems)
