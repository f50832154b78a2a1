"""``specgen serve`` and ``specgen load``: run the generated HTTP API, fill its database.

Both import the generated server package from ``<out>/python`` (never from ``generator``),
and only when the command runs, so ``specgen --help`` does not load starlette or uvicorn.
Bad input (a missing folder, a broken tokens file, an invalid line) is one clear message
and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

# Imported by the CLI at start-up: type-only imports stay out of it (mypy knows the name).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

EXIT_OK, EXIT_PROBLEMS = 0, 1


class CommandError(Exception):
    """A problem the user can fix; the message says what and where."""


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``serve`` and ``load`` subcommands (``commands`` is the subparsers action)."""
    serve = commands.add_parser("serve", parents=[common], help="run the generated HTTP API under uvicorn")
    _database_arguments(serve)
    serve.add_argument(
        "--tokens",
        type=Path,
        metavar="FILE",
        help="YAML list of {token, claims, namespaces}; without it, a random token is made for this run and printed",
    )
    serve.add_argument(
        "--seed",
        type=Path,
        metavar="FILE.jsonl",
        help="when the database does not exist yet, load these activities into it first (make serve: examples/)",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    load = commands.add_parser("load", parents=[common], help="load a JSON-lines file of objects into a database")
    _database_arguments(load)
    load.add_argument("file", type=Path, metavar="FILE.jsonl", help="one object per line, in the wire form")
    load.add_argument("--model", help="model of the objects (default: activity)")


def _database_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, required=True, metavar="PATH", help="SQLite database file (created if missing)"
    )
    parser.add_argument(
        "--cap", type=int, metavar="N", help="keep only the newest N entries of capped logs (default: each spec's cap)"
    )
    parser.add_argument(
        "--cap-bytes",
        type=_size,
        metavar="SIZE",
        help="and only as many of the newest as fit in SIZE bytes of stored values, e.g. 500M or 2G (default: 1G)",
    )


def _size(text: str) -> int:
    """``4096``, ``64K``, ``500M``, ``2G`` (powers of 1024) -> bytes."""
    units = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    number, unit = text.strip().upper().removesuffix("IB").removesuffix("B"), ""
    if number[-1:] in units and number[-1:]:
        number, unit = number[:-1], number[-1]
    try:
        value = int(float(number) * units[unit])
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 4096, 64K, 500M or 2G") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a size must be at least 1 byte")
    return value


