"""What a client sees of nested values (server/visibility.py) at the source, every piece built
inside the test (a value built at import time is not seen by the mutation run's tracing)."""

from __future__ import annotations

from typing import Any

from generator.runtime.server.visibility import Concealment, Pruning, with_secrets


def pruning() -> Pruning:
    """A step drops its token and holds steps; a note drops nothing but holds steps."""
    return Pruning(
        {
            "step": (["token"], {"steps": ("list", ("ref", "step")), "by": ("map", ("ref", "step"))}),
            "note": ((), {"step": ("ref", "step")}),
        }
    )


def test_a_listed_type_loses_what_it_drops_at_every_depth() -> None:
    value = {"text": "1", "token": "t", "steps": [{"token": "u", "steps": []}], "by": {"k": {"token": "v"}}}
    assert pruning().apply(value, ("ref", "step")) == {"text": "1", "steps": [{"steps": []}], "by": {"k": {}}}
    assert pruning().apply({"step": {"token": "t", "x": 1}}, ("ref", "note")) == {"step": {"x": 1}}


def test_values_not_of_the_shape_and_types_not_listed_come_back_as_they_are() -> None:
    prune = pruning()
    for value, shape in (
        ("text", ("ref", "step")),
        ([{"token": 1}], ("ref", "step")),
        ({"token": 1}, ("ref", "unlisted")),
        ({"token": 1}, ("list", ("ref", "step"))),
        ([{"token": 1}], ("map", ("ref", "step"))),
        ({"token": 1}, ("string",)),
        (None, ("ref", "step")),
    ):
        assert prune.apply(value, shape) == value, (value, shape)
    assert prune.apply({"steps": "not a list", "token": 1}, ("ref", "step")) == {"steps": "not a list"}


def test_a_bound_pruning_works_on_canonical_json_text() -> None:
    bound = pruning().bind(("list", ("ref", "step")))
    assert bound([{"token": 1, "a": 2}]) == [{"a": 2}]
    assert bound.text('[{"z": "é", "token": "t", "a": [1, 2]}]') == '[{"a":[1,2],"z":"é"}]'
    assert bound.text(None) is None


def test_a_concealment_leaves_attributes_out_and_prunes_the_nested_ones() -> None:
    concealed = Concealment(
        ("password",), {"first": pruning().bind(("ref", "step")), "gone": pruning().bind(("ref", "step"))}
    )
    assert concealed({"password": "p", "first": {"token": "t", "a": 1}, "n": 1}) == {"first": {"a": 1}, "n": 1}
    assert concealed("text") == "text" and Concealment()({"a": 1}) == {"a": 1}


def test_an_update_keeps_each_stored_secret_it_leaves_out() -> None:
    stored: dict[str, Any] = {"password": "p", "pin": "1", "name": "old"}
    body: dict[str, Any] = {"name": "new"}
    assert with_secrets(body, stored, ("password", "pin", "absent")) == {"password": "p", "pin": "1", "name": "new"}
    assert with_secrets({"pin": None}, stored, ("pin",)) == {"pin": None}  # sent, even as null: it replaces
    nothing_kept: dict[str, Any] = {"name": "x"}
    assert with_secrets(nothing_kept, {}, ("password",)) is nothing_kept  # no secret stored: the body as sent
    assert with_secrets([1], stored, ("password",)) == [1]
