"""API keys: who may read and who may write the files.

The task gets the SHA-256 hashes of the valid keys, never the keys, in API_KEY_SHA256 (the task
definition fills it from Secrets Manager or SSM). Entries are separated by commas, spaces or line
breaks; each is `[label:]<64 hex digits>[:read|:write]`:

    ci:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
    dashboard:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae:read

The label names the key in the access log (the key itself is never logged); `:read` makes a key
that may list and download but not upload or delete; the default is `:write` (read and write).
Several entries at once let a key be rotated without downtime: add the new one, move clients,
remove the old one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass

from errors import ApiError

KEYS_VARIABLE = "API_KEY_SHA256"
READ = "read"
WRITE = "write"

_ENTRY = re.compile(r"(?:(?P<label>[A-Za-z0-9][A-Za-z0-9._-]{0,63}):)?(?P<digest>[0-9a-fA-F]{64})(?::(?P<access>read|write))?")
# What a key may look like on the wire: visible ASCII, no spaces, of a sane length.
_PRESENTED = re.compile(r"[\x21-\x7e]{16,256}")
_CHALLENGE = 'Bearer realm="files"'


@dataclass(frozen=True)
class ApiKey:
    label: str
    digest: bytes
    access: str

    def line(self) -> str:
        """The entry for API_KEY_SHA256."""
        suffix = ":read" if self.access == READ else ""
        return f"{self.label}:{self.digest.hex()}{suffix}"


def digest_of(key: str) -> bytes:
    """The SHA-256 of a key. Keys are long random strings, so a fast hash is enough: nothing to guess."""
    return hashlib.sha256(key.encode("ascii")).digest()


def parse_keys(raw: str) -> tuple[ApiKey, ...]:
    """The keys in API_KEY_SHA256's format. Raises ValueError, naming the entry's position and never its text."""
    keys: list[ApiKey] = []
    for position, entry in enumerate((e for e in re.split(r"[\s,]+", raw.strip()) if e), start=1):
        match = _ENTRY.fullmatch(entry)
        if match is None:
            raise ValueError(f"{KEYS_VARIABLE}: entry {position} is not [label:]<64 hex digits of a SHA-256>[:read|:write]")
        digest = bytes.fromhex(match["digest"])
        label = match["label"] or f"sha256-{digest.hex()[:8]}"
        if any(k.label == label for k in keys):
            raise ValueError(f"{KEYS_VARIABLE}: entry {position} repeats the label {label!r}; labels name keys in the logs")
        if any(k.digest == digest for k in keys):
            raise ValueError(f"{KEYS_VARIABLE}: entry {position} repeats a hash already listed")
        keys.append(ApiKey(label=label, digest=digest, access=match["access"] or WRITE))
    return tuple(keys)


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key the request carries (Authorization: Bearer, else X-Api-Key), or None when it carries none."""
    authorization = headers.get("Authorization")
    if authorization is not None:
        scheme, _, key = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise ApiError(401, "send the API key as 'Authorization: Bearer <key>'", {"WWW-Authenticate": _CHALLENGE})
        return key.strip()
    key = headers.get("X-Api-Key")
    return key.strip() if key is not None else None


def well_formed(key: str) -> bool:
    return _PRESENTED.fullmatch(key) is not None


def find_key(keys: tuple[ApiKey, ...], presented: str) -> ApiKey | None:
    """The configured key whose hash is the presented key's, compared in constant time against every entry."""
    if not well_formed(presented):
        return None
    digest = digest_of(presented)
    found = None
    for key in keys:
        # No early exit: the time taken does not depend on which entry (if any) matches.
        if hmac.compare_digest(digest, key.digest) and found is None:
            found = key
    return found


def authorize(keys: tuple[ApiKey, ...], public_read: bool, headers: Mapping[str, str], access: str) -> str | None:
    """The label of the key that allows `access` (READ or WRITE), None for an allowed anonymous read, else an ApiError."""
    presented = presented_key(headers)
    if presented is None and access == READ and public_read:
        return None
    if not keys:
        raise ApiError(503, f"no API keys are configured ({KEYS_VARIABLE} is empty), so the files API is closed")
    if presented is None:
        raise ApiError(401, "this needs an API key: send 'Authorization: Bearer <key>'", {"WWW-Authenticate": _CHALLENGE})
    key = find_key(keys, presented)
    if key is None:
        raise ApiError(401, "the API key is not valid", {"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'})
    if access == WRITE and key.access != WRITE:
        raise ApiError(403, f"the key {key.label!r} may only read")
    return key.label
