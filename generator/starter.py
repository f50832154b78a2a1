"""``specgen init`` and ``specgen new model``: the files a new project, or a new model, starts from.

Both render the built-in ``init/`` templates and write only files that do not exist yet:
what is there is the user's, never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator import naming
from generator.load import API_FILE, MODEL_SUFFIXES, model_file_name
from generator.render import Templates

STARTER_MODEL = "task"
# The model schema's patterns, for a clear message before anything is written.
_MODEL_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class StarterProblem(Exception):
    """Nothing was written; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class ApiNames:
    """What ``_api.yaml`` names, worked out from the project's title."""

    title: str
    models_package: str
    server_package: str
    namespace: str = "/demo"

    @classmethod
    def of(cls, title: str) -> ApiNames:
        slug = naming.snake_case(title)
        if not slug or not slug[0].isalpha():
            slug = f"api_{slug}".rstrip("_")
        slug = slug[:50]
        return cls(title=title, models_package=f"{slug}_models", server_package=f"{slug}_server")


def title_of(folder: Path) -> str:
    """A project's title from its folder's name: ``my-shop`` -> ``My Shop``."""
    words = re.split(r"[^0-9A-Za-z]+", folder.resolve().name)
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or "My"


def plural(name: str) -> str:
    """The collection of a model name, in simple English: task -> tasks, policy -> policies."""
    if re.search(r"[^aeiou]y$", name):
        return name[:-1] + "ies"
    if name.endswith(("s", "x", "z", "ch", "sh")):
        return name + "es"
    return name + "s"


def class_name(name: str) -> str:
    """``access_rule`` -> ``AccessRule``."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)


def model_spec(templates: Templates, name: str) -> str:
    return templates.render(
        "init/model.spec.yaml.j2",
        model_name=name,
        category=plural(name),
        class_name=class_name(name),
        words=name.replace("_", " "),
    )


def mkdocs_config(templates: Templates, title: str, description: str) -> str:
    """The mkdocs.yml of a project (this repository's own is this, for the Squall API)."""
    return templates.render("init/mkdocs.yml.j2", site_name=f"{title} API", description=description)


def init(folder: Path, title: str | None = None) -> list[Path]:
    """Write ``specs/_api.yaml``, ``specs/task.spec.yaml`` and ``mkdocs.yml`` into ``folder``;
    the files written. Refuses, writing nothing, when any of them exists."""
    templates = Templates()
    names = ApiNames.of(title or title_of(folder))
    files = {
        folder / "specs" / API_FILE: templates.render(
            "init/_api.yaml.j2",
            title=names.title,
            models_package=names.models_package,
            server_package=names.server_package,
            namespace=names.namespace,
        ),
        folder / "specs" / model_file_name(STARTER_MODEL): model_spec(templates, STARTER_MODEL),
        folder / "mkdocs.yml": mkdocs_config(templates, names.title, f"The {names.title} API."),
    }
    there = [path for path in files if path.exists()]
    if there:
        shown = ", ".join(str(path) for path in there)
        raise StarterProblem(f"{shown} already there; init writes a new project and overwrites nothing")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def new_model(specs: Path, name: str) -> Path:
    """Write ``<specs>/<name>.spec.yaml``, a model to edit; the file written."""
    if not _MODEL_NAME.match(name):
        raise StarterProblem(
            f"{name!r} is not a model name: lower snake case, a letter first, such as 'task' or 'access_rule'"
        )
    if not (specs / API_FILE).is_file():
        raise StarterProblem(f"no {API_FILE} in {specs}/: pass --specs DIR, or start a project with `specgen init`")
    existing = [specs / f"{name}{suffix}" for suffix in MODEL_SUFFIXES if (specs / f"{name}{suffix}").exists()]
    if existing:
        raise StarterProblem(f"{existing[0]} already there; new model overwrites nothing")
    path = specs / model_file_name(name)
    path.write_text(model_spec(Templates(), name), encoding="utf-8")
    return path
