"""The secrets respondents hold, and what the database keeps of them.

An invitation or device token is 128 random bits, kept as its SHA-256 (fast: it cannot be
guessed anyway). A room access code is short (8 characters from 31, about 2**40), so it is
kept as a salted scrypt hash: a copy of the database does not give the code without
about 2**40 scrypt runs, each of which takes a tenth of a second here.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ROOM_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ROOM_CODE_LENGTH = 8
#: scrypt's cost: 2**14 rounds of 8 blocks (16 MiB), the usual interactive setting.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def token_hash(token: str) -> str:
    """What the database keeps of a secret token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A 128-bit random token, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def new_room_code() -> str:
    return "".join(secrets.choice(ROOM_ALPHABET) for _ in range(ROOM_CODE_LENGTH))


def normal_room_code(text: str) -> str:
    """A typed access code as stored: capitals, without spaces or dashes."""
    return "".join(c for c in text.upper() if c.isalnum())


def _scrypt(code: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        normal_room_code(code).encode(), salt=salt, n=n, r=r, p=p, maxmem=2**26, dklen=32
    )


def room_code_hash(code: str) -> str:
    """`scrypt$N$r$p$SALT$HASH` (hex) of an access code, with a new random salt."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(code, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def room_code_matches(code: str, stored: str | None) -> bool:
    """Whether a typed code is the one `stored` was made from; compared in constant time."""
    if not stored or not normal_room_code(code):
        return False
    kind, n, r, p, salt, digest = stored.split("$")
    if kind != "scrypt":
        return False
    given = _scrypt(code, bytes.fromhex(salt), int(n), int(r), int(p))
    return hmac.compare_digest(given, bytes.fromhex(digest))
