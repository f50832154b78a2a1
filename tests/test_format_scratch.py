"""Formatting's scratch folders: a killed run's folder is removed by the next run, a live one's kept.

A generate killed by SIGKILL runs no cleanup, and its scratch copy (on tmpfs, where it holds
memory) stayed until a reboot: tests/hostile/test_atomic_output.py alone left dozens a run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator import pyformat


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_next_run_removes_what_killed_runs_left_and_keeps_the_rest(tmp_path: Path) -> None:
    killed = tmp_path / f"specgen-format-{_dead_pid()}-abc123"
    (killed / "python").mkdir(parents=True)
    (killed / "python" / "model.py").write_text("x = 1\n", "utf-8")
    running = tmp_path / f"specgen-format-{os.getpid()}-def456"  # this process: alive
    running.mkdir()
    other = tmp_path / "specgen-format-notapid"  # not named as the runs name theirs: not ours
    other.mkdir()
    linted = tmp_path / f"specgen-lint-{_dead_pid()}-ghi789"  # the ambiguous-text check's
    linted.mkdir()
    pyformat._remove_orphans(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([running.name, other.name])


def test_a_finished_run_leaves_no_scratch_folder_of_its_own() -> None:
    scratch = Path(pyformat._SCRATCH or "/tmp")
    before = set(scratch.glob(f"specgen-format-{os.getpid()}-*"))
    out = pyformat.format_python({"a.py": "x=( 1 )\n"})
    assert out["a.py"] == "x = 1\n"
    assert set(scratch.glob(f"specgen-format-{os.getpid()}-*")) == before


def test_the_ambiguous_text_check_leaves_no_scratch_folder_of_its_own() -> None:
    scratch = Path(pyformat._SCRATCH or "/tmp")
    before = set(scratch.glob(f"specgen-lint-{os.getpid()}-*"))
    assert pyformat.ambiguous_text({"a.py": 'x = "\u00d7"  # a multiplication sign\n'}) == {"a.py": ["RUF001"]}
    assert set(scratch.glob(f"specgen-lint-{os.getpid()}-*")) == before
