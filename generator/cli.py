"""The command line: ``specgen init | new | validate | generate | check | serve | load | migrate | diff | import``
(also ``python -m generator``).

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

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """argparse's check of a choice (a command, a --target), with "did you mean" on a typo."""
        choices = action.choices
        if choices is None or value in choices or not isinstance(value, str):
            super()._check_value(action, value)
            return
        import difflib

        options = [str(choice) for choice in choices]
        close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        what = "command" if isinstance(action, argparse._SubParsersAction) else "choice"
        raise argparse.ArgumentError(action, f"unknown {what} {value!r}{hint}; choose from {', '.join(options)}")


def _parser() -> argparse.ArgumentParser:
    from generator import __version__

    parser = _Parser(
        prog="specgen",
        description="Generate Python models, an HTTP API and Markdown docs from YAML model specs.",
        epilog="Start a project with `specgen init`; `specgen COMMAND --help` tells more of each command.",
    )
    parser.add_argument("--version", action="version", version=f"specgen {__version__}")
    specs_option = _Parser(add_help=False)
    specs_option.add_argument(
        "--specs",
        type=Path,
        default=Path("specs"),
        metavar="DIR",
        help="folder of _api.yaml and the *.spec.yaml files (default: specs/)",
    )
    common = _Parser(add_help=False, parents=[specs_option])
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
    init = commands.add_parser(
        "init", help="start a project: specs/_api.yaml, one model spec and mkdocs.yml, ready for generate"
    )
    init.add_argument("folder", type=Path, nargs="?", default=Path("."), help="where (default: here)")
    init.add_argument("--title", help="the API's title (default: from the folder's name)")
    new = commands.add_parser("new", parents=[specs_option], help="add a spec to edit: specgen new model NAME")
    new.add_argument("kind", choices=["model"], help="what to add")
    new.add_argument("name", help="the model's name, lower snake case (task, access_rule)")
    generate = commands.add_parser(
        "generate", parents=[common, rendering], help="write the output folder from the specs (only what changed)"
    )
    generate.add_argument(
        "--watch", action="store_true", help="then generate again on every change of the specs (Ctrl-C stops)"
    )
    commands.add_parser(
        "check", parents=[common, rendering], help="write nothing; show the diff and exit 1 if the output is stale"
    )
    commands.add_parser("validate", parents=[common], help="check the specs only; report every problem")
    diff = commands.add_parser(
        "diff",
        parents=[specs_option],
        help="what changed since a git revision or another specs folder, and what it breaks (exit 1: unacknowledged)",
    )
    diff.add_argument(
        "--against", required=True, metavar="REF", help="a git revision (origin/main, v1.2) or a folder of specs"
    )
    diff.add_argument("--format", choices=("text", "json"), default="text", help="text for people, json for tools")
    importing = commands.add_parser(
        "import",
        help="turn another tool's specs into specgen specs: specgen import regolithe SRC --out DEST",
        description="Read a folder of specs written for another tool and write specgen specs (one file per"
        " model, nested type and abstract, and _api.yaml), then check them as validate does. The report names"
        " every key not carried, every loss and every rename, with the place it comes from.",
    )
    from generator.importers import FORMATS

    importing.add_argument("format", choices=FORMATS, help="the format of the source folder")
    importing.add_argument("source", type=Path, metavar="SRC", help="the folder of the specs to import")
    importing.add_argument(
        "--out", type=Path, required=True, metavar="DEST", help="the specs folder to write (new or empty)"
    )
    importing.add_argument(
        "--fix", action="store_true", help="repair the mistakes that have an obvious repair, and list each repair"
    )
    importing.add_argument(
        "--overwrite", action="store_true", help="write into a folder that has files: its spec files are replaced"
    )
    importing.add_argument(
        "--report", type=Path, metavar="FILE", help="also write the full report, every place of every note, to FILE"
    )
    from generator import serve  # light: it imports the server and uvicorn only when run

    serve.register(commands, common)
    from generator import migrate_command

    migrate_command.register(commands, common)
    return parser


