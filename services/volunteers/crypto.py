"""AES-256-GCM with one key per volunteer (the `cryptography` library): the domain's Cipher port."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.volunteers.domain.personal import Unreadable

PREFIX = "v1."
_NONCE = 12


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


class VolunteerCipher:
    """Seals one volunteer's fields; the volunteer id and field name are bound in as associated data,
    so a ciphertext moved to another volunteer or another field does not open."""

    def __init__(self, volunteer_id: str, key: bytes) -> None:
        self._aead = AESGCM(key)
        self._volunteer_id = volunteer_id

    def _aad(self, field: str) -> bytes:
        return f"ochotnicy/volunteers/{self._volunteer_id}/{field}".encode()

    def seal(self, field: str, plaintext: str) -> str:
        return self.seal_bytes(field, plaintext.encode("utf-8")).decode("ascii")

    def open(self, field: str, sealed: str) -> str:
        try:
            return self.open_bytes(field, sealed.encode("ascii")).decode("utf-8")
        except UnicodeError as exc:
            raise Unreadable("the ciphertext does not open with this key") from exc

    def seal_bytes(self, field: str, plaintext: bytes) -> bytes:
        """`PREFIX` + base64 of nonce and ciphertext: text, as the events and the read model keep it."""
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, plaintext, self._aad(field))
        return PREFIX.encode("ascii") + base64.urlsafe_b64encode(nonce + sealed)

    def open_bytes(self, field: str, sealed: bytes) -> bytes:
        if not sealed.startswith(PREFIX.encode("ascii")):
            raise Unreadable("not sealed by this service")
        try:
            raw = base64.urlsafe_b64decode(sealed[len(PREFIX):])
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], self._aad(field))
        except (InvalidTag, ValueError, binascii.Error) as exc:
            raise Unreadable("the ciphertext does not open with this key") from exc

    def __repr__(self) -> str:
        return f"VolunteerCipher({self._volunteer_id})"


def email_digest(secret: bytes, email: str) -> str:
    """A keyed digest of the e-mail (case-insensitive) to find duplicates without keeping the address."""
    return hmac.new(secret, email.strip().casefold().encode("utf-8"), hashlib.sha256).hexdigest()
