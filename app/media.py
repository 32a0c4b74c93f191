"""Content types: what an upload may store, and what a download may say.

An upload's Content-Type is stored as `type/subtype` (RFC 6838 section 4.2 names, lowercase) with
at most a charset; anything else in the header is dropped, and a value that is not a media type
is a 400. A download says the stored type only when browsers treat it as passive data; any
other (text/html, image/svg+xml, XML, scripts: types a browser would run or render as a page on
this API's origin) goes out as application/octet-stream, with `X-Content-Type-Options: nosniff`
so the browser does not guess either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from errors import ApiError

OCTET_STREAM = "application/octet-stream"
# RFC 6838 section 4.2: restricted-name, at most 127 characters.
_NAME = r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}"
_MEDIA_TYPE = re.compile(rf"{_NAME}/{_NAME}")
_CHARSET = re.compile(r"[a-z0-9][a-z0-9._:+-]{0,39}")
_STORED_CHARSET = re.compile(r'charset="?([^";\s]*)', re.IGNORECASE)
# Served as stored: formats a browser displays or downloads, never runs.
PASSIVE = frozenset(
    {
        OCTET_STREAM,
        "application/gzip",
        "application/json",
        "application/pdf",
        "application/zip",
        "audio/mpeg",
        "audio/ogg",
        "audio/wav",
        "image/avif",
        "image/gif",
        "image/jpeg",
        "image/png",
        "image/webp",
        "text/csv",
        "text/plain",
        "video/mp4",
        "video/webm",
    }
)


def stored_type(mimetype: str, params: Mapping[str, str]) -> str:
    """The type to store for an upload labelled `mimetype` (werkzeug's: lowercase, without parameters)."""
    # curl --data-binary and urllib label any body as a form; a file sent raw is not one.
    if mimetype in ("", "application/x-www-form-urlencoded"):
        return OCTET_STREAM
    if not _MEDIA_TYPE.fullmatch(mimetype):
        raise ApiError(400, "Content-Type is not a media type: send type/subtype, e.g. text/plain or application/octet-stream")
    return _with_charset(mimetype, params.get("charset", ""))


def served_type(stored: str | None) -> str:
    """The Content-Type a download may carry for a file stored with `stored` (by this API or anyone else)."""
    base, _, params = (stored or "").partition(";")
    base = base.strip().lower()
    if base not in PASSIVE:
        return OCTET_STREAM
    charset = _STORED_CHARSET.search(params)
    return _with_charset(base, charset.group(1) if charset else "")


def _with_charset(mimetype: str, charset: str) -> str:
    charset = charset.lower()
    return f"{mimetype}; charset={charset}" if _CHARSET.fullmatch(charset) else mimetype