def run() -> None:
    """The ``specgen`` command: :func:`main`, then leave the process without tearing its heap down.

    After a generate of 1,000 models the process still holds the API and what was worked out
    from it (millions of objects, kept by caches until the end): the interpreter freed them
    one by one as it shut down, 0.1-0.5 s after the work was done. Here the exit handlers run
    and the output is flushed as at any exit, then the process ends with main()'s code; the
    system takes its memory back at once. Where a thread of the command is still running, or
    the output cannot be flushed, it leaves the ordinary way.
    """
    code = main()  # --help and bad arguments leave here, through SystemExit
    import atexit
    import threading

    others = [thread for thread in threading.enumerate() if thread is not threading.main_thread()]
    if any(thread.is_alive() and not thread.daemon for thread in others):
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        if args.command == "init":
            return _init(args)
        if args.command == "new":
            return _new(args)
        if (
            args.command in ("validate", "generate", "check", "serve", "load", "migrate", "diff")
            and not args.specs.is_dir()
        ):
            return _no_specs_folder(args.specs)
        if args.command in ("validate", "generate", "check"):
            from generator.load import skipped_files

            for warning in skipped_files(args.specs):
                print(f"specgen: warning: {warning}", file=sys.stderr)
        if args.command == "validate":
            return _validate(args)
        if args.command == "generate":
            return _watch(args) if args.watch else _generate(args, started)
        if args.command == "check":
            return _check(args)
        if args.command in ("serve", "load"):
            from generator import serve

            return serve.run(args)
        if args.command == "migrate":
            from generator import migrate_command

            return migrate_command.run(args)
        if args.command == "diff":
            from generator import diff_command

            return diff_command.run(args)
        if args.command == "import":
            return _import(args)
    except KeyboardInterrupt:
        print("specgen: interrupted; output left as it was", file=sys.stderr)
        return 130
    except Exception as exc:
        return _failed(exc)
    return EXIT_USAGE


