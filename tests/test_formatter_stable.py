"""Per-model templates emit ruff's layout: ruff leaves a per-model file alone whenever its lines fit.

The pipeline relies on this to skip ruff for those files (generator/pyformat.py), so random
models, with every type, flag, value and awkward description, are rendered and checked
against what ruff makes of them; so are the shared files of targets that claim the same.
SPECGEN_FUZZ_EXAMPLES=N runs N examples instead of 100.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st

from generator.errors import SpecError
from generator.load import load_api
from generator.pyformat import RUFF_ARGS, fits
from generator.render import Templates
from generator.targets import TARGET_MODULES, _target
from tests.conftest import ROOT
from tests.spec_strategies import model_specs


def _ruff_format(files: dict[str, str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        for path, text in files.items():
            (Path(tmp) / path).write_text(text, encoding="utf-8")
        subprocess.run([sys.executable, "-m", "ruff", *RUFF_ARGS, "."], cwd=tmp, check=True, capture_output=True)
        return {path: (Path(tmp) / path).read_text(encoding="utf-8") for path in files}


TEMPLATES = Templates()


@settings(
    max_examples=int(os.environ.get("SPECGEN_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.integers(1, 8).flatmap(lambda count: st.tuples(*(model_specs(index) for index in range(count)))))
def test_per_model_files_that_fit_are_what_ruff_makes_of_them(specs: tuple[dict[str, Any], ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "specs"  # the name shown in each file's header, as in a real project
        folder.mkdir()
        api_text = (ROOT / "specs" / "_api.yaml").read_text("utf-8")
        (folder / "_api.yaml").write_text(api_text, encoding="utf-8")
        for spec in specs:
            text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
            (folder / f"{spec['model']['name']}.spec.yaml").write_text(text, encoding="utf-8")
        try:
            api = load_api(folder)
        except SpecError:  # a combination the spec rules refuse: not this test's concern
            reject()
    rendered: dict[str, str] = {}
    for name in TARGET_MODULES:
        target = _target(name)
        files = target.render_shared(api, TEMPLATES) if target.SHARED_IN_RUFF_LAYOUT else {}
        for model in api.models:
            files.update(target.render_model(api, model, TEMPLATES))
        rendered.update({path.replace("/", "__"): text for path, text in files.items() if path.endswith(".py")})
    fitting = {path: text for path, text in rendered.items() if fits(text)}
    event(f"{len(fitting)} of {len(rendered)} files fit")
    formatted = _ruff_format(rendered)
    for path, text in fitting.items():
        assert formatted[path] == text, path


def test_ordinary_models_fit_so_ruff_is_skipped() -> None:
    """Generation stays fast only if ordinary model files need no ruff: a long docstring in the
    template once sent every model file of every API through it (the models target took 40 % longer)."""
    from benchmarks.synthetic_specs import write_specs

    with tempfile.TemporaryDirectory() as tmp:
        api = load_api(write_specs(Path(tmp) / "specs", 12))
    for name in TARGET_MODULES:
        for model in api.models:
            for path, text in _target(name).render_model(api, model, TEMPLATES).items():
                assert not path.endswith(".py") or fits(text), f"{path} would go through ruff"
