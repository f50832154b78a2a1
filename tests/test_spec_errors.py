"""Broken specs: exit 1, a file:line:col: field: message for each problem, output untouched."""

from __future__ import annotations

import json
import re
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
        "21:11",
        "\"rawdata\" is not allowed (did you mean 'raw_data'?)",
    ),
    (
        "unknown key",
        ("    read_only: true\n", "    read_onyl: true\n"),
        "22:5",
        "unknown key 'read_onyl' (did you mean 'read_only'?)",
    ),
    (
        "missing description",
        ("    description: Data of the notification.\n", ""),
        "27:5",
        "missing required key 'description'",
    ),
    ("duplicate attribute", ("- name: data", "- name: claims"), "27:11", "duplicate attribute name 'claims'"),
    ("broken indentation", ("    type: raw_data\n", "   type: raw_data\n"), "21:", "YAML syntax"),
    (
        "enum without choices",
        ("type: raw_data", "type: enum"),
        "19:5",
        "missing key 'choices': an attribute of type 'enum' needs it",
    ),
    (
        "non-boolean flag",
        ("    read_only: true\n", "    read_only: maybe\n"),
        "22:16",
        'expected true or false, got string "maybe"',
    ),
    (
        "choices on a string",
        ("    type: raw_data\n", "    type: string\n    choices: [a]\n"),
        "22:5",
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
        "15:19",
        "attribute 'operation' is not orderable",
    ),
    (
        "example of the wrong type",
        ("    type: time\n", "    type: time\n    example_value: yesterday\n"),
        "38:20",
        "expected an RFC 3339 time",
    ),
    (
        "description without period",
        ("Claims of the user who performed the operation.", "Claims"),
        "20:18",
        "end it with a period",
    ),
    (
        "name unusable as identifier",
        ("- name: data", "- name: da ta"),
        "27:11",
        "does not have the allowed form: Attribute name",
    ),
    (
        "duplicate key",
        ("    read_only: true\n", "    read_only: true\n    read_only: true\n"),
        "23:5",
        "duplicate key 'read_only'",
    ),
    (
        "python object tag",
        ("type: raw_data", "type: !!python/object:os.system raw_data"),
        "21:11",
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
    text = api.read_text().replace("example_namespace: /namespace", "example_namespace: /acme/prod-1.eu:x")
    api.write_text(text.replace("base_url: http://127.0.0.1:8000", "base_url: https://api.example.com:8443/v1?x=1&y=2"))
    assert load_api(project / "specs").example_namespace == "/acme/prod-1.eu:x"
