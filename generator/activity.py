"""The activity log (REFERENCE.md): every create, update and delete recorded as one object.

An API keeps the log when it has a model named ``activity`` with the ``operation`` and
``targetIdentity`` string attributes; the log's other fields are filled when the model has
them, with the type they have in Squall.
"""

from __future__ import annotations

from generator.attribute_types import AttributeType
from generator.spec import Api, Attribute, Model

ACTIVITY_MODEL = "activity"
# Each field of the log and the types its attribute may have.
FIELDS: tuple[tuple[str, tuple[AttributeType, ...]], ...] = (
    ("operation", ("string",)),
    ("targetIdentity", ("string",)),
    ("data", ("raw_data",)),
    ("originalData", ("raw_data",)),
    ("error", ("raw_data",)),
    ("claims", ("raw_data",)),
    ("namespace", ("string",)),
    ("date", ("time",)),
    ("source", ("string",)),
    ("message", ("string",)),
)
_REQUIRED = ("operation", "targetIdentity")


def activity_model(api: Api) -> Model | None:
    """The model every write is logged to, if the API has one."""
    model = api.models_by_name.get(ACTIVITY_MODEL)
    if model is None:
        return None
    types = {a.name: a.type for a in model.attributes}
    if any(types.get(field) != "string" for field in _REQUIRED):
        return None
    return model


def logs_writes(api: Api) -> bool:
    """True when the API has an activity log and something to log in it."""
    return api.writes and activity_model(api) is not None


def logged_fields(model: Model) -> dict[str, Attribute]:
    """Log field -> the activity model's attribute for it, for each field it has with the right type."""
    found = {}
    for field, types in FIELDS:
        for attribute in model.attributes:
            if attribute.name == field and attribute.type in types:
                found[field] = attribute
    return found
