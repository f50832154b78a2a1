# Copied by specgen from generator/runtime/client/command.py, the same in every API. Do not edit by hand.
"""The command line of a generated client, in the shape of apoctl, built with click from a table
of the API's models (the generated ``cli.py`` holds the table and calls :func:`main`).

    squallctl api list activities -n /acme --filter 'operation == "create"' --order -date -o table
    squallctl api get activity 5d07a1f0e1a2b3c4d5e6f701 -n /acme
    squallctl api count activities -n /acme --recursive
    squallctl api create project -f project.yaml -n /acme
    squallctl api update project ID --set archived=true -n /acme
    squallctl api delete project ID -n /acme
    squallctl completion bash          # then: eval "$(squallctl completion bash)"

A model is named by its name, its category or one of its aliases (``proj``); ``--help`` on each
command tells the model's description and the attributes it may name. The URL, the token and
the namespace come from ``--url``, ``--token`` and ``-n``, else from the environment variables
the docs export. Exit codes: 0 done; 1 the API answered an error (each of its errors printed);
2 a usage or configuration problem; 3 no answer from the API; 4 an answer that is not what the
API describes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml
from click.shell_completion import get_completion_class

from .calls import UnexpectedAnswer, call, count, listing, query
from .errors import APIError, ConfigurationError, Unreachable
from .output import FORMATS, Format, render
from .settings import Environment, parameter_flag, resolve
from .transport import Transport, path_segment

EXIT_API, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_UNEXPECTED = 1, 2, 3, 4
SCALARS = frozenset({"string", "integer", "float", "boolean", "time", "enum"})
TEXT_TYPES = frozenset({"string", "enum", "time"})
# The options every api command has, and those of some: a spec parameter with one of these
# names gets ``--param-NAME`` instead.
# -- the table the generated cli.py fills ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """An attribute as the command line shows and takes it."""

    name: str  # the exposed (wire) name
    type: str  # the spec's type: string, integer, ..., list, map, ref...
    description: str
    required: bool = False
    create: bool = False  # a create may set it
    update: bool = False  # an update may set it
    answered: bool = True  # the API returns it
    filterable: bool = False
    orderable: bool = False


@dataclass(frozen=True, slots=True)
class Param:
    """A query parameter a spec gives an operation (beyond q, order, paging and recursive)."""

    name: str
    type: str  # string, integer, float, boolean, enum, time, duration
    description: str
    choices: tuple[str, ...] = ()
    multiple: bool = False
    required: bool = False


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of a model: at the top (``parent`` None) or under a parent's objects."""

    name: str  # list, retrieve, create, update, delete
    description: str
    params: tuple[Param, ...] = ()
    parent: str | None = None  # the parent model's name
    parent_category: str | None = None


@dataclass(frozen=True, slots=True)
class Kind:
    """A model as the command line knows it."""

    name: str
    category: str
    description: str
    fields: tuple[Field, ...]
    operations: tuple[Operation, ...]
    identifier: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.category, *self.aliases)

    def operation(self, name: str, parent: str | None) -> Operation | None:
        return next((op for op in self.operations if op.name == name and op.parent == parent), None)

    def parents(self, name: str) -> tuple[str, ...]:
        return tuple(op.parent for op in self.operations if op.name == name and op.parent is not None)


@dataclass(frozen=True, slots=True)
class Program:
    """The whole command line: the API's title and version, its environment, its models."""

    command: str
    title: str
    version: str
    environment: Environment
    kinds: tuple[Kind, ...]
    user_agent: str


# -- the commands ----------------------------------------------------------------------------

# verb -> (the operation it runs, how the model is named in its usage, what it does)
VERBS: dict[str, tuple[str, str, str]] = {
    "list": ("list", "category", "List the objects of a model, page after page."),
    "count": ("list", "category", "Count the objects a list would give (X-Count-Total)."),
    "get": ("retrieve", "name", "Retrieve one object by its identifier."),
    "create": ("create", "name", "Create an object from a file, a JSON text or --set values."),
    "update": ("update", "name", "Update an object: the body replaces every attribute it may set."),
    "delete": ("delete", "name", "Delete an object by its identifier."),
}


