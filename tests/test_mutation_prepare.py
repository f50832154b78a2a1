"""mutation/prepare.py: a module that joined the mutation run after mutants/ was made is mutated
by the next scoped run (mutmut took its plain copy for a mutated one), and every test is mapped again."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _prepare_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_prepare", ROOT / "mutation" / "prepare.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _project(root: Path, listed: list[str]) -> None:
    names = ", ".join(f'"{name}"' for name in listed)
    (root / "pyproject.toml").write_text(f"[tool.mutmut]\nonly_mutate = [{names}]\n", "utf-8")
    for name in listed:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("def f() -> int:\n    return 1\n", "utf-8")
        os.utime(root / name, (1_000_000, 1_000_000))


def _mutated_copy(mutants: Path, name: str) -> None:
    (mutants / name).parent.mkdir(parents=True, exist_ok=True)
    (mutants / name).write_text("from mutmut.mutation.trampoline import wrap_in_trampoline\n", "utf-8")
    (mutants / f"{name}.meta").write_text("{}", "utf-8")


def test_a_module_without_mutation_data_is_touched_and_the_test_map_moved_aside(tmp_path: Path) -> None:
    _project(tmp_path, ["pkg/old.py", "pkg/new.py"])
    mutants = tmp_path / "mutants"
    (mutants / "pkg").mkdir(parents=True)
    _mutated_copy(mutants, "pkg/old.py")
    (mutants / "mutmut-stats.json").write_text('{"tests_by_mangled_function_name": {}}', "utf-8")
    assert _prepare_module().prepare(tmp_path) == ["pkg/new.py"]
    assert (tmp_path / "pkg" / "new.py").stat().st_mtime > 1_000_000  # newer than its copy: mutated
    assert (tmp_path / "pkg" / "old.py").stat().st_mtime == 1_000_000  # its results stay
    assert not (mutants / "mutmut-stats.json").exists()
    assert (mutants / "mutmut-stats.before-prepare.json").exists()


def test_nothing_changes_when_every_module_has_its_data_or_there_is_no_run(tmp_path: Path) -> None:
    prepare = _prepare_module().prepare
    _project(tmp_path, ["pkg/old.py"])
    assert prepare(tmp_path) == []  # no mutants/: a fresh run mutates everything
    mutants = tmp_path / "mutants"
    (mutants / "pkg").mkdir(parents=True)
    _mutated_copy(mutants, "pkg/old.py")
    (mutants / "mutmut-stats.json").write_text("{}", "utf-8")
    assert prepare(tmp_path) == []
    assert (mutants / "mutmut-stats.json").exists()
    assert (tmp_path / "pkg" / "old.py").stat().st_mtime == 1_000_000


def test_a_module_that_left_the_run_and_joined_again_is_mutated_afresh(tmp_path: Path) -> None:
    # Its data from the earlier run stays in mutants/ beside the plain copy made while it was out.
    _project(tmp_path, ["pkg/back.py"])
    mutants = tmp_path / "mutants"
    (mutants / "pkg").mkdir(parents=True)
    (mutants / "pkg" / "back.py").write_text("def f() -> int:\n    return 1\n", "utf-8")
    (mutants / "pkg" / "back.py.meta").write_text('{"exit_code_by_key": {"x": 0}}', "utf-8")
    (mutants / "pkg" / "back.py.spans").write_text("{}", "utf-8")
    (mutants / "mutmut-stats.json").write_text("{}", "utf-8")
    assert _prepare_module().prepare(tmp_path) == ["pkg/back.py"]
    assert (tmp_path / "pkg" / "back.py").stat().st_mtime > 1_000_000
    assert not (mutants / "pkg" / "back.py.meta").exists()  # the old results are of a plain copy's time
    assert not (mutants / "pkg" / "back.py.spans").exists()
    assert not (mutants / "mutmut-stats.json").exists()
