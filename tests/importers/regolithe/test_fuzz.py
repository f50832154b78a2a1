"""Whatever a regolithe folder holds, the import answers with located problems or specs, never a
traceback: random edits of the kitchen fixture (lines dropped, repeated, re-indented, values
swapped) are imported."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import SpecError
from generator.importers import regolithe
from tests.importers.regolithe.support import KITCHEN

FILES = sorted(p.name for p in KITCHEN.iterdir() if p.is_file())
VALUES = [
    "",
    "null",
    "[]",
    "{}",
    "true",
    "3",
    "'x'",
    "[a, b]",
    "{a: 1}",
    "refList",
    "external",
    "'@gone'",
    "$queryable",
]


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[str, str, int, str]]:
    return draw(
        st.lists(
            st.tuples(
                st.sampled_from(FILES),
                st.sampled_from(["drop", "repeat", "indent", "value"]),
                st.integers(0, 400),
                st.sampled_from(VALUES),
            ),
            min_size=1,
            max_size=4,
        )
    )


def _apply(folder: Path, edit: tuple[str, str, int, str]) -> None:
    name, how, at, value = edit
    path = folder / name
    lines = path.read_text("utf-8").splitlines()
    if not lines:
        return
    index = at % len(lines)
    line = lines[index]
    if how == "drop":
        del lines[index]
    elif how == "repeat":
        lines.insert(index, line)
    elif how == "indent":
        lines[index] = "  " + line
    elif ":" in line:
        lines[index] = line.split(":", 1)[0] + ": " + value
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@settings(
    max_examples=int(os.environ.get("SPECGEN_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(changes=edits())
def test_any_edit_gives_specs_or_located_problems(changes: list[tuple[str, str, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "kitchen"
        shutil.copytree(KITCHEN, folder)
        for change in changes:
            _apply(folder, change)
        for fix in (False, True):
            out = Path(tmp) / f"out-{fix}"
            try:
                result = regolithe.import_folder(folder, out, fix=fix, schema_base="s")
            except SpecError as exc:
                assert exc.problems
                assert all(p.file.startswith("kitchen/") and p.line >= 1 for p in exc.problems)
                assert not out.exists()
                continue
            assert result.written and (out / "_api.yaml").is_file()
            assert all(p.file.startswith(f"out-{fix}/") for p in result.problems)
