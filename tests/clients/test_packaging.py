"""Each generated package is a distribution: ``pip install`` builds it from its folder, and the client's
command lands on PATH.

The install runs in a fresh virtual environment, offline: pip builds the packages with this
environment's setuptools (``--no-build-isolation``) and takes their dependencies (httpx, click,
PyYAML, starlette...) from this environment through a path entry, as tests/test_install.py does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import packaging
from generator.load import load_api
from tests.conftest import GENERATED, GOLDEN, ROOT, SPECS
from tests.live_serve import Live, serving

PACKAGES = ("squallmodels", "squallclient", "squallserver")


def test_the_servers_requirements_are_specgens_serve_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    serve = [*packaging.SERVER_REQUIREMENTS, *packaging.ENCRYPTION_REQUIREMENTS]
    assert serve == project["project"]["optional-dependencies"]["serve"]


@pytest.mark.parametrize(
    ("tree", "prefix"),
    [
        (GENERATED, "squall"),
        (GOLDEN / "kitchen_sink" / "expected", "sink"),
        (GOLDEN / "whole_api" / "expected", "planner"),
    ],
)
def test_every_generated_package_has_its_pyproject(tree: Path, prefix: str) -> None:
    found = {p.parent.name: tomllib.loads(p.read_text("utf-8")) for p in (tree / "python").glob("*/pyproject.toml")}
    assert set(found) == {f"{prefix}models", f"{prefix}server", f"{prefix}client"}
    models, server, client = (found[f"{prefix}{kind}"]["project"] for kind in ("models", "server", "client"))
    assert models["dependencies"] == []
    assert server["dependencies"][0] == client["dependencies"][0] == f"{prefix}models=={models['version']}"
    assert "httpx>=0.27,<1" in client["dependencies"] and "starlette>=0.40,<2" in server["dependencies"]
    assert client["scripts"] == {f"{prefix}ctl": f"{prefix}client.cli:main"}
    # cryptography only for the Planner, whose task notes and user passwords are kept encrypted.
    assert ("cryptography>=42,<51" in server["dependencies"]) == (prefix == "planner")


def test_a_version_python_cannot_read_falls_back_to_0() -> None:
    for good in ("1.0", "2.1", "v3", "1.0rc1", "2024.6.1.post2", "1!2.0.dev3"):
        assert packaging.distribution_version(good) == good
    for bad in ("latest", "1.0-beta final", '1"; import os', "", "1.0\n"):
        assert packaging.distribution_version(bad) == "0"
    api = load_api(SPECS)
    assert packaging.distribution(api, "client", "squallclient").version == "1.0"


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the three Squall packages installed from copies of their folders."""
    scratch = tmp_path_factory.mktemp("fresh")
    for package in PACKAGES:
        shutil.copytree(GENERATED / "python" / package, scratch / package)
    folder = scratch / "venv"
    venv.create(folder, with_pip=False)
    python = folder / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Their dependencies (and setuptools, to build them) from this environment, after their own.
    (Path(site) / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps"]
    install += ["--no-build-isolation", "--no-index", *(f"./{package}" for package in PACKAGES)]
    result = subprocess.run(install, cwd=scratch, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


@pytest.fixture(scope="module")
def squall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with serving(SPECS, GENERATED, tmp_path_factory.mktemp("api"), seed=ROOT / "examples" / "activities.jsonl") as live:
        yield live


def _in(environment: Path, *command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    path = f"{environment / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}"
    return subprocess.run(
        list(command),
        cwd=cwd,
        env={"PATH": path, "HOME": str(cwd), "LANG": "C.UTF-8", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_installed_packages_are_not_the_folders(environment: Path, tmp_path: Path) -> None:
    code = "import squallclient, squallmodels, squallserver, squallserver.app, squallserver.web as w; "
    code += "print(squallclient.__file__, squallserver.__file__, len(w.openapi_document() or b''))"
    result = _in(environment, "python", "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    client_file, server_file, document = result.stdout.split()
    assert client_file.startswith(str(environment)) and server_file.startswith(str(environment))
    assert int(document) == len((GENERATED / "openapi.json").read_bytes())  # the document ships with the server


def test_squallctl_is_on_path_and_lists_activities_as_exported(environment: Path, squall: Live, tmp_path: Path) -> None:
    assert (environment / "bin" / "squallctl").is_file()
    exports = {"SQUALL_URL": squall.url, "SQUALL_NAMESPACE": "/acme", "SQUALL_TOKEN": squall.token}
    version = _in(environment, "squallctl", "--version", cwd=tmp_path)
    assert version.stdout.strip() == "squallctl 1.0"
    listed = _in(environment, "squallctl", "api", "list", "activities", "--limit", "5", cwd=tmp_path, **exports)
    assert listed.returncode == 0, listed.stderr
    objects = json.loads(listed.stdout)
    assert len(objects) == 5 and {o["namespace"] for o in objects} == {"/acme"}
