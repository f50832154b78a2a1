"""Shared by the importer's tests: the fixtures, and a regolithe folder to break one file at a time."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from generator.importers import regolithe
from generator.yamlsource import load_yaml

HERE = Path(__file__).resolve().parent
KITCHEN = HERE / "kitchen"  # every regolithe key, with the mistakes real specs hold


def import_to(source: Path, out: Path, **options: Any) -> regolithe.Result:
    options.setdefault("schema_base", "../schemas")
    return regolithe.import_folder(source, out, **options)


def spec(out: Path, name: str) -> Any:
    return load_yaml((out / name).read_bytes(), name).data


def attribute(out: Path, file: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in spec(out, file)["attributes"] if a["name"] == name)
    return found


def copy_of(tmp_path: Path, fixture: Path = KITCHEN) -> Path:
    target = tmp_path / fixture.name
    shutil.copytree(fixture, target)
    return target
