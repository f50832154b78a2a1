"""The command line: ``specgen generate | check | validate`` (also ``python -m generator``).

Exit codes: 0 ok, 1 spec problems or drift, 2 usage. Heavy imports wait until a command runs,
so ``--help`` starts as fast as the interpreter.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# Not typing.TYPE_CHECKING: importing typing alone costs a tenth of start-up (mypy knows the name).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, told the width: left to itself it imports shutil (and with it
    bz2, lzma and zlib) just to ask, a sixth of our start-up."""

    def __init__(self, prog: str, **kwargs: int) -> None:
        try:
            columns = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size(sys.stdout.fileno()).columns
        except (ValueError, OSError):
            columns = 80
        kwargs.setdefault("width", max(columns - 2, 40))
        super().__init__(prog, **kwargs)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="specgen",
        description="Generate Python models, an HTTP API and Markdown docs from YAML model specs.",
    )
    common = _Parser(add_help=False)
    common.add_argument(
        "--specs",
        type=Path,
        default=Path("specs"),
        metavar="DIR",
        help="folder of *.spec.yaml and _api.yaml (default: specs/)",
    )
    common.add_argument(
        "--out", type=Path, default=Path("generated"), metavar="DIR", help="output folder (default: generated/)"
    )
    common.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="a folder of Jinja2 templates that replace the built-in ones of the same path, file by file",
    )
    from generator.targets import TARGET_MODULES

    rendering = _Parser(add_help=False)
    rendering.add_argument(
        "--target",
        action="append",
        choices=TARGET_MODULES,
        default=[],
        help="only this output target (repeatable; default: all); other targets' files are left alone",
    )
    rendering.add_argument(
        "--no-cache", action="store_true", help="render in full even when no input changed since the last run"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "generate", parents=[common, rendering], help="write the output folder from the specs (only what changed)"
    )
    commands.add_parser(
        "check", parents=[common, rendering], help="write nothing; show the diff and exit 1 if the output is stale"
    )
    commands.add_parser("validate", parents=[common], help="check the specs only; report every problem")
    from generator import serve  # light: it imports the server and uvicorn only when run

    serve.register(commands, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    from generator.errors import SpecError
    from generator.render import TemplateProblem

    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "generate":
            return _generate(args, started)
        if args.command == "check":
            return _check(args)
        if args.command in ("serve", "load"):
            from generator import serve

            return serve.run(args)
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        files = len({p.file for p in exc.problems})
        print(
            f"specgen: {count} problem{'s' * (count != 1)} in {files} file{'s' * (files != 1)}; nothing written",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    except TemplateProblem as exc:
        print(f"specgen: {exc}; nothing written", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"specgen: {exc.filename or ''}: {exc.strerror or exc}; output left as it was", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("specgen: interrupted; output left as it was", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in specgen, not in the user's input: say so in one line
        if os.environ.get("SPECGEN_DEBUG"):
            raise
        print(
            f"specgen: internal error ({type(exc).__name__}: {exc}); output left as it was."
            " Run again with SPECGEN_DEBUG=1 for the traceback, and please report it.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_USAGE


def _targets(args: argparse.Namespace) -> list[str]:
    return list(args.target)


def _validate(args: argparse.Namespace) -> int:
    from generator import pipeline

    count = len(pipeline.validate(args.specs).models)
    print(f"specgen: {args.specs}: {count} model{'s' * (count != 1)}, no problems")
    return EXIT_OK


def _generate(args: argparse.Namespace, started: float) -> int:
    from generator import pipeline

    result = pipeline.generate(
        args.specs, args.out, templates=args.templates, targets=_targets(args), use_cache=not args.no_cache
    )
    took = time.perf_counter() - started
    counts = f"{len(result.written)} written, {len(result.unchanged)} unchanged, {len(result.removed)} removed"
    print(f"specgen: {args.out}: {counts} in {took:.2f} s{' (no input changed)' if result.from_cache else ''}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from generator import pipeline

    result = pipeline.check(
        args.specs, args.out, templates=args.templates, targets=_targets(args), use_cache=not args.no_cache
    )
    if result.from_cache:
        print(
            f"specgen: {args.out} is up to date ({len(result.unchanged)} files, no input changed since the last generate)"
        )
        return EXIT_OK
    if not result.changed:
        print(f"specgen: {args.out} is up to date ({len(result.unchanged)} files)")
        return EXIT_OK
    sys.stdout.write(result.diff)
    print(
        f"specgen: {args.out} is stale: {len(result.written)} file(s) would be written, {len(result.removed)} removed;"
        " run `specgen generate`",
        file=sys.stderr,
    )
    return EXIT_PROBLEMS