class _Failure(Exception):
    """What ends a command that could not be done: a message for stderr, and the exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _fail(program: Program, exc: Exception) -> _Failure:
    prefix = f"{program.command}: "
    if isinstance(exc, APIError):
        lines = [prefix + exc.summary()]
        if len(exc.errors) > 1 or any("attribute" in e.data for e in exc.errors):
            for error in exc.errors:
                where = f"{error.data['attribute']}: " if "attribute" in error.data else ""
                lines.append(f"  - {where}{error.description}")
        return _Failure("\n".join(lines), EXIT_API)
    if isinstance(exc, Unreachable):
        return _Failure(prefix + str(exc), EXIT_UNREACHABLE)
    if isinstance(exc, UnexpectedAnswer):
        return _Failure(prefix + str(exc), EXIT_UNEXPECTED)
    return _Failure(prefix + str(exc), EXIT_USAGE)


@dataclass
class _Context:
    """What every api command was given: where the API is, who asks, how to print."""

    program: Program
    url: str | None
    token: str | None
    namespace: str | None
    timeout: float | None
    output: Format
    columns: tuple[str, ...]

    def transport(self) -> Transport:
        settings = resolve(self.program.environment, self.url, self.namespace, self.token, self.timeout)
        if not settings.namespace:
            name = self.program.environment.namespace
            raise ConfigurationError(f"no namespace: pass -n /namespace or set {name}")
        return Transport(settings, self.program.environment, user_agent=self.program.user_agent)

    def print(self, kind: Kind, data: Any) -> None:
        columns = self.columns or _default_columns(kind)
        click.echo(render(data, self.output, columns))


def _default_columns(kind: Kind) -> tuple[str, ...]:
    """The table's columns: the identifier, then every answered attribute of one value."""
    names = [f.name for f in kind.fields if f.answered and f.type in SCALARS and f.name != kind.identifier]
    return ((kind.identifier,) if kind.identifier else ()) + tuple(names)


def _common_options(program: Program) -> list[click.Option]:
    env = program.environment
    return [
        click.Option(["--url"], metavar="URL", help=f"The API's base URL (default: ${env.url})."),
        click.Option(
            ["--token"], metavar="TOKEN", help=f"Sent as Authorization: Bearer TOKEN (default: ${env.token})."
        ),
        click.Option(
            ["-n", "--namespace"], metavar="NAMESPACE", help=f"The namespace to work in (default: ${env.namespace})."
        ),
        click.Option(
            ["--timeout"], type=click.FloatRange(min=0.1), metavar="SECONDS", help="Per request (default: 10)."
        ),
        click.Option(
            ["-o", "--output"],
            type=click.Choice(FORMATS),
            default="json",
            show_default=True,
            help="How to print the answer.",
        ),
        click.Option(
            ["--columns"],
            metavar="A,B,...",
            help="The attributes a table shows (default: the identifier and every attribute of one value).",
        ),
    ]


def _param_option(param: Param) -> click.Option:
    flag = parameter_flag(param.name)
    help_text = param.description + (" Repeatable." if param.multiple else "")
    if param.type == "boolean" and not param.multiple:
        return click.Option([f"--{flag}/--no-{flag}", f"param__{param.name}"], default=None, help=help_text)
    kind: Any = click.STRING
    if param.choices:
        kind = click.Choice(param.choices)
    elif param.type == "integer":
        kind = click.INT
    elif param.type == "float":
        kind = click.FLOAT
    metavar = {"time": "TIME", "duration": "DURATION"}.get(param.type, param.type.upper())
    return click.Option(
        [f"--{flag}", f"param__{param.name}"],
        type=kind,
        multiple=param.multiple,
        required=param.required,
        metavar=None if param.choices else metavar,
        help=help_text,
    )


