"""Output targets: each turns the Api into ``{relative path: text}`` through its templates.

A target is a module with ``NAME`` and ``render(api, templates) -> dict[str, str]``. Paths are
relative to the output folder, POSIX style. Adding a target is adding a module here.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from generator.pyformat import format_python
from generator.render import Templates
from generator.spec import Api

TARGET_MODULES: tuple[str, ...] = ("models", "docs", "server")


class Target(Protocol):
    NAME: str

    def render(self, api: Api, templates: Templates) -> dict[str, str]: ...


def render_all(api: Api, templates: Templates) -> dict[str, str]:
    """Every target's files; two targets may never claim the same path."""
    files: dict[str, str] = {}
    for name in TARGET_MODULES:
        target: Target = importlib.import_module(f"generator.targets.{name}")
        for path, text in target.render(api, templates).items():
            if path in files:
                raise ValueError(f"two targets write {path}")
            files[path] = text
    return format_python(files)
