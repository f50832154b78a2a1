"""The docs of the whole_api golden fixture (every construct of the spec language) build with
``mkdocs build --strict`` and say what each construct means for a client.

The pages are rendered afresh from tests/golden/whole_api/specs and built once for the module;
the checks read the built HTML (what a reader sees) and, for the code blocks, the Markdown.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from generator import naming, operations
from generator.attribute_types import ValueType
from generator.load import load_api
from generator.render import Templates
from generator.spec import Api, Model, NestedType
from generator.targets import render_all
from tests.conftest import GOLDEN
from tests.docs.conftest import write_tree
from tests.docs.pages import Element, attribute_row, mkdocs_build, parent_of, parse_html, table_rows
from tests.docs.test_build import _nav

SPECS = GOLDEN / "whole_api" / "specs"


@cache
def api() -> Api:
    return load_api(SPECS)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the Markdown pages, the site ``mkdocs build --strict`` made of them)."""
    folder = tmp_path_factory.mktemp("whole_api")
    write_tree(folder, render_all(api(), Templates(), only=["docs"])["docs"])
    result = mkdocs_build(folder / "docs", folder / "site")
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return folder / "docs", folder / "site"


@pytest.fixture(scope="module")
def site(built: tuple[Path, Path]) -> Path:
    return built[1]


@pytest.fixture(scope="module")
def docs(built: tuple[Path, Path]) -> Path:
    return built[0]


def _owners() -> tuple[Model | NestedType, ...]:
    models: tuple[Model | NestedType, ...] = api().models
    return models + api().nested_types


def page(site: Path, name: str) -> Element:
    return parse_html((site / name).read_text("utf-8"))


def article(root: Element) -> Element:
    return next(e for e in root.iter("article"))


def _table(root: Element, first_header: str) -> list[list[str]]:
    return next(rows for rows in (table_rows(t) for t in root.iter("table")) if rows and rows[0][0] == first_header)


def _section(root: Element, element_id: str) -> list[Element]:
    """The elements after a heading, up to the next heading of its level or above."""
    heading = root.find_id(element_id)
    parent = parent_of(root, heading)
    siblings = [c for c in parent.children if isinstance(c, Element)]
    out = []
    for sibling in siblings[siblings.index(heading) + 1 :]:
        if sibling.tag in ("h1", "h2", "h3")[: int(heading.tag[1])]:
            break
        out.append(sibling)
    return out


def _text(elements: list[Element]) -> str:
    return " ".join(e.text for e in elements)


# --- the site --------------------------------------------------------------------------------


def test_every_documented_model_and_type_has_a_page_and_private_ones_none(site: Path) -> None:
    for model in api().models:
        assert (site / "models" / f"{model.name}.html").is_file() == (not model.private), model.name
    for nested in api().nested_types:
        assert (site / "nested-types" / f"{nested.name}.html").is_file() == (not nested.private), nested.name
    assert (site / "reference" / "shared-attributes.html").is_file()
    assert [m.name for m in api().models if m.private] == ["user"]  # the fixture keeps one


def test_navigation_is_overview_models_nested_types_reference(site: Path) -> None:
    assert _nav(page(site, "index.html")) == [
        ("Overview", []),
        ("Models", ["Activity", "List", "Project", "Task"]),
        ("Nested types", ["Checklist Item", "Label"]),
        (
            "Reference",
            ["Calling the API", "Changing a spec", "Coming from regolithe", "Shared attributes", "Spec format"],
        ),
    ]


def test_every_link_and_anchor_of_the_site_lands(site: Path) -> None:
    # mkdocs --strict checks links to pages but only logs a missing anchor: check both here.
    ids: dict[Path, set[str]] = {}
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 13  # the overview, 4 models, 2 nested types, 5 reference pages, 404
    for html_file in pages:
        if html_file.name == "404.html":
            continue
        root = parse_html(html_file.read_text("utf-8"))
        for a in article(root).iter("a"):
            href = a.attrs.get("href", "")
            if not href or href.startswith(("http://", "https://", "mailto:")):
                continue
            target, _, anchor = href.partition("#")
            path = (html_file.parent / unquote(target)).resolve() if target else html_file
            assert path.is_file(), f"{html_file.relative_to(site)}: {href}"
            if anchor:
                if path not in ids:
                    found = parse_html(path.read_text("utf-8")).iter()
                    ids[path] = {e.attrs["id"] for e in found if "id" in e.attrs}
                assert unquote(anchor) in ids[path], f"{html_file.relative_to(site)}: {href}"


