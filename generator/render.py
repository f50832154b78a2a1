"""Render spec objects through Jinja2 templates; templates only format, they derive nothing.

The templates ship in the package (``generator.templates``, the checkout's ``templates/``).
A user's folder may overlay them file by file: a template found there wins, every other one
comes from the package.
"""

from __future__ import annotations

import contextlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from generator import ruff_layout
from generator.escape import FILTERS

TOOL = "specgen"


class TemplateProblem(Exception):
    """A template is missing or broken; names the template and line."""


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, with ``obj.name`` answered without a Python call when ``obj`` has it.

    Jinja compiles every ``obj.name`` to ``environment.getattr(obj, "name")``: a Python function
    that tries the attribute, then the item, then makes an Undefined. A page of a large API
    asks it hundreds of times (665,000 calls for the docs of 1,000 models, a fifth of their
    rendering). Here the attribute is asked of the builtin first and ``environment.getattr``
    only when that finds none, so every outcome (item, Undefined, the error of a strict one)
    is Jinja's own. ``obj`` is evaluated once (bound to a name, as is the answer).
    """

    @jinja2.compiler.optimizeconst
    def visit_Getattr(self, node: jinja2.nodes.Getattr, frame: jinja2.compiler.Frame) -> None:
        if self.environment.is_async:
            super().visit_Getattr(node, frame)
            return
        self.write("(_sg_value if (_sg_value := getattr((_sg_object := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, missing)) is not missing else environment.getattr(_sg_object, {node.attr!r}))")


class _Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled-template cache; a cache that cannot be written never fails a run.

    Its keys name the code generator too: code compiled by Jinja's own, kept by an earlier
    version, is not what this one makes of the same template.
    """

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{name}\0{_CodeGenerator.__qualname__}-1", filename)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@cache
def builtin_templates() -> Path:
    """The folder of the templates shipped in the package."""
    try:
        return Path(str(resources.files("generator.templates")))
    except ModuleNotFoundError:
        raise TemplateProblem(
            "the built-in templates are not installed (generator.templates): install specgen, pip install -e ."
        ) from None


class Templates:
    """The Jinja2 environment over the built-in templates, strict about undefined names.

    ``overlay`` is a user's folder whose templates replace the built-in ones of the same
    path. With ``cache_dir``, compiled templates are kept there between runs (keyed by the
    template's source checksum, so an edited template is always recompiled).
    """

    def __init__(self, overlay: Path | None = None, cache_dir: Path | None = None) -> None:
        if overlay is not None and not overlay.is_dir():
            raise TemplateProblem(f"{overlay}: no such templates folder")
        self.overlay = overlay
        self.folders = ([overlay] if overlay is not None else []) + [builtin_templates()]
        bytecode_cache = None
        if cache_dir is not None:
            with contextlib.suppress(OSError):
                cache_dir.mkdir(parents=True, exist_ok=True)
                bytecode_cache = _QuietBytecodeCache(str(cache_dir))
        self.env = _Environment(
            bytecode_cache=bytecode_cache,
            loader=jinja2.FileSystemLoader([str(folder) for folder in self.folders]),  # the first that has it
            undefined=jinja2.StrictUndefined,
            auto_reload=False,  # templates do not change during a run: no stat per render
            autoescape=False,  # each destination escapes explicitly with its own filter
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(FILTERS)
        self.env.filters["wordwrap"] = _wordwrap
        self.env.globals["header"] = header
        self.env.globals["ruff_call"] = ruff_layout.call
        self.env.globals["ruff_set_assignment"] = ruff_layout.set_assignment

    def preload(self, prefixes: list[str]) -> None:
        """Compile every template under these folders now (so forked workers share them)."""
        for name in self.env.list_templates(filter_func=lambda n: n.startswith(tuple(prefixes))):
            try:
                self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateProblem(f"{exc.filename or name}:{exc.lineno}: template syntax: {exc.message}") from None

    def render(self, name: str, **context: Any) -> str:
        try:
            text = self.env.get_template(name).render(**context)
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(f"{name}: template not found ({exc.name})") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(f"{exc.filename or name}:{exc.lineno}: template syntax: {exc.message}") from None
        except jinja2.UndefinedError as exc:
            raise TemplateProblem(f"{self.source_of(name)}: {exc.message}") from None
        return normalise(text)

    def source_of(self, name: str) -> Path:
        """The file a template is read from: the overlay's when it has one."""
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        return self.folders[-1] / name


@jinja2.pass_environment
def _wordwrap(environment: jinja2.Environment, text: str, width: int = 79, *args: Any, **kwargs: Any) -> str:
    """Jinja's wordwrap, answering at once for the common one-line text that needs no wrapping.

    textwrap gives such a text back as it is (tests/test_render.py holds the two equal).
    """
    if len(text) <= width and text.isprintable() and text.strip() and not text.endswith(" "):
        return text
    return jinja2.filters.do_wordwrap(environment, text, width, *args, **kwargs)


def header(source: str, comment: str = "#") -> str:
    """The one-line notice on top of every generated file.

    ``source`` is a path the user chose (the specs folder's name): whatever it holds stays on
    this one comment line (no line break, no end of an HTML comment).
    """
    shown = "".join(
        c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in source
    )
    if comment == "<!--":
        shown = shown.replace("--", "-\\-")
    text = f"Generated by {TOOL} from {shown}. Do not edit by hand: edit the spec and run `{TOOL} generate`."
    if comment == "<!--":
        return f"<!-- {text} -->"
    return f"{comment} {text}"


def normalise(text: str) -> str:
    """LF line endings, no trailing blank lines, exactly one final newline."""
    text = text.replace("\r\n", "\n")
    return text.rstrip("\n") + "\n"