def _params(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The spec parameters given on the command line, by wire name."""
    out: dict[str, Any] = {}
    for key, value in kwargs.items():
        if key.startswith("param__") and value not in (None, ()):
            out[key.removeprefix("param__")] = list(value) if isinstance(value, tuple) else value
    return out


def _help(kind: Kind, verb: str, operations: Sequence[Operation]) -> str:
    """The model's description, what the operation says of itself, then the attributes it may name."""
    lines = [kind.description, ""]
    for op in operations:
        if op.description:
            under = f" (under a {op.parent})" if op.parent else ""
            lines += [f"{op.description}{under}", ""]
    if verb in ("list", "count"):
        filterable = ", ".join(f.name for f in kind.fields if f.filterable) or "none"
        lines += ["\b", f"Filterable (--filter): {filterable}"]
        if verb == "list":
            orderable = ", ".join(f.name for f in kind.fields if f.orderable) or "none"
            lines.append(f"Orderable (--order, - for descending): {orderable}")
    elif verb in ("create", "update"):
        lines += ["\b", "Attributes it takes (* required):"]
        for f in kind.fields:
            if getattr(f, verb):
                mark = "*" if f.required else " "
                lines.append(f"  {mark} {f.name} ({f.type}): {f.description}")
    else:
        lines += ["\b", "Attributes:"]
        lines += [f"    {f.name} ({f.type}): {f.description}" for f in kind.fields if f.answered]
    return "\n".join(lines)


def _leaf(program: Program, verb: str, kind: Kind) -> click.Command:
    """One command: a verb on one model, with its options."""
    operation_name, _, _ = VERBS[verb]
    operations = [op for op in kind.operations if op.name == operation_name]
    top = kind.operation(operation_name, None)
    parents = kind.parents(operation_name)
    params: list[click.Parameter] = []
    if verb in ("get", "update", "delete"):
        params.append(click.Argument(["identifier"], metavar="ID"))
    if parents:
        params.append(
            click.Option(
                ["--parent"],
                nargs=2,
                type=(click.Choice(parents), str),
                metavar="MODEL ID",
                required=top is None,
                help=f"The object it lives under: {' or '.join(parents)} and its identifier.",
            )
        )
    if verb in ("list", "count"):
        params.append(
            click.Option(
                ["-q", "--filter", "filters"],
                multiple=True,
                metavar="FILTER",
                help="A filter such as 'operation == \"create\"'; several are ORed.",
            )
        )
        params.append(click.Option(["-r", "--recursive"], is_flag=True, help="Also every namespace below -n."))
    if verb == "list":
        keys = [key for f in kind.fields if f.orderable for key in (f.name, f"-{f.name}")]
        if keys:
            params.append(
                click.Option(["--order"], multiple=True, type=click.Choice(keys), help="Sort by; - for descending.")
            )
        params.append(click.Option(["--page-size"], type=click.IntRange(1, 1000), default=100, show_default=True))
        params.append(click.Option(["--limit"], type=click.IntRange(min=0), help="At most this many objects."))
    if verb == "get":
        params.append(click.Option(["-r", "--recursive"], is_flag=True, help="Also look below -n."))
    if verb in ("create", "update"):
        params += [
            click.Option(["-f", "--file"], type=click.Path(allow_dash=True), help="A JSON or YAML file ('-': stdin)."),
            click.Option(["-d", "--data"], metavar="JSON", help="The object as a JSON text."),
            click.Option(["--set", "assignments"], multiple=True, metavar="NAME=VALUE", help="Set one attribute."),
        ]
    seen: set[str] = set()
    for op in operations:
        for param in op.params:
            if param.name not in seen:
                seen.add(param.name)
                params.append(_param_option(param))
    params += _common_options(program)

    def run(**kwargs: Any) -> None:
        context = _Context(
            program,
            kwargs.pop("url"),
            kwargs.pop("token"),
            kwargs.pop("namespace"),
            kwargs.pop("timeout"),
            kwargs.pop("output"),
            tuple(c.strip() for c in (kwargs.pop("columns") or "").split(",") if c.strip()),
        )
        try:
            with context.transport() as transport:
                _RUNNERS[verb](context, transport, kind, kwargs)
        except (APIError, Unreachable, UnexpectedAnswer, ConfigurationError, ValueError) as exc:
            raise _fail(program, exc) from None

    name = kind.category if VERBS[verb][1] == "category" else kind.name
    return click.Command(
        name, params=params, callback=run, help=_help(kind, verb, operations), short_help=_first_line(kind)
    )


def _first_line(kind: Kind) -> str:
    first = kind.description.split(". ")[0].rstrip(".")
    return first[:70] + ("\u2026" if len(first) > 70 else "")


def _collection(kind: Kind, kwargs: dict[str, Any], program: Program) -> str:
    parent = kwargs.pop("parent", None)
    if parent is None:
        return f"/{kind.category}"
    parent_name, parent_id = parent
    category = next(op.parent_category for op in kind.operations if op.parent == parent_name)
    return f"/{category}/{path_segment(parent_id)}/{kind.category}"


def _run_list(context: _Context, transport: Transport, kind: Kind, kwargs: dict[str, Any]) -> None:
    path = _collection(kind, kwargs, context.program)
    params = query(
        {
            "q": list(kwargs["filters"]),
            "order": list(kwargs.get("order", ())),
            "recursive": kwargs["recursive"] or None,
            **_params(kwargs),
        }
    )
    found = listing(transport, path, params, dict, page_size=kwargs["page_size"], limit=kwargs["limit"])
    context.print(kind, list(found))


def _run_count(context: _Context, transport: Transport, kind: Kind, kwargs: dict[str, Any]) -> None:
    path = _collection(kind, kwargs, context.program)
    params = query({"q": list(kwargs["filters"]), "recursive": kwargs["recursive"] or None, **_params(kwargs)})
    click.echo(count(transport, path, params))


def _one(kind: Kind, kwargs: dict[str, Any]) -> str:
    return f"/{kind.category}/{path_segment(kwargs['identifier'])}"


def _run_get(context: _Context, transport: Transport, kind: Kind, kwargs: dict[str, Any]) -> None:
    params = query({"recursive": kwargs["recursive"] or None, **_params(kwargs)})
    context.print(kind, call(transport, "GET", _one(kind, kwargs), dict, params=params))


def _run_delete(context: _Context, transport: Transport, kind: Kind, kwargs: dict[str, Any]) -> None:
    context.print(kind, call(transport, "DELETE", _one(kind, kwargs), dict, params=query(_params(kwargs))))


def _run_create(context: _Context, transport: Transport, kind: Kind, kwargs: dict[str, Any]) -> None:
    body = _body(kind, "create", kwargs, {})
    path = _collection(kind, kwargs, context.program)
    context.print(kind, call(transport, "POST", path, dict, params=query(_params(kwargs)), body=body))


def _run_update(context: _Context, transport: Transport, kind: Kind, kwargs: dict[str, Any]) -> None:
    path = _one(kind, kwargs)
    current: dict[str, Any] = {}
    if kwargs["assignments"] and kwargs["file"] is None and kwargs["data"] is None:
        # --set alone changes those attributes and keeps the others: start from the stored object.
        stored = call(transport, "GET", path, dict)
        current = {f.name: stored[f.name] for f in kind.fields if f.update and f.name in stored}
    body = _body(kind, "update", kwargs, current)
    context.print(kind, call(transport, "PUT", path, dict, params=query(_params(kwargs)), body=body))


def _body(kind: Kind, verb: str, kwargs: dict[str, Any], start: dict[str, Any]) -> dict[str, Any]:
    """The request body: a file or a JSON text (not both), then each --set NAME=VALUE on top."""
    if kwargs["file"] is not None and kwargs["data"] is not None:
        raise ValueError("give the object with -f or with -d, not both")
    body = dict(start)
    if kwargs["file"] is not None:
        body = _read_object(kwargs["file"])
    elif kwargs["data"] is not None:
        body = _parse_object(kwargs["data"], "-d")
    fields = {f.name: f for f in kind.fields}
    for assignment in kwargs["assignments"]:
        name, sep, text = assignment.partition("=")
        if not sep:
            raise ValueError(f"--set {assignment!r}: write NAME=VALUE")
        field = fields.get(name)
        if field is None or not getattr(field, verb):
            settable = ", ".join(f.name for f in kind.fields if getattr(f, verb))
            raise ValueError(f"--set {name}: not an attribute a {verb} of {kind.name} sets; these are: {settable}")
        body[name] = text if field.type in TEXT_TYPES else _json_or_text(text)
    if not body and verb == "create" and not any(f.required for f in kind.fields if f.create):
        return body
    if not body:
        raise ValueError(f"no object to {verb}: give -f FILE, -d JSON or --set NAME=VALUE")
    return body


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _parse_object(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)  # YAML reads JSON too
    except yaml.YAMLError as exc:
        raise ValueError(f"{where}: neither JSON nor YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object (a mapping), got {type(data).__name__}")
    return data


def _read_object(path: str) -> dict[str, Any]:
    if path == "-":
        return _parse_object(sys.stdin.read(), "stdin")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from None
    return _parse_object(text, path)


_RUNNERS: dict[str, Callable[[_Context, Transport, Kind, dict[str, Any]], None]] = {
    "list": _run_list,
    "count": _run_count,
    "get": _run_get,
    "create": _run_create,
    "update": _run_update,
    "delete": _run_delete,
}


class _Models(click.Group):
    """A verb whose subcommands are the models it applies to, each by name, category or alias."""

    def __init__(self, program: Program, verb: str) -> None:
        operation, _, description = VERBS[verb]
        super().__init__(verb, help=description)
        self.program = program
        self.verb = verb
        self.kinds = [k for k in program.kinds if any(op.name == operation for op in k.operations)]

    def list_commands(self, ctx: click.Context) -> list[str]:
        by = VERBS[self.verb][1]
        return [k.category if by == "category" else k.name for k in self.kinds]

    def _kind(self, name: str) -> Kind | None:
        return next((k for k in self.kinds if name in k.names), None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        kind = self._kind(cmd_name)
        return None if kind is None else _leaf(self.program, self.verb, kind)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        kind = self._kind(name)
        if kind is None and args:
            known = ", ".join(self.list_commands(ctx))
            ctx.fail(f"no model {name!r} here; {self.verb} applies to: {known} (or their names and aliases)")
        return super().resolve_command(ctx, args)


def build(program: Program) -> click.Group:
    """The ``squallctl`` command group."""
    env = program.environment

    @click.group(
        name=program.command,
        help=(
            f"The {program.title} API {program.version} from the command line.\n\n"
            f"Where it is and who you are: --url, --token and -n, else ${env.url}, ${env.token} and ${env.namespace}."
        ),
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    @click.version_option(program.version, prog_name=program.command, message="%(prog)s %(version)s")
    def root() -> None:
        pass

    api = click.Group("api", help="Work with the API's objects: list, count, get, create, update, delete.")
    for verb in VERBS:
        group = _Models(program, verb)
        if group.kinds:
            api.add_command(group)
    root.add_command(api)
    root.add_command(_completion(program))
    return root


def _completion(program: Program) -> click.Command:
    variable = f"_{program.command.replace('-', '_').upper()}_COMPLETE"

    def run(shell: str) -> None:
        cls = get_completion_class(shell)
        assert cls is not None
        click.echo(cls(click.get_current_context().find_root().command, {}, program.command, variable).source())

    return click.Command(
        "completion",
        params=[click.Argument(["shell"], type=click.Choice(["bash", "zsh", "fish"]))],
        callback=run,
        help=f'The shell completion script: eval "$({program.command} completion bash)" (or zsh, fish).',
    )


def main(program: Program, argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit code (click's own for usage errors)."""
    command = build(program)
    try:
        command.main(args=list(argv) if argv is not None else None, prog_name=program.command, standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except _Failure as exc:
        click.echo(exc.message, err=True)
        return exc.code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 1
    return 0
