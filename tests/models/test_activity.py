"""The generated Activity class, used as the seed page's Python example uses it."""

from __future__ import annotations

import copy
import importlib
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from tests.conftest import GENERATED

PAYLOAD = {
    "ID": "5d0a8b3c2f1e4a0001f3c9a7",
    "claims": {"@auth:realm": "certificate", "@auth:subject": "alice", "@auth:organization": "acme"},
    "data": {"name": "frontend", "protected": False, "tags": ["app=web", "env=prod"]},
    "date": "2019-06-17T10:00:00.123456Z",
    "error": None,
    "message": "processing unit frontend updated",
    "namespace": "/acme/prod",
    "operation": "update",
    "originalData": {"name": "frontend", "protected": True},
    "source": "apoctl",
    "targetIdentity": "processingunit",
}


def test_import_needs_nothing_beyond_the_standard_library() -> None:
    # -S: no site-packages at all, so only the standard library can be imported.
    code = f"import sys; sys.path.insert(0, {str(GENERATED / 'python')!r}); import squallmodels; print('ok')"
    result = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "ok", result.stderr


def test_from_squallmodels_import_activity_as_the_seed_page_does() -> None:
    from squallmodels import Activity

    obj = Activity()
    assert obj.identity.name == "activity"
    assert obj.identity.category == "activities"
    obj.id = "identifier"  # the seed page sets obj.ID; ours is snake_case, the wire name stays ID
    assert obj.to_dict() == {"ID": "identifier"}


def test_realistic_payload_round_trips() -> None:
    from squallmodels import Activity

    obj = Activity.from_dict(copy.deepcopy(PAYLOAD))
    assert obj.date == datetime(2019, 6, 17, 10, 0, 0, 123456, tzinfo=UTC)
    assert obj.target_identity == "processingunit"
    assert obj.original_data == {"name": "frontend", "protected": True}
    assert obj.validate() == []
    wire = obj.to_dict()
    assert wire == {k: v for k, v in PAYLOAD.items() if v is not None}
    assert Activity.from_dict(wire) == obj


def test_times_are_normalised_to_utc() -> None:
    from squallmodels import Activity

    obj = Activity.from_dict({"date": "2019-06-17T12:00:00+02:00"})
    assert obj.to_dict()["date"] == "2019-06-17T10:00:00Z"
    nanos = Activity.from_dict({"date": "2019-06-17T10:00:00.123456789Z"})
    assert nanos.date is not None and nanos.date.microsecond == 123456


def test_bad_payload_reports_every_problem_at_once() -> None:
    from squallmodels import Activity, ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        Activity.from_dict({"ID": 42, "date": "17/06/2019", "message": ["not", "a", "string"]})
    errors = [e.to_dict() for e in caught.value.errors]
    assert [e["data"] for e in errors] == [{"attribute": "date"}, {"attribute": "ID"}, {"attribute": "message"}]
    assert all(e["code"] == 422 and e["title"] == "Validation Error" for e in errors)
    assert "RFC 3339" in str(errors[0]["description"])


def test_a_model_clients_cannot_write_has_no_input_validators() -> None:
    """Activity is list and retrieve only: nothing of a create or update body is generated for it."""
    import squallmodels.activity as module
    from squallmodels import Activity

    assert not hasattr(Activity, "validate_create") and not hasattr(Activity, "validate_update")
    assert not [name for name in vars(module) if name.startswith("_REFUSED")]


def test_registry_of_identities() -> None:
    import squallmodels

    assert [i.name for i in squallmodels.IDENTITIES] == ["activity"]
    assert squallmodels.model_for("activities") is squallmodels.Activity
    assert squallmodels.model_for("activity") is squallmodels.Activity
    with pytest.raises(KeyError):
        squallmodels.model_for("nothing")


def test_attribute_table_keeps_the_spec_tri_state() -> None:
    from squallmodels import Activity

    table = {a.exposed_name: a for a in Activity.attributes}
    assert list(table) == [
        "claims", "data", "date", "error", "ID", "message", "namespace", "operation", "originalData", "source",
        "targetIdentity",
    ]  # fmt: skip
    assert table["ID"].required is False and table["claims"].required is None
    assert table["error"].filterable is False and table["operation"].orderable is False
    assert table["ID"].python_name == "id" and table["originalData"].python_name == "original_data"


def test_module_reloads_cleanly() -> None:
    import squallmodels.activity

    importlib.reload(squallmodels.activity)
