"""Large APIs are loaded and rendered on every core: same bytes and same errors as one core."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.synthetic_specs import write_specs
from generator import parallel
from generator.errors import SpecError
from generator.load import load_api
from generator.render import Templates
from generator.targets import build, flatten, render_all
from tests.conftest import SPECS

COUNT = parallel.MIN_ITEMS + 12  # enough models for the work to be forked


@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_specs(tmp_path_factory.mktemp("synthetic") / "specs", COUNT)


def test_forked_rendering_gives_the_same_bytes_as_one_core(specs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forked = flatten(render_all(load_api(specs), Templates()))
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)
    in_place = flatten(render_all(load_api(specs), Templates()))
    assert len(forked) > 3 * COUNT
    assert forked == in_place


def test_rendering_while_loading_gives_the_same_bytes(tmp_path: Path) -> None:
    """build() renders each model in the worker that loads it, before the whole API is known;
    with an activity log in the API (which the other models' pages mention), the bytes are
    those of rendering every model with the whole API."""
    folder = write_specs(tmp_path / "specs", COUNT)
    shutil.copy(SPECS / "activity.spec.yaml", folder)
    while_loading = flatten(build(folder, Templates()))
    afterwards = flatten(render_all(load_api(folder), Templates()))
    assert any("activity" in path for path in while_loading)
    assert while_loading == afterwards


def test_map_items_keeps_order_and_uses_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def where(context: int, item: int) -> tuple[int, int]:
        return item * context, os.getpid()

    results = parallel.map_items(where, 3, list(range(100)))
    assert [value for value, _ in results] == [i * 3 for i in range(100)]
    if (os.cpu_count() or 1) > 1:
        assert len({pid for _, pid in results}) > 1, "the work should have been shared with a worker"


def test_problems_found_in_a_worker_are_reported(specs: Path, tmp_path: Path) -> None:
    broken = write_specs(tmp_path / "specs", COUNT)
    victim = sorted(broken.glob("*.spec.yaml"))[-1]
    victim.write_text(victim.read_text().replace("type: float", "type: flaot"))
    with pytest.raises(SpecError) as caught:
        load_api(broken)
    assert [str(p).split(": ", 1)[0] for p in caught.value.problems] == [f"specs/{victim.name}:42:9"]
    assert "did you mean 'float'" in caught.value.problems[0].message


def test_clashes_across_files_are_found_after_a_parallel_load(tmp_path: Path) -> None:
    folder = write_specs(tmp_path / "specs", COUNT)
    last = sorted(folder.glob("*.spec.yaml"))[-1]
    last.write_text(last.read_text().replace(f"category: {last.name.split('.')[0]}s", "category: thing0000s"))
    with pytest.raises(SpecError) as caught:
        load_api(folder)
    assert [p.message for p in caught.value.problems] == ["'thing0000s' is already used by specs/thing0000.spec.yaml"]
