"""The import's report as text: counts, then each group of notes with how many times and where.

The short form (printed) names the first places of a group; the full form (``--report FILE``)
names every place, one a line.
"""

from __future__ import annotations

from generator.importers.regolithe import Result
from generator.importers.regolithe.notes import HEADINGS, grouped

_SHOWN_PLACES = 3


def counts_line(result: Result) -> str:
    parts = [f"{count} {what}" for what, count in result.counts.items() if count or what in ("models",)]
    return ", ".join(_singular(p) for p in parts)


def _singular(part: str) -> str:
    count, _, what = part.partition(" ")
    if count == "1" and what.endswith("s"):
        what = what[:-1] if not what.endswith("ses") else what[:-2]
    return f"{count} {what}"


def text(result: Result, *, full: bool = False) -> str:
    """The notes, grouped under their headings; ``full`` lists every place."""
    lines: list[str] = []
    heading = None
    for category, subject, why, notes in grouped(result.notes.items):
        if category != heading:
            heading = category
            lines.append(f"{HEADINGS[category]}:")
        times = f" ({len(notes)}x)" if len(notes) > 1 else ""
        if full:
            lines.append(f"  {subject}{times}: {why}")
            lines += [f"    {note.where}" for note in notes]
            continue
        places = ", ".join(note.where for note in notes[:_SHOWN_PLACES])
        more = f" and {len(notes) - _SHOWN_PLACES} more" if len(notes) > _SHOWN_PLACES else ""
        lines.append(f"  {subject}{times}: {why} [{places}{more}]")
    return "\n".join(lines)
