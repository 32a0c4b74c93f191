"""Request bodies under limits, and uploads streamed to S3 in bounded memory."""

from __future__ import annotations

import io
import time
import tracemalloc

import gevent
import pytest
from conftest import BUCKET, authed, settings

import budget
import storage
from app import create_app
from body import BodyReader, BodyTimeout, BodyTooLarge, BodyUnreadable
from budget import RETRY_AFTER_SECONDS, SendGate
from errors import ApiError

MIB = 1024 * 1024


def pattern(size: int) -> bytes:
    return bytes(range(256)) * (size // 256) + bytes(range(size % 256))


def chunked_put(client, path: str, data: bytes):
    """A PUT whose body has no Content-Length, as a chunked upload reaches the app."""
    return client.put(path, input_stream=io.BytesIO(data), environ_overrides={"HTTP_TRANSFER_ENCODING": "chunked"})


def stored(s3) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_chunked_upload_over_the_limit_is_a_413_and_stores_nothing(client, s3):
    response = chunked_put(client, "/files/big.bin", b"x" * 1025)
    assert response.status_code == 413
    assert response.get_json() == {"error": "the upload is larger than the limit"}
    assert response.headers["Connection"] == "close"
    assert stored(s3) == []
    assert chunked_put(client, "/files/ok.bin", b"x" * 1024).status_code == 201
    assert s3.get_object(Bucket=BUCKET, Key="ok.bin")["Body"].read() == b"x" * 1024


def test_an_upload_over_the_limit_aborts_its_multipart_upload(s3):
    client = authed(create_app(settings(max_upload_bytes=11 * MIB, upload_part_bytes=5 * MIB)))
    response = chunked_put(client, "/files/big.bin", pattern(12 * MIB))
    assert response.status_code == 413
    assert stored(s3) == []
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []


def test_a_large_upload_goes_in_parts_and_arrives_whole(s3):
    client = authed(create_app(settings(max_upload_bytes=12 * MIB, upload_part_bytes=5 * MIB)))
    data = pattern(11 * MIB + 7)
    response = client.put("/files/large.bin", data=data)
    assert response.get_json() == {"key": "large.bin", "size": len(data), "etag": s3.head_object(Bucket=BUCKET, Key="large.bin")["ETag"]}
    assert s3.get_object(Bucket=BUCKET, Key="large.bin")["Body"].read() == data
    assert "-3" in s3.head_object(Bucket=BUCKET, Key="large.bin")["ETag"]  # a multipart object of 3 parts


def test_an_empty_multipart_file_is_a_400_and_not_stored(client, s3):
    response = client.post("/files", data={"file": (io.BytesIO(b""), "empty.txt")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.get_json() == {"error": "the file is empty"}
    assert stored(s3) == []


class Sink:
    """An S3 client that reads what it is sent the way botocore does, in pieces, and keeps only the sizes."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def _drain(self, name: str, body) -> dict:
        self.calls.append((name, sum(len(b) for b in iter(lambda: body.read(64 * 1024), b""))))
        return {"ETag": f'"{len(self.calls)}"'}

    def put_object(self, Body, **_):
        return self._drain("put", Body)

    def upload_part(self, Body, **_):
        return self._drain("part", Body)

    def create_multipart_upload(self, **_):
        self.calls.append(("create", 0))
        return {"UploadId": "u"}

    def complete_multipart_upload(self, **_):
        self.calls.append(("complete", 0))
        return {"ETag": '"multipart-2"'}

    def abort_multipart_upload(self, **_):
        self.calls.append(("abort", 0))


def peak_memory_of_streaming(size: int) -> tuple[int, list]:
    source = io.BytesIO(b"\0" * size)
    sink = Sink()
    tracemalloc.start()
    try:
        storage.put_stream(sink, BUCKET, "k", source.read, "application/octet-stream", 5 * MIB)
        return tracemalloc.get_traced_memory()[1], sink.calls
    finally:
        tracemalloc.stop()


def test_memory_per_upload_is_bounded_and_independent_of_its_size():
    small_peak, small_calls = peak_memory_of_streaming(1 * MIB)
    large_peak, large_calls = peak_memory_of_streaming(32 * MIB)
    assert small_calls == [("put", MIB)]
    assert [c for c, _ in large_calls] == ["create"] + ["part"] * 7 + ["complete"]
    assert sum(n for c, n in large_calls if c == "part") == 32 * MIB
    # A read of the body (16 KiB) and the sink's own 64 KiB reads: the part waits on /tmp, not in
    # memory (a 32 MiB upload held whole would be 32 MiB; a part, 5 MiB).
    assert small_peak < 256 * 1024
    assert large_peak < 256 * 1024


def test_a_failure_mid_upload_aborts_and_propagates():
    sink = Sink()
    reads = iter([b"x" * 6 * MIB, b"x"])

    def read(_: int) -> bytes:
        try:
            return next(reads)
        except StopIteration:
            raise BodyTooLarge from None

    with pytest.raises(BodyTooLarge):
        storage.put_stream(sink, BUCKET, "k", read, "application/octet-stream", 5 * MIB)
    assert [c for c, _ in sink.calls] == ["create", "part", "abort"]


class Stalled:
    def read(self, size: int) -> bytes:
        gevent.sleep(30)
        return b""


def test_a_stalled_body_is_a_408_after_the_idle_timeout():
    reader = BodyReader(Stalled(), 100, True, 1000, idle_seconds=0.2, total_seconds=10)
    started = time.monotonic()
    with pytest.raises(BodyTimeout):
        reader.read(100)
    assert time.monotonic() - started < 2


def test_a_body_trickling_past_the_total_timeout_is_a_408():
    class Trickle:
        def read(self, size: int) -> bytes:
            gevent.sleep(0.05)
            return b"x"

    reader = BodyReader(Trickle(), 1000, True, 1000, idle_seconds=1, total_seconds=0.3)
    started = time.monotonic()
    with pytest.raises(BodyTimeout):
        while reader.read(64):
            pass
    assert time.monotonic() - started < 2


def test_a_declared_length_over_the_limit_is_a_413_before_reading():
    class Untouchable:
        def read(self, size: int) -> bytes:
            raise AssertionError("read the body")

    with pytest.raises(BodyTooLarge):
        BodyReader(Untouchable(), 2000, True, 1000, 1, 1).read(64)


@pytest.mark.parametrize("error", [ValueError("Invalid chunk size"), OSError("reset")])
def test_a_body_the_server_cannot_decode_is_a_400(error):
    class Broken:
        def read(self, size: int) -> bytes:
            raise error

    with pytest.raises(BodyUnreadable):
        BodyReader(Broken(), None, True, 1000, 1, 1).read(64)


def test_a_body_shorter_than_its_content_length_is_a_400():
    reader = BodyReader(io.BytesIO(b"abc"), 10, True, 1000, 1, 1)
    assert reader.read(64) == b"abc"
    with pytest.raises(BodyUnreadable):
        reader.read(64)


def test_a_refused_request_with_an_unread_body_closes_the_connection(anonymous):
    response = anonymous.put("/files/a.txt", data=b"x" * 100)
    assert response.status_code == 401
    assert response.headers["Connection"] == "close"
    assert "Connection" not in anonymous.get("/healthz").headers


def form(client, data: bytes, **fields):
    return client.post("/files", data={"file": (io.BytesIO(data), "full.bin"), **fields}, content_type="multipart/form-data")


def test_the_form_limit_counts_the_file_not_its_wrapper(client, s3):
    # The limit is 1024 bytes (conftest): a file of exactly that, sent as a form, is stored as a PUT would be.
    assert form(client, pattern(1024)).status_code == 201
    assert s3.get_object(Bucket=BUCKET, Key="full.bin")["Body"].read() == pattern(1024)
    response = form(client, b"x" * 1025, key="over.bin")
    assert response.status_code == 413
    assert response.get_json() == {"error": "the upload is larger than the limit"}
    assert "over.bin" not in stored(s3)


def test_form_fields_beside_the_file_are_bounded(client, s3):
    assert form(client, b"x", key="k.bin", note="n" * 20 * 1024).status_code == 413
    assert stored(s3) == []


def test_form_files_go_to_disk_whatever_their_size():
    from app import UploadRequest

    request = UploadRequest.from_values()
    stream = request._get_file_stream(10, "application/octet-stream", "small.txt", 10)
    with stream:
        assert stream.fileno() >= 0


def test_uploads_over_the_processs_disk_budget_are_a_503_with_retry_after(s3):
    client = authed(create_app(settings(max_upload_bytes=1024, spool_bytes=1000)))
    response = client.put("/files/big.bin", data=b"x" * 1001)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert client.put("/files/small.bin", data=b"x" * 1000).status_code == 201
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == ["small.bin"]
    # A form reserves its body and then one part of it: 2 x 600 > 1000.
    form = client.post("/files", data={"file": (io.BytesIO(b"x" * 500), "f.bin")}, content_type="multipart/form-data")
    assert form.status_code == 503


def test_at_most_s3_sends_uploads_send_to_s3_at_once(monkeypatch):
    monkeypatch.setattr(budget, "S3_SEND_WAIT_SECONDS", 0.05)
    gate = SendGate()
    held = [gate() for _ in range(budget.S3_SENDS)]
    for slot in held:
        slot.__enter__()
    with pytest.raises(ApiError) as err, gate():
        pass
    assert err.value.status == 503
    held[0].__exit__(None, None, None)
    with gate():
        pass


def test_a_form_file_of_any_bytes_is_stored_whole(s3):
    # Line breaks and carriage returns in the file keep the start of a possible boundary in the
    # form parser's buffer beside a whole read: its bound (MAX_FORM_MEMORY_SIZE) must hold both.
    client = authed(create_app(settings(max_upload_bytes=MIB)))
    data = pattern(320 * 1024)
    response = client.post("/files", data={"file": (io.BytesIO(data), "any.bin")}, content_type="multipart/form-data")
    assert response.status_code == 201
    assert s3.get_object(Bucket=BUCKET, Key="any.bin")["Body"].read() == data
