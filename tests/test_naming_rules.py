"""The naming rules stated over random names: snake_case's shape, Python names that are always
usable and never collide with what generated code already uses, titles, articles, package and
command names, client attributes."""

from __future__ import annotations

import keyword
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import naming

SNAKE = re.compile(r"(?:[a-z0-9]+(?:_[a-z0-9]+)*)?")
# What a generated model, client and collection already use (stated here, not read from naming).
MODEL_MEMBERS = ["identity", "attributes", "from_dict", "to_dict", "validate", "validate_create", "validate_update"]
MODEL_MEMBERS += ["self", "cls"]
CLIENT_MEMBERS = ["transport", "settings", "close"]
COLLECTION_MEMBERS = ["list", "count", "get", "create", "update", "delete", "q", "order", "recursive", "page_size"]
COLLECTION_MEMBERS += ["limit", "namespace", "key", "obj", "params", "found"]

wire_names = st.text(alphabet=st.sampled_from(list("aAbBxXzZlLiI09_-. $é")), max_size=16) | st.from_regex(
    r"[A-Za-z0-9][A-Za-z0-9_-]{0,20}", fullmatch=True
)


@pytest.fixture(autouse=True)
def _fresh_python_names() -> None:
    """Names cached by an earlier test (or before a mutant was planted) would hide a change."""
    naming.python_name.cache_clear()


words = st.from_regex(r"[a-z]{2}[a-z0-9]{0,7}", fullmatch=True)


@pytest.mark.parametrize(
    ("wire", "snake"),
    [
        ("originalData", "original_data"),
        ("HTTPServerError", "http_server_error"),
        ("getHTTPResponseCode", "get_http_response_code"),
        ("a1B", "a1_b"),
        ("ABC", "abc"),
        ("x-request.id", "x_request_id"),
        ("__a__b__", "a_b"),
        ("a--b  c", "a_b_c"),
        ("né", "n"),
        ("$", ""),
        ("", ""),
        ("Already_Snake", "already_snake"),
        ("XRay", "x_ray"),
        ("boxX_", "box_x"),
    ],
)
def test_snake_case_examples(wire: str, snake: str) -> None:
    assert naming.snake_case(wire) == snake


@given(wire_names)
def test_snake_case_is_lower_words_joined_by_single_underscores(wire: str) -> None:
    snake = naming.snake_case(wire)
    assert SNAKE.fullmatch(snake), snake
    assert naming.snake_case(snake) == snake  # a snake_case name is its own snake_case


@given(st.lists(words, min_size=1, max_size=4))
def test_snake_case_and_camel_case_round_trip(parts: list[str]) -> None:
    snake = "_".join(parts)
    camel = parts[0] + "".join(part[:1].upper() + part[1:] for part in parts[1:])
    assert naming.snake_case(snake) == snake
    assert naming.snake_case(camel) == snake


@given(wire_names)
def test_python_name_is_always_a_usable_and_free_identifier(wire: str) -> None:
    name = naming.python_name(wire)
    assert name.isidentifier() and name.isascii()
    assert not name[0].isdigit()
    assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
    assert name not in MODEL_MEMBERS and name != "l"
    assert naming.python_name(name) == name  # a Python name stays what it is


@given(wire_names)
def test_python_name_is_the_snake_case_when_that_is_free(wire: str) -> None:
    snake = naming.snake_case(wire)
    name = naming.python_name(wire)
    if not snake:
        assert name == "field"
    elif snake[0].isdigit():
        assert name == f"field_{snake}"
    elif keyword.iskeyword(snake) or keyword.issoftkeyword(snake) or snake in MODEL_MEMBERS or snake == "l":
        assert name == f"{snake}_"
    else:
        assert name == snake


TAKEN = [word for word in (*keyword.kwlist, *keyword.softkwlist) if word.islower() and word != "_"]


@pytest.mark.parametrize("word", [*TAKEN, *MODEL_MEMBERS, "l"])
def test_every_taken_name_gets_a_trailing_underscore(word: str) -> None:
    expected = f"{naming.snake_case(word)}_"
    assert naming.python_name(word) == expected
    assert naming.python_name(word.upper()) == expected
    assert naming.python_name(f"{word}_") == expected


@pytest.mark.parametrize(
    ("wire", "python"),
    [("", "field"), ("__", "field"), ("9", "field_9"), ("3d_model", "field_3d_model"), ("1", "field_1")],
)
def test_names_with_nothing_usable_or_a_leading_digit(wire: str, python: str) -> None:
    assert naming.python_name(wire) == python


def test_python_name_lists_no_free_name_as_taken() -> None:
    for free in (
        "true",
        "none",
        "False",
        "ident",
        "attribute",
        "dict",
        "valid",
        "selfie",
        "field",
        "ll",
        "l1",
        "matches",
        "types",
    ):
        assert naming.python_name(free) == naming.snake_case(free)
    assert naming.python_name("_") == "field"  # the soft keyword _ has no letter to keep


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("activities", "Activities"),
        ("access_rules", "Access Rules"),
        ("a_b_c", "A B C"),
        ("api_KEY", "Api KEY"),  # only the first letter of each part changes
        ("x", "X"),
        ("", ""),
        ("a__b", "A  B"),
        ("_lead", " Lead"),
    ],
)
def test_title_case(name: str, title: str) -> None:
    assert naming.title_case(name) == title