def _failed(exc: Exception) -> int:
    """Say what went wrong in the user's input, or that specgen has a bug, without a traceback."""
    from generator.errors import SpecError
    from generator.render import TemplateProblem

    if isinstance(exc, SpecError):
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        files = len({p.file for p in exc.problems})
        print(
            f"specgen: {count} problem{'s' * (count != 1)} in {files} file{'s' * (files != 1)}; nothing written",
            file=sys.stderr,
        )
    elif isinstance(exc, TemplateProblem):
        print(f"specgen: {exc}; nothing written", file=sys.stderr)
    elif isinstance(exc, OSError):
        print(f"specgen: {exc.filename or ''}: {exc.strerror or exc}; output left as it was", file=sys.stderr)
    else:  # a bug in specgen, not in the user's input: say so in one line
        if os.environ.get("SPECGEN_DEBUG"):
            raise exc
        print(
            f"specgen: internal error ({type(exc).__name__}: {exc}); output left as it was."
            " Run again with SPECGEN_DEBUG=1 for the traceback, and please report it.",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS


def _no_specs_folder(specs: Path) -> int:
    """Run from the wrong folder: say where specgen looked, and where a project is, if one is above."""
    here = Path.cwd()
    looked = specs if specs.is_absolute() else here / specs
    print(f"specgen: no specs folder: looked for {looked}", file=sys.stderr)
    above = None
    if not specs.is_absolute() and len(specs.parts) == 1:  # the default, or a plain name: look upwards
        above = next((folder for folder in here.parents if (folder / specs / "_api.yaml").is_file()), None)
    if above is not None:
        back = os.path.relpath(above)
        print(
            f"specgen: {above} holds a project: cd {back} and run it there"
            f" (or pass --specs {os.path.join(back, specs)} --out {os.path.join(back, 'generated')})",
            file=sys.stderr,
        )
    else:
        print(
            "specgen: run specgen in your project's folder, pass --specs DIR, or start a project with `specgen init`",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS


def _init(args: argparse.Namespace) -> int:
    from generator import starter

    try:
        written = starter.init(args.folder, args.title)
    except starter.StarterProblem as exc:
        print(f"specgen init: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    for path in written:
        print(f"specgen init: wrote {path}")
    where = "" if args.folder.resolve() == Path.cwd() else f"cd {args.folder} && "
    print(f"specgen init: next: {where}specgen generate  (then mkdocs build for the docs site)")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from generator import starter

    try:
        path = starter.new_model(args.specs, args.name)
    except starter.StarterProblem as exc:
        print(f"specgen new: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"specgen new: wrote {path}; edit it, then run specgen generate")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    """Import, print the report; exit 1 when the source cannot be imported (nothing written) or
    when the specs written hold problems (``specgen validate`` names them again)."""
    from generator.errors import SpecError
    from generator.importers import regolithe
    from generator.importers.regolithe import report

    if not args.source.is_dir():
        print(f"specgen import: no such folder: {args.source}", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        result = regolithe.import_folder(args.source, args.out, fix=args.fix, overwrite=args.overwrite)
    except regolithe.ImportRefused as exc:
        print(f"specgen import: {exc}; nothing written", file=sys.stderr)
        return EXIT_PROBLEMS
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        files = len({p.file for p in exc.problems})
        print(
            f"specgen import: {count} problem{'s' * (count != 1)} in {files} regolithe file{'s' * (files != 1)};"
            " nothing written",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print(
        f"specgen import: {args.source} -> {args.out}: {report.counts_line(result)}, {len(result.files)} files"
        f" in {result.seconds:.2f} s"
    )
    body = report.text(result)
    if body:
        print(body)
    if args.report is not None:
        args.report.write_text(report.text(result, full=True) + "\n", encoding="utf-8")
        print(f"specgen import: the full report is in {args.report}")
    if result.problems:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        count = len(result.problems)
        hint = "" if args.fix else "; --fix repairs those with an obvious repair"
        print(
            f"specgen import: {count} problem{'s' * (count != 1)} carried over from the source into {args.out}"
            f" (specgen validate --specs {args.out} names them){hint}",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print(f"specgen import: next: specgen validate --specs {args.out}  (then specgen generate --specs {args.out})")
    return EXIT_OK


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
    print(
        f"specgen: {args.out}: {counts} in {took:.2f} s{' (no input changed)' if result.from_cache else ''}",
        flush=True,
    )
    return EXIT_OK


def _watch(args: argparse.Namespace) -> int:
    """Generate, then again on every change of the specs (and of a --templates folder), until Ctrl-C.

    A run with problems prints them and keeps watching; the output stays as the last good run left it.
    """
    from watchfiles import watch

    def once() -> None:
        try:
            _generate(args, time.perf_counter())
        except Exception as exc:  # reported like a single run's; the watch goes on
            _failed(exc)
        sys.stderr.flush()

    folders = [args.specs, *([args.templates] if args.templates is not None else [])]
    once()
    shown = " and ".join(f"{folder}/" for folder in folders)
    watching = False
    try:
        # yield_on_timeout: the first (empty) answer says the watcher is running; a save made
        # after the line below is never missed.
        for changes in watch(*folders, watch_filter=_worth_a_run, rust_timeout=200, yield_on_timeout=True):
            if not watching:
                watching = True
                print(f"specgen: watching {shown} for changes (Ctrl-C stops)", flush=True)
            if changes:
                once()
    except KeyboardInterrupt:
        pass
    print("specgen: stopped watching", flush=True)
    return EXIT_OK


def _worth_a_run(change: Any, path: str) -> bool:
    """Specs and templates; not an editor's swap or backup file."""
    name = os.path.basename(path)
    return name.endswith((".yaml", ".yml", ".j2")) and not name.startswith((".", "~"))


def _check(args: argparse.Namespace) -> int:
    """Up to date, or a summary of what generate would change (on stderr, first), then its diff
    (on stdout: ``specgen check > stale.diff`` is a patch), coloured on a terminal."""
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
    added = [path for path in result.written if not (args.out / path).exists()]
    changed = [path for path in result.written if path not in added]
    counts = ", ".join(
        f"{len(paths)} {what}" for what, paths in (("changed", changed), ("added", added), ("removed", result.removed))
    )
    lines = [f"specgen: {args.out} is stale: {counts}; run `specgen generate` (the diff follows)"]
    for what, paths in (("changed", changed), ("added", added), ("removed", result.removed)):
        lines += [f"  {what:<8} {path}" for path in paths]
    print("\n".join(lines), file=sys.stderr, flush=True)
    sys.stdout.write(_coloured(result.diff) if _colour(sys.stdout) else result.diff)
    return EXIT_PROBLEMS


def _colour(stream: Any) -> bool:
    """Colour on a terminal, unless NO_COLOR is set (https://no-color.org); never in a pipe or a file."""
    return not os.environ.get("NO_COLOR") and stream.isatty() and os.environ.get("TERM") != "dumb"


_DIFF_COLOURS = (("+++", "\033[1m"), ("---", "\033[1m"), ("@@", "\033[36m"), ("+", "\033[32m"), ("-", "\033[31m"))


def _coloured(diff: str) -> str:
    out = []
    for line in diff.splitlines(keepends=True):
        code = next((code for prefix, code in _DIFF_COLOURS if line.startswith(prefix)), "")
        out.append(f"{code}{line.rstrip(chr(10))}\033[0m\n" if code else line)
    return "".join(out)
