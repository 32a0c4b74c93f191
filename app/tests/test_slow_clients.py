"""End to end on loopback, the Dockerfile's command as a dev-sized task runs it (TASK_CPU=512: one
worker): slow and broken clients, and a hanging S3, do not stop it answering. Every client here
is bounded in count and time and talks only to 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from local import LOCAL_BUCKET, LocalS3, free_port, local_key, running_server, server_env

KEY, KEY_LINE = local_key()
MIB = 1024 * 1024
SLOW_CONNECTIONS = 200


@pytest.fixture(scope="module")
def s3() -> Iterator[LocalS3]:
    s3 = LocalS3(free_port())
    yield s3
    s3.stop()


def serve(s3_url: str, **extra: str):
    port = free_port()
    env = server_env(port, s3_url, TASK_CPU="512", API_KEY_SHA256=KEY_LINE, LOG_LEVEL="WARNING", **extra)
    return port, running_server(env, port)


@pytest.fixture(scope="module")
def strict(s3) -> Iterator[int]:
    """Short body and header timeouts, and an upload limit just over one S3 part."""
    port, server = serve(
        s3.url,
        MAX_UPLOAD_BYTES=str(6 * MIB),
        UPLOAD_PART_BYTES=str(5 * MIB),
        REQUEST_BODY_IDLE_SECONDS="1",
        REQUEST_BODY_TIMEOUT_SECONDS="5",
        KEEPALIVE_SECONDS="2",
    )
    with server:
        yield port


def connect(port: int, head: str, auth: bool = True) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    auth_line = f"Authorization: Bearer {KEY}\r\n" if auth else ""
    sock.sendall(f"{head}Host: 127.0.0.1\r\n{auth_line}".encode())
    return sock


def answer(sock: socket.socket) -> tuple[int, bool]:
    """The response's status, and whether the server then closed the connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    status = int(data.split(b" ", 2)[1])
    try:
        while sock.recv(65536):
            pass
        closed = True
    except TimeoutError:
        closed = False
    return status, closed


def health_latency(port: int) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        assert response.status == 200
    return time.monotonic() - started


def test_health_answers_within_a_second_while_200_slow_bodies_are_open(s3):
    """The production timeouts: the slow connections stay open throughout."""
    port, server = serve(s3.url)
    with server:
        slow = []
        try:
            for i in range(SLOW_CONNECTIONS):
                sock = connect(port, f"PUT /files/slow-{i}.bin HTTP/1.1\r\n")
                sock.sendall(b"Content-Length: 1000\r\n\r\nx")
                slow.append(sock)
            latencies = []
            for _ in range(3):  # about 3 s: a byte more on each slow connection, and health probes
                for sock in slow:
                    sock.sendall(b"x")
                for _ in range(5):
                    latencies.append(health_latency(port))
                    time.sleep(0.2)
            assert max(latencies) < 1.0, latencies
            # The slow clients were all still connected and not answered.
            for sock in slow:
                sock.setblocking(False)
                with pytest.raises(BlockingIOError):
                    sock.recv(1)
        finally:
            for sock in slow:
                sock.close()


def test_a_stalled_body_gets_408_and_the_connection_closes(strict):
    sock = connect(strict, "PUT /files/stalled.bin HTTP/1.1\r\n")
    sock.sendall(b"Content-Length: 100\r\n\r\n0123456789")
    started = time.monotonic()
    with sock:
        assert answer(sock) == (408, True)
    assert time.monotonic() - started < 5


