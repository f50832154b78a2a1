"""``specgen diff``: every change between two spec sets, classified by what it breaks, located on
both sides; a breaking change fails the run until the spec repository acknowledges it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import diff, pipeline
from tests.conftest import GOLDEN, Cli

FIXTURE = GOLDEN / "whole_api" / "specs"
BOTH = ("clients", "data")


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (what, file, old text, new text, the change's id, what it breaks)
RULES = [
    (
        "attribute removed",
        "task.spec.yaml",
        "  - name: grid\n    description: A small matrix of numbers.\n    type: list\n    subtype: list[integer]\n    omit_empty: true\n",
        "",
        "task.grid",
        BOTH,
    ),
    (
        "attribute added",
        "task.spec.yaml",
        "  - name: start\n",
        "  - name: colour\n    description: A colour.\n    type: string\n\n  - name: start\n",
        "task.colour",
        (),
    ),
    (
        "required attribute added",
        "task.spec.yaml",
        "  - name: start\n",
        "  - name: owner\n    description: Who.\n    type: string\n    required: true\n\n  - name: start\n",
        "task.owner",
        ("clients",),
    ),
    (
        "type changed",
        "task.spec.yaml",
        "Higher first.\n    type: integer",
        "Higher first.\n    type: float",
        "task.priority.type",
        BOTH,
    ),
    ("subtype changed", "task.spec.yaml", "subtype: list[integer]", "subtype: list[float]", "task.grid.type", BOTH),
    (
        "wire name changed",
        "task.spec.yaml",
        "  - name: start\n    description: When work starts.\n",
        "  - name: start\n    description: When work starts.\n    exposed_name: begin\n",
        "task.start.exposed_name",
        ("clients",),
    ),
    (
        "made required",
        "task.spec.yaml",
        "  - name: start\n    description: When work starts.\n",
        "  - name: start\n    description: When work starts.\n    required: true\n",
        "task.start.required",
        BOTH,
    ),
    (
        "no longer required",
        "label.type.yaml",
        "    required: true\n    max_length: 32",
        "    max_length: 32",
        "label.name.required",
        (),
    ),
    (
        "made read-only",
        "task.spec.yaml",
        "  - name: start\n    description: When work starts.\n",
        '  - name: start\n    description: When work starts.\n    read_only: true\n    default_value: "2020-01-01T00:00:00Z"\n',
        "task.start.read_only",
        ("clients",),
    ),
    (
        "filterable removed",
        "task.spec.yaml",
        "    default_value: todo\n    filterable: true\n",
        "    default_value: todo\n",
        "task.status.filterable",
        ("clients",),
    ),
    (
        "orderable added",
        "task.spec.yaml",
        "  - name: start\n    description: When work starts.\n",
        "  - name: start\n    description: When work starts.\n    orderable: true\n",
        "task.start.orderable",
        (),
    ),
    (
        "choice removed",
        "task.spec.yaml",
        "choices: [todo, doing, done]",
        "choices: [todo, done]",
        "task.status.choices",
        BOTH,
    ),
    (
        "choice added",
        "task.spec.yaml",
        "choices: [todo, doing, done]",
        "choices: [todo, doing, done, blocked]",
        "task.status.choices_added",
        (),
    ),
    (
        "maximum tightened",
        "task.spec.yaml",
        "    max_value: 5\n",
        "    max_value: 3\n",
        "task.priority.max_value",
        BOTH,
    ),
    ("maximum loosened", "task.spec.yaml", "    max_value: 5\n", "    max_value: 9\n", "task.priority.max_value", ()),
    ("minimum raised", "task.spec.yaml", "    min_value: 0\n", "    min_value: 1\n", "task.priority.min_value", BOTH),
    (
        "pattern added",
        "label.type.yaml",
        "    max_length: 32\n",
        '    max_length: 32\n    pattern: "^[a-z]+$"\n',
        "label.name.pattern",
        BOTH,
    ),
    (
        "validator added",
        "task.spec.yaml",
        "  - name: start\n    description: When work starts.\n    type: time\n",
        "  - name: start\n    description: When work starts.\n    type: time\n    validators: [no_weekend]\n",
        "task.start.validators",
        BOTH,
    ),
    (
        "made unique",
        "task.spec.yaml",
        "    pattern_message: one line of text\n",
        "    pattern_message: one line of text\n    unique: true\n",
        "task.title.unique",
        BOTH,
    ),
    (
        "made secret",
        "task.spec.yaml",
        "  - name: start\n    description: When work starts.\n",
        "  - name: start\n    description: When work starts.\n    secret: true\n",
        "task.start.secret",
        ("clients",),
    ),
    (
        "hidden",
        "task.spec.yaml",
        "  - name: start\n    description: When work starts.\n",
        "  - name: start\n    description: When work starts.\n    exposed: false\n",
        "task.start.exposed",
        ("clients",),
    ),
    (
        "no longer stored",
        "task.spec.yaml",
        "  - name: start\n    description: When work starts.\n",
        "  - name: start\n    description: When work starts.\n    stored: false\n",
        "task.start.stored",
        ("data",),
    ),
    (
        "now encrypted",
        "task.spec.yaml",
        "  - name: start\n    description: When work starts.\n    type: time\n",
        "  - name: start\n    description: When work starts.\n    type: string\n    encrypted: true\n",
        "task.start.encrypted",
        ("data",),
    ),
    (
        "omit empty added",
        "task.spec.yaml",
        "  - name: start\n    description: When work starts.\n",
        "  - name: start\n    description: When work starts.\n    omit_empty: true\n",
        "task.start.omit_empty",
        ("clients",),
    ),
    (
        "default changed",
        "task.spec.yaml",
        "    default_value: todo\n",
        "    default_value: doing\n",
        "task.status.default_value",
        (),
    ),
    (
        "description changed",
        "task.spec.yaml",
        "When work starts.",
        "When the work starts.",
        "task.start.description",
        (),
    ),
    (
        "operation removed",
        "user.spec.yaml",
        "operations: [list, create, retrieve]",
        "operations: [list, retrieve]",
        "user.operations.create",
        ("clients",),
    ),
    (
        "operation added",
        "user.spec.yaml",
        "operations: [list, create, retrieve]",
        "operations: [list, create, retrieve, delete]",
        "user.operations.delete",
        (),
    ),
    (
        "relation removed",
        "list.spec.yaml",
        "    create:\n      description: Adds a task to a list.\n",
        "",
        "list.relations.task.create",
        ("clients",),
    ),
    (
        "parameter removed",
        "project.spec.yaml",
        "      parameters: [$archived]\n",
        "",
        "project.operations.list.parameters.archived",
        ("clients",),
    ),
    (
        "optional parameter added",
        "task.spec.yaml",
        "          type: boolean\n    update: {}",
        "          type: boolean\n        - name: lang\n          description: A language.\n          type: string\n    update: {}",
        "task.operations.retrieve.parameters.lang",
        (),
    ),
    (
        "required parameter added",
        "task.spec.yaml",
        "          type: boolean\n    update: {}",
        "          type: boolean\n        - name: lang\n          description: A language.\n          type: string\n          required: true\n    update: {}",
        "task.operations.retrieve.parameters.lang",
        ("clients",),
    ),
    ("identifier changed", "user.spec.yaml", "  identifier: ID\n", "  identifier: email\n", "user.identifier", BOTH),
    ("collection moved", "user.spec.yaml", "category: users", "category: people", "user.category", ("clients",)),
    ("cap lowered", "activity.spec.yaml", "cap: 50000", "cap: 100", "activity.cap", ("data",)),
    ("cap raised", "activity.spec.yaml", "cap: 50000", "cap: 90000", "activity.cap", ()),
    ("class renamed", "label.type.yaml", "class_name: Label", "class_name: Tag", "label.class_name", ("clients",)),
    ("nested type removed", "label.type.yaml", None, None, "label", ("clients",)),
    ("model removed", "user.spec.yaml", None, None, "user", BOTH),
    (
        "models package renamed",
        "_api.yaml",
        "models: plannermodels",
        "models: planmodels",
        "api.models_package",
        ("clients",),
    ),
]


def _apply(folder: Path, file: str, old: str | None, new: str | None) -> None:
    if old is None:  # the whole file goes, and what refers to it
        (folder / file).unlink()
        if file == "label.type.yaml":
            _edit(
                folder,
                "task.spec.yaml",
                "  - name: labels\n    description: Labels on the task.\n    type: ref_list\n    subtype: label\n    max_length: 10\n    omit_empty: true\n",
                "",
            )
            _edit(
                folder,
                "task.spec.yaml",
                "  - name: labelByName\n    description: The labels again, by name.\n    type: ref_map\n    subtype: label\n    omit_empty: true\n",
                "",
            )
        if file == "user.spec.yaml":
            _edit(
                folder,
                "task.spec.yaml",
                "  - name: reviewer\n    description: Who reviews the task, as the user it is.\n    type: ref\n    subtype: user\n    omit_empty: true\n",
                "",
            )
        return
    assert new is not None
    _edit(folder, file, old, new)


@pytest.mark.parametrize(("what", "file", "old", "new", "change_id", "breaks"), RULES, ids=[r[0] for r in RULES])
def test_each_rule(
    tmp_path: Path, what: str, file: str, old: str | None, new: str | None, change_id: str, breaks: tuple[str, ...]
) -> None:
    folder = Path(shutil.copytree(FIXTURE, tmp_path / "specs"))
    _apply(folder, file, old, new)
    changes = diff.compare(pipeline.validate(FIXTURE), pipeline.validate(folder))
    found = {c.id: c for c in changes}
    assert change_id in found, [c.id for c in changes]
    assert found[change_id].breaks == breaks, found[change_id]


def test_no_change_no_diff() -> None:
    api = pipeline.validate(FIXTURE)
    assert diff.compare(api, pipeline.validate(FIXTURE)) == []


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with the fixture's specs committed."""
    shutil.copytree(FIXTURE, tmp_path / "specs")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "-c", "user.email=t@example.com", "-c", "user.name=T", "add", ".")
    _git(tmp_path, "-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-q", "-m", "v1")
    return tmp_path


