"""Wire names become safe Python names; the wire name itself never changes."""

from __future__ import annotations

import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.naming import python_name, snake_case


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("ID", "id"),
        ("originalData", "original_data"),
        ("targetIdentity", "target_identity"),
        ("HTTPMethod", "http_method"),
        ("class", "class_"),
        ("import", "import_"),
        ("match", "match_"),  # a soft keyword
        ("2fa-code", "field_2fa_code"),
        ("x-request-id", "x_request_id"),
        ("validate", "validate_"),  # a member of every generated model
        ("to_dict", "to_dict_"),
        ("identity", "identity_"),
        ("l", "l_"),  # reads as 1 or I: pycodestyle's E741
        ("L", "l_"),
    ],
)
def test_python_names(wire: str, python: str) -> None:
    assert python_name(wire) == python


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}", fullmatch=True))
def test_every_allowed_attribute_name_gives_a_usable_identifier(name: str) -> None:
    result = python_name(name)
    assert result.isidentifier()
    assert not keyword.iskeyword(result)
    assert result == result.lower()


def test_snake_case_is_idempotent() -> None:
    for name in ("originalData", "ID", "a_b", "HTTPServerError"):
        assert snake_case(snake_case(name)) == snake_case(name)
