"""Output targets: each turns the Api into ``{relative path: text}`` through its templates.

A target is a module with ``NAME``, ``runtime_files(api)`` for the runtime modules it copies
verbatim (already in ruff's layout), ``render_shared(api, templates)`` for the files that
depend on the whole API, ``render_model(api, model, templates)`` for one model's files and
``render_type(api, nested, templates)`` for one nested type's.
Paths are relative to the output folder, POSIX style. Per-model work is independent, so it
is spread over the cores for large APIs.

Python that ``render_model`` emits must be in ruff's layout wherever its lines fit, and so
must ``render_shared``'s when the target says ``SHARED_IN_RUFF_LAYOUT``: ruff then skips
those files (see generator/pyformat.py; tests/test_formatter_stable.py holds them to it).
"""

from __future__ import annotations

import contextlib
import gc
import importlib

# The CLI imports this module for the target names at start-up: type-only imports stay out.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path
    from typing import Protocol

    from generator.render import Templates
    from generator.spec import Api, Model, NestedType

    class Target(Protocol):
        NAME: str
        SHARED_IN_RUFF_LAYOUT: bool

        def runtime_files(self, api: Api) -> dict[str, str]: ...

        def render_shared(self, api: Api, templates: Templates) -> dict[str, str]: ...

        def render_model(self, api: Api, model: Model, templates: Templates) -> dict[str, str]:
            """One model's files."""

        def render_type(self, api: Api, nested: NestedType, templates: Templates) -> dict[str, str]:
            """One nested type's files."""


TARGET_MODULES: tuple[str, ...] = ("models", "docs", "server", "openapi", "client")


def _target(name: str) -> Target:
    module: Target = importlib.import_module(f"generator.targets.{name}")
    return module


def _in_ruff_layout(files: dict[str, str]) -> set[str]:
    """The Python files among ``files`` that ruff would keep as they are (see generator/pyformat.py)."""
    from generator.pyformat import fits

    return {path for path, text in files.items() if path.endswith(".py") and fits(text)}


# One model's files per target, and which of its Python files need no formatting.
ModelFiles = tuple[dict[str, dict[str, str]], set[str]]


def _render_unit(context: tuple[Api, Templates, Sequence[str]], index: int) -> ModelFiles:
    """The files of one model (``index`` below the number of models) or nested type, per target."""
    api, templates, names = context
    if index < len(api.models):
        model = api.models[index]
        by_target = {name: _target(name).render_model(api, model, templates) for name in names}
    else:
        nested = api.nested_types[index - len(api.models)]
        by_target = {name: _target(name).render_type(api, nested, templates) for name in names}
    return by_target, {path for files in by_target.values() for path in _in_ruff_layout(files)}


def _selected(templates: Templates, only: Sequence[str]) -> list[str]:
    names = [name for name in TARGET_MODULES if not only or name in only]
    templates.preload([f"{name}/" for name in names])  # compiled once, before workers fork
    return names


def build(
    specs_dir: Path, templates: Templates, only: Sequence[str] = (), validators_cache: Path | None = None
) -> dict[str, dict[str, str]]:
    """Load the specs and render the selected targets: :func:`render_all` on :func:`load_api`.

    ``validators_cache`` keeps the compiled schema validators between runs. Raises SpecError
    with every problem of the specs.
    """
    from generator.load import load_api

    with _cycle_collection_paused():
        return render_all(load_api(specs_dir, validators_cache), templates, only)


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """No garbage-collection passes while the specs load and render, as they come back after.

    A run allocates millions of containers that all live until its end (the Api, the OpenAPI
    document, the files); each full pass walked all of them again: 0.5 s of the 5 s of CPU of
    1,000 models, for about 2 % more memory at the peak (objects in cycles wait for the end).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_all(api: Api, templates: Templates, only: Sequence[str] = ()) -> dict[str, dict[str, str]]:
    """Each selected target's files (all targets when ``only`` is empty), Python formatted.

    Two targets may never claim the same path.
    """
    from generator import parallel

    names = _selected(templates, only)
    units = len(api.models) + len(api.nested_types)
    per_unit, shared = parallel.map_items_beside(
        _render_unit, (api, templates, names), range(units), lambda: _render_shared(api, templates, names)
    )
    return _assemble(shared, per_unit)


# Each target's files that depend on the whole API, and which of its Python files need no formatting.
SharedFiles = tuple[dict[str, dict[str, str]], set[str]]


def _render_shared(api: Api, templates: Templates, names: Sequence[str]) -> SharedFiles:
    """Each selected target's shared and copied files (rendered while workers render the models)."""
    by_target: dict[str, dict[str, str]] = {}
    formatted_already: set[str] = set()
    for name in names:
        target = _target(name)
        copied = target.runtime_files(api)
        formatted_already |= set(copied)
        by_target[name] = target.render_shared(api, templates)
        if target.SHARED_IN_RUFF_LAYOUT:
            formatted_already |= _in_ruff_layout(by_target[name])
        for path, text in copied.items():
            if path in by_target[name]:
                raise ValueError(f"target {name} both copies and renders {path}")
            by_target[name][path] = text
    return by_target, formatted_already


def _assemble(shared: SharedFiles, per_model: Sequence[ModelFiles]) -> dict[str, dict[str, str]]:
    """The shared files, then every model's, checked for clashes and formatted."""
    from generator.pyformat import format_python

    by_target = shared[0]
    formatted_already = set(shared[1])
    for model_files, in_layout in per_model:
        for name, files in model_files.items():
            by_target[name].update(files)
        formatted_already |= in_layout
    claimed: dict[str, str] = {}
    for name, files in by_target.items():
        for path in files:
            if path in claimed:
                raise ValueError(f"targets {claimed[path]} and {name} both write {path}")
            claimed[path] = name
    everything = {path: text for files in by_target.values() for path, text in files.items()}
    everything = _spec_text_allowed(everything)
    formatted = format_python(everything, already_formatted=formatted_already)
    return {name: {path: formatted[path] for path in sorted(files)} for name, files in by_target.items()}


def _spec_text_allowed(files: dict[str, str]) -> dict[str, str]:
    """The files, each Python file whose text ruff finds ambiguous with a file-level exemption under its header.

    Text from the specs lands in Python as written, so strings and docstrings may hold letters
    that ruff takes for look-alikes of ASCII ones (a curly apostrophe): they are data, not typos.
    """
    from generator.pyformat import ambiguous_text

    out = dict(files)
    for path, codes in ambiguous_text(files).items():
        header, _, rest = files[path].partition("\n")
        out[path] = f"{header}\n# ruff: noqa: {', '.join(codes)}\n{rest}"
    return out


def flatten(by_target: dict[str, dict[str, str]]) -> dict[str, str]:
    return {path: text for files in by_target.values() for path, text in files.items()}
