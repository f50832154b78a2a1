# Copied by specgen from generator/runtime/client/settings.py, the same in every API. Do not edit by hand.
"""Where the API is and who is asking: from the arguments, else from the environment.

The environment variables are named after the API's title (``SQUALL_URL``,
``SQUALL_NAMESPACE``, ``SQUALL_TOKEN``): the same lines ``specgen serve`` prints and the docs
show, so that one ``export`` serves the docs' examples, the client and the command line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import ConfigurationError

DEFAULT_TIMEOUT = 10.0  # seconds: to connect, and between two reads of an answer


@dataclass(frozen=True, slots=True)
class Environment:
    """The names of the environment variables the client reads."""

    url: str
    namespace: str
    token: str


@dataclass(frozen=True, slots=True)
class Settings:
    url: str  # without a trailing slash
    namespace: str | None  # the X-Namespace of every request (a call may give its own)
    token: str | None  # sent as Authorization: Bearer <token>
    timeout: float = DEFAULT_TIMEOUT


def resolve(
    names: Environment,
    url: str | None = None,
    namespace: str | None = None,
    token: str | None = None,
    timeout: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """The settings from the arguments, each missing one from its environment variable.

    Only the URL is required here; a request without a namespace says how to give one.
    """
    env = os.environ if environ is None else environ
    url = url or env.get(names.url) or None
    if not url:
        raise ConfigurationError(
            f"no API URL: pass url=... or set {names.url} (e.g. export {names.url}=http://127.0.0.1:8000)"
        )
    if not url.startswith(("http://", "https://")):
        raise ConfigurationError(f"the API URL must start with http:// or https://, not {url[:60]!r}")
    return Settings(
        url=url.rstrip("/"),
        namespace=namespace or env.get(names.namespace) or None,
        token=token or env.get(names.token) or None,
        timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
    )


# Options the command line has of its own: a spec parameter of the same name becomes --param-NAME.
BUILTIN_OPTIONS = frozenset(
    {"url", "token", "namespace", "timeout", "output", "columns", "filter", "order", "recursive"}
    | {"page-size", "limit", "file", "data", "set", "parent", "help"}
)


def parameter_flag(name: str) -> str:
    """The command line option of a spec parameter: ``--force``, or ``--param-order`` for a clash."""
    return name if name not in BUILTIN_OPTIONS else f"param-{name}"
