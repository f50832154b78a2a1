"""A newcomer's first hour with the CLI: --version, init, new model, generate --watch, and the
guidance on a typo, on the wrong folder and on a stale output (summary first, colour on a terminal).

These run ``specgen`` as a user does: the installed console script, in a scratch folder.
"""

from __future__ import annotations

import os
import pty
import queue
import select
import shutil
import signal
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import generator
from generator.load import load_api
from tests.conftest import ROOT, Cli

SPECGEN = str(Path(sys.executable).parent / "specgen")
WAIT = 120  # seconds; a hang guard for reading a running process's output, never a speed check


def specgen(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SPECGEN, *args], cwd=cwd, capture_output=True, text=True, check=False, env=env, timeout=300)


def test_version_is_the_package_version() -> None:
    result = specgen("--version", cwd=ROOT)
    assert (result.returncode, result.stdout) == (0, f"specgen {generator.__version__}\n")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert config["project"]["dynamic"] == ["version"]
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "generator.__version__"}


def test_a_mistyped_command_or_choice_gets_did_you_mean(cli: Cli) -> None:
    result = cli("generat")
    assert result.code == 2
    assert "unknown command 'generat' (did you mean 'generate'?); choose from init, new, generate," in result.err
    result = cli("generate", "--target", "dcos")
    assert result.code == 2 and "unknown choice 'dcos' (did you mean 'docs'?)" in result.err
    result = cli("frobnicate")
    assert result.code == 2 and "unknown command 'frobnicate';" in result.err and "did you mean" not in result.err


@pytest.mark.parametrize("command", ["validate", "generate", "check"])
def test_run_from_a_folder_without_specs_says_where_it_looked(tmp_path: Path, command: str) -> None:
    result = specgen(command, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"specgen: no specs folder: looked for {tmp_path.resolve() / 'specs'}",
        "specgen: run specgen in your project's folder, pass --specs DIR, or start a project with `specgen init`",
    ]
    assert list(tmp_path.iterdir()) == [], "nothing written"


def test_run_from_inside_a_project_points_at_its_root(tmp_path: Path) -> None:
    assert specgen("init", cwd=tmp_path).returncode == 0
    inside = tmp_path / "docs" / "drafts"
    inside.mkdir(parents=True)
    result = specgen("generate", cwd=inside)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1] == (
        f"specgen: {tmp_path.resolve()} holds a project: cd ../.. and run it there"
        " (or pass --specs ../../specs --out ../../generated)"
    )


