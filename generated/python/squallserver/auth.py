# Copied by specgen from generator/runtime/server/auth.py, the same in every API. Do not edit by hand.
"""Bearer tokens and the namespaces each may use (read, and write in where a model allows writes).

A tokens file lists entries ``{token, claims, namespaces}``; ``namespaces`` are prefixes (by
path segment) the token may read. Tokens are kept only as SHA-256 digests and every lookup
compares against every entry with ``hmac.compare_digest``, so the time taken says nothing
about which token, or how much of one, matched.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import APIError, bad_request
from .limits import MIN_TOKEN_LENGTH
from .namespaces import SEGMENT_CHARACTERS, is_namespace, is_within

Claims = list[str] | dict[str, str]
# RFC 6750's b64token: what a client can send after "Bearer " (no spaces, printable ASCII).
_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True, slots=True)
class Caller:
    """Who makes a request (their claims), in which namespace, from where (the client address)."""

    claims: Claims
    namespace: str
    source: str


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a token speaks for (its claims) and which namespaces it may read."""

    claims: Claims
    namespaces: tuple[str, ...]

    def may_read(self, namespace: str) -> bool:
        return any(is_within(namespace, prefix) for prefix in self.namespaces)


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()


def _unauthorized(description: str) -> APIError:
    error = APIError.single(401, description)
    error.headers.update(_CHALLENGE)
    return error


class Tokens:
    def __init__(self, entries: Mapping[str, Principal]) -> None:
        if not entries:
            raise ValueError("no tokens: at least one entry is needed")
        self._entries = [(_digest(token), principal) for token, principal in entries.items()]

    @classmethod
    def generate(cls, namespaces: tuple[str, ...] = ("/",)) -> tuple[Tokens, str]:
        """A fresh random token for one run (nothing secret is ever built in)."""
        token = secrets.token_urlsafe(32)
        return cls({token: Principal(claims=["@auth:subject=specgen-serve"], namespaces=namespaces)}), token

    @classmethod
    def from_data(cls, data: Any) -> Tokens:
        """Tokens from a parsed tokens file: a list of entries (or ``{tokens: [...]}``).

        Raises ValueError naming the entry and field of the first problem.
        """
        if isinstance(data, dict) and set(data) == {"tokens"}:
            data = data["tokens"]
        if not isinstance(data, list) or not data:
            raise ValueError("expected a non-empty list of entries {token, claims, namespaces}")
        entries: dict[str, Principal] = {}
        for number, entry in enumerate(data, start=1):
            where = f"entry {number}"
            if not isinstance(entry, dict):
                raise ValueError(f"{where}: expected a mapping with token, claims and namespaces")
            unknown = sorted(set(map(str, entry)) - {"token", "claims", "namespaces"})
            if unknown:
                raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; expected token, claims, namespaces")
            token = entry.get("token")
            if not isinstance(token, str) or not token.strip():
                raise ValueError(f"{where}: token must be a non-empty string")
            if _TOKEN.fullmatch(token) is None:
                raise ValueError(
                    f"{where}: token must be letters, digits and - . _ ~ + / (then = padding), as a client sends it"
                    " after 'Bearer ': no spaces or other characters"
                )
            if len(token) < MIN_TOKEN_LENGTH:
                raise ValueError(
                    f"{where}: token must be at least {MIN_TOKEN_LENGTH} characters long, not {len(token)}"
                )
            if token in entries:
                raise ValueError(f"{where}: the same token is listed twice")
            claims = entry.get("claims", [])
            valid_claims = (isinstance(claims, list) and all(isinstance(c, str) for c in claims)) or (
                isinstance(claims, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in claims.items())
            )
            if not valid_claims:
                raise ValueError(f"{where}: claims must be a list of strings or a mapping of strings")
            namespaces = entry.get("namespaces")
            if not isinstance(namespaces, list) or not namespaces:
                raise ValueError(f"{where}: namespaces must be a non-empty list of namespace prefixes like /acme")
            for namespace in namespaces:
                if not isinstance(namespace, str) or not is_namespace(namespace):
                    raise ValueError(f"{where}: namespaces: {namespace!r} is not an absolute namespace like /acme")
            entries[token] = Principal(claims=claims, namespaces=tuple(namespaces))
        return cls(entries)

    def principal(self, authorization: str | None) -> Principal:
        """The principal of an ``Authorization: Bearer <token>`` header; 401 otherwise."""
        if not authorization:
            raise _unauthorized("missing Authorization header: send Authorization: Bearer <token>")
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized("the Authorization header must be: Bearer <token>")
        presented = _digest(token.strip())
        found: Principal | None = None
        for digest, principal in self._entries:  # no early exit: constant work per request
            if hmac.compare_digest(digest, presented):
                found = principal
        if found is None:
            raise _unauthorized("the token is not valid")
        return found

    def caller(self, headers: Mapping[str, str], client: str | None, verb: str = "read") -> Caller:
        """Who asks, in which namespace, from where: as ``access``."""
        principal, namespace = self.access(headers, verb)
        return Caller(claims=principal.claims, namespace=namespace, source=client or "api")

    def authorize(self, headers: Mapping[str, str]) -> str:
        """The namespace a request may read: 401 without a valid token, 400 without a
        valid X-Namespace, 403 when the token does not cover it."""
        return self.access(headers)[1]

    def access(self, headers: Mapping[str, str], verb: str = "read") -> tuple[Principal, str]:
        """Who asks and the namespace they may ``verb`` (read, or write in): as ``authorize``."""
        principal = self.principal(headers.get("authorization"))
        namespace = headers.get("x-namespace")
        if not namespace:
            raise bad_request("the X-Namespace header is required, e.g. X-Namespace: /acme", header="X-Namespace")
        if not is_namespace(namespace):
            raise bad_request(
                f"X-Namespace must be an absolute namespace like /acme/prod: segments of {SEGMENT_CHARACTERS},"
                " no trailing or double slash",
                header="X-Namespace",
            )
        if not principal.may_read(namespace):
            raise APIError.single(403, f"this token may not {verb} namespace {namespace}", namespace=namespace)
        return principal, namespace
