"""Every year from 0001 to 9999 round-trips exactly: models, store, API (over uvicorn) and ``load``.

Times before year 1000 were once written with fewer than four year digits (``999-06-01T...``):
text comparison then put them after year 1000, and the API emitted values that its own loader
and models refuse, so such an object could no longer be updated.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from squallmodels import Activity, format_time, parse_time
from squallserver import Store

from tests.conftest import Cli
from tests.server.conftest import headers, serve
from tests.server.test_writes import BODY, sink_tokens

EARLY = ["0001-01-01T00:00:00Z", "0009-02-03T04:05:06.000007Z", "0999-06-01T12:00:00Z"]
LATE = ["1000-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z"]
TIMES = EARLY + LATE  # in time order


def test_models_format_and_parse_every_year_with_four_digits() -> None:
    for year in (1, 9, 99, 999, 1000, 2024, 9999):
        moment = datetime(year, 6, 1, 12, 0, 0, tzinfo=UTC)
        text = format_time(moment)
        assert text == f"{year:04d}-06-01T12:00:00Z"
        assert parse_time(text) == moment
        with_fraction = moment.replace(microsecond=5)
        assert parse_time(format_time(with_fraction)) == with_fraction


def test_load_list_filter_order_and_load_again(cli: Cli, tmp_path: Path) -> None:
    """Activities of every era through ``specgen load``, listed over HTTP, and the list loads again."""
    source = tmp_path / "eras.jsonl"
    rows = [{"ID": f"era{i}", "namespace": "/acme", "operation": "create", "date": t} for i, t in enumerate(TIMES)]
    source.write_text("".join(json.dumps(r) + "\n" for r in reversed(rows)))
    db = tmp_path / "eras.db"
    assert cli("load", "--db", str(db), str(source)).code == 0
    store = Store(db)
    try:
        for live in serve(store):
            with httpx.Client(base_url=live.url, timeout=30, headers=headers()) as http:
                listed = http.get("/activities", params={"order": "date"}).json()
                assert [a["date"] for a in listed] == TIMES
                early = http.get("/activities", params={"q": "date < date(1000-01-01)"})
                assert early.headers["X-Count-Total"] == str(len(EARLY))
                assert {a["date"] for a in early.json()} == set(EARLY)
                late = http.get("/activities", params={"q": "date >= date(0999-06-01T12:00:00Z)", "order": "-date"})
                assert [a["date"] for a in late.json()] == [*reversed(LATE), EARLY[-1]]
                one = http.get("/activities/era2").json()
                assert one["date"] == "0999-06-01T12:00:00Z"
                assert Activity.from_dict(one).date == datetime(999, 6, 1, 12, tzinfo=UTC)
    finally:
        store.close()
    again = tmp_path / "again.jsonl"
    again.write_text("".join(json.dumps(a) + "\n" for a in listed))
    assert cli("load", "--db", str(tmp_path / "again.db"), str(again)).code == 0


def test_an_early_time_can_be_written_read_and_updated_over_http(tmp_path: Path) -> None:
    from sinkserver import Store as SinkStore
    from sinkserver.app import create_app

    store = SinkStore(tmp_path / "sink.db")
    try:
        for live in serve(store, app=create_app(store, sink_tokens())):
            with httpx.Client(base_url=live.url, timeout=30, headers=headers()) as http:
                body: dict[str, Any] = {**BODY, "checkpoints": TIMES}
                created = http.post("/widgets", json=body)
                assert created.status_code == 201, created.text
                assert created.json()["checkpoints"] == TIMES
                ident = created.json()["ID"]
                assert http.get(f"/widgets/{ident}").json()["checkpoints"] == TIMES
                updated = http.put(
                    f"/widgets/{ident}", json={**{k: v for k, v in body.items() if k != "2fa-code"}, "name": "renamed"}
                )
                assert updated.status_code == 200, updated.text
                assert updated.json()["checkpoints"] == TIMES and updated.json()["name"] == "renamed"
    finally:
        store.close()
