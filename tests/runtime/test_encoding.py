"""The stored forms: times as fixed-width UTC text (so text order is time order), JSON canonical."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.runtime.server.encoding import json_text, new_identifier, now, parse_time, time_text

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True)
offsets = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
instants = st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9998, 12, 30), timezones=st.just(UTC))


def written(moment: datetime, offset: timezone, separator: str = "T") -> str:
    local = moment.astimezone(offset)
    text = local.isoformat(sep=separator)
    return text.replace("+00:00", "Z") if offset.utcoffset(None) == timedelta(0) else text


@PROPERTY
@given(moment=instants, offset=offsets, separator=st.sampled_from(["T", "t", " "]))
def test_a_time_with_any_offset_is_the_same_instant_in_utc(moment: datetime, offset: timezone, separator: str) -> None:
    parsed = parse_time(written(moment, offset, separator))
    assert parsed == moment and parsed.utcoffset() == timedelta(0)
    assert parse_time(time_text(parsed)) == moment


@PROPERTY
@given(a=instants, b=instants, offset_a=offsets, offset_b=offsets)
def test_stored_text_orders_as_the_instants(a: datetime, b: datetime, offset_a: timezone, offset_b: timezone) -> None:
    text_a, text_b = time_text(a.astimezone(offset_a)), time_text(b.astimezone(offset_b))
    assert len(text_a) == len(text_b) == 27
    assert (text_a < text_b) == (a < b) and (text_a == text_b) == (a == b)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2019-06-17", datetime(2019, 6, 17, tzinfo=UTC)),
        (" 2019-06-17T10:20:30Z ", datetime(2019, 6, 17, 10, 20, 30, tzinfo=UTC)),
        ("2019-06-17T10:20:30", datetime(2019, 6, 17, 10, 20, 30, tzinfo=UTC)),  # no offset: UTC
        ("2019-06-17T10:20:30z", datetime(2019, 6, 17, 10, 20, 30, tzinfo=UTC)),
        ("2019-06-17T10:20:30.5Z", datetime(2019, 6, 17, 10, 20, 30, 500000, tzinfo=UTC)),
        ("2019-06-17T10:20:30.123456789Z", datetime(2019, 6, 17, 10, 20, 30, 123456, tzinfo=UTC)),
        ("2019-06-17T10:20:30.000001Z", datetime(2019, 6, 17, 10, 20, 30, 1, tzinfo=UTC)),
        ("2019-06-17T00:30:00+01:00", datetime(2019, 6, 16, 23, 30, tzinfo=UTC)),
        ("2019-06-17T23:30:00-00:45", datetime(2019, 6, 18, 0, 15, tzinfo=UTC)),
        ("2019-12-31T23:00:00-02:00", datetime(2020, 1, 1, 1, 0, tzinfo=UTC)),
        ("9999-12-31T23:59:59Z", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_parse_time(text: str, moment: datetime) -> None:
    assert parse_time(text) == moment


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yesterday", "'yesterday' is not an RFC 3339 date or time, e.g. 2019-06-17T10:00:00Z"),
        ("2019-6-17", "'2019-6-17' is not an RFC 3339 date or time, e.g. 2019-06-17T10:00:00Z"),
        ("2019-06-17T10:00", "'2019-06-17T10:00' is not an RFC 3339 date or time, e.g. 2019-06-17T10:00:00Z"),
        ("2019-06-17T10:00:00+0100", None),
        ("2019-06-17T10:00:00.Z", None),
        ("2019-02-30", None),
        ("2019-06-17T24:00:00Z", None),
        (
            "0001-01-01T00:00:00+01:00",
            "'0001-01-01T00:00:00+01:00' is out of range: in UTC it falls outside years 1 to 9999",
        ),
        (
            "9999-12-31T23:59:59-00:01",
            "'9999-12-31T23:59:59-00:01' is out of range: in UTC it falls outside years 1 to 9999",
        ),
    ],
)
def test_parse_time_refusals(text: str, message: str | None) -> None:
    with pytest.raises(ValueError) as caught:
        parse_time(text)
    if message is not None:
        assert str(caught.value) == message


def test_naive_means_utc_whatever_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "XST-5:45")  # POSIX form (no zoneinfo needed): 05:45 ahead of UTC
    time.tzset()
    try:
        assert time.timezone != 0
        assert time_text(datetime(2020, 1, 2, 3, 4, 5)) == "2020-01-02T03:04:05.000000Z"
        assert time_text(datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2020-01-02T03:04:05.000000Z"
        assert parse_time("2020-01-02T03:04:05") == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
        assert now().utcoffset() == timedelta(0), "now() is an aware UTC instant, never local time"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_time_text_is_utc_with_microseconds_and_naive_means_utc() -> None:
    assert time_text(datetime(2020, 1, 2, 3, 4, 5)) == "2020-01-02T03:04:05.000000Z"
    assert time_text(datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=-1)))) == (
        "2020-01-02T04:04:05.000006Z"
    )


def test_json_text_is_canonical() -> None:
    assert json_text(None) is None
    assert json_text({"b": 1, "a": [1, 2.5, "é", None, True]}) == '{"a":[1,2.5,"é",null,true],"b":1}'
    assert json_text({"b": {"d": 1, "c": 2}}) == json_text({"b": {"c": 2, "d": 1}})
    assert json_text("x") == '"x"'


def test_identifiers_are_24_hex_digits_and_fresh() -> None:
    made = {new_identifier() for _ in range(50)}
    assert len(made) == 50
    assert all(len(i) == 24 and int(i, 16) >= 0 and i == i.lower() for i in made)
