"""A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``.

Chromium reads commands from its fd 3 and writes replies and events to its fd 4, each a JSON
message ended by a NUL byte. Driving it this way needs no driver binary, no free port and no
third-party package; the tests only need to navigate, evaluate JavaScript and take screenshots.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
# The launch flags for a headless run on a machine without GPU, sandbox or network access.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
)


class CDPError(Exception):
    """Chromium answered a command with an error, died, or did not answer in time."""


class Browser:
    """One headless Chromium with one page; every call is bounded by ``timeout`` seconds."""

    def __init__(self, profile: Path, *, timeout: float = 30.0, size: tuple[int, int] = (1280, 900)) -> None:
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()
        args = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}", "about:blank"]

        def wire_pipes() -> None:  # in the child: the protocol wants exactly fds 3 and 4
            high_in, high_out = os.dup(to_child), os.dup(from_child)
            os.dup2(high_in, 3)
            os.dup2(high_out, 4)

        self._process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,  # fds 3 and 4 must survive exec; Python's own fds are non-inheritable
            preexec_fn=wire_pipes,  # safe here: the test process does not fork from other threads
        )
        os.close(to_child)
        os.close(from_child)
        self._session = ""
        try:
            target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
            attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)
            self._session = attached["sessionId"]
            self.send("Page.enable")
            self.send("Runtime.enable")
        except BaseException:
            self.close()
            raise

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: bool = True) -> dict[str, Any]:
        """Send one command and wait for its reply; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self._session:
            message["sessionId"] = self._session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._receive(deadline, f"reply to {method}")
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self._events.append(reply)

    def wait_for_event(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            for index, event in enumerate(self._events):
                if event["method"] == method:
                    return self._events.pop(index)
            message = self._receive(deadline, f"event {method}")
            if "method" in message:
                self._events.append(message)

    def _receive(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError(f"timed out waiting for {waiting_for}")
            ready, _, _ = select.select([self._read], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise CDPError(f"chromium exited (code {self._process.poll()}) while waiting for {waiting_for}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def open(self, url: str) -> None:
        """Navigate and wait until the page has loaded."""
        self._events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """Run JavaScript in the page; returns its (JSON-able) value, raises on a thrown exception."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise CDPError(f"JavaScript error: {result['exceptionDetails'].get('exception', result)}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        with contextlib.suppress(CDPError, OSError):  # it may already be gone; the wait below settles it
            self.send("Browser.close", session=False)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)
        finally:
            os.close(self._write)
            os.close(self._read)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
