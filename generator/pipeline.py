"""Generation as a library: what ``specgen validate``, ``generate`` and ``check`` do, from Python.

    from pathlib import Path
    from generator import pipeline

    result = pipeline.generate(Path("specs"), Path("generated"))
    print(result.written)

Each call raises :class:`~generator.errors.SpecError` (every problem of the specs),
:class:`~generator.render.TemplateProblem` or OSError; the output folder is then left exactly
as it was. The CLI only calls these and prints their results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import cache, output
from generator.render import Templates
from generator.spec import Api


@dataclass(frozen=True, slots=True)
class Result:
    """What a generate (or a check) did, or would do, to the output folder."""

    out: Path
    written: tuple[str, ...]  # new or changed files (check: that generate would write)
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]  # files a previous run wrote for what is gone
    from_cache: bool  # no input changed since the last generate: nothing was rendered
    diff: str = ""  # check: a unified diff of what generate would change

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def validate(specs: Path) -> Api:
    """Load and check the specs; the API they describe."""
    from generator.load import load_api

    return load_api(specs)


def render(
    specs: Path, *, templates: Path | None = None, targets: Sequence[str] = (), cache_dir: Path | None = None
) -> dict[str, dict[str, str]]:
    """Every selected target's files, ``{target: {relative path: text}}``, in memory; writes nothing.

    ``templates`` is a folder overlaying the built-in templates file by file; ``targets``
    selects output targets (all when empty); ``cache_dir`` keeps compiled templates and schema
    validators between runs (in its ``templates/`` and ``validators/``).
    """
    from generator.targets import build

    templates_cache = cache_dir / "templates" if cache_dir is not None else None
    validators_cache = cache_dir / "validators" if cache_dir is not None else None
    return build(
        specs, Templates(templates, cache_dir=templates_cache), _ordered(targets), validators_cache=validators_cache
    )


def generate(
    specs: Path, out: Path, *, templates: Path | None = None, targets: Sequence[str] = (), use_cache: bool = True
) -> Result:
    """Write the output folder from the specs, all at once: only what changed, and remove what a
    previous run wrote for a spec that is gone. Other targets' files are left alone."""
    from generator.targets import flatten

    selected = _ordered(targets)
    digest = cache.inputs_digest(specs, templates, selected)
    current = cache.fresh(out, digest) if digest is not None and use_cache else None
    if current is not None:
        return Result(out, (), tuple(current), (), from_cache=True)
    by_target = render(specs, templates=templates, targets=selected, cache_dir=cache.cache_dir(out))
    plan = output.plan(out, by_target)
    # Hashed for the cache while the files are written.
    hashes = cache.Hashes({**flatten(by_target), output.MANIFEST: plan.manifest}) if digest is not None else None
    cache.forget(out)  # the cache must never outlive the files it describes
    output.apply(out, plan)
    if digest is not None and hashes is not None:
        cache.save(out, digest, hashes)
    return Result(out, tuple(plan.written), tuple(plan.unchanged), tuple(plan.removed), from_cache=False)


def check(
    specs: Path, out: Path, *, templates: Path | None = None, targets: Sequence[str] = (), use_cache: bool = True
) -> Result:
    """What :func:`generate` would change, with its diff; writes nothing."""
    selected = _ordered(targets)
    digest = cache.inputs_digest(specs, templates, selected)
    current = cache.fresh(out, digest) if digest is not None and use_cache else None
    if current is not None:
        return Result(out, (), tuple(current), (), from_cache=True)
    by_target = render(specs, templates=templates, targets=selected, cache_dir=cache.cache_dir(out))
    plan = output.plan(out, by_target)
    label = str(out).rstrip("/")
    diff = output.diff(out, plan, label) if plan.changes_anything else ""
    return Result(out, tuple(plan.written), tuple(plan.unchanged), tuple(plan.removed), False, diff)


def _ordered(targets: Sequence[str]) -> list[str]:
    """The selected targets in the pipeline's order; an unknown name is a ValueError."""
    from generator.targets import TARGET_MODULES

    unknown = sorted(set(targets) - set(TARGET_MODULES))
    if unknown:
        raise ValueError(f"unknown target(s) {', '.join(unknown)}; targets: {', '.join(TARGET_MODULES)}")
    return [name for name in TARGET_MODULES if name in targets]