def run(args: argparse.Namespace) -> int:
    try:
        if args.command == "serve":
            return _serve(args)
        return _load(args)
    except CommandError as exc:
        print(f"specgen {args.command}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS


def _server_package(args: argparse.Namespace) -> ModuleType:
    from generator.errors import SpecError
    from generator.load import load_api

    try:
        name = load_api(args.specs).server_package
    except SpecError as exc:
        raise CommandError("the specs have problems:\n" + "\n".join(map(str, exc.problems))) from None
    folder = (args.out / "python").resolve()
    if not (folder / name / "__init__.py").is_file():
        raise CommandError(f"no generated server package {name} in {folder}; run `specgen generate` first")
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise CommandError(
            f"cannot import {name}: {exc}; install the server extra: pip install -e '.[serve]'"
        ) from None


def _open_store(server: ModuleType, args: argparse.Namespace) -> Any:
    capped = [r.table.name for r in server.RESOURCES if r.table.cap is not None]
    caps = None if args.cap is None else dict.fromkeys(capped, args.cap)
    cap_bytes = None if args.cap_bytes is None else dict.fromkeys(capped, args.cap_bytes)
    try:
        return server.Store(args.db, caps=caps, cap_bytes=cap_bytes)
    except server.StoreError as exc:
        raise CommandError(f"--db: {exc}") from None


def _tokens(server: ModuleType, path: Path | None) -> tuple[Any, str | None]:
    """The tokens the server accepts, and the one made up for this run (None with a --tokens file)."""
    if path is None:
        tokens, token = server.Tokens.generate()
        print(f"specgen serve: no --tokens file; this run's token (reads every namespace): {token}", flush=True)
        return tokens, token
    import stat

    import yaml

    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise CommandError(
                f"--tokens {path}: other users can write this file (mode {stat.filemode(mode)}), and so add a"
                f" token of their own: chmod go-w {path}"
            )
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"--tokens {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise CommandError(f"--tokens {path}: not valid YAML: {exc}") from None
    try:
        return server.Tokens.from_data(data), None
    except ValueError as exc:
        raise CommandError(f"--tokens {path}: {exc}") from None


def _serve(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise CommandError(f"--port {args.port}: not a TCP port")
    server = _server_package(args)
    tokens, token = _tokens(server, args.tokens)
    if args.seed is not None and not args.seed.is_file():
        raise CommandError(f"--seed {args.seed}: no such file")
    _check_port_free(args.host, args.port)  # before a database is made or seeded
    fresh = not args.db.exists()
    store = _open_store(server, args)
    if fresh and args.seed is not None:
        _seed(server, store, args)
    try:
        import uvicorn

        app_module = importlib.import_module(f"{server.__name__}.app")
        app = app_module.create_app(store, tokens)
    except ImportError as exc:
        raise CommandError(f"{exc}; install the server extra: pip install -e '.[serve]'") from None
    counts = ", ".join(f"{store.count(t)} {t.category}" for t in store.tables.values())
    print(f"specgen serve: http://{args.host}:{args.port} ({args.db}: {counts})", flush=True)
    _print_exports(args, token)
    try:
        serving = importlib.import_module(f"{server.__name__}.serving")
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", **serving.options())
    finally:
        store.close()
    return EXIT_OK


def _check_port_free(host: str, port: int) -> None:
    """A busy port is one line (uvicorn would log an error and exit 3). Bound as uvicorn binds,
    then closed: a server started in between still gets uvicorn's own message."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise CommandError(f"--host {host}: {exc.strerror or exc}") from None
    family, kind, _, _, address = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"port {port} on {host} is already in use (another specgen serve?); stop it or pass --port N"
                ) from None
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _print_exports(args: argparse.Namespace, token: str | None) -> None:
    """The lines to paste before running the docs' examples: the same variables, in the same
    order, as the docs' "Before you run the examples" (generator.targets.docs.example_exports)."""
    from generator.load import load_api
    from generator.targets.docs import example_exports

    api = load_api(args.specs)
    lines = example_exports(api, f"http://{args.host}:{args.port}", token)
    print("specgen serve: to run the docs' examples against it, paste:\n" + "\n".join(lines), flush=True)


def _seed(server: ModuleType, store: Any, args: argparse.Namespace) -> None:
    """Fill a new database with the seed file, or remove it again: a later run then seeds anew."""
    try:
        count = server.load_jsonl(store, args.seed, server.resource_named("activity"))
    except (
        KeyError,
        server.LoadError,
        server.InvalidRecord,
        server.StoreUnavailable,
        OSError,
        UnicodeDecodeError,
    ) as exc:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        problems = "\n".join(exc.problems) if isinstance(exc, server.LoadError) else str(exc)
        raise CommandError(f"--seed {args.seed}: nothing loaded:\n{problems}") from None
    print(f"specgen serve: new database {args.db}: loaded {count} activities from {args.seed}", flush=True)


def _load(args: argparse.Namespace) -> int:
    server = _server_package(args)
    try:
        resource = server.resource_named(args.model or "activity")
    except KeyError as exc:
        raise CommandError(f"--model: {exc.args[0]}") from None
    if not args.file.is_file():
        raise CommandError(f"{args.file}: no such file")
    store = _open_store(server, args)
    try:
        count = server.load_jsonl(store, args.file, resource)
        kept = store.count(resource.table)
    except server.LoadError as exc:
        hint = ""
        if args.model is None:
            models = ", ".join(r.table.name for r in server.RESOURCES)
            hint = f"\n(each line is read as an activity; --model NAME reads another model: {models})"
        raise CommandError(f"{args.file}: nothing loaded:\n" + "\n".join(exc.problems) + hint) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{args.file}: {exc}") from None
    except server.InvalidRecord as exc:
        raise CommandError(f"{args.file}: nothing loaded: {exc}") from None
    except server.StoreUnavailable as exc:
        raise CommandError(f"--db {args.db}: nothing loaded: {exc}") from None
    finally:
        store.close()
    print(f"specgen load: {count} {resource.table.category} from {args.file} into {args.db} ({kept} stored)")
    return EXIT_OK
