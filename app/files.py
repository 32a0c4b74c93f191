"""The files API on the stack's bucket: upload, list, download, delete.

boto3 uses the default credential chain, so on ECS the task role is used and no key is ever
configured.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from flask import Blueprint, Response, current_app, g, jsonify, request, stream_with_context

from auth import READ, WRITE, authorize
from body import FORM_OVERHEAD_BYTES, BodyTooLarge
from budget import CHUNK_BYTES
from conditions import failed, holds, write_condition
from errors import ApiError
from media import served_type, stored_type
from names import MAX_KEY_LENGTH, content_disposition, key_from_filename, validate_key
from paging import decode_cursor, encode_cursor
from storage import EmptyUpload, Stored, make_client, put_stream

log = logging.getLogger("app.files")
bp = Blueprint("files", __name__, url_prefix="/files")

_LIMIT = re.compile(r"[0-9]{1,4}")
_LIST_PARAMETERS = frozenset({"prefix", "limit", "cursor"})
_NOT_FOUND_CODES = {"NoSuchKey", "404", "NotFound"}


@bp.before_request
def require_api_key() -> None:
    """Reads (list, download) need a key unless PUBLIC_READ is on; uploads, overwrites and deletes always do."""
    settings = current_app.config["SETTINGS"]
    access = READ if request.method in ("GET", "HEAD") else WRITE
    g.api_key = authorize(settings.api_keys, settings.public_read, request.headers, access)


def s3_client() -> Any:
    """One boto3 client per app (clients are thread-safe), made on first use, with timeouts and bounded retries."""
    client = current_app.extensions.get("s3")
    if client is None:
        s = current_app.config["SETTINGS"]
        client = make_client(s.region, s.s3_connect_timeout, s.s3_read_timeout, s.s3_max_attempts)
        current_app.extensions["s3"] = client
    return client


def bucket() -> str:
    name = current_app.config["SETTINGS"].bucket
    if name is None:
        raise ApiError(503, "file storage is not configured (BUCKET_NAME is not set)")
    return name


def storage_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turns S3 failures into JSON: 404 for a missing file, 502/503 for S3 itself, never a trace."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code", "")
            if code in _NOT_FOUND_CODES:
                raise ApiError(404, "no such file") from err
            log.exception("S3 refused the request", extra={"s3_error": code})
            raise ApiError(502, "file storage refused the request") from err
        except BotoCoreError as err:
            log.exception("S3 could not be reached")
            raise ApiError(503, "file storage is unavailable") from err

    return wrapper


def spooled(form: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Reserves what the upload may hold on /tmp at worst before its body is read (budget.py): over
    the process's budget, a 503 with Retry-After, and nothing is read or stored.

    At worst a PUT holds one S3 part, and a form its whole body (werkzeug writes the file out
    while parsing) and then one part of it; a declared Content-Length bounds both."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            settings = current_app.config["SETTINGS"]
            limit = settings.max_upload_bytes + (FORM_OVERHEAD_BYTES if form else 0)
            body = limit if request.content_length is None else min(request.content_length, limit)
            part = min(settings.max_upload_bytes, settings.upload_part_bytes)
            with current_app.extensions["spool"].reserve(body + part if form else min(body, part)):
                return view(*args, **kwargs)

        return wrapper

    return decorate


@bp.post("")
@storage_errors
@spooled(form=True)
def upload_form() -> tuple[Response, int, dict[str, str]]:
    """Multipart upload: field `file`, and optionally `key` (else the file's own name)."""
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(400, "send the file as multipart/form-data in a field named 'file'")
    # An empty key field (a form's blank input) means the file's own name.
    field = request.form.get("key")
    key = validate_key(field) if field else key_from_filename(upload.filename or "")
    # werkzeug has written the file to /tmp while parsing the form (app.py's UploadRequest).
    upload.stream.seek(0, os.SEEK_END)
    if upload.stream.tell() > current_app.config["SETTINGS"].max_upload_bytes:
        raise BodyTooLarge
    upload.stream.seek(0)
    condition = write_condition(request.headers)
    check_condition(key, condition)
    content_type = stored_type(upload.mimetype, upload.mimetype_params)
    return created(key, store(key, upload.stream.read, content_type, "the file is empty", condition))


@bp.put("/<path:key>")
@storage_errors
@spooled(form=False)
def upload_raw(key: str) -> tuple[Response, int, dict[str, str]]:
    """Raw upload: the request body is the file."""
    key = validate_key(key)
    condition = write_condition(request.headers)
    # Checked before the body is read, so a refused upload is not sent for nothing; S3 checks it again as it writes.
    check_condition(key, condition)
    content_type = stored_type(request.mimetype, request.mimetype_params)
    # Straight from the connection to S3 (body.py's reader enforces the size limit and the timeouts).
    return created(key, store(key, request.environ["wsgi.input"].read, content_type, "the request body is empty", condition))


def check_condition(key: str, condition: dict[str, str]) -> None:
    """A 412 now, before the upload is read, when the request's condition does not hold for the key."""
    if not condition:
        return
    try:
        current = s3_client().head_object(Bucket=bucket(), Key=key)["ETag"]
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") not in _NOT_FOUND_CODES:
            raise
        current = None
    if not holds(condition, current):
        raise failed(condition)


def store(key: str, read: Callable[[int], bytes], content_type: str, empty: str, condition: dict[str, str]) -> Stored:
    """Streams the upload to S3 under the condition; an empty one is a 400 with the message `empty`, and is not stored."""
    try:
        part_bytes = current_app.config["SETTINGS"].upload_part_bytes
        return put_stream(s3_client(), bucket(), key, read, content_type, part_bytes, condition, current_app.extensions["s3_sends"])
    except EmptyUpload as err:
        raise ApiError(400, empty) from err
    except ClientError as err:
        code = err.response.get("Error", {}).get("Code")
        # S3 answers If-Match on a missing key with NoSuchKey: for HTTP that is a condition that does not hold.
        if code == "PreconditionFailed" or (condition and code in _NOT_FOUND_CODES):
            raise failed(condition) from err
        if code == "ConditionalRequestConflict":
            raise ApiError(409, "another write to this key was under way: fetch its ETag and try again") from err
        raise


def created(key: str, stored: Stored) -> tuple[Response, int, dict[str, str]]:
    return jsonify(key=key, size=stored.size, etag=stored.etag), 201, {"ETag": stored.etag}


@bp.get("")
@storage_errors
def list_files() -> Response:
    """Up to `limit` (1-1000, default 100) files in key order, optionally under `prefix`, from `cursor` on.

    `next` is the cursor of the following page (null on the last one)."""
    unknown = sorted(set(request.args) - _LIST_PARAMETERS)
    if unknown:
        raise ApiError(400, f"unknown query parameter {unknown[0]!r}: a listing takes {', '.join(sorted(_LIST_PARAMETERS))}")
    prefix = request.args.get("prefix", "")
    if len(prefix.encode()) > MAX_KEY_LENGTH:
        raise ApiError(400, f"prefix is longer than a key may be ({MAX_KEY_LENGTH} bytes)")
    start = {"StartAfter": decode_cursor(request.args["cursor"], prefix)} if "cursor" in request.args else {}
    raw_limit = request.args.get("limit", "100")
    # ASCII digits only: int() would also take " 5 ", "1_0" and other scripts' digits.
    limit = int(raw_limit) if _LIMIT.fullmatch(raw_limit) else 0
    if not 1 <= limit <= 1000:
        raise ApiError(400, "limit must be a whole number from 1 to 1000")
    page = s3_client().list_objects_v2(Bucket=bucket(), Prefix=prefix, MaxKeys=limit, **start)
    contents = page.get("Contents", [])
    files = [{"key": o["Key"], "size": o["Size"], "etag": o["ETag"], "lastModified": o["LastModified"].isoformat()} for o in contents]
    truncated = bool(page.get("IsTruncated")) and bool(contents)
    return jsonify(files=files, truncated=truncated, next=encode_cursor(prefix, contents[-1]["Key"]) if truncated else None)


@bp.get("/<path:key>")
@storage_errors
def download(key: str) -> Response:
    """The file's bytes, streamed from S3; one byte range of it (206) when the request asks for one.

    HEAD asks S3 for the headers only (HeadObject), and ignores Range (RFC 9110 section 14.2
    defines ranges for GET only)."""
    key = validate_key(key)
    if request.method == "HEAD":
        return file_response(key, s3_client().head_object(Bucket=bucket(), Key=key), [])
    s3_range = requested_range()
    params = {"Range": s3_range} if s3_range else {}
    try:
        obj = s3_client().get_object(Bucket=bucket(), Key=key, **params)
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") != "InvalidRange":
            raise
        size = s3_client().head_object(Bucket=bucket(), Key=key)["ContentLength"]
        raise ApiError(416, "the requested range is outside the file", {"Content-Range": f"bytes */{size}"}) from err
    body = obj["Body"]

    def chunks() -> Iterator[bytes]:
        try:
            yield from body.iter_chunks(CHUNK_BYTES)
        finally:
            body.close()

    response = file_response(key, obj, stream_with_context(chunks()))
    if s3_range and obj.get("ContentRange"):
        response.status_code = 206
        response.headers["Content-Range"] = obj["ContentRange"]
    return response


def file_response(key: str, obj: dict[str, Any], body: Iterable[bytes]) -> Response:
    """A download's answer for S3's GetObject or HeadObject result: length, ETag, and headers that
    keep a browser from running it (a passive type only, no sniffing, no scripts, saved not shown)."""
    response = Response(body, content_type=served_type(obj.get("ContentType")))
    response.headers["Content-Length"] = str(obj["ContentLength"])
    response.headers["Accept-Ranges"] = "bytes"
    if obj.get("ETag"):
        response.headers["ETag"] = obj["ETag"]
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers.set("Content-Disposition", "attachment", **content_disposition(key))
    return response


def requested_range() -> str | None:
    """The request's Range as S3 takes it, when it asks for one byte range; else None, and the whole file is sent.

    Several ranges, other units, a malformed header or an If-Range (this app does not compare
    validators) get the whole file with 200, which HTTP allows.
    """
    ranges = request.range
    if ranges is None or ranges.units != "bytes" or len(ranges.ranges) != 1 or "If-Range" in request.headers:
        return None
    start, stop = ranges.ranges[0]
    if start < 0:  # the last -start bytes
        return f"bytes={start}"
    return f"bytes={start}-{'' if stop is None else stop - 1}"


@bp.delete("/<path:key>")
@storage_errors
def delete(key: str) -> tuple[str, int]:
    """Deletes the file; 404 if there is none."""
    key = validate_key(key)
    s3_client().head_object(Bucket=bucket(), Key=key)
    s3_client().delete_object(Bucket=bucket(), Key=key)
    return "", 204