def test_no_page_names_the_private_model_or_the_hidden_attribute(docs: Path) -> None:
    for markdown in sorted(docs.rglob("*.md")):
        if markdown.name == "spec-format.md":  # the reference explains the keys with its own example
            continue
        text = markdown.read_text("utf-8")
        assert "internalScore" not in text and "internal_score" not in text, markdown.name
        assert "/users" not in text and "models/user.md" not in text, markdown.name
        assert "usr" not in text, markdown.name  # the private model's aliases


# --- nested types and references -------------------------------------------------------------


TYPES_SHOWN = {
    # (page, attribute): (type as the summary table shows it, the pages it links to)
    ("task", "labels"): ("list of Label", ["../nested-types/label.html"]),
    ("task", "checklist"): ("list of Checklist Item", ["../nested-types/checklist_item.html"]),
    ("task", "firstStep"): ("Checklist Item", ["../nested-types/checklist_item.html"]),
    ("task", "labelByName"): ("map of Label", ["../nested-types/label.html"]),
    ("task", "owners"): ("map of list of string", []),
    ("task", "grid"): ("list of list of integer", []),
    ("task", "reviewer"): ("user (not documented)", []),  # a private model: no page to link to
    ("task", "estimate"): ("object", []),
    ("checklist_item", "steps"): ("list of Checklist Item", ["checklist_item.html"]),
}


@pytest.mark.parametrize(("owner", "attribute"), list(TYPES_SHOWN), ids=[f"{o}.{a}" for o, a in TYPES_SHOWN])
def test_an_attribute_type_is_in_words_and_links_the_type_it_holds(site: Path, owner: str, attribute: str) -> None:
    folder = "models" if owner in api().models_by_name else "nested-types"
    root = page(site, f"{folder}/{owner}.html")
    summary = next(t for t in root.iter("table") if table_rows(t)[0][0] == "Attribute")
    row = next(r for r in summary.iter("tr") if r.iter("td") and r.iter("td")[0].text == attribute)
    type_cell = row.iter("td")[1]
    text, links = TYPES_SHOWN[(owner, attribute)]
    assert type_cell.text == text
    assert [a.attrs["href"] for a in type_cell.iter("a")] == links
    assert attribute_row(root, f"attribute-{attribute}").type is type_cell  # the row that documents it


def test_every_attribute_holding_a_documented_type_links_to_it(site: Path) -> None:
    checked = 0
    for owner in _owners():
        if owner.private:
            continue
        folder = "models" if isinstance(owner, Model) else "nested-types"
        root = page(site, f"{folder}/{owner.name}.html")
        summary = next(t for t in root.iter("table") if table_rows(t)[0][0] == "Attribute")
        rows = {r.iter("td")[0].text: r.iter("td")[1] for r in summary.iter("tr") if r.iter("td")}
        for attribute in owner.attributes:
            for ref in attribute.refs:
                target = api().object_type(ref)
                if target.private:
                    continue
                target_folder = "models" if isinstance(target, Model) else "nested-types"
                hrefs = {(site / folder / a.attrs["href"]).resolve() for a in rows[attribute.name].iter("a")}
                assert (site / target_folder / f"{ref}.html").resolve() in hrefs, (owner.name, attribute.name)
                checked += 1
    assert checked >= 5


def test_a_nested_type_page_says_who_holds_it_and_shows_an_example(site: Path, docs: Path) -> None:
    root = article(page(site, "nested-types/label.html"))
    held = next(li for li in root.iter("li") if li.text.startswith("Held by:"))
    assert held.text == "Held by: Task (labels, labelByName)"
    assert [a.attrs["href"] for a in held.iter("a")] == ["../models/task.html"]
    markdown = (docs / "nested-types" / "checklist_item.md").read_text("utf-8")
    example = json.loads(re.search(r"## Example\n.*?```json\n(.*?)```", markdown, re.S)[1])  # type: ignore[index]
    assert example["text"] and set(example) <= {
        a.exposed_name for a in api().nested_by_name["checklist_item"].attributes
    }
    # The recursive type's example stops with real objects, never an empty one.
    assert all(step != {} for step in example.get("steps", []))


# --- shared attributes -----------------------------------------------------------------------


