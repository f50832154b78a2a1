"""The hooks of .pre-commit-hooks.yaml in a consumer's repository, run by pre-commit itself.

A scratch git repository uses specgen as a project would: ``specgen init``, ``specgen generate``,
``generated/`` committed, and a ``.pre-commit-config.yaml`` whose local hooks are the ones this
repository publishes, run with the specgen installed in the environment (the project's dev
dependency), so the test needs no network: pre-commit builds no environment for them.
``pre-commit run --all-files`` then passes, stops a commit whose output is stale, and prints
each spec problem once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

HOOKS: list[dict[str, Any]] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
BIN = Path(sys.executable).parent


def test_the_published_hooks_regenerate_or_only_check() -> None:
    assert [hook["id"] for hook in HOOKS] == ["specgen-generate", "specgen-check", "specgen-diff"]
    for hook in HOOKS:
        assert hook["language"] == "python"  # a remote consumer gets specgen installed at the pinned rev
        assert hook["pass_filenames"] is False and hook["require_serial"] is True
        assert hook["entry"] == f"specgen {hook['id'].removeprefix('specgen-')}"


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)


def _consumer(folder: Path, hook_id: str) -> tuple[Path, dict[str, str]]:
    """A committed project whose pre-commit config runs one published hook with the installed specgen."""
    git = shutil.which("git")
    assert git
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(folder / "home"),
        "PRE_COMMIT_HOME": str(folder / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "A Newcomer",
        "GIT_AUTHOR_EMAIL": "newcomer@example.com",
        "GIT_COMMITTER_NAME": "A Newcomer",
        "GIT_COMMITTER_EMAIL": "newcomer@example.com",
        "LANG": "C.UTF-8",
    }
    repo = folder / "shop"
    repo.mkdir()
    for command in (
        [git, "init", "-q"],
        ["specgen", "init", "--title", "Shop"],
        ["specgen", "generate"],
    ):
        result = _run(command, repo, env)
        assert result.returncode == 0, result.stdout + result.stderr
    hook = {**next(h for h in HOOKS if h["id"] == hook_id), "language": "system"}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    for command in ([git, "add", "-A"], [git, "commit", "-q", "-m", "A new project"]):
        result = _run(command, repo, env)
        assert result.returncode == 0, result.stdout + result.stderr
    return repo, env


def _pre_commit(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run([str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"], repo, env)


def _break(spec: Path) -> list[str]:
    """Two problems in a spec: a YAML 1.1 flag spelling and a description that is no sentence."""
    text = spec.read_text("utf-8")
    text = text.replace("    required: true\n", "    required: yes\n", 1)
    text = text.replace("What the task is for.", "What the task is for", 1)
    spec.write_text(text, "utf-8")
    return ["specs/task.spec.yaml:", "attributes[2].required: expected true or false", "attributes[3].description:"]


@pytest.mark.parametrize("hook_id", ["specgen-generate", "specgen-check"])
def test_a_clean_project_passes(tmp_path: Path, hook_id: str) -> None:
    repo, env = _consumer(tmp_path, hook_id)
    result = _pre_commit(repo, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


@pytest.mark.parametrize("hook_id", ["specgen-generate", "specgen-check"])
def test_spec_problems_are_printed_once_and_the_output_is_left_alone(tmp_path: Path, hook_id: str) -> None:
    repo, env = _consumer(tmp_path, hook_id)
    _break(repo / "specs" / "task.spec.yaml")
    before = (repo / "generated" / "docs" / "models" / "task.md").read_bytes()
    result = _pre_commit(repo, env)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    problems = [line for line in output.splitlines() if line.startswith("specs/")]
    assert len(problems) == 2, output
    assert len(set(problems)) == 2, "each problem once"
    assert 'attributes[2].required: expected true or false, got string "yes"' in problems[0]
    assert "attributes[3].description: a description is a sentence" in problems[1]
    assert output.count("specgen: 2 problems in 1 file; nothing written") == 1
    assert (repo / "generated" / "docs" / "models" / "task.md").read_bytes() == before


def test_the_generate_hook_rewrites_the_output_and_stops_the_commit(tmp_path: Path) -> None:
    repo, env = _consumer(tmp_path, "specgen-generate")
    spec = repo / "specs" / "task.spec.yaml"
    spec.write_text(spec.read_text("utf-8").replace("Name of the task.", "What the task is called."), "utf-8")
    first = _pre_commit(repo, env)
    assert first.returncode == 1, "files changed: the commit stops so they can be staged"
    assert "files were modified by this hook" in first.stdout
    assert "What the task is called" in (repo / "generated" / "docs" / "models" / "task.md").read_text("utf-8")
    status = _run(["git", "status", "--porcelain"], repo, env).stdout.splitlines()
    assert sorted(line[3:] for line in status) == [
        "generated/docs/models/task.md",
        "generated/openapi.json",
        "generated/python/shop_client/cli.py",
        "generated/python/shop_models/task.py",
        "generated/python/shop_server/openapi.json",
        "generated/schemas/task.json",
        "specs/task.spec.yaml",
    ], "the new output, and no lock or cache file"
    assert _run(["git", "add", "-A"], repo, env).returncode == 0
    second = _pre_commit(repo, env)
    assert second.returncode == 0, second.stdout


def test_the_check_hook_fails_on_a_stale_output_and_writes_nothing(tmp_path: Path) -> None:
    repo, env = _consumer(tmp_path, "specgen-check")
    spec = repo / "specs" / "task.spec.yaml"
    spec.write_text(spec.read_text("utf-8").replace("Name of the task.", "What the task is called."), "utf-8")
    result = _pre_commit(repo, env)
    assert result.returncode == 1
    assert result.stdout.count("specgen: generated is stale: 6 changed, 0 added, 0 removed;") == 1
    assert "+    description: " not in result.stdout and "What the task is called" in result.stdout
    status = _run(["git", "status", "--porcelain"], repo, env).stdout.splitlines()
    assert [line[3:] for line in status] == ["specs/task.spec.yaml"], "check writes nothing"


def test_the_diff_hook_stops_an_unacknowledged_breaking_change(tmp_path: Path) -> None:
    repo, env = _consumer(tmp_path, "specgen-diff")
    spec = repo / "specs" / "task.spec.yaml"
    text = spec.read_text("utf-8")
    assert "    max_length: 200\n" in text
    spec.write_text(text.replace("    max_length: 200\n", "    max_length: 20\n", 1), "utf-8")  # a tighter limit
    result = _pre_commit(repo, env)
    assert result.returncode == 1, result.stdout
    assert (
        "task.name.max_length: longest allowed changed from 200 to 20 [breaks clients and stored data]" in result.stdout
    )
    assert "not acknowledged" in result.stdout
    with (repo / "specs" / "_api.yaml").open("a", encoding="utf-8") as api:
        api.write("breaking_changes:\n  task.name.max_length: short names only; no client is live yet.\n")
    assert _pre_commit(repo, env).returncode == 0
