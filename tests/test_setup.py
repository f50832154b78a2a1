"""The README's two commands set a fresh machine up: what ``make test`` installs, and how.

Chromium and chromedriver (for tests/docs/test_browser.py) are installed by one script,
``.ci/install-browser``, which both ``make test`` and ``.ci/run`` use.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT

INSTALLER = ROOT / ".ci" / "install-browser"


def _make_dry_run(target: str) -> str:
    """What ``make`` would run for a target on a fresh clone (-B: as if nothing were built)."""
    result = subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=False, env=os.environ
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_test_runs_the_browser_installer_and_ci_runs_make_test() -> None:
    assert ".ci/install-browser" in _make_dry_run("test")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci
    # One place installs the browser: nothing else calls apt-get.
    for path in (ROOT / "Makefile", ROOT / ".ci" / "run"):
        assert "apt-get" not in path.read_text("utf-8"), path


def test_the_installer_does_nothing_when_chromium_and_chromedriver_are_there() -> None:
    assert shutil.which("chromium") and shutil.which("chromedriver"), "make test installs them first"
    result = subprocess.run([str(INSTALLER)], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_installer_stops_at_once_with_what_to_do_where_it_cannot_install(tmp_path: Path) -> None:
    # A machine with neither the browser nor apt-get: only bash and id on the PATH.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in ("id",):
        found = shutil.which(program)
        assert found
        (bin_dir / program).symlink_to(found)
    bash = shutil.which("bash")
    assert bash
    result = subprocess.run(
        [bash, str(INSTALLER)], capture_output=True, text=True, check=False, env={"PATH": str(bin_dir)}
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "chromium and chromedriver are missing" in result.stderr
    assert "install both with your package manager, then run make test again" in result.stderr


def test_make_run_and_make_test_leave_the_bench_extra_out() -> None:
    for target in ("run", "test"):
        commands = _make_dry_run(target)
        assert "-e '.[serve,docs,dev]'" in commands, target
        assert "bench]" not in commands, target
    assert "'.[serve,docs,dev,bench]'" in _make_dry_run("bench-check")


def test_every_package_folder_is_listed_so_setuptools_installs_it_quietly() -> None:
    """A folder missing from [tool.setuptools] packages is left out of the wheel, with a warning block."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    folders = {
        "generator." + ".".join(p.relative_to(ROOT / "generator").parts)
        for p in (ROOT / "generator").rglob("*")
        if p.is_dir() and p.name != "__pycache__"
    } | {
        "generator.templates." + ".".join(p.relative_to(ROOT / "templates").parts)
        for p in (ROOT / "templates").rglob("*")
        if p.is_dir() and p.name != "__pycache__"
    }
    assert folders | {"generator", "generator.templates"} == listed
    data = config["package-data"]
    for package in listed:
        if package.startswith("generator.templates."):
            assert data.get(package) == ["*.j2"], package