def test_shared_attributes_are_documented_once_and_linked_from_each_model(site: Path) -> None:
    shared = page(site, "reference/shared-attributes.html")
    for abstract in api().abstracts:
        used_by = next(e for e in _section(shared, abstract.name) if e.text.startswith("Used by"))
        expected = [f"../models/{m.name}.html" for m in api().models if abstract.name in m.extends and not m.private]
        assert [a.attrs["href"] for a in used_by.iter("a")] == expected
        for attribute in abstract.attributes:
            documented = attribute_row(shared, f"{abstract.name}-attribute-{attribute.name}")
            assert documented.name.text == attribute.name and documented.flags  # there, in full
    for model in api().models:
        if model.private or not model.extends:
            continue
        root = page(site, f"models/{model.name}.html")
        ids = {e.attrs.get("id") for e in root.iter()}
        summary = _table(root, "Attribute")
        for attribute in model.attributes:
            if attribute.origin is None:
                continue
            assert f"attribute-{attribute.name}" not in ids, f"{model.name}.{attribute.name} documented again"
            row = next(row for row in summary if row[0] == attribute.name)  # still in its attributes table
            assert row[3] == f"shared: {naming.title_case(attribute.origin)}"
            link = next(a for a in root.iter("a") if a.text == attribute.name)
            assert link.attrs["href"] == (
                f"../reference/shared-attributes.html#{attribute.origin}-attribute-{attribute.name}"
            )


def test_the_identifier_links_to_where_it_is_documented(site: Path) -> None:
    root = article(page(site, "models/project.html"))
    bullet = next(li for li in root.iter("li") if li.text.startswith("Identifier:"))
    assert bullet.iter("a")[0].attrs["href"] == "../reference/shared-attributes.html#identifiable-attribute-ID"


# --- relations -------------------------------------------------------------------------------


RELATIONS = {
    "project": [["child", "List", "GET /projects/{id}/lists, POST /projects/{id}/lists"]],
    "list": [
        ["parent", "Project", "GET /projects/{id}/lists, POST /projects/{id}/lists"],
        ["child", "Task", "GET /lists/{id}/tasks, POST /lists/{id}/tasks"],
    ],
    "task": [["parent", "List", "GET /lists/{id}/tasks, POST /lists/{id}/tasks"]],
}


@pytest.mark.parametrize("name", list(RELATIONS))
def test_each_model_lists_its_parents_and_children_with_their_routes(site: Path, name: str) -> None:
    root = page(site, f"models/{name}.html")
    rows = _table(root, "Relation")
    assert rows[1:] == RELATIONS[name]
    table = next(t for t in root.iter("table") if table_rows(t)[0][0] == "Relation")
    # Each route links to the operation's section: on this page under a parent, on the child's page.
    routes = [a.attrs["href"] for a in table.iter("a") if a.iter("code")]
    expected = []
    for role, title, _ in RELATIONS[name]:
        parent = title.lower() if role == "parent" else name
        page_of_child = "" if role == "parent" else f"{title.lower()}.html"
        expected += [f"{page_of_child}#{op}-under-{parent}" for op in ("list", "create")]
    assert routes == expected


def test_every_operation_shows_every_status_it_answers(site: Path) -> None:
    """An operation's table, with the statuses the page says once for all its operations, is
    every status the operation answers: none left out, none said twice."""
    from generator.targets.docs import documented_endpoints, endpoint_anchor

    checked = hoisted = 0
    for model in api().models:
        if model.private:
            continue
        root = page(site, f"models/{model.name}.html")
        intro = _text(_section(root, "operations"))
        said = re.search(r"Besides the statuses each operation lists, every one below may answer (.*?)\.(?: |$)", intro)
        common = re.findall(r"\b(\d{3}) \(", said[1]) if said else []
        hoisted += bool(common)
        for endpoint in documented_endpoints(api(), model):
            section = _section(root, endpoint_anchor(endpoint))
            table = next(
                rows for rows in (table_rows(t) for t in section if t.tag == "table") if rows[0][0] == "Status"
            )
            codes = [row[0] for row in table[1:]]
            expected = [str(code) for code, _ in operations.statuses(endpoint)]
            assert not set(codes) & set(common), (model.name, endpoint.path)
            assert sorted(codes + common) == sorted(expected), (model.name, endpoint.operation, endpoint.path)
            checked += 1
    assert checked >= 12 and hoisted >= 3


