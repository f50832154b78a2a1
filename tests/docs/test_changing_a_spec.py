"""The "Changing a spec" page: its table of changes says what specgen diff says each breaks.

Each row is checked against the classification of the rule of the same name in tests/test_diff.py
(one spec pair per rule, run through ``diff.compare``), so the page cannot drift from the rules.
"""

from __future__ import annotations

from tests.conftest import GENERATED
from tests.test_diff import RULES

PAGE = GENERATED / "docs" / "reference" / "changing-a-spec.md"


def _table() -> dict[str, tuple[str, ...]]:
    """Change -> what the page says it breaks ("clients", "data")."""
    rows: dict[str, tuple[str, ...]] = {}
    lines = PAGE.read_text("utf-8").splitlines()
    start = lines.index("| Change | Breaks clients | Breaks stored data | The database |")
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        change, clients, data, _ = (cell.strip() for cell in line.strip("|").split("|"))
        assert clients in ("", "yes") and data in ("", "yes"), line
        rows[change] = tuple(what for what, mark in (("clients", clients), ("data", data)) if mark)
    return rows


def test_every_rule_of_specgen_diff_is_on_the_page_as_it_classifies_it() -> None:
    table = _table()
    assert set(table) == {rule[0] for rule in RULES}
    for what, *_, breaks in RULES:
        assert table[what] == breaks, what


def test_the_page_is_linked_from_the_overview_and_the_readme() -> None:
    assert "(reference/changing-a-spec.md)" in (GENERATED / "docs" / "index.md").read_text("utf-8")
    assert "generated/docs/reference/changing-a-spec.md" in (GENERATED.parent / "README.md").read_text("utf-8")
