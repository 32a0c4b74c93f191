"""S3, reached with timeouts and bounded retries, and uploads streamed to it as they arrive."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from budget import CHUNK_BYTES

log = logging.getLogger("app.storage")


def make_client(region: str | None, connect_timeout: float, read_timeout: float, max_attempts: int) -> Any:
    """A boto3 S3 client that gives up: botocore's defaults (60 s reads, several retries) kept a
    request on a hanging S3 for over a minute."""
    config = Config(
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        max_pool_connections=50,
    )
    return boto3.client("s3", region_name=region, config=config)


class EmptyUpload(Exception):
    """The body had no bytes: nothing was stored."""


@dataclass(frozen=True)
class Stored:
    size: int
    etag: str


def put_stream(
    client: Any,
    bucket: str,
    key: str,
    read: Callable[[int], bytes],
    content_type: str,
    part_bytes: int,
    condition: Mapping[str, str] | None = None,
    sending: Callable[[], AbstractContextManager[None]] = nullcontext,
) -> Stored:
    """Copies what `read` returns to S3 under `key` and returns its size and ETag.

    Up to `part_bytes` it is one PutObject; beyond, a multipart upload whose parts go to S3 as
    they fill. A part waits in a temporary file (on the task's /tmp volume), so an upload holds
    one read (CHUNK_BYTES) in memory, whatever its size. On any
    failure (the body's 413 or 408 included) a multipart upload is aborted, so S3 never holds a
    partial object, and the exception goes on to the caller.

    `condition` ({"IfNoneMatch": "*"} or {"IfMatch": etag}) goes with the request that makes the
    object appear, PutObject or CompleteMultipartUpload, so S3 checks it at the moment of the write
    (S3 User Guide, "Conditional writes"): two clients cannot both create the same key.

    Each request that carries a body to S3 runs inside `sending()` (budget.SendGate bounds them).
    """
    condition = dict(condition or {})
    upload_id: str | None = None
    parts: list[dict[str, Any]] = []
    size = 0
    part = _spool()
    try:
        while data := read(CHUNK_BYTES):
            part.write(data)
            size += len(data)
            if part.tell() >= part_bytes:
                if upload_id is None:
                    upload_id = client.create_multipart_upload(Bucket=bucket, Key=key, ContentType=content_type)["UploadId"]
                with sending():
                    parts.append(_send_part(client, bucket, key, upload_id, len(parts) + 1, part))
                part.close()
                part = _spool()
        if size == 0:
            raise EmptyUpload
        if upload_id is None:
            length = part.tell()
            part.seek(0)
            with sending():
                done = client.put_object(Bucket=bucket, Key=key, Body=part, ContentLength=length, ContentType=content_type, **condition)
        else:
            if part.tell():
                with sending():
                    parts.append(_send_part(client, bucket, key, upload_id, len(parts) + 1, part))
            done = client.complete_multipart_upload(
                Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}, **condition
            )
        return Stored(size=size, etag=done["ETag"])
    except BaseException:
        if upload_id is not None:
            _abort(client, bucket, key, upload_id)
        raise
    finally:
        part.close()


def _spool() -> Any:
    return tempfile.TemporaryFile()


def _send_part(client: Any, bucket: str, key: str, upload_id: str, number: int, part: Any) -> dict[str, Any]:
    length = part.tell()
    part.seek(0)
    response = client.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=part, ContentLength=length)
    return {"PartNumber": number, "ETag": response["ETag"]}


def _abort(client: Any, bucket: str, key: str, upload_id: str) -> None:
    try:
        client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
    except Exception:
        # The bucket's lifecycle rule for incomplete multipart uploads is the backstop.
        log.exception("could not abort a multipart upload", extra={"key": key})
