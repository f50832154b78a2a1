"""The client's retry policy and settings (generator/runtime/client/retry.py, settings.py): the
policy alone, at its edges, and where each setting comes from."""

from __future__ import annotations

import pytest

from generator.runtime.client import errors, retry, settings

POLICY = retry.Retry()
ENV = settings.Environment("API_URL", "API_NAMESPACE", "API_TOKEN")


def test_the_defaults() -> None:
    assert (POLICY.attempts, POLICY.backoff, POLICY.max_delay, POLICY.max_retry_after) == (4, 0.5, 8.0, 60.0)
    assert POLICY.statuses == frozenset({429, 503}) and retry.NO_RETRY.attempts == 1
    assert frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}) == retry.IDEMPOTENT


@pytest.mark.parametrize(
    ("status", "retry_after", "tried", "again"),
    [
        (503, None, 1, True),
        (429, None, 3, True),
        (503, None, 4, False),  # the attempts count the first try
        (503, 60.0, 1, True),  # the longest Retry-After honoured
        (503, 60.5, 1, False),
        (503, 0.0, 1, True),
        (500, None, 1, False),
        (502, None, 1, False),
        (404, None, 1, False),
    ],
)
def test_which_answers_are_tried_again(status: int, retry_after: float | None, tried: int, again: bool) -> None:
    assert POLICY.after_status(status, retry_after, tried) is again


@pytest.mark.parametrize(
    ("method", "sent", "tried", "again"),
    [
        ("POST", False, 1, True),
        ("PATCH", False, 3, True),
        ("POST", False, 4, False),
        ("POST", True, 1, False),
        ("PATCH", True, 1, False),
        ("get", True, 1, True),
        ("PUT", True, 3, True),
        ("DELETE", True, 1, True),
        ("HEAD", True, 1, True),
        ("OPTIONS", True, 1, True),
        ("GET", True, 4, False),
    ],
)
def test_which_failures_are_tried_again(method: str, sent: bool, tried: int, again: bool) -> None:
    assert POLICY.after_failure(method, sent, tried) is again


def test_the_wait_doubles_to_its_ceiling_at_a_random_point_of_the_upper_half() -> None:
    assert [POLICY.delay(n, rng=lambda: 1.0) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert [POLICY.delay(n, rng=lambda: 0.0) for n in range(1, 7)] == [0.25, 0.5, 1.0, 2.0, 4.0, 4.0]
    assert POLICY.delay(2, rng=lambda: 0.5) == 0.75
    assert POLICY.delay(1, 3.0, rng=lambda: 1.0) == 3.0 and POLICY.delay(5, 3.0, rng=lambda: 1.0) == 8.0
    assert POLICY.delay(1, 0.0, rng=lambda: 0.0) == 0.25
    assert 0.25 <= POLICY.delay(1) <= 0.5  # the real random source, within the range


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"attempts": 0}, "attempts counts the first try too: at least 1"),
        ({"backoff": -0.1}, "waits are seconds, 0 or more"),
        ({"max_delay": -1.0}, "waits are seconds, 0 or more"),
        ({"max_retry_after": -1.0}, "waits are seconds, 0 or more"),
    ],
)
def test_a_policy_that_makes_no_sense_is_refused(options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        retry.Retry(**options)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert retry.Retry(attempts=1, backoff=0, max_delay=0, max_retry_after=0).delay(1, rng=lambda: 1.0) == 0.0


def test_each_setting_comes_from_its_argument_then_its_variable() -> None:
    env = {"API_URL": "https://env.test//", "API_NAMESPACE": "/env", "API_TOKEN": "env-token"}
    got = settings.resolve(ENV, environ=env)
    assert got == settings.Settings("https://env.test", "/env", "env-token", settings.DEFAULT_TIMEOUT)
    assert settings.DEFAULT_TIMEOUT == 10.0
    got = settings.resolve(ENV, url="http://a.test/", namespace="/n", token="t", timeout=0.0, environ=env)
    assert got == settings.Settings("http://a.test", "/n", "t", 0.0)
    empty = {"API_URL": "http://e.test", "API_NAMESPACE": "", "API_TOKEN": ""}
    assert settings.resolve(ENV, environ=empty) == settings.Settings("http://e.test", None, None)
    assert settings.resolve(ENV, url="http://x.test", namespace="", token="", environ={}).namespace is None


def test_the_process_environment_is_read_when_none_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_URL", "http://process.test")
    monkeypatch.setenv("API_TOKEN", "p")
    monkeypatch.delenv("API_NAMESPACE", raising=False)
    assert settings.resolve(ENV) == settings.Settings("http://process.test", None, "p")


def test_a_missing_or_foreign_url_says_how_to_give_one() -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        settings.resolve(ENV, environ={"API_URL": ""})
    assert str(caught.value) == "no API URL: pass url=... or set API_URL (e.g. export API_URL=http://127.0.0.1:8000)"
    with pytest.raises(errors.ConfigurationError) as caught:
        settings.resolve(ENV, url="ftp://" + "x" * 100, environ={})
    assert str(caught.value) == f"the API URL must start with http:// or https://, not {('ftp://' + 'x' * 100)[:60]!r}"


@pytest.mark.parametrize(
    ("name", "flag"),
    [
        ("force", "force"),
        ("order", "param-order"),
        ("page-size", "param-page-size"),
        ("help", "param-help"),
        ("Order", "Order"),
    ],
)
def test_a_spec_parameter_named_like_a_builtin_option_gets_a_prefix(name: str, flag: str) -> None:
    assert settings.parameter_flag(name) == flag


def test_only_the_final_slashes_of_the_url_go() -> None:
    assert settings.resolve(ENV, url="http://api.test/X//", environ={}).url == "http://api.test/X"
