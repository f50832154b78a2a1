"""Fixtures of the docs tests: the project generated afresh, and its site built, once per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from generator.load import load_api
from generator.render import Templates
from generator.targets import flatten, render_all
from tests.conftest import GENERATED, SPECS
from tests.docs.pages import mkdocs_build

# The committed generated models (`specgen check` holds them equal to what the specs give).
if str(GENERATED / "python") not in sys.path:
    sys.path.insert(0, str(GENERATED / "python"))


def write_tree(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Everything the current specs and templates generate (not the committed generated/)."""
    files = flatten(render_all(load_api(SPECS), Templates()))
    return write_tree(tmp_path_factory.mktemp("generated"), files)


@pytest.fixture(scope="session")
def site(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs site built by ``mkdocs build --strict`` from the freshly generated pages."""
    site_dir = tmp_path_factory.mktemp("build") / "site"
    result = mkdocs_build(generated / "docs", site_dir)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return site_dir
