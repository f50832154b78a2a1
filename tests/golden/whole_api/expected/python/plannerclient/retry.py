# Copied by specgen from generator/runtime/client/retry.py, the same in every API. Do not edit by hand.
"""When to ask again, and how long to wait first: the policy alone, no I/O (transport.py does that).

A request is tried again when asking again cannot do harm and may well succeed:

- the server said so: 429 or 503 (busy, out of its time budget, read-only for now), after the
  seconds of its ``Retry-After`` (and never longer than ``max_retry_after``: past that the
  error is raised at once);
- the connection could not be made (nothing was sent), whatever the method;
- the connection failed or timed out after the request went out, only for the idempotent
  methods (GET, PUT, DELETE): a create might have been done, and is not repeated blindly.

Between tries the wait doubles from ``backoff`` up to ``max_delay``, each a random point in
its upper half so that many clients do not come back at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class Retry:
    """How many times to try a request, and how long to wait in between."""

    attempts: int = 4  # tries in all, the first included; 1 never retries
    backoff: float = 0.5  # seconds before the first retry, doubled for each next one
    max_delay: float = 8.0  # the longest wait the backoff reaches
    max_retry_after: float = 60.0  # the longest Retry-After honoured; a longer one raises at once
    statuses: frozenset[int] = RETRY_STATUSES

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts counts the first try too: at least 1")
        if self.backoff < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError("waits are seconds, 0 or more")

    def delay(self, retry: int, retry_after: float | None = None, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first); at least ``retry_after``."""
        ceiling = min(self.max_delay, self.backoff * 2.0 ** (retry - 1))
        wait = ceiling / 2 + rng() * ceiling / 2
        return max(wait, retry_after) if retry_after is not None else wait

    def after_status(self, status: int, retry_after: float | None, tried: int) -> bool:
        """Whether an answer with this status is tried again (any method: the server did not act)."""
        if tried >= self.attempts or status not in self.statuses:
            return False
        return retry_after is None or retry_after <= self.max_retry_after

    def after_failure(self, method: str, sent: bool, tried: int) -> bool:
        """Whether a request that got no answer is tried again; ``sent``: it may have reached the server."""
        if tried >= self.attempts:
            return False
        return not sent or method.upper() in IDEMPOTENT


NO_RETRY = Retry(attempts=1)
