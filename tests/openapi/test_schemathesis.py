"""Schemathesis, a tool nobody here wrote, against a live ``specgen serve`` from the generated document.

Every operation, its default checks (server errors, status codes, content types, response
headers and schemas, schema-valid data accepted and invalid data refused, auth...), all four
phases, a bounded number of examples and a fixed seed: the same run every time. The only help
it gets is the filter language (tests/openapi/schemathesis_hooks.py), which it cannot know.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOLDEN, ROOT, SPECS
from tests.live_serve import generate_into, serving

MAX_EXAMPLES = 40
SEED = 20240601
CASES = {
    # The Squall log, seeded with make serve's sample data; the kitchen sink writes, with every type.
    "squall": (SPECS, ROOT / "examples" / "activities.jsonl"),
    "kitchen_sink": (GOLDEN / "kitchen_sink" / "specs", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_schemathesis_finds_no_failure(case: str, tmp_path: Path) -> None:
    specs, seed = CASES[case]
    out = generate_into(specs, tmp_path / "generated")
    schemathesis = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert schemathesis is not None, "schemathesis is in the dev extra: pip install -e '.[dev]'"
    with serving(specs, out, tmp_path, seed=seed) as live:
        command = [schemathesis, "run", str(out / "openapi.json"), "--url", live.url]
        command += ["--header", f"Authorization: Bearer {live.token}", "--workers", "1"]
        command += ["--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--no-color"]
        result = subprocess.run(
            command,
            cwd=tmp_path,  # its .hypothesis folder goes there
            env={**os.environ, "PYTHONPATH": str(ROOT), "SCHEMATHESIS_HOOKS": "tests.openapi.schemathesis_hooks"},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    report = _shortened(result.stdout + result.stderr)
    assert result.returncode == 0, report
    assert " passed" in report and "Tested: " in report, report


def _shortened(text: str, width: int = 400) -> str:
    """Schemathesis prints whole requests; a query of 16 KiB need not fill the test log."""
    return "\n".join(line if len(line) <= width else line[:width] + " ..." for line in text.splitlines())
