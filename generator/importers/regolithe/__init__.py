"""``specgen import regolithe SRC --out DEST``: a regolithe spec folder as specgen specs.

    from pathlib import Path
    from generator.importers import regolithe

    result = regolithe.import_folder(Path("regolithe-specs"), Path("specs"), fix=True)
    print(result.counts, result.problems)

Reading (:mod:`.source`) checks every file and reference of the folder; converting
(:mod:`.convert`) maps each key; ``fix`` (:mod:`.fix`) repairs the obvious mistakes; the
documents are written in canonical form (:mod:`generator.importers.canonical`), then checked
as ``specgen validate`` checks them. A folder regolithe itself would refuse raises SpecError
and nothing is written.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator import output
from generator.errors import SpecError, SpecProblem
from generator.importers.canonical import spec_text
from generator.importers.regolithe.convert import Converted, convert
from generator.importers.regolithe.fix import repair
from generator.importers.regolithe.notes import Notes
from generator.importers.regolithe.source import read
from generator.load import KINDS, load_api
from generator.validate import SUFFIXES
from generator.yamlsource import load_yaml

SCHEMAS = Path(__file__).resolve().parent.parent.parent / "schemas"


class ImportRefused(Exception):
    """Nothing was written; the message says why (the output folder is not the import's to fill)."""


@dataclass(slots=True)
class Result:
    """What an import wrote, what it could not carry, and what ``specgen validate`` says of it."""

    source: Path
    out: Path
    files: dict[str, str]  # file name -> text
    notes: Notes
    counts: dict[str, int]
    problems: list[SpecProblem] = field(default_factory=list)  # in the written files
    seconds: float = 0.0
    written: bool = False


def import_folder(
    source: Path,
    out: Path,
    *,
    fix: bool = False,
    overwrite: bool = False,
    schema_base: str | None = None,
    write: bool = True,
) -> Result:
    """Import a regolithe folder into ``out``.

    Raises SpecError (located problems of the regolithe files) when the folder cannot be
    imported, and ImportRefused when ``out`` holds files and ``overwrite`` is false; then
    nothing is written. Otherwise the specs are written (``write``), and ``Result.problems``
    holds what ``specgen validate`` finds in them: mistakes carried over from the source, which
    ``fix`` repairs where the repair is obvious.
    """
    started = time.perf_counter()
    if write:
        _check_out(out, overwrite)
    read_source = read(source)
    if read_source.problems:
        raise SpecError(read_source.problems)
    converted = convert(read_source)
    for skipped in read_source.skipped:
        name, _, why = skipped.partition(": ")
        converted.notes.add_at("not_carried", "file", f"not read: {why}", read_source.display(name.rstrip("/")))
    fixes = repair({f.file: (f.kind, f.data) for f in converted.documents.values()}) if fix else []
    base = schema_base if schema_base is not None else _schema_base(out)
    files = _texts(converted, base)
    label = out.absolute().name or "specs"
    for repaired in fixes:
        doc = load_yaml(files[repaired.file].encode("utf-8"), f"{label}/{repaired.file}")
        line, column = doc.where(repaired.path, key=True)
        converted.notes.add_at("fixed", repaired.subject, repaired.what, doc.file, line, column)
    problems = _validate(files, label)
    result = Result(source, out, files, converted.notes, converted.counts, problems)
    if write:
        _write(out, files)
        result.written = True
    result.seconds = time.perf_counter() - started
    return result


def _schema_base(out: Path) -> str:
    """Where the ``$schema`` lines point: the schemas shipped with specgen, relative to ``out``."""
    try:
        return Path(os.path.relpath(SCHEMAS, out.absolute())).as_posix()
    except ValueError:  # another drive (Windows): the project layout's path, as specs/ beside generator/
        return "../generator/schemas"


def _texts(converted: Converted, base: str) -> dict[str, str]:
    files: dict[str, str] = {}
    for name in sorted(converted.documents):
        document = converted.documents[name]
        comment = f"Imported by `specgen import regolithe` from {Path(document.origin).name}."
        files[name] = spec_text(
            document.kind, document.data, schema_ref=f"{base}/{document.kind}.schema.json", comment=comment
        )
    return files


def _validate(files: dict[str, str], label: str) -> list[SpecProblem]:
    """What ``specgen validate`` says of the files, read from a scratch folder named as ``out``."""
    with tempfile.TemporaryDirectory(prefix="specgen-import-") as scratch:
        folder = Path(scratch) / label
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        try:
            load_api(folder)
        except SpecError as exc:
            return list(exc.problems)
    return []


def _is_spec_file(name: str) -> bool:
    return name == "_api.yaml" or any(name.endswith(suffix) for kind in KINDS for suffix in SUFFIXES[kind])


def _check_out(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise ImportRefused(f"{out} is a file; --out names a folder")
    if not out.is_dir() or overwrite:
        return
    there = sorted(p.name for p in out.iterdir())
    if there:
        shown = ", ".join(there[:3]) + (", ..." if len(there) > 3 else "")
        raise ImportRefused(f"{out} is not empty ({shown}); import into a new folder, or pass --overwrite")


def _write(out: Path, files: dict[str, str]) -> None:
    """All the files at once (the folder is swapped in whole); with --overwrite, the spec files
    the import did not write are removed, anything else in the folder stays."""
    stale = (
        sorted(p.name for p in out.iterdir() if p.is_file() and _is_spec_file(p.name) and p.name not in files)
        if out.is_dir()
        else []
    )
    plan = output.Plan(written=dict(files), removed=stale)
    output.apply(out, plan)
