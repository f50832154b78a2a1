"""Every string of every spec file, the API file included, lands escaped for where it goes.

Once, a ``title`` or ``version`` of ``_api.yaml`` holding ``\"\"\"`` passed ``validate`` and
``generate`` and shipped packages that failed to import (only an unrelated line kept it from
running code at import). Here each hostile text is put in every free-text field of every file
kind at once (API title, version and description; model and attribute descriptions; enum
choices; example and default values, as values and as keys), the kitchen sink is generated
with the real CLI, and then:

- the generated packages import in a fresh interpreter, run nothing (a canary file that code
  in the text would create stays absent), and give the text back intact where they expose it;
- every docs page's front matter parses back to the text, and no raw HTML reaches a page;
- fields restricted to names (packages, names, categories, class names, identifiers, orders,
  exposed names, base URL, example namespace) refuse the text with a located message, or,
  where the text happens to fit, generate as above.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import GOLDEN, ROOT, Cli

KITCHEN = GOLDEN / "kitchen_sink" / "specs"
CANARY = "CANARY_RAN"


def hostile(tmp: Path) -> list[str]:
    canary = str(tmp / CANARY)
    code = f"__import__('pathlib').Path({canary!r}).touch()"
    fixed = [
        f'"""; {code}; """',
        f"'''; {code}; '''",
        f'"""\n{code}\n"""',
        f'\\"""; {code} #',
        f'" + {code} + "',
        f"' + {code} + '",
        f"\\\n{code}",
        f"x\r{code}",
        f"x\x0c{code}",
        f"x\u2028{code}",
        f"x\x85{code}",
        f"{{{{ {code} }}}} {{% raw %}}",
        "<script>alert(1)</script> <img src=x onerror=alert(1)>",
        "a | pipe, `backticks`, *stars*, [link](javascript:alert(1)) and # hash",
        "$(touch x); `touch y` && echo $HOME; 'quoted'",
        "---\nkey: value\n...",
        "trailing backslash \\",
        'ends with a quote "',
        "tab\there and unicode: é ✓ 𝄞",
        f"#{code}",
    ]
    rng = random.Random(17)
    alphabet = "\"'\\\n\r\t{}%#<>|`$*_[]()!-:;,&=?~ aZ9é\u2028\x85\x0b"
    fuzzed = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))) for _ in range(6)]
    return fixed + fuzzed


def write_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=1000), encoding="utf-8")


def sentence(text: str) -> str:
    return text.strip() + " end." if text.strip() else "x."


def kitchen_with(text: str, folder: Path) -> dict[str, Any]:
    """The kitchen sink specs with ``text`` in every free-text field; what each should read back as."""
    specs = folder / "specs"
    shutil.copytree(KITCHEN, specs)
    api = yaml.safe_load((specs / "_api.yaml").read_text("utf-8"))
    api.update(title=text, version=text, description=sentence(text))
    write_yaml(specs / "_api.yaml", api)
    widget = yaml.safe_load((specs / "widget.spec.yaml").read_text("utf-8"))
    widget["model"]["description"] = sentence(text)
    for attribute in widget["attributes"]:
        attribute["description"] = sentence(text)
        if attribute["name"] == "class":
            attribute["choices"] = (
                [*attribute["choices"], text] if text not in attribute["choices"] else attribute["choices"]
            )
            attribute["example_value"] = text
        if attribute["name"] == "name":
            attribute["example_value"] = text[:64] or "x"
            attribute["default_value"] = text[:64] or "x"
        if attribute["name"] == "metadata":
            attribute["example_value"] = {text: [text, {text: text}]}
        if attribute["name"] == "payload":
            attribute["default_value"] = {text: text}
        if attribute["name"] == "tags":
            attribute["default_value"] = [text]
    write_yaml(specs / "widget.spec.yaml", widget)
    gadget = yaml.safe_load((specs / "gadget.spec.yaml").read_text("utf-8"))
    gadget["model"]["description"] = sentence(text)
    write_yaml(specs / "gadget.spec.yaml", gadget)
    return {"title": text, "description": sentence(text), "choice": text}


CHECK = """
import json, sys
from pathlib import Path
want = json.loads(sys.argv[1])
import sinkmodels, sinkserver, sinkserver.app
from sinkmodels import Widget
assert sinkmodels.API_TITLE == want["title"], sinkmodels.API_TITLE
assert sinkmodels.API_VERSION == want["title"], sinkmodels.API_VERSION
assert want["title"] in (sinkmodels.__doc__ or "").replace("\\\\", "\\\\") or sinkmodels.__doc__
by_name = {a.name: a for a in Widget.attributes}
assert all(a.description == want["description"] for a in Widget.attributes), [(a.description, want["description"]) for a in Widget.attributes][:1]
assert want["choice"] in by_name["class"].choices
assert by_name["metadata"].example_value == {want["title"]: [want["title"], {want["title"]: want["title"]}]}
assert by_name["payload"].default_value == {want["title"]: want["title"]}
assert Widget().tags == [want["title"]]
assert Widget.__doc__ is not None and sinkserver.__doc__ is not None
print("ok")
"""


