"""Shared fixtures: the repository layout and an in-process runner for the CLI."""

from __future__ import annotations

import os
import resource
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import Phase, settings

from generator.cli import main
from tests.postgres_server import Server, shared_or_running

# CI decides whether work lands, so there the property tests draw the same examples every run
# (derandomized: a new bug found by chance must not block unrelated work); on a developer's
# machine they draw new ones each run, and keep finding what they can. .ci/run sets CI.
# Hypothesis's deadline is a wall-clock assertion (200 ms an example): on this shared 2-core
# machine an example took 439 ms once and 20 ms when replayed, and failed the suite. Speed is
# measured by benchmarks/, never asserted, so no profile has a deadline.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
# `make mutation` runs the suite once per mutant: there every property test draws the same
# examples each time, so that whether a mutant is killed does not depend on the draw, and a
# failure is not shrunk (a killed mutant needs no minimal example; shrinking one on PostgreSQL
# took 107 s where finding it took one).
settings.register_profile(
    "mutation",
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
settings.load_profile(os.environ.get("SPECGEN_HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

# A mutant can make a loop endless and allocate as it goes (a tokenizer's took 8 GB in a minute
# while mutmut waited for its timeout): under `make mutation` a process's heap is capped, so such
# a mutant meets MemoryError or the timeout within 3 GB instead of taking the machine's memory.
MUTANT_HEAP_BYTES = 3 * 1024**3
if os.environ.get("SPECGEN_HYPOTHESIS_PROFILE") == "mutation":
    resource.setrlimit(resource.RLIMIT_DATA, (MUTANT_HEAP_BYTES, MUTANT_HEAP_BYTES))

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
TEMPLATES = ROOT / "templates"
GENERATED = ROOT / "generated"
GOLDEN = Path(__file__).resolve().parent / "golden"

# Expected outputs are data, not tests: never collect them.
collect_ignore_glob = ["golden/*/expected/*"]


@dataclass
class Run:
    code: int
    out: str
    err: str


Cli = Callable[..., Run]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run ``specgen`` in-process: ``cli("generate", "--specs", ...)`` -> Run."""

    def run(*argv: str) -> Run:
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real specs in a scratch folder, for tests that edit or break them."""
    shutil.copytree(SPECS, tmp_path / "specs")
    return tmp_path


_CACHES = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder with its bytes (tool caches aside), to prove a run changed nothing."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not _CACHES & set(p.relative_to(folder).parts)
    }


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    """One throwaway PostgreSQL server for the whole run (Debian's initdb and pg_ctl, a free port),
    or the one ``python -m tests.postgres_server`` runs the tests beside."""
    with shared_or_running() as server:
        yield server


class Locations:
    """Where a test's stores live: files in a folder (SQLite), or schemas of one database
    (PostgreSQL: each location its own schema, through the URL's ``search_path``)."""

    def __init__(self, kind: str, folder: Path, server: Server | None) -> None:
        self.kind = kind
        self.folder = folder
        self.server = server

    def __call__(self, name: str) -> str | Path:
        """A new, empty location: ``name`` names the file (SQLite) and is otherwise unused."""
        if self.server is None:
            folder = self.folder / uuid.uuid4().hex[:12]
            folder.mkdir()
            return folder / name
        import psycopg

        schema = f"t{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.server.url(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return self.server.url() + f"?options=-c%20search_path%3D{schema}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store_kind(request: pytest.FixtureRequest) -> str:
    """Each test that asks for a store runs twice: on SQLite, then on PostgreSQL."""
    return str(request.param)


@pytest.fixture(scope="module")
def locations(store_kind: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Locations:
    server = request.getfixturevalue("postgres") if store_kind == "postgresql" else None
    return Locations(store_kind, tmp_path_factory.mktemp("stores"), server)
