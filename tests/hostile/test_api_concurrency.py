"""Writers recording activities past the cap while readers list them over uvicorn (loopback).

What "exact" means while writes race reads: a list reads its count and its page in one read
transaction, so within one response X-Count-Total agrees with the page (a full page when enough
rows follow the offset, the remainder on the last page, nothing past it) and never exceeds the
cap. Across responses the log moves on; once the writers stop, paging through a filter collects
exactly X-Count-Total distinct objects, the ones the store holds.

"Keeps the newest N by arrival": the table holds exactly N rows, their arrival numbers are the N
highest ever given, and every activity whose recording started after a kept one's had returned
is kept too (nothing kept is older than something dropped, as far as the writers can tell).
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
from squallmodels import Activity
from squallserver import Store

from tests.server.conftest import START, headers, serve

CAP = 60
WRITERS = 4
PER_WRITER = 150  # 600 activities into a log of 60
READERS = 3
PAGE = 7
PACE = 15  # a writer waits for a new read after every PACE activities: reads and writes interleave


@dataclass
class Written:
    start: int
    end: int


@dataclass
class Tally:
    written: dict[str, Written] = field(default_factory=dict)
    reads: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    read_done: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.read_done = threading.Condition(self.lock)

    def wait_for_a_read(self) -> None:
        """Block until some reader answers again: a busy machine may starve the readers, and the
        race this test is about must happen whatever the scheduler does."""
        with self.read_done:
            seen = self.reads
            if not self.read_done.wait_for(lambda: self.reads > seen, timeout=60):
                self.problems.append(f"no read answered within 60 s after read {seen}")


def activity(writer: int, number: int) -> Activity:
    return Activity(
        id=f"w{writer}-{number:04d}",
        namespace="/acme" if number % 2 else "/acme/prod",
        operation=("create", "update", "delete")[number % 3],
        target_identity="widget",
        date=START + timedelta(seconds=number),
        message=f"writer {writer} item {number}",
        source="concurrency",
        data={"writer": writer, "number": number},
        claims=[f"@auth:subject=writer{writer}"],
    )


def write(store: Store, writer: int, tally: Tally) -> None:
    number = 0
    mark = PACE
    while number < PER_WRITER:
        if number >= mark:
            tally.wait_for_a_read()
            mark += PACE
        batch = [activity(writer, number + i) for i in range(1 + number % 3) if number + i < PER_WRITER]
        start = time.monotonic_ns()
        if len(batch) == 1:
            store.record(batch[0])
        else:
            store.record_many(batch)
        end = time.monotonic_ns()
        with tally.lock:
            for obj in batch:
                tally.written[str(obj.id)] = Written(start, end)
        number += len(batch)


def read(url: str, done: threading.Event, tally: Tally, seed: int) -> None:
    chooser = random.Random(seed)
    with httpx.Client(base_url=url, timeout=10) as client:
        while not done.is_set():
            writer = chooser.randrange(WRITERS)
            if chooser.random() < 0.5:
                query = {"recursive": "true", "pagesize": "1000"}
                page, size, want = 1, 1000, ""
            else:
                page, size = chooser.randint(1, 6), PAGE
                want = f"writer {writer} "
                query = {
                    "q": f'message contains "{want}"',
                    "recursive": "true",
                    "pagesize": str(size),
                    "page": str(page),
                }
                query["order"] = chooser.choice(["date", "-date", "ID"])
            response = client.get("/activities", headers=headers("/"), params=query)
            problem = check_page(response, page, size, want)
            with tally.read_done:
                tally.reads += 1
                if problem:
                    tally.problems.append(problem)
                tally.read_done.notify_all()


def check_page(response: httpx.Response, page: int, size: int, want: str) -> str:
    if response.status_code != 200:
        return f"status {response.status_code}: {response.text[:200]}"
    total = int(response.headers["X-Count-Total"])
    listed = response.json()
    expected = max(0, min(size, total - (page - 1) * size))
    ids = [a["ID"] for a in listed]
    if total > CAP:
        return f"X-Count-Total {total} is over the cap {CAP}"
    if len(listed) != expected:
        return f"page {page} of {size} holds {len(listed)} objects, X-Count-Total {total} says {expected}"
    if len(set(ids)) != len(ids):
        return f"duplicates in one page: {ids}"
    if want and any(want not in a["message"] for a in listed):
        return f"an object outside the filter {want!r}: {ids}"
    return ""


def kept_rows(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        return [(int(seq), str(i)) for seq, i in conn.execute('SELECT _seq, "ID" FROM "activity" ORDER BY _seq')]


def test_writers_and_readers_around_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "squall.db"
    store = Store(path, caps={"activity": CAP})
    tally = Tally()
    done = threading.Event()
    for live in serve(store):
        readers = [threading.Thread(target=read, args=(live.url, done, tally, n)) for n in range(READERS)]
        writers = [threading.Thread(target=write, args=(store, n, tally)) for n in range(WRITERS)]
        for thread in readers + writers:
            thread.start()
        for thread in writers:
            thread.join(timeout=60)
        done.set()
        for thread in readers:
            thread.join(timeout=30)
        assert not any(t.is_alive() for t in readers + writers), "a thread did not finish"
        assert not tally.problems, f"{len(tally.problems)} of {tally.reads} reads: {tally.problems[:5]}"
        # Each writer waited for a new read at each of its marks: the reads interleaved with the writes.
        assert tally.reads >= PER_WRITER // PACE - 1, f"only {tally.reads} reads raced the writers"
        print(f"concurrency: {tally.reads} reads raced {len(tally.written)} writes into a log of {CAP}")

        # Newest N by arrival: N rows, the N highest arrival numbers, nothing kept older than a drop.
        assert len(tally.written) == WRITERS * PER_WRITER
        rows = kept_rows(path)
        assert len(rows) == CAP
        seqs = [seq for seq, _ in rows]
        assert seqs == list(range(seqs[-1] - CAP + 1, seqs[-1] + 1))
        assert seqs[-1] == WRITERS * PER_WRITER  # every activity got an arrival number: none lost
        kept = {i for _, i in rows}
        assert len(kept) == CAP and kept <= set(tally.written)
        for identifier in kept:
            returned = tally.written[identifier].end
            later = {other for other, w in tally.written.items() if w.start > returned}
            assert later <= kept, f"{sorted(later - kept)[:5]} started after {identifier} was kept, yet were dropped"

        # Quiescent: paging through a filter collects exactly X-Count-Total distinct objects.
        with httpx.Client(base_url=live.url, timeout=10) as client:
            for writer in range(WRITERS):
                want = f"writer {writer} "
                collected: list[str] = []
                totals: set[int] = set()
                for page in range(1, CAP // PAGE + 3):
                    query = {"q": f'message contains "{want}"', "recursive": "true", "pagesize": str(PAGE)}
                    response = client.get("/activities", headers=headers("/"), params={**query, "page": str(page)})
                    assert check_page(response, page, PAGE, want) == ""
                    totals.add(int(response.headers["X-Count-Total"]))
                    collected += [a["ID"] for a in response.json()]
                assert len(totals) == 1 and len(collected) == len(set(collected)) == totals.pop()
                assert set(collected) == {i for i in kept if i.startswith(f"w{writer}-")}
            everything = client.get(
                "/activities", headers=headers("/"), params={"recursive": "true", "pagesize": "1000"}
            )
            assert everything.headers["X-Count-Total"] == str(CAP)
            assert {a["ID"] for a in json.loads(everything.content)} == kept
    store.close()
