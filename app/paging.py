"""Listing pages: an opaque cursor that says where the next page starts.

S3 lists keys in ascending order of their UTF-8 bytes (ListObjectsV2), and takes StartAfter, any
key, to begin after it. A cursor is the last key of a page, and the prefix it was listed under,
in URL-safe base64: the next page starts right after that key, so pages neither repeat nor skip a
file that stays put, whatever was added or deleted elsewhere in the meantime. (Files added before
the cursor's key while paging are not in later pages; files added after it are.)
"""

from __future__ import annotations

import base64
import binascii
import json

from errors import ApiError

# A cursor holds a key and a prefix of at most 512 bytes each (names.MAX_KEY_LENGTH), JSON-escaped
# and base64-encoded: well under this.
MAX_CURSOR_LENGTH = 8192
_WRONG = "cursor is not one this API returned: pass the 'next' value of the previous page unchanged"


def encode_cursor(prefix: str, after: str) -> str:
    raw = json.dumps({"prefix": prefix, "after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, prefix: str) -> str:
    """The key the next page starts after; a 400 for a cursor the API did not make, or one of another prefix."""
    if len(cursor) > MAX_CURSOR_LENGTH or not cursor.isascii():
        raise ApiError(400, _WRONG)
    try:
        fields = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError) as err:
        raise ApiError(400, _WRONG) from err
    if not isinstance(fields, dict) or not isinstance(fields.get("after"), str) or not isinstance(fields.get("prefix"), str):
        raise ApiError(400, _WRONG)
    if fields["prefix"] != prefix:
        raise ApiError(400, "this cursor belongs to a listing with another prefix: send the same prefix with it")
    return fields["after"]
