"""``specgen serve`` and ``specgen load``: run the generated HTTP API, fill its database.

Both import the generated server package from ``<out>/python`` (never from ``generator``),
and only when the command runs, so ``specgen --help`` does not load starlette or uvicorn.
Bad input (a missing folder, a broken tokens or key file, an invalid line, a processors module
that does not import) is one clear message and exit code 1, never a traceback.

An API whose models keep encrypted attributes needs the key they are sealed with: a file
(``--encryption-key-file``, readable by its owner only) or the ``SPECGEN_ENCRYPTION_KEY``
variable, holding 64 hex digits; without one both commands refuse to start.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

# Imported by the CLI at start-up: type-only imports stay out of it (mypy knows the name).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

EXIT_OK, EXIT_PROBLEMS = 0, 1
KEY_VARIABLE = "SPECGEN_ENCRYPTION_KEY"
MAKE_KEY = "python -c 'import secrets; print(secrets.token_hex(32))'"


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
    serve.add_argument(
        "--processors",
        metavar="MODULE",
        help="your module of processors (its `processors`, a Processors of the server package), e.g. mypkg.hooks",
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
    parser.add_argument(
        "--encryption-key-file",
        type=Path,
        metavar="FILE",
        help=f"the key of the encrypted attributes (64 hex digits; default: the {KEY_VARIABLE} variable)",
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
        api = load_api(args.specs)
    except SpecError as exc:
        raise CommandError("the specs have problems:\n" + "\n".join(map(str, exc.problems))) from None
    name = api.server_package
    # The user's own modules (function validators, processors) import from the current folder,
    # as with python -m; each validator the spec names must import before anything starts.
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    for validator in api.validators:
        if validator.function is not None:
            _check_function(validator.name, validator.function)
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


def _check_function(name: str, path: str) -> None:
    module, _, function = path.partition(":")
    try:
        found = getattr(importlib.import_module(module), function, None)
    except ImportError as exc:
        problem = str(exc)
    except Exception as exc:  # the user's module failed as it ran: say how, in one line
        problem = f"importing it failed: {type(exc).__name__}: {exc}"
    else:
        if callable(found):
            return
        problem = f"{module} has no function {function}"
    raise CommandError(
        f"validator {name}: {path} cannot be imported ({problem}); run from the folder that holds {module.split('.')[0]}"
        " or put it on PYTHONPATH"
    )


def _open_store(server: ModuleType, args: argparse.Namespace) -> Any:
    capped = [r.table.name for r in server.RESOURCES if r.table.cap is not None]
    caps = None if args.cap is None else dict.fromkeys(capped, args.cap)
    cap_bytes = None if args.cap_bytes is None else dict.fromkeys(capped, args.cap_bytes)
    key = _encryption_key(server, args.encryption_key_file)
    try:
        return server.Store(args.db, caps=caps, cap_bytes=cap_bytes, encryption_key=key)
    except server.StoreError as exc:
        raise CommandError(f"--db: {exc}") from None


def _encryption_key(server: ModuleType, path: Path | None) -> bytes | None:
    """The key of the encrypted attributes, from the file or the variable; None when no model
    has any (a key given then is not used). Refused when a model needs one and none is given."""
    needing = sorted(r.table.name for r in server.RESOURCES if r.table.encrypted_columns)
    if not needing:
        return None
    crypto = importlib.import_module(f"{server.__name__}.crypto")
    if path is not None:
        import stat

        where = f"--encryption-key-file {path}"
        try:
            mode = path.stat().st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise CommandError(
                    f"{where}: other users can read or write this file (mode {stat.filemode(mode)}): chmod 600 {path}"
                )
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{where}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise CommandError(
                f"{where}: not a key: {2 * crypto.KEY_BYTES} hex digits ({MAKE_KEY} makes one)"
            ) from None
    elif os.environ.get(KEY_VARIABLE):
        where, text = KEY_VARIABLE, os.environ[KEY_VARIABLE]
    else:
        models = ", ".join(needing)
        raise CommandError(
            f"{models} {'keeps' if len(needing) == 1 else 'keep'} encrypted attributes: give their key with"
            f" --encryption-key-file FILE or {KEY_VARIABLE} ({MAKE_KEY} makes one; keep it: without it the data"
            " cannot be read)"
        )
    try:
        key: bytes = crypto.parse_key(text)
    except crypto.CipherError as exc:
        raise CommandError(f"{where}: {exc}") from None
    return key


def _processors(server: ModuleType, name: str | None) -> Any:
    """The ``processors`` of the user's module ``name`` (importable from the current folder)."""
    if name is None:
        return None
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise CommandError(f"--processors {name}: cannot import it: {exc}") from None
    except Exception as exc:  # the user's module failed as it ran: say how, in one line
        raise CommandError(f"--processors {name}: importing it failed: {type(exc).__name__}: {exc}") from None
    found = getattr(module, "processors", None)
    kind = importlib.import_module(f"{server.__name__}.processors").Processors
    if not isinstance(found, kind):
        raise CommandError(
            f"--processors {name}: the module has no `processors`, a {server.__name__}.processors.Processors"
            " (processors = Processors(), then @processors.before(...) / @processors.after(...))"
        )
    return found


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
    processors = _processors(server, args.processors)
    _check_port_free(args.host, args.port)  # before a database is made or seeded
    fresh = not args.db.exists()
    store = _open_store(server, args)
    if fresh and args.seed is not None:
        _seed(server, store, args)
    try:
        import uvicorn

        app_module = importlib.import_module(f"{server.__name__}.app")
        app = app_module.create_app(store, tokens, processors=processors)
    except ImportError as exc:
        store.close()
        raise CommandError(f"{exc}; install the server extra: pip install -e '.[serve]'") from None
    except ValueError as exc:  # a processor for a model or an operation the API does not have
        store.close()
        raise CommandError(f"--processors {args.processors}: {exc}") from None
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
