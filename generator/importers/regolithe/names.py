"""Regolithe names as specgen names: lower snake case for models, types, abstracts, categories,
parameter sets and validators; CamelCase for classes. Two names that come out the same are
told apart by a number, in a stable order, and the report says so. Attribute names are wire
names: they are kept as written.
"""

from __future__ import annotations

import keyword
import re

from generator import naming

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_CLASS = re.compile(r"^[A-Z][A-Za-z0-9]{0,62}$")
_ATTRIBUTE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")
_PARAMETER = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,62}$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def snake(name: str, *, prefix: str = "x") -> str:
    """A name the specs accept: ``sharedParameterA`` -> ``shared_parameter_a``, ``$pem`` -> ``pem``,
    ``3d`` -> ``x_3d``; at most 63 characters."""
    text = naming.snake_case(name)
    if not text:
        text = prefix
    if not text[0].isalpha():
        text = f"{prefix}_{text}"
    return text[:63].rstrip("_")


def camel(name: str) -> str:
    """A class name: ``IssueA3S`` stays, ``access_rule`` -> ``AccessRule``, ``3d`` -> ``X3d``."""
    if _CLASS.match(name):
        return name
    parts = re.split(r"[^0-9A-Za-z]+", name)
    text = "".join(part[:1].upper() + part[1:] for part in parts if part)
    if not text or not text[0].isalpha():
        text = f"X{text}"
    return (text[:1].upper() + text[1:])[:63]


def is_name(name: str) -> bool:
    return bool(_NAME.match(name))


def is_attribute_name(name: str) -> bool:
    return bool(_ATTRIBUTE.match(name))


def is_parameter_name(name: str) -> bool:
    return bool(_PARAMETER.match(name))


def python_function(name: str) -> str:
    """A Python function name for a validator: ``ValidatePEM`` -> ``validate_pem``."""
    text = naming.snake_case(name.rsplit(".", 1)[-1]) or "check"
    if not text[0].isalpha():
        text = f"check_{text}"
    if keyword.iskeyword(text) or not _IDENTIFIER.match(text):
        text = f"{text}_"
    return text


class Allocator:
    """Hands out unique names in one name space: the first asker keeps a name, later ones get
    ``_2``, ``_3``... (callers ask in a stable order, so the result is stable)."""

    def __init__(self, taken: tuple[str, ...] = (), *, joiner: str = "_") -> None:
        self.taken = set(taken)
        self.joiner = joiner

    def get(self, wanted: str) -> str:
        if wanted not in self.taken:
            self.taken.add(wanted)
            return wanted
        number = 2
        while True:
            suffix = f"{self.joiner}{number}"
            candidate = wanted[: 63 - len(suffix)] + suffix
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
            number += 1
