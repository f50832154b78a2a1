"""Generation speed on a synthetic API of 1,000 models (~12 attributes each, every type).

Run: ``.venv/bin/python benchmarks/generate.py`` (datamodel-code-generator comes with the ``bench`` extra).
Every figure is the median wall time of several runs of the real command in a fresh process,
with its peak memory (max RSS). Children run with bytecode caching on, as on a user's machine
(this sandbox sets PYTHONDONTWRITEBYTECODE=1, which makes every start compile from source).
Work happens on tmpfs (/dev/shm) when there is one: this VM's disk is rate-limited and, once
its burst is spent, creating 3,000 files takes seconds whatever writes them. ``--scratch DIR``
measures another disk.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic_specs import model_spec, write_specs  # noqa: E402

PY = sys.executable
GENERATOR = [PY, "-m", "generator"]


CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """(seconds, peak MiB) of one run of a command; fails loudly if the command fails."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=CHILD_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    took = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    if process.stderr:
        process.stderr.close()
    return took, usage.ru_maxrss / 1024


def median_of(runs: int, command: list[str], before: Any = None) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        seconds, peak = timed(command)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def json_schema(count: int, long_names: bool = False) -> dict[str, Any]:
    """The same models as one JSON Schema, for datamodel-code-generator."""
    kinds = {
        "string": {"type": "string"},
        "integer": {"type": "integer"},
        "float": {"type": "number"},
        "boolean": {"type": "boolean"},
        "time": {"type": "string", "format": "date-time"},
        "object": {"type": "object"},
        "raw_data": {},
    }
    defs = {}
    for index in range(count):
        spec = model_spec(index, long_names=long_names)
        model, attributes = spec["model"], spec["attributes"]
        properties: dict[str, Any] = {}
        for attribute in attributes:  # type: ignore[attr-defined]
            kind = attribute["type"]
            if kind == "enum":
                schema: dict[str, Any] = {"type": "string", "enum": attribute["choices"]}
            elif kind == "list":
                schema = {"type": "array", "items": kinds[attribute["subtype"]]}
            else:
                schema = dict(kinds[kind])
            schema["description"] = attribute["description"]
            properties[attribute["name"]] = schema
        required = [a["name"] for a in attributes if a.get("required")]  # type: ignore[attr-defined]
        defs[model["class_name"]] = {  # type: ignore[index]
            "type": "object",
            "description": model["description"],  # type: ignore[index]
            "properties": properties,
            "required": required,
        }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Synthetic", "$defs": defs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    default_scratch = Path("/dev/shm/specgen-bench") if Path("/dev/shm").is_dir() else ROOT / "benchmarks" / ".scratch"
    parser.add_argument(
        "--scratch", type=Path, default=default_scratch, help=f"work folder (default: {default_scratch})"
    )
    args = parser.parse_args()

    scratch = args.scratch
    shutil.rmtree(scratch, ignore_errors=True)
    specs = write_specs(scratch / "specs", args.models)
    # The same models with the whole-API constructs: an abstract, nested types, relations, parameters.
    whole_specs = write_specs(scratch / "whole-specs", args.models, constructs=True)
    whole_out = scratch / "whole-generated"
    out = scratch / "generated"
    models_out = scratch / "models-only"
    schema_file = scratch / "schema.json"
    schema_file.write_text(json.dumps(json_schema(args.models)), encoding="utf-8")
    # The same API with 40-odd-character attribute names: every model file has lines over 120
    # columns, so every one goes through ruff (the common case skips it; this is the other one).
    long_specs = write_specs(scratch / "long-specs", args.models, long_names=True)
    long_schema_file = scratch / "long-schema.json"
    long_schema_file.write_text(json.dumps(json_schema(args.models, long_names=True)), encoding="utf-8")
    flags = ["--specs", str(specs)]

    def empty(folder: Path) -> Any:
        return lambda: shutil.rmtree(folder, ignore_errors=True)

    timed([*GENERATOR, "--help"])  # write our .pyc files once, as any first run does
    rows: list[tuple[str, float, float]] = []
    rows.append(
        (
            "full generate (models, API, docs), empty folder",
            *median_of(args.runs, [*GENERATOR, "generate", *flags, "--out", str(out)], empty(out)),
        )
    )
    whole = [*GENERATOR, "generate", "--specs", str(whole_specs), "--out", str(whole_out)]
    rows.append(("full generate, whole-API constructs, empty folder", *median_of(args.runs, whole, empty(whole_out))))
    rows.append(
        ("generate again, nothing changed", *median_of(args.runs, [*GENERATOR, "generate", *flags, "--out", str(out)]))
    )
    rows.append(("check, nothing changed", *median_of(args.runs, [*GENERATOR, "check", *flags, "--out", str(out)])))
    no_cache = [*GENERATOR, "generate", *flags, "--out", str(out), "--no-cache"]
    rows.append(("generate again, nothing changed, --no-cache", *median_of(args.runs, no_cache)))
    rows.append(
        (
            "check, nothing changed, --no-cache",
            *median_of(args.runs, [*GENERATOR, "check", *flags, "--out", str(out), "--no-cache"]),
        )
    )
    rows.append(("python -m generator --help", *median_of(args.runs * 3, [*GENERATOR, "--help"])))
    rows.append(("python -c pass (bare interpreter)", *median_of(args.runs * 3, [PY, "-c", "pass"])))
    models_only = [*GENERATOR, "generate", *flags, "--out", str(models_out), "--target", "models"]
    rows.append(("models alone, empty folder", *median_of(args.runs, models_only, empty(models_out))))
    long_out = scratch / "long-models-only"
    long_only = [*GENERATOR, "generate", "--specs", str(long_specs)]
    long_only += ["--out", str(long_out), "--target", "models"]
    rows.append(("models alone, long names (all through ruff)", *median_of(args.runs, long_only, empty(long_out))))
    codegen = shutil.which("datamodel-codegen", path=str(Path(PY).parent))
    if codegen:
        for label, schema, formatters in (
            ("models (builtin)", schema_file, "builtin"),
            ("models (black isort)", schema_file, "black isort"),
            ("long names (builtin)", long_schema_file, "builtin"),
        ):
            command = [codegen, "--input", str(schema), "--input-file-type", "jsonschema"]
            command += ["--output", str(scratch / "dmcg.py"), "--output-model-type", "dataclasses.dataclass"]
            command += ["--formatters", *formatters.split()]
            rows.append((f"datamodel-code-generator, {label}", *median_of(args.runs, command)))
    else:
        print("datamodel-code-generator is not installed: pip install -e '.[bench]'", file=sys.stderr)

    print(
        f"{args.models:,} models, median of {args.runs} runs (help/pass: {args.runs * 3}), {os.cpu_count()} cores, in {scratch}"
    )
    print(f"{'what':<52} {'seconds':>8} {'peak MiB':>9}")
    for what, seconds, peak in rows:
        print(f"{what:<52} {seconds:>8.3f} {peak:>9.0f}")
    timings = {what: seconds for what, seconds, _ in rows}
    help_ratio = timings["python -m generator --help"] / timings["python -c pass (bare interpreter)"]
    print(f"start-up ratio (--help / bare interpreter): {help_ratio:.2f}x")
    if codegen:
        ours = timings["models alone, empty folder"]
        theirs = timings["datamodel-code-generator, models (builtin)"]
        print(f"models alone vs datamodel-code-generator (builtin formatter): {theirs / ours:.1f}x faster")
        ours = timings["models alone, long names (all through ruff)"]
        theirs = timings["datamodel-code-generator, long names (builtin)"]
        print(f"the same with long names, every file through ruff: {theirs / ours:.1f}x faster")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
