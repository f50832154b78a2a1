"""``specgen diff --against REF``: the specs now against those of a git revision or a folder.

Reading the old side (a folder, or ``git archive`` of a revision into a scratch folder), locating
each change on both sides, and saying it, for people or (``--format json``) for tools. Exit 1
when a breaking change is not acknowledged (see generator.diff).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from generator import diff, pipeline
from generator.errors import SpecError
from generator.yamlsource import Document, load_yaml

EXIT_OK, EXIT_BREAKING, EXIT_PROBLEMS = 0, 1, 1


class DiffError(Exception):
    """The old side cannot be read (no such revision, not a git repository...): the message says why."""


def run(args: argparse.Namespace) -> int:
    try:
        new = pipeline.validate(args.specs)
        with _old_specs(args.specs, args.against) as (old_dir, label):
            try:
                old = pipeline.validate(old_dir)
            except SpecError as exc:
                raise DiffError(f"the specs at {args.against} do not validate ({len(exc.problems)} problems)") from None
            changes = diff.compare(old, new)
            verdict = diff.verdict(changes, old, new, dict(new.breaking_changes))
            locate_old = _Locator(old_dir, f"{label}:" if not Path(args.against).is_dir() else "")
            locate_new = _Locator(args.specs, "")
            if args.format == "json":
                _print_json(changes, verdict, locate_old, locate_new)
            else:
                _print_text(args, changes, verdict, locate_old, locate_new, label)
    except DiffError as exc:
        print(f"specgen diff: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK if verdict.passes else EXIT_BREAKING


class _old_specs:
    """The old specs as a folder: the folder given, or the revision's specs exported to a scratch one."""

    def __init__(self, specs: Path, against: str) -> None:
        self.specs, self.against = specs, against
        self.scratch: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> tuple[Path, str]:
        folder = Path(self.against)
        if folder.is_dir():
            return folder, str(folder).rstrip("/")
        root = _git(self.specs, "rev-parse", "--show-toplevel").strip()
        relative = self.specs.resolve().relative_to(Path(root).resolve()).as_posix()
        archive = _git(Path(root), "archive", "--format=tar", self.against, "--", relative, binary=True)
        self.scratch = tempfile.TemporaryDirectory(prefix="specgen-diff-")
        target = Path(self.scratch.name)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
        old = target / relative
        if not old.is_dir():
            raise DiffError(f"{self.against} has no {relative}/ folder")
        # The old folder keeps the specs folder's name, so its files are shown as they are in git.
        named = target / "old" / self.specs.name
        named.parent.mkdir()
        old.rename(named)
        return named, self.against

    def __exit__(self, *exc: object) -> None:
        if self.scratch is not None:
            self.scratch.cleanup()


def _git(where: Path, *args: str, binary: bool = False) -> Any:
    try:
        result = subprocess.run(["git", "-C", str(where), *args], capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"cannot run git: {exc.strerror or exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return result.stdout if binary else result.stdout.decode("utf-8")


class _Locator:
    """``file:line:col`` of a change's side, reading each spec file once, when asked."""

    def __init__(self, specs_dir: Path, prefix: str) -> None:
        self.specs_dir, self.prefix = specs_dir, prefix
        self.documents: dict[str, Document | None] = {}

    def __call__(self, where: diff.Where | None) -> str | None:
        if where is None:
            return None
        name = where.file.split("/", 1)[-1]
        if where.file not in self.documents:
            try:
                self.documents[where.file] = load_yaml((self.specs_dir / name).read_bytes(), where.file)
            except (OSError, SpecError):
                self.documents[where.file] = None
        doc = self.documents[where.file]
        if doc is None:
            return f"{self.prefix}{where.file}"
        line, column = doc.where(_path_in(doc, where.path))
        return f"{self.prefix}{where.file}:{line}:{column}"


def _path_in(doc: Document, path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """A diff path in the file's own terms: ``("attribute", name, ...)`` -> ``("attributes", index, ...)``."""
    if path[:1] != ("attribute",):
        return path
    attributes = doc.data.get("attributes", []) if isinstance(doc.data, dict) else []
    for index, raw in enumerate(attributes):
        if isinstance(raw, dict) and raw.get("name") == path[1]:
            return ("attributes", index, *path[2:])
    return ("attributes",)


def _impact(change: diff.Change) -> str:
    if not change.breaks:
        return "compatible"
    words = {"clients": "clients", "data": "stored data"}
    return "breaks " + " and ".join(words[b] for b in change.breaks)


def _print_text(
    args: argparse.Namespace,
    changes: list[diff.Change],
    verdict: diff.Verdict,
    locate_old: _Locator,
    locate_new: _Locator,
    label: str,
) -> None:
    breaking = sum(1 for c in changes if c.breaking)
    for change in changes:
        print(f"{change.id}: {change.what} [{_impact(change)}]")
        sides = [f"was {w}" for w in [locate_old(change.old)] if w] + [
            f"now {w}" for w in [locate_new(change.new)] if w
        ]
        if sides:
            print("    " + "  ".join(sides))
    for change, reason in verdict.acknowledged:
        print(f"acknowledged: {change.id}: {reason}")
    for stale in verdict.stale:
        print(
            f"specgen diff: note: breaking_changes acknowledges {stale}, which is not in this diff (drop it once released)"
        )
    summary = f"{len(changes)} change{'s' * (len(changes) != 1)} since {label}, {breaking} breaking"
    if verdict.unacknowledged:
        ids = [c.id for c in verdict.unacknowledged]
        print(f"specgen diff: {summary}, {len(ids)} not acknowledged: {', '.join(ids)}", file=sys.stderr)
        print(
            f"specgen diff: acknowledge each in {args.specs}/_api.yaml under breaking_changes (id: why clients and"
            " stored data can take it), or bump the major version",
            file=sys.stderr,
        )
    else:
        print(f"specgen diff: {summary}" + (", every one acknowledged" if breaking else ""))


def _print_json(changes: list[diff.Change], verdict: diff.Verdict, locate_old: _Locator, locate_new: _Locator) -> None:
    unacknowledged = {c.id for c in verdict.unacknowledged}
    reasons = {c.id: reason for c, reason in verdict.acknowledged}
    out = {
        "changes": [
            {
                "id": c.id,
                "what": c.what,
                "breaks": list(c.breaks),
                "old": locate_old(c.old),
                "new": locate_new(c.new),
                "acknowledged": reasons.get(c.id) if c.breaking else None,
                "unacknowledged": c.id in unacknowledged,
            }
            for c in changes
        ],
        "passes": verdict.passes,
        "stale_acknowledgements": list(verdict.stale),
    }
    print(json.dumps(out, indent=2, ensure_ascii=False))
