"""Turn wire names into safe Python names; the wire name itself never changes."""

from __future__ import annotations

import functools
import keyword
import re

_CAMEL_BOUNDARY_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_BOUNDARY_2 = re.compile(r"([a-z0-9])([A-Z])")
_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]+")

# Names a generated model class already uses for itself; an attribute may not shadow them.
RESERVED_MODEL_MEMBERS = frozenset(
    {"identity", "attributes", "from_dict", "to_dict", "validate", "validate_create", "validate_update", "self", "cls"}
)


# Names the models package exports beside the model classes; a class may not take one.
RUNTIME_EXPORTS = (
    "AttributeSpec",
    "Identity",
    "JSONValue",
    "Model",
    "Object",
    "ValidationError",
    "ValidationFailed",
    "format_time",
    "model_for",
    "parse_time",
)


def snake_case(name: str) -> str:
    """``originalData`` -> ``original_data``, ``ID`` -> ``id``, ``HTTPMethod`` -> ``http_method``."""
    text = _NOT_IDENTIFIER.sub("_", name)
    text = _CAMEL_BOUNDARY_1.sub(r"\1_\2", text)
    text = _CAMEL_BOUNDARY_2.sub(r"\1_\2", text)
    return re.sub(r"_+", "_", text).strip("_").lower()


def _python_name(name: str) -> str:
    """A snake_case identifier that is never a keyword, never starts with a digit, never a reserved member."""
    text = snake_case(name) or "field"
    if text[0].isdigit():
        text = f"field_{text}"
    # ``l`` reads as 1 or I in many fonts (pycodestyle's E741 refuses it as a name).
    if keyword.iskeyword(text) or keyword.issoftkeyword(text) or text in RESERVED_MODEL_MEMBERS or text == "l":
        text = f"{text}_"
    return text


# Cached: pure, and the same names (ID, name, namespace) recur in every model. Wrapped rather
# than decorated so that mutation testing reaches the function (mutmut skips decorated ones).
python_name = functools.lru_cache(maxsize=4096)(_python_name)


def title_case(name: str) -> str:
    """``activities`` -> ``Activities``; ``access_rules`` -> ``Access Rules``."""
    return " ".join(part[:1].upper() + part[1:] for part in name.split("_"))


def module_name(name: str) -> str:
    """A model name as a Python module name: ``import`` -> ``import_`` (the wire name stays)."""
    return f"{name}_" if keyword.iskeyword(name) else name


# Words whose first letter is a vowel but whose first sound is not, and the reverse.
_A_BEFORE = ("one", "once", "eu", "ewe", "uni", "use", "usa", "usu", "uti", "ura", "uri", "uro")
# "un-" the prefix (an unused, an unable) but a unary, a unanimous, a unit.
_AN_BEFORE = (
    *("hour", "honest", "honor", "honour", "heir"),
    *("une", "uno", "unu", "uny", "unin", "unab", "unac", "unaf", "unap", "unarm", "unas", "unat", "unav", "unaw"),
)
# Letters whose names start with a vowel sound, for initialisms spelled out ("an SQL", "an API").
_VOWEL_SOUND_LETTERS = "AEFHILMNORSX"


def article(phrase: str) -> str:
    """``a`` or ``an`` before a phrase, by its first sound: an Activity, a User, an Hour, an API."""
    word = phrase.split(" ", 1)[0]
    if not word:
        return "a"
    lower = word.lower()
    if len(word) > 1 and word.isupper():  # an initialism, read letter by letter
        return "an" if word[0] in _VOWEL_SOUND_LETTERS else "a"
    if lower.startswith(_AN_BEFORE):
        return "an"
    if lower.startswith(_A_BEFORE):
        return "a"
    if lower[0] == "u" and len(lower) > 2 and lower[1] not in "aeiou" and lower[2] in "aeiouy":
        return "a"  # you-sound: user, unit, utility (but an update, an umbrella)
    return "an" if lower[0] in "aeiou" else "a"


def client_package(models_package: str) -> str:
    """The client package's default name: ``squallmodels`` -> ``squallclient``, ``shop_models`` -> ``shop_client``,
    ``shop`` -> ``shop_client``."""
    stem = models_package.removesuffix("models")
    if stem and stem != models_package:
        return f"{stem}client"
    return f"{models_package}_client"


def command_name(client_package: str) -> str:
    """The command line of a client package: ``squallclient`` -> ``squallctl``, ``shop_client`` -> ``shopctl``."""
    stem = client_package.removesuffix("client").rstrip("_")
    return f"{stem or client_package}ctl"


# What a generated client's objects already use: a collection or a child accessor never takes one.
_CLIENT_MEMBERS = frozenset({"transport", "settings", "close"})
_COLLECTION_MEMBERS = frozenset(
    {"list", "count", "get", "create", "update", "delete", "q", "order", "recursive", "page_size", "limit"}
    | {"namespace", "key", "obj", "params", "found"}
)


def collection_attribute(category: str) -> str:
    """A model's collection on a generated client: ``client.activities``."""
    name = python_name(category)
    return f"{name}_" if name in _CLIENT_MEMBERS else name


def child_accessor(category: str) -> str:
    """The children of one parent object on the parent's collection: ``client.projects.lists(key)``."""
    name = python_name(category)
    return f"{name}_" if name in _COLLECTION_MEMBERS else name
