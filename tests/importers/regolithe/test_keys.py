"""The key tables: every key of the regolithe format has a row in the docs' mapping table, and
every key is either carried by the converter or named with the reason it is not."""

from __future__ import annotations

import re

import pytest

from generator.importers.regolithe import keys

SECTIONS = {title: (covered, rows) for title, covered, rows in keys.MAPPING}


@pytest.mark.parametrize("title", [t for t, (covered, _) in SECTIONS.items() if covered])
def test_every_key_has_a_row(title: str) -> None:
    covered, rows = SECTIONS[title]
    named = {name for regolithe, _, _ in rows for name in re.findall(r"`([^`]+)`", regolithe)}
    named |= {
        word.strip(",")
        for regolithe, _, _ in rows
        for chunk in re.findall(r"`([^`]+)`", regolithe)
        for word in chunk.split()
    }
    missing = sorted(key for key in covered if key not in named and not any(key in n for n in named))
    assert not missing, f"{title}: no row for {missing}"


def test_go_only_keys_say_so() -> None:
    for key in ("getter", "setter", "extensions", "package", "group"):
        assert "no effect on the API" in keys.NOT_CARRIED[key]


def test_rows_are_one_line_table_cells() -> None:
    for _, _, rows in keys.MAPPING:
        for row in rows:
            for cell in row:
                assert "\n" not in cell and "|" not in cell, row
                outside = re.sub(r"`[^`]*`", "", cell)
                assert "<" not in outside, f"HTML-looking text outside code: {cell}"
