"""Conditional writes (RFC 9110 section 13.1): an upload may say what it expects to find under its key.

- `If-None-Match: *` creates only: 412 when a file with the key exists.
- `If-Match: "<etag>"` replaces only that version: 412 when the file's ETag is another, or there
  is no file. The ETag is the one the API returned (on upload, download or in a listing).
- Neither: the upload replaces whatever the key holds (the last write wins).

S3 checks the condition itself when the object is written (PutObject and CompleteMultipartUpload
take IfNoneMatch / IfMatch: botocore's S3 model; S3 User Guide, "Conditional writes"), so two
clients creating the same key cannot both succeed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from errors import ApiError

# RFC 9110 section 8.8.3: a strong entity-tag is a quoted string of etagc characters. S3's are
# 32 hex digits, and -<parts> for a multipart object; the bound only keeps the header small.
_STRONG_ETAG = re.compile(r'"[\x21\x23-\x7e]{1,128}"')


def write_condition(headers: Mapping[str, str]) -> dict[str, str]:
    """S3's parameters for the request's condition: {"IfNoneMatch": "*"}, {"IfMatch": etag} or {}.

    Anything else is a 400 rather than a condition silently not checked."""
    none_match = headers.get("If-None-Match")
    match = headers.get("If-Match")
    if none_match is not None and match is not None:
        raise ApiError(400, "send If-None-Match: * (create only) or If-Match (replace that version), not both")
    if none_match is not None:
        if none_match.strip() != "*":
            raise ApiError(400, "If-None-Match on an upload takes only *: it creates the file only if the key is free")
        return {"IfNoneMatch": "*"}
    if match is not None:
        etag = match.strip()
        if not _STRONG_ETAG.fullmatch(etag):
            raise ApiError(400, 'If-Match takes one ETag as the API returned it, in quotes: If-Match: "<etag>"')
        return {"IfMatch": etag}
    return {}


def holds(condition: Mapping[str, str], current_etag: str | None) -> bool:
    """Whether the condition holds for the file now under the key (its ETag, or None when there is none)."""
    if "IfNoneMatch" in condition:
        return current_etag is None
    if "IfMatch" in condition:
        return current_etag == condition["IfMatch"]
    return True


def failed(condition: Mapping[str, str]) -> ApiError:
    """The 412 for a condition that does not hold."""
    if "IfNoneMatch" in condition:
        return ApiError(412, "a file with this key exists, and If-None-Match: * creates only")
    return ApiError(412, "the file's ETag is not the one in If-Match: it has changed, or there is no file")
