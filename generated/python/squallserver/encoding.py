# Copied by specgen from generator/runtime/server/encoding.py, the same in every API. Do not edit by hand.
"""How values are stored in SQLite: one canonical text form per type, so SQL can compare them.

Times are RFC 3339 in UTC with a fixed width (microseconds always present), so comparing the
text compares the instants and an index on it is in time order. Free-form JSON is stored
compact with sorted keys, so equal values have equal text.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})?)?"
)


def time_text(value: datetime) -> str:
    """The stored (and wire) form of a time; a naive datetime is taken to be UTC.

    Always four year digits (``0999-06-01T...``): ``strftime("%Y")`` writes ``999`` on some
    platforms, and then text order is no longer time order.
    """
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds") + "Z"


def parse_time(text: str) -> datetime:
    """An RFC 3339 date or date-time (UTC if no offset given); ValueError otherwise."""
    found = _RFC3339.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"{text!r} is not an RFC 3339 date or time, e.g. 2019-06-17T10:00:00Z")
    year, month, day, hour, minute, second, fraction, offset = found.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    moment = datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro, tzinfo=UTC
    )
    if offset and offset not in ("Z", "z"):
        sign = 1 if offset[0] == "+" else -1
        try:
            moment -= sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
        except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the first representable instant
            raise ValueError(f"{text!r} is out of range: in UTC it falls outside years 1 to 9999") from None
    return moment


def now() -> datetime:
    return datetime.now(UTC)


def json_text(value: Any) -> str | None:
    """Canonical JSON text of a free-form value; None stays NULL."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def new_identifier() -> str:
    """A random 24-hex-digit identifier, the shape of the original API's object IDs."""
    return secrets.token_hex(12)
