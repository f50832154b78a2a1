"""Runtime modules copied into the generated packages: read from ``generator/runtime/``, verbatim.

The runtime is ordinary Python of this package (linted, type-checked and tested where it
stands); a generated package gets a copy with one header line, so that it runs without
specgen installed.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

from generator.render import TOOL

Kind = Literal["models", "server", "docs", "client"]


@cache
def runtime_source(kind: Kind, name: str) -> str:
    """The text of one runtime module, e.g. ``runtime_source("server", "filters.py")``."""
    return resources.files(f"generator.runtime.{kind}").joinpath(name).read_text("utf-8")


def copy_runtime(kind: Kind, name: str) -> str:
    """A runtime module as a generated package holds it: a header line, then the source."""
    source = f"generator/runtime/{kind}/{name}"
    return f"# Copied by {TOOL} from {source}, the same in every API. Do not edit by hand.\n" + runtime_source(
        kind, name
    )


def copy_asset(kind: Kind, name: str) -> str:
    """A runtime stylesheet or script as a generated site holds it: a header comment, then the source."""
    source = f"generator/runtime/{kind}/{name}"
    return f"/* Copied by {TOOL} from {source}, the same for every API. Do not edit by hand. */\n" + runtime_source(
        kind, name
    )
