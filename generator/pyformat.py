"""Format generated Python with ruff, in one batch, so output is ruff-clean whatever its lengths.

Templates emit correct code; where a line breaks depends on name and description lengths,
which only a formatter gets right every time. ``--isolated`` ignores any ruff config around
the output folder, so the same specs give the same bytes on every machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.render import TemplateProblem

# Thousands of small files: a memory-backed folder makes writing them ten times faster here.
_SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
RUFF_ARGS = ("format", "--isolated", "--quiet", "--no-cache", "--line-length", "120", "--target-version", "py311")


def format_python(files: dict[str, str]) -> dict[str, str]:
    """The same files, with every ``.py`` formatted; raises TemplateProblem when it is not valid Python."""
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    if not python:
        return files
    with tempfile.TemporaryDirectory(prefix="specgen-format-", dir=_SCRATCH) as tmp:
        root = Path(tmp)
        for path, text in python.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            result = subprocess.run(
                [sys.executable, "-m", "ruff", *RUFF_ARGS, "."],
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