def test_against_a_git_revision_each_change_is_located_on_both_sides(repo: Path, cli: Cli) -> None:
    _edit(repo / "specs", "task.spec.yaml", "Higher first.\n    type: integer", "Higher first.\n    type: float")
    result = cli("diff", "--specs", str(repo / "specs"), "--against", "HEAD")
    assert result.code == 1
    assert "task.priority.type: type changed from integer to float [breaks clients and stored data]" in result.out
    assert "was HEAD:specs/task.spec.yaml:" in result.out and "now specs/task.spec.yaml:" in result.out
    assert "1 not acknowledged: task.priority.type" in result.err


def test_an_acknowledgement_in_the_api_file_lets_it_pass(repo: Path, cli: Cli) -> None:
    _edit(repo / "specs", "task.spec.yaml", "Higher first.\n    type: integer", "Higher first.\n    type: float")
    with (repo / "specs" / "_api.yaml").open("a", encoding="utf-8") as api:
        api.write("\nbreaking_changes:\n  task.priority.type: fractional priorities; every client reads numbers.\n")
    result = cli("diff", "--specs", str(repo / "specs"), "--against", "HEAD")
    assert result.code == 0, result.err
    assert "acknowledged: task.priority.type: fractional priorities" in result.out


def test_a_major_version_bump_acknowledges_every_breaking_change(repo: Path, cli: Cli) -> None:
    _edit(repo / "specs", "task.spec.yaml", "choices: [todo, doing, done]", "choices: [todo, done]")
    _edit(repo / "specs", "_api.yaml", 'version: "2.1"', 'version: "3.0"')
    assert cli("diff", "--specs", str(repo / "specs"), "--against", "HEAD").code == 0
    _edit(repo / "specs", "_api.yaml", 'version: "3.0"', 'version: "2.2"')  # a minor bump is not enough
    assert cli("diff", "--specs", str(repo / "specs"), "--against", "HEAD").code == 1


def test_json_for_tools(repo: Path, cli: Cli) -> None:
    _edit(repo / "specs", "task.spec.yaml", "When work starts.", "When the work starts.")
    result = cli("diff", "--specs", str(repo / "specs"), "--against", "HEAD", "--format", "json")
    assert result.code == 0
    report = json.loads(result.out)
    assert report["passes"] is True
    (change,) = report["changes"]
    assert change["id"] == "task.start.description" and change["breaks"] == []
    assert change["old"].startswith("HEAD:specs/task.spec.yaml:") and change["new"].startswith("specs/task.spec.yaml:")


def test_an_unknown_revision_is_one_line(repo: Path, cli: Cli) -> None:
    result = cli("diff", "--specs", str(repo / "specs"), "--against", "no-such-tag")
    assert result.code == 1
    assert result.err.startswith("specgen diff: git archive: ") and "Traceback" not in result.err