# --- init, then the whole toolchain on the new project ---------------------------------------


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new project: a git repository, `specgen init`, `specgen generate`."""
    folder = tmp_path_factory.mktemp("my-shop")
    git = shutil.which("git")
    assert git
    subprocess.run([git, "init", "-q", str(folder)], check=True)
    result = specgen("init", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "specgen init: wrote specs/_api.yaml",
        "specgen init: wrote specs/task.spec.yaml",
        "specgen init: wrote mkdocs.yml",
        "specgen init: next: specgen generate  (then mkdocs build for the docs site)",
    ]
    result = specgen("generate", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


def test_init_names_the_project_after_its_folder(started: Path) -> None:
    api = load_api(started / "specs")
    assert api.title == started.name.split("-")[0].title() + " " + started.name.split("-")[1].title()
    assert api.models_package.endswith("_models") and api.server_package.endswith("_server")
    assert [m.name for m in api.models] == ["task"]
    assert set(api.models[0].operations) == {"list", "retrieve", "create", "update", "delete"}


def test_init_leaves_nothing_but_its_files_and_the_output_in_the_repository(started: Path) -> None:
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=started,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    paths = sorted(line[3:] for line in status)
    assert [p for p in paths if not p.startswith("generated/")] == [
        "mkdocs.yml",
        "specs/_api.yaml",
        "specs/task.spec.yaml",
    ], "no lock or cache file for git to see"
    assert "generated/.specgen-manifest.json" in paths
    assert (started / ".specgen-cache" / ".gitignore").read_text() == "*\n"


def test_the_new_project_builds_its_docs_and_its_code_passes_ruff_and_mypy(started: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    site = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(started.parent / "site")],
        cwd=started,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert site.returncode == 0, site.stderr
    assert (started.parent / "site" / "models" / "task.html").is_file()
    # The same checks as tests/test_generated_quality.py gives the project's own output.
    python = started / "generated" / "python"
    config = str(ROOT / "pyproject.toml")
    packages = [arg for p in sorted(python.iterdir()) if (p / "__init__.py").is_file() for arg in ("-p", p.name)]
    assert len(packages) == 6  # the models, the server and the client
    for command in (
        ["ruff", "check", "--no-cache", "--config", config, "."],
        ["ruff", "format", "--check", "--no-cache", "--config", config, "."],
        ["mypy", "--strict", "--no-incremental", "--cache-dir", str(started.parent / "mypy-cache"), *packages],
    ):
        result = subprocess.run(
            [sys.executable, "-m", *command], cwd=python, capture_output=True, text=True, check=False, timeout=300
        )
        assert result.returncode == 0, f"{command[0]}: {result.stdout}{result.stderr}"


def test_init_overwrites_nothing(started: Path) -> None:
    before = (started / "specs" / "_api.yaml").read_bytes()
    result = specgen("init", cwd=started)
    assert result.returncode == 1
    assert result.stderr == (
        "specgen init: specs/_api.yaml, specs/task.spec.yaml, mkdocs.yml already there;"
        " init writes a new project and overwrites nothing\n"
    )
    assert (started / "specs" / "_api.yaml").read_bytes() == before


def test_init_into_a_folder_with_a_title(tmp_path: Path) -> None:
    result = specgen("init", "shop", "--title", "Corner Shop", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.splitlines()[-1]
        == "specgen init: next: cd shop && specgen generate  (then mkdocs build for the docs site)"
    )
    api = load_api(tmp_path / "shop" / "specs")
    assert (api.title, api.models_package, api.server_package) == (
        "Corner Shop",
        "corner_shop_models",
        "corner_shop_server",
    )


def test_new_model_adds_a_spec_that_generates(tmp_path: Path) -> None:
    assert specgen("init", cwd=tmp_path).returncode == 0
    result = specgen("new", "model", "access_policy", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "specgen new: wrote specs/access_policy.spec.yaml; edit it, then run specgen generate\n"
    model = load_api(tmp_path / "specs").models_by_name["access_policy"]
    assert (model.category, model.class_name) == ("access_policies", "AccessPolicy")
    assert specgen("generate", cwd=tmp_path).returncode == 0
    assert (tmp_path / "generated" / "docs" / "models" / "access_policy.md").is_file()

    again = specgen("new", "model", "access_policy", cwd=tmp_path)
    assert (again.returncode, again.stderr) == (
        1,
        "specgen new: specs/access_policy.spec.yaml already there; new model overwrites nothing\n",
    )
    bad = specgen("new", "model", "Access-Policy", cwd=tmp_path)
    assert bad.returncode == 1 and "'Access-Policy' is not a model name: lower snake case" in bad.stderr
    elsewhere = specgen("new", "model", "thing", cwd=tmp_path / "specs")
    assert elsewhere.returncode == 1 and "no _api.yaml in specs/" in elsewhere.stderr


# --- generate --watch ---------------------------------------------------------------------------


class Lines:
    """A running process's merged output, line by line, read in a thread."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout

        def read() -> None:
            for line in stream:
                self.queue.put(line)

        threading.Thread(target=read, daemon=True).start()

    def until(self, text: str) -> list[str]:
        """Every line up to the first that holds ``text``."""
        seen: list[str] = []
        while True:
            try:
                line = self.queue.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} after:\n{''.join(seen)}") from None
            seen.append(line)
            if text in line:
                return seen


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str], Lines]]:
    assert specgen("init", cwd=tmp_path).returncode == 0
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        [SPECGEN, "generate", "--watch"],
        cwd=tmp_path,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as process:
        try:
            yield tmp_path, process, Lines(process)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=WAIT)


