"""A live ``specgen serve`` for the tests that talk to the API as outside tools do.

``generate_into`` writes what a spec folder generates (the current templates, not the
committed output); ``serving`` runs ``specgen serve`` over it on a free loopback port, with a
tokens file, and stops it afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.load import load_api
from generator.render import Templates
from generator.targets import flatten, render_all
from tests.conftest import ROOT

STARTUP_SECONDS = 30
TOKEN = "live-test-token-0123456789abcdef"


@dataclass(frozen=True)
class Live:
    url: str
    token: str
    out: Path  # the generated folder it serves


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def generate_into(specs: Path, out: Path) -> Path:
    """Everything ``specs`` generate, written below ``out``."""
    for rel, text in flatten(render_all(load_api(specs), Templates())).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out


def tokens_file(folder: Path, namespaces: tuple[str, ...] = ("/",), token: str = TOKEN) -> Path:
    path = folder / "tokens.yaml"
    listed = ", ".join(f"'{namespace}'" for namespace in namespaces)
    path.write_text(f"- token: {token}\n  claims: ['@auth:subject=tests']\n  namespaces: [{listed}]\n", "utf-8")
    path.chmod(0o600)
    return path


@contextmanager
def serving(specs: Path, out: Path, folder: Path, *, seed: Path | None = None) -> Iterator[Live]:
    """``specgen serve`` of the package generated in ``out``, over a new database in ``folder``."""
    port = free_port()
    command = [sys.executable, "-m", "generator", "serve", "--specs", str(specs), "--out", str(out)]
    command += ["--db", str(folder / "api.db"), "--tokens", str(tokens_file(folder))]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    if seed is not None:
        command += ["--seed", str(seed)]
    log_path = folder / "serve.log"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, process, log_path)
            yield Live(url, TOKEN, out)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"specgen serve exited with {process.returncode}:\n{log.read_text('utf-8')}")
        try:
            urllib.request.urlopen(url + "/openapi.json", timeout=1).close()
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
            continue
        return
    raise AssertionError(f"specgen serve did not answer within {STARTUP_SECONDS} s:\n{log.read_text('utf-8')}")
