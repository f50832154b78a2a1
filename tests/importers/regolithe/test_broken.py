"""A regolithe folder regolithe itself would refuse: one located message per problem, nothing
written, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import SpecError
from tests.importers.regolithe.support import copy_of, import_to


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(folder: Path, out: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        import_to(folder, out)
    assert not out.exists(), "a refused import wrote something"
    return [str(p) for p in caught.value.problems]


Break = Callable[[Path], object]
CASES: list[tuple[str, Break, list[str]]] = [
    (
        "bad YAML",
        lambda f: _edit(f / "task.spec", "  description: Something to do.", "  description: [Something to do."),
        ["kitchen/task.spec:8:6: YAML syntax: while parsing a flow sequence: did not find expected ',' or ']'"],
    ),
    (
        "unknown attribute key",
        lambda f: _edit(f / "list.spec", "    exposed: true\n", "    exposd: true\n"),
        [
            "kitchen/list.spec:20:5: attributes.v1[0].exposd: unknown key 'exposd' (did you mean 'exposed'?); an attribute has:"
        ],
    ),
    (
        "unknown model key",
        lambda f: _edit(f / "list.spec", "  package: planner", "  packge: planner"),
        [
            "kitchen/list.spec:2:3: model: missing required key 'package' of model",
            "kitchen/list.spec:5:3: model.packge: unknown key 'packge' (did you mean 'package'?)",
        ],
    ),
    (
        "missing abstract",
        lambda f: _edit(f / "list.spec", "  - '@identifiable'", "  - '@identifable'"),
        ["kitchen/list.spec:13:5: model.extends[0]: no abstract named '@identifable' (did you mean '@identifiable'?)"],
    ),
    (
        "abstract named without @",
        lambda f: _edit(f / "list.spec", "  - '@identifiable'", "  - identifiable"),
        ["kitchen/list.spec:13:5: model.extends[0]: no abstract named 'identifiable' (did you mean '@identifiable'?)"],
    ),
    (
        "missing type mapping",
        lambda f: _edit(f / "project.spec", "subtype: string_map", "subtype: string_mop"),
        [
            "kitchen/project.spec:147:14: attributes.v1[10].subtype: no type mapping named 'string_mop' (did you mean 'string_map'?)"
        ],
    ),
    (
        "missing validation mapping",
        lambda f: _edit(f / "task.spec", "    - $weekday", "    - $weekend"),
        [
            "kitchen/task.spec:38:7: attributes.v1[1].validations[0]: no validation named '$weekend' (did you mean '$weekday'?)"
        ],
    ),
    (
        "missing parameter set",
        lambda f: _edit(f / "root.spec", "    - $searchable", "    - $seachable"),
        [
            "kitchen/root.spec:36:7: relations[1].get.global_parameters[0]: no parameter set named '$seachable' (did you mean '$searchable'?)"
        ],
    ),
    (
        "relation to an unknown model",
        lambda f: _edit(f / "list.spec", "- rest_name: task", "- rest_name: tusk"),
        ["kitchen/list.spec:26:14: relations[0].rest_name: no spec named 'tusk' (did you mean 'task'?)"],
    ),
    (
        "root relation to an unknown model",
        lambda f: _edit(f / "root.spec", "- rest_name: user", "- rest_name: users"),
        ["kitchen/root.spec:32:14: relations[1].rest_name: no spec named 'users' (did you mean 'user'?)"],
    ),
    (
        "ref to an unknown spec",
        lambda f: _edit(f / "project.spec", "subtype: step", "subtype: stop"),
        ["kitchen/project.spec:119:14: attributes.v1[6].subtype: no spec named 'stop' (did you mean 'step'?)"],
    ),
    (
        "unknown attribute type",
        lambda f: _edit(f / "list.spec", "    type: string", "    type: strin"),
        ["kitchen/list.spec:19:11: attributes.v1[0].type: 'strin' is not an attribute type (did you mean 'string'?)"],
    ),
    (
        "flag of the wrong type",
        lambda f: _edit(f / "list.spec", "    required: true", "    required: maybe"),
        ['kitchen/list.spec:22:15: attributes.v1[0].required: expected true or false, got string "maybe"'],
    ),
    (
        "missing description",
        lambda f: _edit(f / "list.spec", "    description: The list's title.\n", ""),
        ["kitchen/list.spec:17:5: attributes.v1[0]: missing required key 'description' of an attribute"],
    ),
    (
        "two attributes of one name",
        lambda f: _edit(f / "user.spec", "  - name: email", "  - name: namespace"),
        ["kitchen/user.spec:33:11: attributes.v1[2].name: a second attribute named 'namespace' in v1 (also [1])"],
    ),
    (
        "two identifiers",
        lambda f: _edit(
            f / "+label.spec",
            "    identifier: true",
            "    identifier: true\n  - name: shade\n    description: A shade.\n    type: string\n    identifier: true",
        ),
        ["kitchen/+label.spec:31:17: attributes.v1[2].identifier: a second identifier attribute (color is the first)"],
    ),
    (
        "version of the wrong form",
        lambda f: _edit(f / "task.spec", "  v2:", "  version2:"),
        ["kitchen/task.spec:39:3: attributes.version2: 'version2' is not an attribute version: v1, v2..."],
    ),
    (
        "missing _api.info",
        lambda f: (f / "_api.info").rename(f / "_api.info.bak"),
        [
            "kitchen/_api.info:1:1: missing: a regolithe folder has an _api.info (found _api.info.bak, not read: the file is named _api.info)"
        ],
    ),
    (
        "_api.info version as text",
        lambda f: _edit(f / "_api.info", "version: 3", 'version: "3"'),
        ['kitchen/_api.info:3:10: version: expected an integer, got string "3"'],
    ),
    (
        "root spec missing",
        lambda f: _edit(f / "_api.info", "root: root", "root: rot"),
        [
            "kitchen/_api.info:2:7: root: no spec has the rest_name 'rot' (did you mean 'root'?): the root spec is missing"
        ],
    ),
    (
        "regolithe.ini not INI",
        lambda f: (f / "regolithe.ini").write_text("product_name = x\n", encoding="utf-8"),
        ["kitchen/regolithe.ini:1:1: not an INI file: File contains no section headers."],
    ),
    (
        "a type mapping without its type",
        lambda f: _edit(f / "_type.mapping", "    type: map[string]string\n", ""),
        ["kitchen/_type.mapping:3:5: string_map.elemental: missing required key 'type' of a mapping"],
    ),
]


@pytest.mark.parametrize(("case", "breaks", "expected"), CASES, ids=[c[0] for c in CASES])
def test_one_located_message_per_problem(tmp_path: Path, case: str, breaks: Break, expected: list[str]) -> None:
    folder = copy_of(tmp_path)
    breaks(folder)
    problems = _problems(folder, tmp_path / "out")
    assert len(problems) == len(expected), "\n".join(problems)
    for got, wanted in zip(problems, expected, strict=True):
        assert got.startswith(wanted), f"{got}\n  expected it to start with\n{wanted}"


def test_every_problem_of_every_file_at_once(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    chosen = (
        "unknown attribute key",
        "missing abstract",
        "missing type mapping",
        "missing validation mapping",
        "missing parameter set",
        "root relation to an unknown model",
        "_api.info version as text",
    )
    for name, breaks, _ in CASES:
        if name in chosen:
            breaks(folder)
    problems = _problems(folder, tmp_path / "out")
    assert len({p.split(":")[0] for p in problems}) == 5
    assert len(problems) == len(chosen)


def test_no_specs_at_all(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "task.spec.bad").write_text("{", encoding="utf-8")
    problems = _problems(folder, tmp_path / "out")
    assert problems == [
        "empty/:1:1: no model specs (*.spec) found (found task.spec.bad, not read: a spec's name ends in .spec)",
        "empty/_api.info:1:1: missing: a regolithe folder has an _api.info",
    ]


def test_json_specs_are_read_and_their_mistakes_located(tmp_path: Path) -> None:
    """Old regolithe specs are JSON (a subset of YAML): a truncated one is a located syntax error."""
    folder = copy_of(tmp_path)
    (folder / "note.spec").write_text('{\n  "model": {\n    "rest_name": "note",\n', encoding="utf-8")
    problems = _problems(folder, tmp_path / "out")
    assert len(problems) == 1 and problems[0].startswith("kitchen/note.spec:4:1: YAML syntax:")
