"""How fast a get by ID is answered while other clients attack ``specgen serve``.

Run: ``.venv/bin/python benchmarks/hostile.py`` (``--rows``, ``--probes``, ``--rounds``).

``specgen serve`` runs in its own process, as a user runs it, over a database of ``--rows``
activities with about 2 KB of text each. In this process, attacker threads keep their requests
in flight while a prober sends ``--probes`` gets by ID one after the other on a connection of
its own and records each latency. Scenarios:

- idle: nobody else;
- worst filter x1: one client sends the costliest list the limits allow (every ``matches`` that
  fits in the query string, none matching, so every one runs on every row) again and again;
- worst filter x8: eight such clients at once (more than the list lane runs: the rest wait or
  get their 503 at once);
- list flood x50: fifty clients send uncached lists (each a new ``contains`` filter), the
  finding's flood; x150: more clients than the list lane lets wait, each sending again at once
  after its 503 (ignoring Retry-After).

Printed per scenario: the prober's median, p99 and max in ms (medians over ``--rounds``), and
what the attackers got back. The target is a p99 under 100 ms in every scenario.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generated" / "python"))
sys.path.insert(0, str(ROOT))

TOKEN = "benchmark-token-0123456789abcdef"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "X-Namespace": "/acme"}


def build(path: Path, rows: int) -> None:
    from squallserver import Store

    from tests.hostile.api_support import long_text_activities

    store = Store(path)
    store.record_many(long_text_activities(rows))
    store.close()


def start(db: Path, folder: Path, port: int) -> subprocess.Popen[bytes]:
    tokens = folder / "tokens.yaml"
    tokens.write_text(f"- token: {TOKEN}\n  namespaces: [/]\n")
    tokens.chmod(0o600)
    command = [sys.executable, "-m", "generator", "serve", "--db", str(db), "--tokens", str(tokens)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/activities/long00000", headers=HEADERS).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("specgen serve did not start")


def attack(url: str, target: str, stop: threading.Event, got: Counter[str], lock: threading.Lock, n: int) -> None:
    with httpx.Client(base_url=url, headers=HEADERS, timeout=60) as http:
        count = 0
        while not stop.is_set():
            flood = "/activities?" + urlencode({"q": f'message contains "{n} {count}"'})
            path = flood if target == "flood" else target
            count += 1
            try:
                answer = http.get(path)
                reason = ""
                if answer.status_code == 503:
                    reason = " " + str(answer.json()[0]["data"].get("reason"))
                key = f"{answer.status_code}{reason}"
            except httpx.TransportError as exc:
                key = type(exc).__name__
            with lock:
                got[key] += 1


def probe(url: str, probes: int, rows: int) -> list[float]:
    latencies = []
    with httpx.Client(base_url=url, headers=HEADERS, timeout=60) as http:
        for i in range(probes):
            start_ = time.perf_counter()
            answer = http.get(f"/activities/long{(i * 37) % rows:05d}")
            latencies.append((time.perf_counter() - start_) * 1000)
            assert answer.status_code == 200, answer.text[:200]
    return latencies


def scenario(
    url: str, name: str, attackers: int, target: str, probes: int, rows: int
) -> tuple[list[float], Counter[str]]:
    stop = threading.Event()
    got: Counter[str] = Counter()
    lock = threading.Lock()
    threads = [threading.Thread(target=attack, args=(url, target, stop, got, lock, n)) for n in range(attackers)]
    for thread in threads:
        thread.start()
    if attackers:
        time.sleep(1.0)  # let the attack reach its steady state
    latencies = probe(url, probes, rows)
    stop.set()
    for thread in threads:
        thread.join()
    return latencies, got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=8000)
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    from tests.hostile.api_support import worst_filters

    worst = "/activities?" + urlencode(worst_filters(), quote_via=quote)
    comparisons = sum(str(value).count(" or ") + 1 for key, value in worst_filters() if key == "q")
    scenarios = [
        ("idle", 0, ""),
        ("worst filter x1", 1, worst),
        ("worst filter x8", 8, worst),
        ("list flood x50", 50, "flood"),
        ("list flood x150", 150, "flood"),
    ]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        db = folder / "hostile.db"
        build(db, args.rows)
        process = start(db, folder, args.port)
        url = f"http://127.0.0.1:{args.port}"
        try:
            print(f"{args.rows} activities; worst filter: {comparisons} matches, {len(worst)} bytes of query")
            print(f"get by ID, {args.probes} probes per round, medians of {args.rounds} rounds (ms)")
            print(f"{'scenario':<18}{'median':>9}{'p99':>9}{'max':>9}  attackers got")
            for name, attackers, target in scenarios:
                medians, p99s, maxes = [], [], []
                got: Counter[str] = Counter()
                for _ in range(args.rounds):
                    latencies, counts = scenario(url, name, attackers, target, args.probes, args.rows)
                    latencies.sort()
                    medians.append(statistics.median(latencies))
                    p99s.append(latencies[max(0, int(len(latencies) * 0.99) - 1)])
                    maxes.append(latencies[-1])
                    got.update(counts)
                seen = ", ".join(f"{k}: {v}" for k, v in sorted(got.items())) or "-"
                print(
                    f"{name:<18}{statistics.median(medians):>9.1f}{statistics.median(p99s):>9.1f}"
                    f"{statistics.median(maxes):>9.1f}  {seen}"
                )
        finally:
            process.terminate()
            process.wait(30)
    print(f"(machine: {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
