"""Encryption at rest (server/crypto.py) at its source: the key forms read, what a sealed value
is made of, and which stored values this key and place refuse to open, with what words."""

from __future__ import annotations

import base64

import pytest

from generator.runtime.server.crypto import (
    KEY_BYTES,
    NONCE_BYTES,
    TAG_BYTES,
    VERSION,
    Cipher,
    CipherError,
    new_key,
    parse_key,
)

KEY = bytes(range(32))
NOT_A_KEY = (
    "an encryption key is 32 random bytes, written as 64 hex digits"
    " (python -c 'import secrets; print(secrets.token_hex(32))' makes one)"
)


@pytest.mark.parametrize(
    "text",
    [
        KEY.hex(),
        KEY.hex().upper(),
        f"  {KEY.hex()}\n",
        base64.b64encode(KEY).decode(),
        base64.urlsafe_b64encode(bytes([251] * 32)).decode(),  # - and _ of URL-safe base64
        f"\t{base64.b64encode(KEY).decode()} ",
    ],
)
def test_a_key_is_64_hex_digits_or_32_bytes_of_base64(text: str) -> None:
    expected = bytes([251] * 32) if "-" in text or "_" in text else KEY
    assert parse_key(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        KEY.hex()[:-2],
        KEY.hex() + "00",
        "g" + KEY.hex()[1:],
        base64.b64encode(KEY[:-1]).decode(),
        base64.b64encode(KEY + b"x").decode(),
        base64.b64encode(bytes([255] * 48)).decode(),  # 64 characters, not hex, 48 bytes
        base64.b64encode(KEY).decode().rstrip("="),
        "not a key at all",
    ],
)
def test_anything_else_is_refused_with_how_to_make_one(text: str) -> None:
    with pytest.raises(CipherError) as caught:
        parse_key(text)
    assert str(caught.value) == NOT_A_KEY


def test_a_new_key_is_fresh_and_reads_back() -> None:
    one, two = new_key(), new_key()
    assert one != two and len(one) == 2 * KEY_BYTES == 64 and parse_key(one) == bytes.fromhex(one)


@pytest.mark.parametrize("size", [0, 16, 31, 33])
def test_a_cipher_takes_32_bytes_only(size: int) -> None:
    with pytest.raises(CipherError) as caught:
        Cipher(bytes(size))
    assert str(caught.value) == f"an encryption key is 32 bytes, not {size}"


def test_a_sealed_value_is_the_version_a_nonce_and_the_ciphertext_with_its_tag() -> None:
    cipher = Cipher(KEY)
    sealed = cipher.seal("t.c", '"é"')
    assert (NONCE_BYTES, TAG_BYTES, VERSION) == (12, 16, b"\x01")
    assert sealed[:1] == VERSION and len(sealed) == 1 + NONCE_BYTES + len('"é"'.encode()) + TAG_BYTES
    assert cipher.open("t.c", sealed) == '"é"'
    empty = cipher.seal("t.c", "")
    assert len(empty) == 1 + NONCE_BYTES + TAG_BYTES and cipher.open("t.c", empty) == ""  # the shortest there is


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        (b"", "t.c: not a value sealed by this server"),
        ("text", "t.c: not a value sealed by this server"),
        (None, "t.c: not a value sealed by this server"),
        (VERSION + bytes(NONCE_BYTES + TAG_BYTES - 1), "t.c: not a value sealed by this server"),
        (b"\x02" + bytes(NONCE_BYTES + TAG_BYTES), "t.c: not a value sealed by this server"),
        (VERSION + bytes(NONCE_BYTES + TAG_BYTES), "t.c: the encryption key does not open this value"),
    ],
)
def test_what_is_not_a_sealed_value_says_so(stored: object, message: str) -> None:
    with pytest.raises(CipherError) as caught:
        Cipher(KEY).open("t.c", stored)
    assert str(caught.value) == message


def test_a_value_opens_only_with_its_key_and_in_its_place() -> None:
    sealed = Cipher(KEY).seal("t.c", "1")
    for where, key in (("t.d", KEY), ("u.c", KEY), ("t.c", bytes(32))):
        with pytest.raises(CipherError) as caught:
            Cipher(key).open(where, sealed)
        assert str(caught.value) == f"{where}: the encryption key does not open this value"


def test_base64_with_a_character_outside_its_alphabet_is_refused() -> None:
    written = base64.b64encode(KEY).decode()
    with pytest.raises(CipherError):
        parse_key(written[:10] + "!" + written[10:])
