"""Bearer tokens: the tokens file, the Authorization header (RFC 9110: the scheme is
case-insensitive), and which namespaces a token may read."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.runtime.server.auth import Caller, Principal, Tokens
from generator.runtime.server.errors import APIError

ROOT = "root-token-0123456789"
ACME = "acme-token-0123456789"
TOKENS = Tokens.from_data(
    [
        {"token": ROOT, "claims": ["@auth:subject=root"], "namespaces": ["/"]},
        {"token": ACME, "claims": {"subject": "acme"}, "namespaces": ["/acme", "/shared/docs"]},
    ]
)


def refused(call: Any, *args: Any) -> APIError:
    with pytest.raises(APIError) as caught:
        call(*args)
    return caught.value


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER", "bEaReR"])
def test_the_bearer_scheme_is_case_insensitive(scheme: str) -> None:
    assert TOKENS.principal(f"{scheme} {ROOT}") == Principal(claims=["@auth:subject=root"], namespaces=("/",))


def test_blanks_around_the_header_and_the_token_are_ignored() -> None:
    assert TOKENS.principal(f"  Bearer   {ACME}  ").claims == {"subject": "acme"}
    assert TOKENS.principal(f"Bearer {ACME}").namespaces == ("/acme", "/shared/docs")


@pytest.mark.parametrize(
    ("header", "description"),
    [
        (None, "missing Authorization header: send Authorization: Bearer <token>"),
        ("", "missing Authorization header: send Authorization: Bearer <token>"),
        (ROOT, "the Authorization header must be: Bearer <token>"),
        (f"Basic {ROOT}", "the Authorization header must be: Bearer <token>"),
        (f"Bearers {ROOT}", "the Authorization header must be: Bearer <token>"),
        ("Bearer", "the Authorization header must be: Bearer <token>"),
        ("Bearer    ", "the Authorization header must be: Bearer <token>"),
        ("Bearer not-a-token", "the token is not valid"),
        (f"Bearer {ROOT}x", "the token is not valid"),
        (f"Bearer {ROOT[:-1]}", "the token is not valid"),
        (f"Bearer {ROOT.upper()}", "the token is not valid"),  # the token itself is case-sensitive
    ],
)
def test_a_missing_or_bad_header_is_401_with_a_challenge(header: str | None, description: str) -> None:
    error = refused(TOKENS.principal, header)
    assert error.status == 401
    assert error.headers == {"WWW-Authenticate": "Bearer"}
    assert [e["description"] for e in error.errors] == [description]
    assert error.errors[0]["code"] == 401 and error.errors[0]["title"] == "Unauthorized"


def test_access_gives_the_principal_and_the_namespace() -> None:
    principal, namespace = TOKENS.access({"authorization": f"Bearer {ACME}", "x-namespace": "/acme/prod"})
    assert namespace == "/acme/prod" and principal.claims == {"subject": "acme"}
    assert TOKENS.authorize({"authorization": f"Bearer {ROOT}", "x-namespace": "/x"}) == "/x"
    assert TOKENS.authorize({"authorization": f"Bearer {ACME}", "x-namespace": "/shared/docs/a"}) == "/shared/docs/a"


@pytest.mark.parametrize(
    ("headers", "status", "description", "data"),
    [
        ({"x-namespace": "/acme"}, 401, "missing Authorization header: send Authorization: Bearer <token>", {}),
        (
            {"authorization": f"Bearer {ACME}"},
            400,
            "the X-Namespace header is required, e.g. X-Namespace: /acme",
            {"header": "X-Namespace"},
        ),
        (
            {"authorization": f"Bearer {ACME}", "x-namespace": ""},
            400,
            "the X-Namespace header is required, e.g. X-Namespace: /acme",
            {"header": "X-Namespace"},
        ),
        (
            {"authorization": f"Bearer {ACME}", "x-namespace": "/acme/"},
            400,
            "X-Namespace must be an absolute namespace like /acme/prod: segments of letters, digits and"
            " . _ ~ @ : + - (not . or .. alone), no trailing or double slash",
            {"header": "X-Namespace"},
        ),
        (
            {"authorization": f"Bearer {ACME}", "x-namespace": "/acme/.."},
            400,
            "X-Namespace must be an absolute namespace like /acme/prod: segments of letters, digits and"
            " . _ ~ @ : + - (not . or .. alone), no trailing or double slash",
            {"header": "X-Namespace"},
        ),
        (
            {"authorization": f"Bearer {ACME}", "x-namespace": "/acmecorp"},
            403,
            "this token may not read namespace /acmecorp",
            {"namespace": "/acmecorp"},
        ),
        (
            {"authorization": f"Bearer {ACME}", "x-namespace": "/acme-x"},
            403,
            "this token may not read namespace /acme-x",
            {"namespace": "/acme-x"},
        ),
        (
            {"authorization": f"Bearer {ACME}", "x-namespace": "/shared"},
            403,
            "this token may not read namespace /shared",
            {"namespace": "/shared"},
        ),
        (
            {"authorization": f"Bearer {ACME}", "x-namespace": "/"},
            403,
            "this token may not read namespace /",
            {"namespace": "/"},
        ),
    ],
)
def test_access_refusals(headers: dict[str, str], status: int, description: str, data: dict[str, str]) -> None:
    error = refused(TOKENS.access, headers)
    assert (error.status, [e["description"] for e in error.errors], error.errors[0]["data"]) == (
        status,
        [description],
        data,
    )
    assert error.headers == ({"WWW-Authenticate": "Bearer"} if status == 401 else {})


def test_a_write_refusal_names_the_verb() -> None:
    error = refused(TOKENS.access, {"authorization": f"Bearer {ACME}", "x-namespace": "/other"}, "write in")
    assert error.errors[0]["description"] == "this token may not write in namespace /other"


segments = st.sampled_from(["a", "a-", "a.", "ab", "b"])
paths = st.lists(segments, max_size=3).map(lambda p: "/" + "/".join(p))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(prefixes=st.lists(paths, min_size=1, max_size=3), namespace=paths)
def test_a_token_reads_the_namespaces_below_any_of_its_prefixes(prefixes: list[str], namespace: str) -> None:
    def below(ns: str, prefix: str) -> bool:
        mine = [] if prefix == "/" else prefix.split("/")[1:]
        return ([] if ns == "/" else ns.split("/")[1:])[: len(mine)] == mine

    principal = Principal(claims=[], namespaces=tuple(prefixes))
    assert principal.may_read(namespace) == any(below(namespace, p) for p in prefixes)


def test_a_generated_token_is_fresh_each_time_and_reads_what_it_is_given() -> None:
    tokens, token = Tokens.generate()
    other_tokens, other = Tokens.generate(("/acme",))
    assert token != other and len(token) == len(other) == 43  # 32 random bytes, URL-safe base64
    assert tokens.principal(f"Bearer {token}").namespaces == ("/",)
    assert tokens.principal(f"Bearer {token}").claims == ["@auth:subject=specgen-serve"]
    assert other_tokens.principal(f"Bearer {other}").namespaces == ("/acme",)
    assert refused(tokens.principal, f"Bearer {other}").status == 401


T = "t-token-01234567"  # the shortest a tokens file accepts: 16 characters


def test_the_file_may_be_a_mapping_with_a_tokens_key() -> None:
    tokens = Tokens.from_data({"tokens": [{"token": T, "namespaces": ["/a"]}]})
    assert tokens.principal(f"Bearer {T}") == Principal(claims=[], namespaces=("/a",))


ENTRY: dict[str, Any] = {"token": T, "claims": [], "namespaces": ["/a"]}
CHARACTERS = (
    "entry 1: token must be letters, digits and - . _ ~ + / (then = padding), as a client sends it after"
    " 'Bearer ': no spaces or other characters"
)


@pytest.mark.parametrize(
    "token", [T, "A-Za-z0-9._~+/==", "abcdefghijklmnop", "0123456789abcdef=", "a" * 15 + "=", "x" * 200]
)
def test_a_token_is_at_least_16_token_characters(token: str) -> None:
    tokens = Tokens.from_data([{"token": token, "namespaces": ["/"]}])
    assert tokens.principal(f"Bearer {token}").namespaces == ("/",)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (T[:-1], "entry 1: token must be at least 16 characters long, not 15"),
        ("a", "entry 1: token must be at least 16 characters long, not 1"),
        (T + " x", CHARACTERS),
        (" " + T, CHARACTERS),
        (T + "\n", CHARACTERS),
        ("=" + T, CHARACTERS),
        (T[:8] + "=" + T[8:], CHARACTERS),
        (T + "é", CHARACTERS),
        (T + '"', CHARACTERS),
        (T + ",", CHARACTERS),
    ],
)
def test_a_token_a_client_could_not_send_or_too_short_is_refused(token: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Tokens.from_data([{"token": token, "namespaces": ["/"]}])
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a non-empty list of entries {token, claims, namespaces}"),
        ({"tokens": []}, "expected a non-empty list of entries {token, claims, namespaces}"),
        ({"tokens": [ENTRY], "more": 1}, "expected a non-empty list of entries {token, claims, namespaces}"),
        ("t", "expected a non-empty list of entries {token, claims, namespaces}"),
        ([ENTRY, "t"], "entry 2: expected a mapping with token, claims and namespaces"),
        (
            [{**ENTRY, "claim": [], "zone": 1}],
            "entry 1: unknown key(s) claim, zone; expected token, claims, namespaces",
        ),
        ([{**ENTRY, "token": ""}], "entry 1: token must be a non-empty string"),
        ([{**ENTRY, "token": "  "}], "entry 1: token must be a non-empty string"),
        ([{**ENTRY, "token": 5}], "entry 1: token must be a non-empty string"),
        ([{"claims": [], "namespaces": ["/a"]}], "entry 1: token must be a non-empty string"),
        ([ENTRY, ENTRY], "entry 2: the same token is listed twice"),
        ([{**ENTRY, "claims": "root"}], "entry 1: claims must be a list of strings or a mapping of strings"),
        ([{**ENTRY, "claims": ["a", 1]}], "entry 1: claims must be a list of strings or a mapping of strings"),
        ([{**ENTRY, "claims": {"a": 1}}], "entry 1: claims must be a list of strings or a mapping of strings"),
        ([{**ENTRY, "claims": {1: "a"}}], "entry 1: claims must be a list of strings or a mapping of strings"),
        (
            [{"token": T}],
            "entry 1: namespaces must be a non-empty list of namespace prefixes like /acme",
        ),
        (
            [{**ENTRY, "namespaces": []}],
            "entry 1: namespaces must be a non-empty list of namespace prefixes like /acme",
        ),
        (
            [{**ENTRY, "namespaces": "/a"}],
            "entry 1: namespaces must be a non-empty list of namespace prefixes like /acme",
        ),
        (
            [{**ENTRY, "namespaces": ["/a", "acme"]}],
            "entry 1: namespaces: 'acme' is not an absolute namespace like /acme",
        ),
        ([{**ENTRY, "namespaces": [7]}], "entry 1: namespaces: 7 is not an absolute namespace like /acme"),
    ],
)
def test_a_bad_tokens_file_names_the_entry_and_the_field(data: Any, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Tokens.from_data(data)
    assert str(caught.value) == message


def test_claims_default_to_none_and_keep_their_shape() -> None:
    tokens = Tokens.from_data(
        [
            {"token": "a" * 16, "namespaces": ["/a"]},
            {"token": "b" * 16, "claims": {"k": "v"}, "namespaces": ["/b"]},
            {"token": "c" * 16, "claims": ["x", "y"], "namespaces": ["/c", "/d"]},
        ]
    )
    assert tokens.principal(f"Bearer {'a' * 16}").claims == []
    assert tokens.principal(f"Bearer {'b' * 16}") == Principal(claims={"k": "v"}, namespaces=("/b",))
    assert tokens.principal(f"Bearer {'c' * 16}") == Principal(claims=["x", "y"], namespaces=("/c", "/d"))


def test_no_tokens_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        Tokens({})
    assert str(caught.value) == "no tokens: at least one entry is needed"


def test_a_header_with_bytes_that_are_not_utf8_is_refused_not_a_crash() -> None:
    """A header a server decoded with surrogateescape (os.fsdecode-style) is hashed as its raw bytes."""
    header = "Bearer " + (ROOT.encode() + b"\xff\xfe").decode("utf-8", "surrogateescape")
    error = refused(TOKENS.principal, header)
    assert (error.status, error.errors[0]["description"]) == (401, "the token is not valid")


def test_a_caller_is_the_tokens_claims_the_namespace_and_the_client() -> None:
    headers = {"authorization": f"Bearer {ACME}", "x-namespace": "/acme/prod"}
    assert TOKENS.caller(headers, "10.0.0.1") == Caller(
        claims={"subject": "acme"}, namespace="/acme/prod", source="10.0.0.1"
    )
    assert TOKENS.caller(headers, None).source == "api"  # no client address (in-process)
    error = refused(TOKENS.caller, {**headers, "x-namespace": "/other"}, "10.0.0.1", "write in")
    assert (error.status, error.errors[0]["description"]) == (403, "this token may not write in namespace /other")
    assert refused(TOKENS.caller, {**headers, "x-namespace": "/other"}, "10.0.0.1").errors[0]["description"] == (
        "this token may not read namespace /other"
    )