def check_generated(out: Path, want: dict[str, Any], tmp: Path) -> None:
    python = out / "python"
    result = subprocess.run(
        [sys.executable, "-c", CHECK, json.dumps(want)],
        cwd=python,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(python), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]
    assert not (tmp / CANARY).exists(), "text from a spec ran as code"
    for page in sorted((out / "docs").rglob("*.md")):
        text = page.read_text("utf-8")
        front = yaml.safe_load(text.split("---\n", 2)[1])
        assert isinstance(front, dict), page
        if page.name == "index.md":  # the theme shows keywords as HTML: they are escaped for HTML
            assert front["keywords"][1] == html.escape(want["title"]) and front["summary"] == want["description"]
        if page.name == "widget.md":
            assert front["summary"] == want["description"]
        body = text.split("---\n", 2)[2]  # the front matter is YAML data, checked above
        prose = "".join(part for i, part in enumerate(re.split(r"^\s*```.*$", body, flags=re.M)) if i % 2 == 0)
        assert "<script" not in prose and "<img" not in prose, page.name  # code blocks show it as text


def test_hostile_text_in_every_free_text_field(cli: Cli, tmp_path: Path) -> None:
    texts = hostile(tmp_path)
    for number, text in enumerate(texts):
        folder = tmp_path / f"case{number}"
        want = kitchen_with(text, folder)
        out = folder / "out"
        run = cli("generate", "--specs", str(folder / "specs"), "--out", str(out), "--no-cache")
        if run.code != 0:  # refused: located, never a crash
            assert run.code == 1 and "internal error" not in run.err and "Traceback" not in run.err, (text, run.err)
            assert "specs/" in run.err, (text, run.err)
            continue
        check_generated(out, want, tmp_path)


NAME_FIELDS = [
    ("_api.yaml", ("packages", "models")),
    ("_api.yaml", ("packages", "server")),
    ("_api.yaml", ("base_url",)),
    ("_api.yaml", ("example_namespace",)),
    ("widget.spec.yaml", ("model", "name")),
    ("widget.spec.yaml", ("model", "category")),
    ("widget.spec.yaml", ("model", "class_name")),
    ("widget.spec.yaml", ("model", "identifier")),
    ("widget.spec.yaml", ("model", "default_order", 0)),
    ("widget.spec.yaml", ("attributes", 1, "name")),
    ("widget.spec.yaml", ("attributes", 1, "exposed_name")),
    ("widget.spec.yaml", ("attributes", 1, "unique_scope")),
]


@pytest.mark.parametrize(("file", "path"), NAME_FIELDS, ids=[f"{f}:{'.'.join(map(str, p))}" for f, p in NAME_FIELDS])
def test_hostile_text_in_name_fields_is_refused_with_its_place(
    cli: Cli, tmp_path: Path, file: str, path: tuple[Any, ...]
) -> None:
    for number, text in enumerate(hostile(tmp_path)[:14]):
        specs = tmp_path / f"case{number}" / "specs"
        shutil.copytree(KITCHEN, specs)
        data = yaml.safe_load((specs / file).read_text("utf-8"))
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = text
        write_yaml(specs / file, data)
        run = cli("validate", "--specs", str(specs))
        assert run.code == 1, (text, run.out, run.err)
        assert f"specs/{file}:" in run.err and "internal error" not in run.err, (text, run.err)
        assert not (tmp_path / CANARY).exists()


def test_hostile_html_in_spec_text_never_reaches_the_built_site_as_html(cli: Cli, tmp_path: Path) -> None:
    """The front matter (title, summary, keywords, tags) and the pages, through mkdocs and its theme."""
    text = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
    want = kitchen_with(text, tmp_path)
    out = tmp_path / "out"
    assert cli("generate", "--specs", str(tmp_path / "specs"), "--out", str(out), "--no-cache").code == 0
    check_generated(out, want, tmp_path)
    config = (ROOT / "mkdocs.yml").read_text("utf-8")  # edited as text: it holds a !!python/name tag
    for key, value in (("docs_dir", out / "docs"), ("site_dir", tmp_path / "site"), ("site_name", "Hostile")):
        config, count = re.subn(rf"(?m)^{key}:.*$", f"{key}: {json.dumps(str(value))}", config)
        assert count == 1, key
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(tmp_path / "mkdocs.yml")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stderr[-3000:]
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text("utf-8")
        assert "<script>alert(1)" not in html and "<img src=x" not in html, page.name