def test_operations_under_a_parent_are_documented_as_operations(site: Path) -> None:
    root = page(site, "models/list.html")
    for anchor, route, description in (
        ("list-under-project", "GET /projects/{id}/lists", "Lists the lists of a project."),
        ("create-under-project", "POST /projects/{id}/lists", "Makes a list in a project."),
    ):
        section = _section(root, anchor)
        assert section[0].text == route
        assert section[1].text == description
        statuses = next(rows for rows in (table_rows(t) for t in section if t.tag == "table") if rows[0][0] == "Status")
        assert ["404", "no parent object with this identifier in the namespace"] in statuses
    assert root.find_id("list-under-project").text.startswith("Retrieve the Lists of a Project")
    assert root.find_id("create-under-project").text.startswith("Create a List in a Project")


def test_the_overview_shows_the_tree_of_models(site: Path) -> None:
    root = article(page(site, "index.html"))
    heading = root.find_id("tree-of-models")
    tree = heading.following(parent_of(root, heading), "ul")

    def shape(ul: Element) -> list[Any]:
        out: list[Any] = []
        for li in (c for c in ul.children if isinstance(c, Element) and c.tag == "li"):
            link = li.iter("a")[0]
            route = li.iter("code")[0].text
            children = [c for c in li.children if isinstance(c, Element) and c.tag == "ul"]
            out.append((link.text, route, shape(children[0]) if children else []))
        return out

    assert shape(tree) == [
        ("Activity", "/activities", []),
        ("Project", "/projects", [("List", "/projects/{id}/lists", [("Task", "/lists/{id}/tasks", [])])]),
    ]
    models = [row[0] for row in _table(root, "Model")[1:]]
    assert models == ["Activity", "List", "Project", "Task"]  # the private User is left out


# --- parameters ------------------------------------------------------------------------------


def _parameters(root: Element, anchor: str) -> dict[str, list[str]]:
    section = _section(root, anchor)
    rows = next(rows for rows in (table_rows(t) for t in section if t.tag == "table") if rows[0][0] == "Parameter")
    return {row[0]: row for row in rows[1:]}


def test_each_operation_lists_its_own_parameters_beside_the_built_in_ones(site: Path) -> None:
    project = page(site, "models/project.html")
    rows = _parameters(project, "list")
    assert list(rows) == ["q", "order", "page", "pagesize", "recursive", "archived"]
    assert rows["archived"][1] == "one of include, only, exclude, optional; default exclude"
    assert rows["archived"][2] == "Show archived objects too, or only them. From the parameter set archived."
    delete = _parameters(project, "delete")
    assert delete == {"force": ["force", "true or false, optional; default false", delete["force"][2]]}
    assert list(_parameters(page(site, "models/task.html"), "retrieve")) == ["recursive", "shout"]


def test_combinations_are_stated_in_words(site: Path) -> None:
    root = page(site, "models/task.html")
    rows = _parameters(root, "list-under-list")
    assert [name for name in rows][-3:] == ["since", "until", "last"]
    assert rows["last"][1].startswith("duration")
    text = _text(_section(root, "list-under-list"))
    assert "A request must give since and until, or last; otherwise it answers 400." in text
    assert "The parameter set window: A time window" in text


def test_an_example_request_gives_the_parameters_a_combination_asks_for(docs: Path) -> None:
    markdown = (docs / "models" / "task.md").read_text("utf-8")
    section = markdown.split("{ #list-under-list }", 1)[1].split("\n### ", 1)[0]
    assert '"$PLANNER_URL"/lists/"$LIST_ID"\'/tasks?last=24h\'' in section  # curl
    assert 'plannerctl api list tasks --parent list "$LIST_ID" --last 24h' in section  # the command line
    assert 'url.Values{"last": {"24h"}}' in section  # Go
    assert '.tasks(os.environ["LIST_ID"]).list(last="24h")' in section  # the Python client


# --- visibility and storage ------------------------------------------------------------------


def _notes(root: Element, attribute: str) -> list[str]:
    return attribute_row(root, f"attribute-{attribute}").notes


