"""Write rendered files to the output folder atomically, or diff them against it.

``generate`` prepares a complete copy of the output folder beside it (unchanged files are
hard links, so they keep their inode and mtime), then swaps the two folders in one
``renameat2(RENAME_EXCHANGE)`` call. A run killed at any point leaves the folder wholly old
or wholly new. Only files listed in the manifest of the previous run are ever removed.
"""

from __future__ import annotations

import ctypes
import difflib
import errno
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".specgen-manifest.json"


@dataclass
class Plan:
    """What a generate run would do to the output folder."""

    written: dict[str, str] = field(default_factory=dict)  # new or changed: path -> text
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    manifest: str = ""  # the manifest's text after the run

    @property
    def changes_anything(self) -> bool:
        return bool(self.written or self.removed)


def read_manifest(out_dir: Path) -> dict[str, list[str]]:
    """The files each target wrote last time (target -> paths); empty when there is no manifest."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text("utf-8"))
        targets = data["targets"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(targets, dict):
        return {}
    return {
        str(name): [f for f in files if isinstance(f, str) and _is_safe_relative(f)]
        for name, files in targets.items()
        if isinstance(files, list)
    }


def _holds(path: str, text: str) -> bool:
    """Whether the file at ``path`` holds exactly ``text`` (UTF-8); False when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read() == text.encode("utf-8")
    except OSError:
        return False


def _is_safe_relative(path: str) -> bool:
    parts = Path(path).parts
    return bool(parts) and not Path(path).is_absolute() and ".." not in parts


def manifest_text(targets: dict[str, list[str]]) -> str:
    body = {"generator": "specgen", "targets": {name: sorted(files) for name, files in sorted(targets.items())}}
    return json.dumps(body, indent=2) + "\n"


def plan(out_dir: Path, by_target: dict[str, dict[str, str]]) -> Plan:
    """Compare what should be there with what is; reads, never writes.

    Only the targets in ``by_target`` are touched: the files another target listed in the
    manifest stay, and stay listed.
    """
    result = Plan()
    previous = read_manifest(out_dir)
    listed = {name: files for name, files in previous.items() if name not in by_target}
    listed.update({name: list(files) for name, files in by_target.items()})
    wanted = {path: text for files in by_target.values() for path, text in files.items()}
    wanted[MANIFEST] = result.manifest = manifest_text(listed)
    # Into a folder that is not there (a first run), everything is new: thousands of failed reads saved.
    folder = str(out_dir) if out_dir.is_dir() else None
    for rel, text in sorted(wanted.items()):
        if folder is not None and _holds(os.path.join(folder, rel), text):
            result.unchanged.append(rel)
        else:
            result.written[rel] = text
    kept = {f for files in listed.values() for f in files}
    stale = {f for name in by_target for f in previous.get(name, [])} - kept
    result.removed = sorted(rel for rel in stale if (out_dir / rel).is_file())
    return result


def diff(out_dir: Path, plan_: Plan, label: str) -> str:
    """A unified diff of what generate would change, for ``check``."""
    chunks: list[str] = []
    for rel, text in sorted(plan_.written.items()):
        try:
            old = (out_dir / rel).read_text("utf-8", errors="replace").splitlines(keepends=True)
            old_name = f"{label}/{rel}"
        except OSError:
            old, old_name = [], "/dev/null"
        chunks.extend(difflib.unified_diff(old, text.splitlines(keepends=True), old_name, f"{label}/{rel} (generated)"))
    for rel in plan_.removed:
        old = (out_dir / rel).read_text("utf-8", errors="replace").splitlines(keepends=True)
        chunks.extend(difflib.unified_diff(old, [], f"{label}/{rel}", "/dev/null"))
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks)


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """One generate at a time per output folder. The lock file lives in ``.specgen-cache/``,
    which git ignores, never loose in the folder that holds the output (a repository's root)."""
    from generator.cache import ensure_cache_dir

    lock_path = ensure_cache_dir(out_dir) / f"{out_dir.name}.lock"
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def apply(out_dir: Path, plan_: Plan) -> None:
    """Make the output folder match the plan, all at once."""
    out_dir = out_dir.absolute()
    if not plan_.changes_anything:
        if any(path.exists() for path in _leftover_paths(out_dir)):  # what a killed run left
            with _locked(out_dir):
                _remove_leftovers(out_dir)
        return
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir):
        _remove_leftovers(out_dir)
        staging, _ = _leftover_paths(out_dir)
        _stage(out_dir, staging, plan_)
        if out_dir.exists():
            _exchange(staging, out_dir)  # staging now holds the old tree
            shutil.rmtree(staging)
        else:
            os.rename(staging, out_dir)


def _leftover_paths(out_dir: Path) -> tuple[Path, Path]:
    return out_dir.parent / f".{out_dir.name}.specgen-new", out_dir.parent / f".{out_dir.name}.specgen-old"


def _remove_leftovers(out_dir: Path) -> None:
    # A run killed after the swap leaves the old tree in the staging folder; before it, a
    # half-built new one. Neither is the output folder, so both are safe to drop (under the lock).
    for path in _leftover_paths(out_dir):
        if path.exists():
            shutil.rmtree(path)


def _stage(out_dir: Path, staging: Path, plan_: Plan) -> None:
    skip = set(plan_.removed) | set(plan_.written)
    staging.mkdir()
    if out_dir.exists():
        for root, dirs, names in os.walk(out_dir):
            rel_root = Path(root).relative_to(out_dir)
            for name in dirs:
                (staging / rel_root / name).mkdir()
            for name in names:
                rel = (rel_root / name).as_posix()
                if rel not in skip:
                    source = Path(root) / name
                    if source.is_symlink():
                        os.symlink(os.readlink(source), staging / rel)
                    else:
                        os.link(source, staging / rel)
    # Each folder made once, then every file written by its path as text (no Path per file).
    made = {"."}
    root = str(staging)
    for rel, text in plan_.written.items():
        folder = os.path.dirname(rel) or "."
        if folder not in made:
            os.makedirs(os.path.join(root, folder), exist_ok=True)
            made.add(folder)
        with open(os.path.join(root, rel), "wb") as handle:
            handle.write(text.encode("utf-8"))
    for rel in plan_.removed:  # drop folders that only held removed files
        parent = (staging / rel).parent
        while parent != staging and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    # No fsync: a killed process loses nothing from the page cache, and syncing thousands
    # of files would cost seconds. Atomicity here is against crashes of the run, not power.


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders atomically (Linux); elsewhere, two renames in a row."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        if result == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(b))
    # Fallback: a short window in which the folder is absent, never half written.
    _, old = _leftover_paths(b)
    os.rename(b, old)
    os.rename(a, b)
    os.rename(old, a)
