"""The function validators declared in the Planner's _api.yaml."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def weekday(value: Any) -> str | None:
    """A due date falls on a weekday (an error message, or None when it is fine)."""
    if isinstance(value, datetime) and value.weekday() >= 5:
        return f"must fall on a weekday, not a {value.strftime('%A')}"
    return None


def starts_before_due(task: Any) -> list[tuple[str, str]]:
    """A task starts before it is due: (attribute path, message) for each problem."""
    start, due = getattr(task, "start", None), getattr(task, "due", None)
    if isinstance(start, datetime) and isinstance(due, datetime) and start > due:
        return [("start", "Attribute 'start' must be before 'due'.")]
    return []
