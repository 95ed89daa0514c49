"""Sealing tokens at rest: Fernet (AES-128-CBC with an HMAC-SHA256) over every key of
``INFOINT_ENCRYPTION_KEY``.

The variable holds one key or several, separated by commas: the first seals, every one of them opens
(`cryptography`'s ``MultiFernet``), so a new key can be put first while the old ones still open what
they sealed, until ``infoint db reseal`` has sealed every row again with the first.

Nothing here ever puts a token or a key in a message: a failure says which key is wrong, by its place.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

VARIABLE = "INFOINT_ENCRYPTION_KEY"
GENERATE = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


class EncryptionKeyError(ValueError):
    """The encryption key setting is missing or malformed (said in one line, without the key)."""


class SealError(Exception):
    """A sealed value that none of the keys opens (said without the value)."""


def parse_keys(text: str) -> list[bytes]:
    """The keys of ``INFOINT_ENCRYPTION_KEY``, first the one that seals; raises `EncryptionKeyError`."""
    parts = [part.strip() for part in text.split(",")]
    if not any(parts):
        raise EncryptionKeyError(f"{VARIABLE} is empty: generate a key with {GENERATE}")
    keys: list[bytes] = []
    for place, part in enumerate(parts, start=1):
        if not _is_fernet_key(part):
            which = "it" if len(parts) == 1 else f"key {place} of {len(parts)}"
            raise EncryptionKeyError(
                f"{VARIABLE} is not valid: {which} is not a Fernet key (44 characters of URL-safe "
                f"base64); generate one with {GENERATE}"
            )
        keys.append(part.encode("ascii"))
    return keys


def _is_fernet_key(text: str) -> bool:
    if len(text) != 44 or not text.isascii():
        return False
    try:
        return len(base64.urlsafe_b64decode(text.encode("ascii"))) == 32
    except (binascii.Error, ValueError):
        return False


class Sealer:
    """Seals with the first key, opens with any of them."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise EncryptionKeyError(f"{VARIABLE} holds no key")
        self._fernet = MultiFernet([Fernet(key) for key in keys])
        self.key_count = len(keys)

    @classmethod
    def from_setting(cls, text: str) -> Sealer:
        return cls(parse_keys(text))

    def seal(self, value: str) -> str:
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError, ValueError):
            raise SealError(
                f"a stored token can't be opened with any key of {VARIABLE} (a key removed too soon, "
                "or another installation's key)"
            ) from None

    def reseal(self, sealed: str) -> str:
        """The same value sealed again with the first key (what ``infoint db reseal`` does per token)."""
        try:
            return self._fernet.rotate(sealed.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError, ValueError):
            raise SealError(
                f"a stored token can't be opened with any key of {VARIABLE}, so it can't be sealed again"
            ) from None
