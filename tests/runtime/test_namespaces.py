"""Namespaces against a reference predicate over random paths: containment is by whole segment.

``/acme`` contains ``/acme/prod`` but not ``/acme-x``, ``/acme.x`` or ``/acmecorp``: a sibling
sharing a prefix is the security bug a prefix test would let through. The reference works on
lists of segments, independently of the string tricks the runtime uses (``startswith``, and
in SQL a range on the column plus a check of the character after the prefix).
"""

from __future__ import annotations

import sqlite3

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.runtime.server.limits import MAX_NAMESPACE_LENGTH
from generator.runtime.server.namespaces import is_namespace, is_within, sql_clause

ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~@:+-")
PROPERTY = settings(max_examples=300, deadline=None, derandomize=True)

# Segments that sort right around "/" (0x2F): "." and "-" and "+" before it, "0" and ":" after.
segments = st.sampled_from(["a", "ab", "a-", "a.", "a+", "a0", "a:", "b", "A", "-", ".", "~x", "a_b"])
namespaces = st.lists(segments, max_size=4).map(lambda parts: "/" + "/".join(parts))


def parts(namespace: str) -> list[str]:
    return [] if namespace == "/" else namespace[1:].split("/")


def within(namespace: str, ancestor: str) -> bool:
    """The reference: the ancestor's segments are the first segments of the namespace."""
    theirs = parts(ancestor)
    return parts(namespace)[: len(theirs)] == theirs


@PROPERTY
@given(namespace=namespaces, ancestor=namespaces)
@example(namespace="/acme-x", ancestor="/acme")
@example(namespace="/acme.x", ancestor="/acme")
@example(namespace="/acmecorp/a", ancestor="/acme")
@example(namespace="/acme", ancestor="/acme/prod")
def test_is_within_is_containment_by_segment(namespace: str, ancestor: str) -> None:
    assert is_within(namespace, ancestor) == within(namespace, ancestor)


@PROPERTY
@given(rows=st.lists(namespaces, max_size=12), asked=namespaces, recursive=st.booleans())
@example(rows=["/a", "/a/b", "/a-", "/a.", "/a0", "/a+/b", "/ab", "/"], asked="/a", recursive=True)
def test_the_sql_clause_selects_what_the_reference_selects(rows: list[str], asked: str, recursive: bool) -> None:
    clause, params = sql_clause('"ns"', asked, recursive)
    with sqlite3.connect(":memory:") as conn:
        conn.execute('CREATE TABLE t ("n" INTEGER, "ns" TEXT)')
        conn.execute('CREATE INDEX t_ns ON t ("ns")')
        conn.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(rows)))
        got = {n for (n,) in conn.execute(f"SELECT n FROM t WHERE {clause}", params)}
    wanted = {n for n, ns in enumerate(rows) if (within(ns, asked) if recursive else ns == asked)}
    assert got == wanted


def test_the_root_is_everything_when_recursive_and_itself_otherwise() -> None:
    assert sql_clause('"ns"', "/", True) == ("1", [])
    assert sql_clause('"ns"', "/", False) == ('"ns" = ?', ["/"])
    assert sql_clause('"ns"', "/a", False) == ('"ns" = ?', ["/a"])


def reference_is_namespace(text: str) -> bool:
    if len(text) > MAX_NAMESPACE_LENGTH or not text.startswith("/"):
        return False
    return text == "/" or all(seg and set(seg) <= ALLOWED for seg in text[1:].split("/"))


@PROPERTY
@given(text=st.text(alphabet="/ab.-_~@:+ %'\"\n\té", max_size=12))
@example(text="/")
@example(text="//")
@example(text="/a/")
@example(text="a/b")
@example(text="/a b")
@example(text="/a\n")
@example(text="")
def test_a_namespace_is_slash_or_absolute_segments_of_safe_characters(text: str) -> None:
    assert is_namespace(text) == reference_is_namespace(text)


def test_a_namespace_has_a_length_limit() -> None:
    longest = "/" + "a" * (MAX_NAMESPACE_LENGTH - 1)
    assert is_namespace(longest)
    assert not is_namespace(longest + "a")
    assert is_namespace("/" + "/".join(["ab"] * 300)[: MAX_NAMESPACE_LENGTH - 1].rstrip("/"))


def test_dot_segments_are_not_namespaces() -> None:
    # "." and ".." would name the same namespace twice, or one outside its parent.
    assert not any(is_namespace(text) for text in ["/.", "/a/.", "/a/./b", "/..", "/a/.."])
    assert is_namespace("/a/.b") and is_namespace("/a/b.") and is_namespace("/...")