def test_visibility_and_storage_are_said_in_words(site: Path) -> None:
    project = page(site, "models/project.html")
    assert _notes(project, "webhookSecret") == [
        "Write-only: accepted on create and update, never returned, nor recorded in the activity log."
    ]
    task = page(site, "models/task.html")
    assert _notes(task, "notify") == ["Transient: accepted on write, returned by that write, never kept."]
    assert _notes(task, "privateNote")[-1].startswith("Encrypted at rest:")
    assert _notes(task, "labels")[0].startswith("Omitted when empty:")
    summary = {row[0]: row[1] for row in _table(project, "Attribute")[1:]}
    assert summary["webhookSecret"] == "string, write-only"
    assert "internalScore" not in summary


def _walk(value: Any, value_type: ValueType, path: str, found: list[tuple[str, str]]) -> None:
    if value_type.ref is not None and isinstance(value, dict):
        _check_object(api().object_type(value_type.ref), value, path, found)
    elif value_type.item is not None and isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, value_type.item, f"{path}[{index}]", found)
    elif value_type.item is not None and isinstance(value, dict):
        for key, item in value.items():
            _walk(item, value_type.item, f"{path}.{key}", found)


def _check_object(owner: Model | NestedType, value: dict[str, Any], path: str, found: list[tuple[str, str]]) -> None:
    """Every attribute of the object as (its path, what it is): hidden, secret, transient, empty, or shown."""
    by_name = {a.exposed_name: a for a in owner.attributes}
    for key, item in value.items():
        attribute = by_name.get(key)
        where = f"{path}.{key}" if path else key
        if attribute is None:
            found.append((where, "unknown"))
            continue
        kind = (
            "hidden"
            if not attribute.exposed
            else "secret"
            if attribute.secret
            else "transient"
            if not attribute.stored
            else "empty"
            if attribute.omit_empty and item in ("", 0, False, [], {}, None)
            else "shown"
        )
        found.append((where, kind))
        _walk(item, attribute.value_type, where, found)


def _json_blocks(markdown: str, label: str) -> list[tuple[str, Any]]:
    """(the operation's anchor, the parsed JSON) of every block that follows ``label``."""
    out = []
    for section in re.split(r"^### ", markdown, flags=re.M)[1:]:
        anchor = re.match(r".*\{ #([\w-]+) \}", section)
        for block in re.findall(re.escape(label) + r"[^\n]*:\n\n```json\n(.*?)```", section, re.S):
            out.append((anchor[1] if anchor else "", json.loads(block)))
    return out


def test_no_example_shows_what_the_api_never_sends(docs: Path) -> None:
    checked = 0
    for model in api().models:
        if model.private:
            continue
        markdown = (docs / "models" / f"{model.name}.md").read_text("utf-8")
        for anchor, response in _json_blocks(markdown, "Example response"):
            for item in response if isinstance(response, list) else [response]:
                found: list[tuple[str, str]] = []
                _check_object(model, item, "", found)
                kinds = {kind for _, kind in found}
                assert not kinds & {"hidden", "secret", "unknown", "empty"}, (model.name, anchor, found)
                if "transient" in kinds:
                    assert anchor.startswith(("create", "update")), (model.name, anchor)
                checked += 1
        for anchor, body in _json_blocks(markdown, "Request body"):
            found = []
            _check_object(model, body, "", found)
            assert not {kind for _, kind in found} & {"hidden", "unknown"}, (model.name, anchor, found)
            checked += 1
    assert checked >= 12
    task = (docs / "models" / "task.md").read_text("utf-8")
    writes = dict(_json_blocks(task, "Example response"))
    assert "notify" in writes["update"] and "notify" not in writes["retrieve"]


# --- validators, aliases ----------------------------------------------------------------------


def test_patterns_and_validators_are_shown_with_their_words(site: Path) -> None:
    task = page(site, "models/task.html")
    assert _notes(task, "title") == ["Pattern: must match ^[^\\n]+$ (one line of text)."]
    assert _notes(task, "due") == ["Validator no_weekend: A due date is on a weekday."]
    model_bullets = [li.text for li in article(task).iter("li") if li.text.startswith("Validator task_dates")]
    assert model_bullets and "A task starts before it is due." in model_bullets[0]
    project = page(site, "models/project.html")
    assert _notes(project, "name") == [
        "Validator slug: A short name in lower case, digits and dashes. Must match ^[a-z0-9][a-z0-9-]*$"
        " (lower-case letters, digits and dashes, starting with a letter or digit)."
    ]


def test_aliases_are_on_the_model_page(site: Path) -> None:
    bullets = [li.text for li in article(page(site, "models/project.html")).iter("li")]
    assert "Aliases: proj (short names for command lines)" in bullets


