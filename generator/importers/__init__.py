"""Importers: specs written for another tool, turned into specgen specs (``specgen import FORMAT``).

Each format is a subpackage; :mod:`generator.importers.canonical` writes what they produce
in specgen's canonical form.
"""

from __future__ import annotations

FORMATS: tuple[str, ...] = ("regolithe",)
