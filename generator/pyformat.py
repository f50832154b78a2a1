"""Format generated Python with ruff, in one batch, so output is ruff-clean whatever its lengths.

Templates emit correct code; where a line breaks depends on name and description lengths,
which only a formatter gets right every time. ``--isolated`` ignores any ruff config around
the output folder, so the same specs give the same bytes on every machine.

Per-model templates (and the models target's shared ones) emit ruff's own layout already,
one statement per line: ruff would only change such a file where a line is too long, so
:func:`fits` picks the ones that go through it (most files of most APIs never do). That the
templates emit ruff's layout is held by tests/test_formatter_stable.py over random models.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path

from generator.render import TemplateProblem
from generator.ruff_layout import LINE_LENGTH

# Thousands of small files: a memory-backed folder makes writing them ten times faster here.
_SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
RUFF_ARGS: tuple[str, ...] = ("format", "--isolated", "--no-cache", "--line-length", str(LINE_LENGTH))
RUFF_ARGS += ("--target-version", "py311")


# Lines ruff keeps as they are, however long: a comment, and a keyword argument that is one
# string literal (ruff never splits a string).
_KEPT_WHEN_LONG = re.compile(rb"""\s*(?:#.*|[A-Za-z_]\w*=(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'),)""")


@functools.cache
def _ruff() -> list[str]:
    """The command that runs ruff: its binary, found as ``python -m ruff`` finds it (without
    starting a Python that only looks for it, 60 ms of each run); else ``python -m ruff``."""
    try:
        binary: str = importlib.import_module("ruff").find_ruff_bin()  # ruff ships no type hints
        return [binary]
    except (ImportError, AttributeError, OSError):
        return [sys.executable, "-m", "ruff"]


def fits(text: str) -> bool:
    """True when ruff would leave every line of ``text`` where it is (so a file in ruff's layout stays as is).

    Lines are measured in UTF-8 bytes: a character never takes more columns than bytes (ruff
    counts a wide one as two columns). A tab, which ruff expands, never fits.
    """
    data = text.encode("utf-8")
    if b"\t" in data:
        return False
    return all(len(line) <= LINE_LENGTH or _KEPT_WHEN_LONG.fullmatch(line) for line in data.split(b"\n"))


# Ruff's rules for characters that look like ASCII ones (a multiplication sign for x): strings, docstrings, comments.
AMBIGUOUS_TEXT_RULES = ("RUF001", "RUF002", "RUF003")


def ambiguous_text(files: dict[str, str]) -> dict[str, list[str]]:
    """The ambiguous-character rules ruff finds in each Python file: ``{path: [codes]}``, sorted.

    Only files with non-ASCII text can break those rules, so only they are looked at.
    """
    candidates = {path: text for path, text in files.items() if path.endswith(".py") and not text.isascii()}
    if not candidates:
        return {}
    import json

    with _scratch_folder("lint") as root:
        for path, text in candidates.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        rules = ",".join(AMBIGUOUS_TEXT_RULES)
        command = [*_ruff(), "check", "--isolated", "--no-cache", "--select", rules]
        result = subprocess.run(
            [*command, "--output-format", "json", "--exit-zero", "."], cwd=root, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise TemplateProblem(f"generated Python does not parse (a template bug):\n{result.stderr.strip()}")
        found: dict[str, set[str]] = {}
        for finding in json.loads(result.stdout or "[]"):
            path = Path(finding["filename"]).resolve().relative_to(root.resolve()).as_posix()
            found.setdefault(path, set()).add(finding["code"])
    return {path: sorted(codes) for path, codes in sorted(found.items())}


_KINDS = ("format", "lint")  # the scratch folders this module makes: specgen-<kind>-<pid>-<random>


@contextlib.contextmanager
def _scratch_folder(kind: str) -> Iterator[Path]:
    """A scratch folder named after this process, removed at the end; first, those of killed runs."""
    scratch = Path(_SCRATCH or tempfile.gettempdir())
    _remove_orphans(scratch)
    with tempfile.TemporaryDirectory(prefix=f"specgen-{kind}-{os.getpid()}-", dir=scratch) as tmp:
        yield Path(tmp)


def _remove_orphans(scratch: Path) -> None:
    """Remove the scratch folders of runs that were killed (SIGKILL runs no cleanup; on tmpfs
    they would hold memory until a reboot): each is named after its process, gone ones are dropped."""
    for kind in _KINDS:
        prefix = f"specgen-{kind}-"
        for folder in scratch.glob(f"{prefix}*-*"):
            pid = folder.name[len(prefix) :].partition("-")[0]
            if not pid.isdigit() or _alive(int(pid)):
                continue
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive, and not ours to clean
        return True
    return True


def format_python(files: dict[str, str], already_formatted: Collection[str] = ()) -> dict[str, str]:
    """The same files, with every ``.py`` formatted; raises TemplateProblem when it is not valid Python.

    Files named in ``already_formatted`` are taken as they are: the caller knows them to be in
    ruff's layout, with lines that fit. (Python is only parsed where ruff runs.)
    """
    python = {path: text for path, text in files.items() if path.endswith(".py") and path not in already_formatted}
    if not python:
        return files
    with _scratch_folder("format") as root:
        for path, text in python.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            result = subprocess.run(
                [*_ruff(), *RUFF_ARGS, "."],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as exc:
            raise TemplateProblem(f"cannot run ruff to format the generated Python: {exc}") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().replace(str(root) + "/", "")
            raise TemplateProblem(f"generated Python does not parse (a template bug):\n{detail}")
        formatted = dict(files)
        for path in python:
            formatted[path] = (root / path).read_text(encoding="utf-8")
    return formatted
