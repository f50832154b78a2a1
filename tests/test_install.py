"""specgen installed from the checkout works anywhere: the templates and the runtime ship in the package,
and a user's ``--templates`` folder overlays the built-in templates file by file."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SPECS, snapshot


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The Python of a fresh virtual environment with specgen installed from a wheel of the checkout.

    Its dependencies come from the test's own environment (a path entry), so nothing is
    downloaded; specgen itself is only the wheel: no checkout, no editable install.
    """
    scratch = tmp_path_factory.mktemp("install")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(scratch),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = scratch.glob("specgen-*.whl")
    environment = scratch / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    # The dependencies (jinja2, pyyaml, ruff...) from this environment, after specgen's own folder.
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    yield python


def _specgen(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_the_installed_package_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed), "-c", "import generator, generator.templates as t; print(generator.__file__, t.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in where, where


def test_generate_outside_the_checkout_without_templates(installed: Path, tmp_path: Path) -> None:
    shutil.copytree(SPECS, tmp_path / "specs")
    result = _specgen(installed, tmp_path, "generate", "--specs", "specs", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "templates").exists()
    # The same bytes as the committed output of the same specs.
    assert snapshot(tmp_path / "out") == snapshot(ROOT / "generated")


def test_an_overlay_changes_only_the_file_of_its_template(installed: Path, tmp_path: Path) -> None:
    shutil.copytree(SPECS, tmp_path / "specs")
    overlay = tmp_path / "my-templates" / "docs"
    overlay.mkdir(parents=True)
    built_in = (ROOT / "templates" / "docs" / "model.md.j2").read_text("utf-8")
    (overlay / "model.md.j2").write_text(built_in.replace("## Attributes", "## Fields of this model"), "utf-8")

    result = _specgen(installed, tmp_path, "generate", "--out", "out", "--templates", "my-templates")
    assert result.returncode == 0, result.stderr
    changed = {path for path, data in snapshot(tmp_path / "out").items() if data != snapshot(ROOT / "generated")[path]}
    assert changed == {"docs/models/activity.md"}
    assert "## Fields of this model" in (tmp_path / "out" / "docs" / "models" / "activity.md").read_text("utf-8")


def test_a_broken_overlay_names_ruffs_error_and_writes_nothing(installed: Path, tmp_path: Path) -> None:
    shutil.copytree(SPECS, tmp_path / "specs")
    overlay = tmp_path / "my-templates" / "server"
    overlay.mkdir(parents=True)
    (overlay / "app.py.j2").write_text("def create_app(:\n    pass\n", "utf-8")

    result = _specgen(installed, tmp_path, "generate", "--out", "out", "--templates", "my-templates")
    assert result.returncode == 1
    assert "generated Python does not parse (a template bug)" in result.stderr
    assert "python/squallserver/app.py:1:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
