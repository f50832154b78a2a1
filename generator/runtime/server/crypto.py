"""Encryption at rest: AES-256-GCM (authenticated) from the ``cryptography`` package.

An encrypted attribute is stored as ``VERSION + nonce + ciphertext and tag``, the plaintext
being the value's canonical JSON text, with ``table.column`` as associated data: a value
copied into another column or table does not open. Each value has a fresh random 96-bit
nonce, so equal values do not look equal in the file.

The key is 32 random bytes, written as 64 hex digits (``new_key()`` makes one) or in base64.
``cryptography`` is imported only when a cipher is made: an API without encrypted attributes
needs none of it.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from typing import Any

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
VERSION = b"\x01"  # the format of a stored value: a later one (another algorithm, a key id) gets another byte


class CipherError(ValueError):
    """A key that is not one, or a stored value this key does not open."""


def new_key() -> str:
    """A fresh key, as a key file holds it: 64 hex digits."""
    return secrets.token_hex(KEY_BYTES)


def parse_key(text: str) -> bytes:
    """The key of a key file or variable: 64 hex digits, or 32 bytes in base64 (standard or URL-safe)."""
    text = text.strip()
    if len(text) == 2 * KEY_BYTES:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    try:
        key = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise CipherError(
            f"an encryption key is {KEY_BYTES} random bytes, written as {2 * KEY_BYTES} hex digits"
            " (python -c 'import secrets; print(secrets.token_hex(32))' makes one)"
        )
    return key


class Cipher:
    """Seals and opens stored values with one key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise CipherError(f"an encryption key is {KEY_BYTES} bytes, not {len(key)}")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key)

    def seal(self, where: str, text: str) -> bytes:
        """The stored form of a value's JSON text; ``where`` (``table.column``) is bound to it."""
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self._aead.encrypt(nonce, text.encode("utf-8"), where.encode("utf-8"))

    def open(self, where: str, stored: Any) -> str:
        """The JSON text sealed in ``stored``; CipherError when this key (and place) does not open it."""
        from cryptography.exceptions import InvalidTag

        if not isinstance(stored, bytes) or len(stored) < 1 + NONCE_BYTES + TAG_BYTES or stored[:1] != VERSION:
            raise CipherError(f"{where}: not a value sealed by this server")
        nonce, sealed = stored[1 : 1 + NONCE_BYTES], stored[1 + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, sealed, where.encode("utf-8")).decode("utf-8")
        except InvalidTag:
            raise CipherError(f"{where}: the encryption key does not open this value") from None
