"""File names: how a key is formed from a path or an uploaded file's name, and how it is named in a download.

A key is Unicode text normalised to NFC, so the same name typed on any system is the same key
(macOS sends "é" decomposed, most others composed), and names that differ stay different:
`отчет.pdf`, `счет.pdf` and `文件.pdf` are three keys, `café.txt` and `cafe.txt` in full-width
letters two (NFC keeps full-width letters; NFKC would fold them into `cafe.txt`). Nothing is dropped or replaced: a name
that is not a valid key is refused with a 400 that says why.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from errors import ApiError

MAX_KEY_LENGTH = 512
# Amazon S3 User Guide, "Naming Amazon S3 objects": the special characters it calls safe
# (! - _ . * ' ( )), plus the space and the / that separates folders.
PUNCTUATION = frozenset("!-_.*'() /")
# Unicode general categories: letters, marks (accents, vowel signs), numbers. Not controls,
# format characters (invisible ones, bidirectional overrides), symbols or other punctuation.
_CATEGORIES = frozenset("LMN")
ALLOWED = "letters, marks and digits of any script, spaces and ! - _ . * ' ( ) /"


def validate_key(raw: str) -> str:
    """The key for `raw`, normalised to NFC; an ApiError(400) saying what is wrong when it is not a valid key."""
    key = unicodedata.normalize("NFC", raw)
    if not key:
        raise ApiError(400, "the file name is empty")
    if len(key.encode()) > MAX_KEY_LENGTH:
        raise ApiError(400, f"the file name is longer than {MAX_KEY_LENGTH} bytes (UTF-8)")
    bad = next((c for c in key if c not in PUNCTUATION and unicodedata.category(c)[0] not in _CATEGORIES), None)
    if bad is not None:
        raise ApiError(400, f"the file name may contain only {ALLOWED}; it has U+{ord(bad):04X}")
    segments = key.split("/")
    if key.startswith("/") or any(s in ("", ".", "..") for s in segments):
        raise ApiError(400, "the file name must be a relative path without empty, '.' or '..' parts")
    if any(not s.strip(". ") for s in segments):
        raise ApiError(400, "a part of the file name is only dots and spaces")
    if any(s != s.strip(" ") for s in segments):
        raise ApiError(400, "a part of the file name begins or ends with a space")
    return key


def key_from_filename(filename: str) -> str:
    """The key for an uploaded file's own name: its last part (a client may send a path, with / or \\:
    RFC 7578 section 4.2 lets the receiver drop it), every character kept, then validated as any key."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    if not name:
        raise ApiError(400, "the file has no name: send its key in the form field 'key'")
    return validate_key(name)


def content_disposition(key: str) -> dict[str, str]:
    """Content-Disposition parameters that download the file under its own name (its last part).

    Non-ASCII names go in `filename*` (RFC 6266, RFC 8187), with an ASCII approximation in
    `filename` for clients that know only that, as werkzeug's send_file does."""
    name = key.rsplit("/", 1)[-1]
    if name.isascii():
        return {"filename": name}
    simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").strip() or "file"
    # RFC 8187 attr-char: what may stay unencoded.
    return {"filename": simple, "filename*": "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")}
