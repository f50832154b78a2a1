# Copied by specgen from generator/runtime/server/namespaces.py, the same in every API. Do not edit by hand.
"""Namespaces are absolute paths (``/``, ``/acme``, ``/acme/prod``); containment is by segment."""

from __future__ import annotations

import re

from .limits import MAX_NAMESPACE_LENGTH

# Segments are names, not free text: quotes, spaces, ``%`` and control characters are refused
# at the door, whatever the store would make of them.
SEGMENT_CHARACTERS = "letters, digits and . _ ~ @ : + - (not . or .. alone)"
_NAMESPACE = re.compile(r"/|(?:/[A-Za-z0-9._~@:+\-]+)+")


def is_namespace(text: str) -> bool:
    """An absolute path of names; ``.`` and ``..`` are not names (they would read as another path)."""
    return (
        len(text) <= MAX_NAMESPACE_LENGTH
        and _NAMESPACE.fullmatch(text) is not None
        and not any(segment in (".", "..") for segment in text.split("/"))
    )


def is_within(namespace: str, ancestor: str) -> bool:
    """True when ``namespace`` is ``ancestor`` or below it (``/ab`` is not below ``/a``)."""
    return ancestor == "/" or namespace == ancestor or namespace.startswith(ancestor + "/")


def sql_clause(column: str, namespace: str, recursive: bool) -> tuple[str, list[object]]:
    """A WHERE fragment matching the namespace (and, if recursive, everything below it).

    Recursion is one range on the column, ``[ns, ns + "0")`` (``0`` follows ``/``), which an
    index serves, then a check that drops siblings that share the prefix (``/acme-x``).
    """
    if not recursive:
        return f"{column} = ?", [namespace]
    if namespace == "/":
        return "1", []
    return (
        f"{column} >= ? AND {column} < ? AND ({column} = ? OR substr({column}, ?, 1) = '/')",
        [namespace, namespace + "0", namespace, len(namespace) + 1],
    )