# --- variants of the fixture: private relations, loops ---------------------------------------


def _variant(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The whole_api docs pages, with each spec file's text edited (old -> new, once; no old: appended)."""
    import shutil

    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    for name, (old, new) in edits.items():
        text = (specs / name).read_text("utf-8")
        assert old in text, (name, old)
        (specs / name).write_text(text.replace(old, new, 1) if old else text + new, "utf-8")
    return render_all(load_api(specs), Templates(), only=["docs"])["docs"]


def test_routes_that_lead_to_a_private_model_are_not_documented(tmp_path: Path) -> None:
    """A private child under a documented parent is left out of the parent's page and of the tree;
    a documented child's collection under a private parent is served but not documented, and the
    child becomes a root of the tree."""
    pages = _variant(tmp_path, {"list.spec.yaml": ("  namespaced: true\n", "  namespaced: true\n  private: true\n")})
    assert "docs/models/list.md" not in pages
    project = pages["docs/models/project.md"]
    assert "## Relations" not in project and "/lists" not in project
    task = pages["docs/models/task.md"]
    assert "/lists/" not in task and "under-list" not in task and "LIST_ID" not in task
    index = pages["docs/index.md"]
    assert "/lists" not in index and "models/list.md" not in index
    assert "## Tree of models" not in index  # no documented relation is left


def test_a_loop_of_relations_is_shown_once(tmp_path: Path) -> None:
    # Projects under tasks as well: the tree names Project again below Task, without its subtree.
    relation = "\nrelations:\n  - model: project\n    list:\n      description: Lists the sub-projects of a task.\n"
    pages = _variant(tmp_path, {"task.spec.yaml": ("", relation)})
    tree = pages["docs/index.md"].split("## Tree of models", 1)[1].split("\n## ", 1)[0]
    items = [line for line in tree.splitlines() if line.lstrip().startswith("- ")]
    assert items == [
        "- [Activity](models/activity.md): `/activities`",
        "- [Project](models/project.md): `/projects`",
        "    - [List](models/list.md): `/projects/{id}/lists`",
        "        - [Task](models/task.md): `/lists/{id}/tasks`",
        "            - [Project](models/project.md): `/tasks/{id}/projects` (children above)",
    ]
    assert "{ #list-under-task }" in pages["docs/models/project.md"]


# --- units: parameters in words, example requests -----------------------------------------------


def test_a_parameter_row_says_type_required_repeatable_default_and_set() -> None:
    from generator.spec import Parameter
    from generator.targets.docs import parameter_row

    row = parameter_row(
        Parameter("tag", "Keeps the objects with this tag.", "enum", ("a|b", "<c>"), multiple=True, required=True)
    )
    assert row.value == "one of <code>a|b</code>, <code>&lt;c&gt;</code>, required, repeatable"  # an HTML cell
    row = parameter_row(Parameter("n", "How many <b>.", "integer", default_value=3, parameter_set="paging"))
    assert row.value == "integer, optional; default <code>3</code>"
    assert row.meaning == "How many &lt;b&gt;. From the parameter set <code>paging</code>."
    row = parameter_row(Parameter("on", "Whether.", "boolean"))
    assert row.value == "<code>true</code> or <code>false</code>, optional"


def test_an_example_request_gives_the_required_parameters_and_one_alternative_of_each_combination() -> None:
    from generator.spec import Parameter
    from generator.targets.docs_examples import example_parameters, query_string

    since = Parameter("since", "From.", "time")
    until = Parameter("until", "To.", "time")
    last = Parameter("last", "Back from now.", "duration", example_value="24h")
    kind = Parameter("kind", "Which kind.", "enum", ("a b", "c"), required=True)
    every = (since, until, last, kind)
    # The alternative whose parameters all have an example wins; required ones always come.
    chosen = example_parameters(every, ((("since", "until"), ("last",)),))
    assert [p.name for p in chosen] == ["last", "kind"]
    assert query_string(chosen) == "?last=24h&kind=a+b"
    # Without examples, the first alternative; a group a required parameter satisfies asks nothing more.
    assert [p.name for p in example_parameters((since, until, kind), ((("since", "until"),),))] == [
        "since",
        "until",
        "kind",
    ]
    assert example_parameters((kind, last), ((("kind",), ("last",)),)) == (kind,)
    assert query_string(()) == ""