WHOLE_API = GOLDEN / "whole_api" / "specs"


def whole_api_with(text: str, folder: Path) -> Path:
    """The whole_api specs with ``text`` in every free-text field of the newer constructs: nested
    types, abstracts, parameter sets and their parameters (descriptions and choices), validators
    (descriptions, messages), patterns and their messages, operation and relation descriptions."""
    import re

    specs = folder / "specs"
    shutil.copytree(WHOLE_API, specs)

    def edit(name: str, change: Any) -> None:
        data = yaml.safe_load((specs / name).read_text("utf-8"))
        change(data)
        write_yaml(specs / name, data)

    def api(data: dict[str, Any]) -> None:
        for parameter_set in data["parameters"].values():
            parameter_set["description"] = sentence(text)
            for entry in parameter_set["entries"]:
                entry["description"] = sentence(text)
                if entry["type"] == "enum":
                    entry["choices"] = [*entry["choices"], text] if text not in entry["choices"] else entry["choices"]
        for validator in data["validators"].values():
            validator["description"] = sentence(text)
            if "pattern" in validator:
                validator["message"] = text
                validator["pattern"] = re.escape(text) + "|^[a-z0-9][a-z0-9-]*$"

    def nested(data: dict[str, Any]) -> None:
        header = data["type"] if "type" in data else data["abstract"]
        header["description"] = sentence(text)
        for attribute in data["attributes"]:
            attribute["description"] = sentence(text)
            if attribute["type"] == "enum":
                attribute["choices"] = [*attribute["choices"], text]

    def project(data: dict[str, Any]) -> None:
        for details in data["model"]["operations"].values():
            details["description"] = sentence(text)
        for relation in data["relations"]:
            for op in ("list", "create"):
                relation[op]["description"] = sentence(text)

    def task(data: dict[str, Any]) -> None:
        for attribute in data["attributes"]:
            if attribute["name"] == "title":
                attribute["pattern"] = re.escape(text) + "|^[^\\n]+$"
                attribute["pattern_message"] = text

    edit("_api.yaml", api)
    edit("label.type.yaml", nested)
    edit("identifiable.abstract.yaml", nested)
    edit("project.spec.yaml", project)
    edit("task.spec.yaml", task)
    return specs


def test_hostile_text_in_the_newer_constructs_reaches_the_docs_as_text(tmp_path: Path) -> None:
    """Rendered for every hostile text (the docs target alone: what it writes is checked here),
    built by mkdocs for the texts that look most like markup, read back from the HTML."""
    from generator.errors import SpecError
    from generator.load import load_api
    from generator.render import Templates
    from generator.targets import render_all
    from tests.docs.pages import Element, mkdocs_build, parse_html

    built = 0
    for number, text in enumerate(hostile(tmp_path)):
        folder = tmp_path / f"case{number}"
        try:
            api = load_api(whole_api_with(text, folder))
        except SpecError as exc:  # refused: located, never a crash
            assert "specs/" in str(exc), (text, str(exc))
            continue
        files = render_all(api, Templates(), only=["docs"])["docs"]
        for path, page in files.items():
            if not path.endswith(".md"):
                continue
            front = yaml.safe_load(page.split("---\n", 2)[1])
            assert isinstance(front, dict), path
            body = page.split("---\n", 2)[2]
            prose = "".join(part for i, part in enumerate(re.split(r"^\s*```.*$", body, flags=re.M)) if i % 2 == 0)
            assert "<script" not in prose and "<img" not in prose, (path, text)
        if not any(mark in text for mark in ("<script", "*stars*", 'quote "', "\\\n")):
            continue
        out = folder / "out"
        for rel, page in files.items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_text(page, "utf-8")
        result = mkdocs_build(out / "docs", folder / "site")
        assert result.returncode == 0, (text, result.stderr[-3000:])
        built += 1
        for html_page in (folder / "site").rglob("*.html"):
            assert "<script>alert(1)" not in html_page.read_text("utf-8"), html_page.name
        # Read back from the page: the pattern (characters one cannot see shown as escapes) and its message.
        root = parse_html((folder / "site" / "models" / "task.html").read_text("utf-8"))
        # Its row's description cell, as a reader sees it (a newline of the message is a <br> there).
        name = root.find_id("attribute-title")
        row = next(tr for tr in root.iter("tr") if any(e is name for e in tr.iter()))
        description = [c for c in row.children if isinstance(c, Element) and c.tag == "td"][2].text
        pattern = api.models_by_name["task"].attribute("title").pattern or ""
        visible = "".join(c if c.isprintable() else json.dumps(c)[1:-1] for c in pattern)
        note = " ".join(f"Pattern: must match {visible} ({text}).".split())
        assert f" {note} Python field title " in description, text
    assert built >= 3
