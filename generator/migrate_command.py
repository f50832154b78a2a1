"""``specgen migrate --db PATH [--dry-run]``: bring a database made by an older spec to this one.

Opening a database (``serve``, ``load``) applies on its own every change that loses nothing;
this command shows the whole plan (each step, its SQL and the rows it touches) and, without
``--dry-run``, applies it in one transaction after copying the database file beside it. The
plan is the generated server's (``Store.migrate``), so it runs without specgen's own code in
the way; a failed migration changes nothing and keeps no backup.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.serve import EXIT_OK, EXIT_PROBLEMS, CommandError, _database, _server_package, _shown

# Imported by the CLI at start-up: type-only imports stay out of it (mypy knows the name).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    migrate = commands.add_parser(
        "migrate",
        parents=[common],
        help="bring a database made by an older spec to this one: show the plan, apply it with a backup",
    )
    migrate.add_argument(
        "--db",
        type=_database,
        required=True,
        metavar="PATH|URL",
        help="the SQLite database file, or the PostgreSQL database (postgresql://user@host/name), to migrate",
    )
    migrate.add_argument("--dry-run", action="store_true", help="show the plan (steps, SQL, rows) and change nothing")
    migrate.add_argument(
        "--drop",
        action="store_true",
        help="PostgreSQL: drop what the plan removes instead of keeping it aside (SQLite always keeps a copy of the file)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        return _migrate(args)
    except CommandError as exc:
        print(f"specgen migrate: {exc}", file=sys.stderr, flush=True)
        return EXIT_PROBLEMS


def _migrate(args: argparse.Namespace) -> int:
    server = _server_package(args)
    if isinstance(args.db, Path) and not args.db.is_file():
        raise CommandError(f"--db {args.db}: no such database file")
    try:
        plan, backup = server.migrate(args.db, apply=not args.dry_run, drop=args.drop)
    except server.StoreError as exc:
        raise CommandError(str(exc)) from None
    except ImportError as exc:  # psycopg, for a postgresql:// URL
        raise CommandError(
            f"--db {_shown(args.db)}: {exc}; install the postgresql extra: pip install 'specgen[postgresql]'"
        ) from None
    shown = _shown(args.db)
    before = plan.found.spec_version or "not recorded"
    if not plan.steps:
        print(f"specgen migrate: {shown} already fits the spec (version {plan.spec_version}): nothing to do")
        return EXIT_OK
    steps, lossy = len(plan.steps), len(plan.lossy)
    print(
        f"specgen migrate: {shown}: spec version {before} -> {plan.spec_version}, {steps} step{'s' if steps > 1 else ''}"
        f" ({lossy} losing or rewriting data):"
    )
    for line in plan.lines():
        print(f"  {line}")
    if args.dry_run:
        print("specgen migrate: dry run, nothing changed; run it again without --dry-run to apply the plan")
    elif backup is not None:
        print(f"specgen migrate: applied in one transaction; the database as it was is in {backup}")
    elif args.drop:
        print("specgen migrate: applied in one transaction; what it removed was dropped (--drop)")
    else:
        print(
            "specgen migrate: applied in one transaction; the old values are kept in the retired columns and"
            " tables the plan names"
        )
    return EXIT_OK
