"""Output targets: each turns the Api into ``{relative path: text}`` through its templates.

A target is a module with ``NAME`` and ``render(api, templates) -> dict[str, str]``. Paths are
relative to the output folder, POSIX style. Adding a target is adding a module here.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # kept out of start-up: the CLI imports this module for the target names
    from generator.render import Templates
    from generator.spec import Api

TARGET_MODULES: tuple[str, ...] = ("models", "docs", "server")


class Target(Protocol):
    NAME: str

    def render(self, api: Api, templates: Templates) -> dict[str, str]: ...


def render_all(api: Api, templates: Templates, only: Sequence[str] = ()) -> dict[str, dict[str, str]]:
    """Each selected target's files (all targets when ``only`` is empty), Python formatted.

    Two targets may never claim the same path.
    """
    by_target: dict[str, dict[str, str]] = {}
    claimed: dict[str, str] = {}
    for name in only or TARGET_MODULES:
        target: Target = importlib.import_module(f"generator.targets.{name}")
        files = target.render(api, templates)
        for path in files:
            if path in claimed:
                raise ValueError(f"targets {claimed[path]} and {name} both write {path}")
            claimed[path] = name
        by_target[name] = files
    from generator.pyformat import format_python

    formatted = format_python({path: text for files in by_target.values() for path, text in files.items()})
    return {name: {path: formatted[path] for path in files} for name, files in by_target.items()}


def flatten(by_target: dict[str, dict[str, str]]) -> dict[str, str]:
    return {path: text for files in by_target.values() for path, text in files.items()}
