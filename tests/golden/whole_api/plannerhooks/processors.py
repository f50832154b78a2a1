"""The Planner's processors: what its custom parameters do, which the spec can only declare.

Served with ``specgen serve --processors plannerhooks.processors`` (this folder on the path),
or ``create_app(store, tokens, processors=processors)``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from plannerserver.errors import APIError
from plannerserver.processors import Context, Processors

processors = Processors()


@processors.after("task", "retrieve")
def shout(ctx: Context) -> None:
    """``GET /tasks/{id}?shout=true``: the title in capitals (the stored one is left as it is)."""
    title = ctx.answer.get("title")
    if ctx.parameters.get("shout") and isinstance(title, str):
        ctx.answer["title"] = title.upper()


@processors.before("project", "list")
def archived(ctx: Context) -> None:
    """``GET /projects?archived=include|only|exclude`` (default exclude): which projects by their archived flag."""
    choice = ctx.parameters.get("archived")
    if choice == "exclude":
        ctx.filters.append("archived == false")
    elif choice == "only":
        ctx.filters.append("archived == true")


@processors.before("project", "delete")
def force(ctx: Context) -> None:
    """``DELETE /projects/{id}``: refused while the project has lists, unless ``force=true``
    (then the lists stay, reachable by their own identifiers)."""
    lists = ctx.children("list")
    if lists and not ctx.parameters.get("force"):
        raise APIError.single(
            409,
            f"project {ctx.identifier} still has {lists} list{'s' if lists != 1 else ''}: delete them first,"
            " or pass force=true to delete the project alone (its lists stay)",
            lists=lists,
        )


@processors.before("task", "list")
def window(ctx: Context) -> None:
    """``GET /lists/{id}/tasks?since=...&until=...`` or ``?last=24h``: the tasks created in that window."""
    since, until, last = (ctx.parameters.get(name) for name in ("since", "until", "last"))
    if last is not None:
        ctx.filters.append(f"createTime >= now(-{int(last.total_seconds())}s)")
    if isinstance(since, datetime):
        ctx.filters.append(f"createTime >= date({_moment(since)})")
    if isinstance(until, datetime):
        ctx.filters.append(f"createTime <= date({_moment(until)})")


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