def test_generate_watch_regenerates_on_every_save_until_ctrl_c(
    watching: tuple[Path, subprocess.Popen[str], Lines],
) -> None:
    folder, process, lines = watching
    first = lines.until("specgen: watching specs/ for changes (Ctrl-C stops)")
    assert "written, 0 unchanged, 0 removed" in first[0]
    spec = folder / "specs" / "task.spec.yaml"
    page = folder / "generated" / "docs" / "models" / "task.md"

    spec.write_text(spec.read_text().replace("Name of the task.", "What the task is called."))
    assert "specgen: generated: " in lines.until(" written, ")[-1]
    assert "What the task is called" in page.read_text()

    # A broken save: the problem, located, and the output stays as the last good run left it.
    good = spec.read_text()
    spec.write_text(good.replace("    required: true\n", "    required: yes\n", 1))
    problem = lines.until("nothing written")
    assert any(line.startswith("specs/task.spec.yaml:") and "required" in line for line in problem), problem
    assert "What the task is called" in page.read_text()

    spec.write_text(good.replace("What the task is called.", "Its name."))
    lines.until(" written, ")
    assert "Its name" in page.read_text()

    process.send_signal(signal.SIGINT)
    lines.until("specgen: stopped watching")
    assert process.wait(timeout=WAIT) == 0


# --- check: summary first, then the diff; colour only on a terminal -------------------------


@pytest.fixture
def stale(tmp_path: Path) -> Path:
    """A project whose output is stale: one model changed, one added since the last generate."""
    assert specgen("init", "--title", "Shop", cwd=tmp_path).returncode == 0
    assert specgen("generate", cwd=tmp_path).returncode == 0
    spec = tmp_path / "specs" / "task.spec.yaml"
    spec.write_text(spec.read_text().replace("Name of the task.", "What the task is called."))
    assert specgen("new", "model", "note", cwd=tmp_path).returncode == 0
    return tmp_path


def test_check_summarises_first_then_diffs(stale: Path) -> None:
    result = specgen("check", cwd=stale)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "specgen: generated is stale: 15 changed, 5 added, 0 removed; run `specgen generate` (the diff follows)",
        "  changed  .specgen-manifest.json",
        "  changed  docs/index.md",
        "  changed  docs/models/task.md",
        "  changed  openapi.json",
        "  changed  python/shop_client/__init__.py",
        "  changed  python/shop_client/cli.py",
        "  changed  python/shop_client/client.py",
        "  changed  python/shop_client/orders.py",
        "  changed  python/shop_client/resources/__init__.py",
        "  changed  python/shop_models/__init__.py",
        "  changed  python/shop_models/task.py",
        "  changed  python/shop_server/app.py",
        "  changed  python/shop_server/openapi.json",
        "  changed  python/shop_server/resources/__init__.py",
        "  changed  schemas/task.json",
        "  added    docs/models/note.md",
        "  added    python/shop_client/resources/note.py",
        "  added    python/shop_models/note.py",
        "  added    python/shop_server/resources/note.py",
        "  added    schemas/note.json",
    ]
    # stdout is the diff alone (`specgen check > stale.diff` is a patch), with no colour in a pipe.
    assert result.stdout.startswith("--- generated/.specgen-manifest.json\n")
    assert "+    description: What the task is called." not in result.stdout
    assert "What the task is called." in result.stdout and "\033[" not in result.stdout


def _on_a_terminal(folder: Path, env: dict[str, str]) -> str:
    """``specgen check`` with its stdout on a pseudo-terminal: what a user's terminal receives."""
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [SPECGEN, "check"], cwd=folder, env=env, stdout=follower, stderr=subprocess.DEVNULL
    ) as process:
        os.close(follower)
        chunks: list[bytes] = []
        while True:
            ready, _, _ = select.select([leader], [], [], WAIT)
            assert ready, "no output from specgen check"
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=WAIT) == 1
    os.close(leader)
    return b"".join(chunks).decode("utf-8")


def test_check_colours_its_diff_on_a_terminal_unless_no_color(stale: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm"}
    coloured = _on_a_terminal(stale, env)
    assert "\033[32m+" in coloured and "\033[31m-" in coloured and "\033[0m" in coloured
    plain = _on_a_terminal(stale, env | {"NO_COLOR": "1"})
    assert "\033[" not in plain and "+" in plain