def test_a_multipart_body_shorter_than_its_content_length_gets_408(strict, s3):
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="short.txt"\r\n\r\nhello\r\n--b--\r\n'
    sock = connect(strict, "POST /files HTTP/1.1\r\n")
    sock.sendall(f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {len(body) + 100}\r\n\r\n".encode() + body)
    with sock:
        assert answer(sock) == (408, True)
    assert "Contents" not in s3.client.list_objects_v2(Bucket=LOCAL_BUCKET, Prefix="short")


def test_a_chunked_upload_over_the_limit_is_a_413_and_stores_nothing(strict, s3):
    sock = connect(strict, "PUT /files/chunked-big.bin HTTP/1.1\r\n")
    sock.sendall(b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)
    with sock:
        try:
            for _ in range(6 * 16 + 1):  # 6 MiB and 64 KiB: one chunk over
                sock.sendall(chunk)
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server may answer and stop reading before it is all sent
        assert answer(sock) == (413, True)
    assert "Contents" not in s3.client.list_objects_v2(Bucket=LOCAL_BUCKET, Prefix="chunked-big")
    assert s3.client.list_multipart_uploads(Bucket=LOCAL_BUCKET).get("Uploads", []) == []


def test_a_chunked_upload_within_the_limit_is_stored_whole(strict, s3):
    sock = connect(strict, "PUT /files/chunked-ok.bin HTTP/1.1\r\n")
    sock.sendall(b"Transfer-Encoding: chunked\r\n\r\n")
    with sock:
        for _ in range(6 * 16):  # exactly 6 MiB, in two S3 parts
            sock.sendall(b"%x\r\n%s\r\n" % (64 * 1024, b"y" * 64 * 1024))
        sock.sendall(b"0\r\n\r\n")
        assert answer(sock)[0] == 201
    assert s3.client.head_object(Bucket=LOCAL_BUCKET, Key="chunked-ok.bin")["ContentLength"] == 6 * MIB


def test_an_invalid_chunk_size_is_a_400(strict):
    sock = connect(strict, "PUT /files/bad-chunk.bin HTTP/1.1\r\n")
    sock.sendall(b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
    with sock:
        assert answer(sock) == (400, True)


def test_an_anonymous_upload_is_refused_before_its_body_arrives(strict):
    sock = connect(strict, "PUT /files/anonymous.bin HTTP/1.1\r\n", auth=False)
    sock.sendall(b"Content-Length: 1000000\r\n\r\n")
    started = time.monotonic()
    with sock:
        assert answer(sock) == (401, True)
    assert time.monotonic() - started < 4  # the answer at once, then a lingering close of at most 2 s


def test_headers_that_never_finish_are_cut_off(strict):
    sock = socket.create_connection(("127.0.0.1", strict), timeout=10)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    started = time.monotonic()
    with sock:
        assert sock.recv(1) == b""  # closed, without an answer
    assert time.monotonic() - started < 5  # KEEPALIVE_SECONDS=2 bounds the headers


@pytest.fixture
def hanging_s3() -> Iterator[str]:
    """An S3 endpoint that accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=128)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for sock in held:
        sock.close()
    listener.close()


def test_a_hanging_s3_fails_requests_in_seconds_and_health_stays_up(hanging_s3):
    port, server = serve(hanging_s3, S3_CONNECT_TIMEOUT_SECONDS="1", S3_READ_TIMEOUT_SECONDS="1", S3_MAX_ATTEMPTS="2")
    with server:

        def download(i: int) -> tuple[int, float]:
            started = time.monotonic()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/files/f{i}", headers={"Authorization": f"Bearer {KEY}"})
            try:
                urllib.request.urlopen(request, timeout=30)
                status = 200
            except urllib.error.HTTPError as err:
                status = err.code
            return status, time.monotonic() - started

        with ThreadPoolExecutor(20) as pool:
            downloads = [pool.submit(download, i) for i in range(20)]
            latencies = []
            for _ in range(15):
                latencies.append(health_latency(port))
                time.sleep(0.1)
            results = [d.result() for d in downloads]
    assert max(latencies) < 1.0, latencies
    assert {status for status, _ in results} == {503}
    assert max(seconds for _, seconds in results) < 8, results


def read_all(sock: socket.socket) -> bytes:
    data = b""
    with contextlib.suppress(TimeoutError, ConnectionResetError):
        while chunk := sock.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n", 400),  # a control character
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n", 400),  # obsolete line folding
        (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(200)) + b"\r\n", 431),
        (b"PUT /files/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: br, chunked\r\n\r\n0\r\n\r\n", 501),
    ],
)
def test_errors_the_http_server_raises_itself_are_json_too(strict, request_bytes, status):
    with socket.create_connection(("127.0.0.1", strict), timeout=10) as sock:
        sock.sendall(request_bytes)
        head, _, body = read_all(sock).partition(b"\r\n\r\n")
    assert int(head.split(b" ", 2)[1]) == status, head
    assert b"\r\ncontent-type: application/json" in head.lower()
    assert b"\r\nx-content-type-options: nosniff" in head.lower()
    assert json.loads(body)["error"]


def test_an_anonymous_upload_expecting_100_continue_gets_its_401_instead(strict, s3):
    sock = connect(strict, "PUT /files/expect-anonymous.bin HTTP/1.1\r\n", auth=False)
    sock.sendall(b"Content-Length: 5\r\nExpect: 100-continue\r\n\r\n")
    with sock:
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 401 "), first
    assert "Contents" not in s3.client.list_objects_v2(Bucket=LOCAL_BUCKET, Prefix="expect-anonymous")


def test_an_authorised_upload_expecting_100_continue_gets_it_then_stores_its_body(strict, s3):
    sock = connect(strict, "PUT /files/expect-ok.bin HTTP/1.1\r\n")
    sock.sendall(b"Content-Length: 5\r\nExpect: 100-continue\r\n\r\n")
    with sock:
        assert sock.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"hello")
        assert answer(sock)[0] == 201
    assert s3.client.get_object(Bucket=LOCAL_BUCKET, Key="expect-ok.bin")["Body"].read() == b"hello"
