# Copied by specgen from generator/runtime/server/processors.py, the same in every API. Do not edit by hand.
"""Processors: your own Python, run by the server before and after each operation of a model.

Behaviour the spec cannot say (what a custom parameter does, a computed attribute, a side
effect, a rule across objects) lives in a module of yours, never in generated files::

    # mypkg/hooks.py
    from plannerserver.errors import APIError
    from plannerserver.processors import Context, Processors

    processors = Processors()

    @processors.after("task", "retrieve")
    def shout(ctx: Context) -> None:
        if ctx.parameters["shout"]:
            ctx.answer["title"] = ctx.answer["title"].upper()

then ``specgen serve --processors mypkg.hooks`` (the module's ``processors``), or
``create_app(store, tokens, processors=processors)``.

A processor is a function of a ``Context``, registered for a model (by name) and an
operation (list, retrieve, create, update, delete), ``before`` or ``after`` it; several run
in the order registered. What each sees and may do:

=============  ==========================================================================
before list    ``parameters``, ``parent``; append filters (filter language, on any stored
               attribute) to ``filters``
after list     ``answer``: the page, a list of objects in the wire form, to change
before/after   ``identifier``, ``parameters``; after: ``answer``, the object in the wire form
retrieve
before create  ``obj``: the new object (a model instance, validated), to change or replace;
               ``parent``
before update  ``obj``: the object as it will be stored; ``original``: as it is stored
before delete  ``obj``: the object as it is stored
after a write  ``obj`` as stored; ``answer``: what the client gets (secrets left out), to change
=============  ==========================================================================

A filter is text of the filter language: put a value from the request into one only as the
typed value ``parameters`` holds (a number, a time formatted, a string quoted with its quotes
and backslashes escaped), never as the text sent.

To refuse, raise ``errors.APIError`` (``APIError.single(409, "why")``): the client gets that
error, and a refused write leaves nothing behind (``after`` processors run inside the write's
transaction) but its activity. An object changed by a ``before`` processor is validated again.
``ctx.children("list")`` counts the objects of a child model under the object, and
``ctx.store`` is the store, for anything more.

Processors run in the worker thread of their request, within its time budget (a write's inside
its transaction, which holds the database's only writer: keep them short).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from .auth import Caller

Operation = Literal["list", "retrieve", "create", "update", "delete"]
Stage = Literal["before", "after"]
OPERATIONS: tuple[Operation, ...] = ("list", "retrieve", "create", "update", "delete")


@dataclass(slots=True)
class Context:
    """One operation as the processors see it; see the module's table for what each may change."""

    model: str
    operation: Operation
    caller: Caller
    parameters: Mapping[str, Any]  # the endpoint's own parameters, parsed (defaults applied)
    identifier: str | None = None  # retrieve, update, delete: the object's, from the path
    parent: tuple[str, str] | None = None  # list or create under a parent: its model and identifier
    obj: Any = None
    original: Any = None
    answer: Any = None
    filters: list[str] = field(default_factory=list)
    store: Any = None
    _children: Callable[[str], int] | None = None

    def children(self, model: str) -> int:
        """How many objects of ``model`` live under this object (``identifier``)."""
        if self._children is None:
            raise RuntimeError(f"{self.operation} of {self.model}: no object to count the children of")
        return self._children(model)


Processor = Callable[[Context], None]
P = TypeVar("P", bound=Processor)


class Processors:
    """The processors of an API, by model, operation and stage."""

    def __init__(self) -> None:
        self._registered: dict[tuple[str, Operation, Stage], list[Processor]] = {}

    def before(self, model: str, operation: Operation) -> Callable[[P], P]:
        """Decorator: run the function before ``operation`` of ``model``."""
        return self._decorator(model, operation, "before")

    def after(self, model: str, operation: Operation) -> Callable[[P], P]:
        """Decorator: run the function after ``operation`` of ``model``."""
        return self._decorator(model, operation, "after")

    def _decorator(self, model: str, operation: Operation, stage: Stage) -> Callable[[P], P]:
        def register(fn: P) -> P:
            self.add(model, operation, stage, fn)
            return fn

        return register

    def add(self, model: str, operation: Operation, stage: Stage, processor: Processor) -> None:
        if operation not in OPERATIONS:
            raise ValueError(
                f"processor {_name(processor)}: {operation!r} is not an operation ({', '.join(OPERATIONS)})"
            )
        if stage not in ("before", "after"):
            raise ValueError(f"processor {_name(processor)}: {stage!r} is neither before nor after")
        self._registered.setdefault((model, operation, stage), []).append(processor)

    def has(self, model: str, operation: Operation, stage: Stage) -> bool:
        return (model, operation, stage) in self._registered

    def run(self, stage: Stage, ctx: Context) -> None:
        for processor in self._registered.get((ctx.model, ctx.operation, stage), ()):
            processor(ctx)

    def check(self, served: Mapping[str, Collection[str]]) -> None:
        """ValueError naming the first processor registered for a model or operation the API
        does not serve (``served``: model name -> its operations, at the top or under a parent)."""
        for (model, operation, stage), processors in self._registered.items():
            if model not in served:
                known = ", ".join(sorted(served))
                raise ValueError(f"processor {_name(processors[0])}: no model named {model!r} (models: {known})")
            if operation not in served[model]:
                allowed = ", ".join(op for op in OPERATIONS if op in served[model])
                raise ValueError(
                    f"processor {_name(processors[0])}: {model} does not allow {operation} ({stage}); it allows {allowed}"
                )


NO_PROCESSORS = Processors()


def _name(processor: Processor) -> str:
    return f"{getattr(processor, '__module__', '?')}.{getattr(processor, '__qualname__', repr(processor))}"
