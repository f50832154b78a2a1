"""Test ids that survive being read back: pytest escapes a backslash, a tab or a non-ASCII
character in an id, and a second collection in the same process (``make mutation`` runs the
tests by id after collecting them once) escapes the escape again and finds no such test."""

from __future__ import annotations


def plain_id(text: str) -> str:
    """``text`` with each character pytest would escape written as ``<hex>``."""
    return "".join(c if c.isascii() and c.isprintable() and c != "\\" else f"<{ord(c):x}>" for c in text) or "empty"