@given(st.lists(words, min_size=1, max_size=4))
def test_title_case_capitalises_each_part_and_keeps_the_rest(parts: list[str]) -> None:
    title = naming.title_case("_".join(parts))
    assert title.split(" ") == [part[0].upper() + part[1:] for part in parts]


@pytest.mark.parametrize("word", keyword.kwlist)
def test_a_keyword_model_name_gets_an_underscore_as_a_module(word: str) -> None:
    assert naming.module_name(word) == f"{word}_"


@pytest.mark.parametrize("name", ["thing", "match", "case", "type", "_", "classes", "import_"])
def test_a_module_name_that_is_no_keyword_stays(name: str) -> None:
    assert naming.module_name(name) == name


@pytest.mark.parametrize("letter", list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
def test_an_initialism_takes_the_article_of_its_first_letter_name(letter: str) -> None:
    expected = "an" if letter in "AEFHILMNORSX" else "a"
    assert naming.article(f"{letter}Z Thing") == expected  # spelt out: "an F Z", "a B Z"
    assert naming.article(f"{letter}ZZ") == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("A", "an"),  # one capital letter is a word, not an initialism
        ("I", "an"),
        ("Ox", "an"),
        ("Bee", "a"),
        ("one", "a"),
        ("Once Only", "a"),
        ("Euro", "a"),
        ("Ewe", "a"),
        ("Unicorn", "a"),
        ("Useful", "a"),
        ("USA", "a"),
        ("Usual", "a"),
        ("Utility", "a"),
        ("Uranium", "a"),
        ("Urine", "a"),
        ("Urology", "a"),
        ("hour", "an"),
        ("Honest Person", "an"),
        ("Honor", "an"),
        ("Honour", "an"),
        ("Heir", "an"),
        ("Unary Operator", "a"),
        ("Unanimous Vote", "a"),
        ("Unused Key", "an"),  # un- the prefix
        ("Unusual", "an"),
        ("Unordered List", "an"),
        ("Unyielding", "an"),
        ("Uneven", "an"),
        ("Unable", "an"),
        ("Unassigned", "an"),
        ("Unattended", "an"),
        ("Unarmed", "an"),
        ("Unavailable", "an"),
        ("Uninitialized", "an"),
        ("Uvula", "a"),
        ("Ubyte", "a"),
        ("Uke", "a"),  # three letters are enough for the you-sound rule
        ("Uea", "an"),  # u then a vowel is not the you-sound rule
        ("Ugly", "an"),
        ("Upper", "an"),
        ("Under", "an"),
        ("Ux", "an"),
        ("U", "an"),
        ("Egg", "an"),
        ("Owl", "an"),
        ("item list", "an"),
        ("Item-list", "an"),
        ("Zebra", "a"),
        ("Hat", "a"),
        ("FBI Agent Report", "an"),  # the first word decides, however many follow
        ("Hour Unit Price", "an"),
        (" Item", "a"),  # a phrase that starts with a space has no first word
    ],
)
def test_article_by_first_sound(phrase: str, expected: str) -> None:
    assert naming.article(phrase) == expected


@given(words | st.from_regex(r"[A-Z]{1,5}", fullmatch=True), st.sampled_from(["", " thing", " of many words"]))
def test_article_reads_only_the_first_word(word: str, rest: str) -> None:
    assert naming.article(word + rest) == naming.article(word)
    assert naming.article(word + rest) in ("a", "an")


@pytest.mark.parametrize(
    ("models", "client", "command"),
    [
        ("squallmodels", "squallclient", "squallctl"),
        ("shop_models", "shop_client", "shopctl"),
        ("shop", "shop_client", "shopctl"),
        ("models", "models_client", "modelsctl"),
        ("modelsx", "modelsx_client", "modelsxctl"),
        ("mymodelsmodels", "mymodelsclient", "mymodelsctl"),
    ],
)
def test_client_package_and_command_names(models: str, client: str, command: str) -> None:
    assert naming.client_package(models) == client
    assert naming.command_name(client) == command


@pytest.mark.parametrize(
    ("client", "command"),
    [
        ("client", "clientctl"),
        ("_client", "_clientctl"),
        ("shop__client", "shopctl"),
        ("clientx", "clientxctl"),
        ("ShopX_client", "ShopXctl"),
    ],
)
def test_command_name_edge_cases(client: str, command: str) -> None:
    assert naming.command_name(client) == command


@pytest.mark.parametrize("word", CLIENT_MEMBERS)
def test_a_collection_never_takes_a_client_member(word: str) -> None:
    assert naming.collection_attribute(word) == f"{word}_"
    assert naming.collection_attribute(word.title()) == f"{word}_"


@pytest.mark.parametrize("word", COLLECTION_MEMBERS)
def test_a_child_accessor_never_takes_a_collection_member(word: str) -> None:
    assert naming.child_accessor(word) == f"{word}_"
    assert naming.collection_attribute(word) == word  # the client itself has no such member


@given(wire_names)
def test_client_attributes_are_python_names_that_do_not_collide(category: str) -> None:
    collection = naming.collection_attribute(category)
    child = naming.child_accessor(category)
    base = naming.python_name(category)
    assert collection == (f"{base}_" if base in CLIENT_MEMBERS else base)
    assert child == (f"{base}_" if base in COLLECTION_MEMBERS else base)
    assert collection.isidentifier() and child.isidentifier()
    assert collection not in CLIENT_MEMBERS and child not in COLLECTION_MEMBERS
