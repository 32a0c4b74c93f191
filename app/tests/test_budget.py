"""The budget a task's size sets (budget.py), held on loopback by the Dockerfile's command: memory
under the task's size whatever the number of clients, 503 with Retry-After past it and nothing
stored, health checks answered throughout, and every upload that completed stored whole.

Bounded: at most 1,000 client connections, each sending 320 KiB, for some 30 s; all on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import select
import socket
import statistics
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from budget import RESERVE_HEAD_SECONDS, RETRY_AFTER_SECONDS, budget_for
from local import LOCAL_BUCKET, LocalS3, free_port, local_key, running_server, server_env

KEY, KEY_LINE = local_key()
TASK_CPU, TASK_MEMORY_MIB = 256, 512  # the default task (Pulumi.yaml)
UPLOADS = 1000
# Each upload sends its body in ROUNDS pieces a round apart, then the rest: 320 KiB files, half of
# them PUT and half in forms (which werkzeug kept in memory whole below 500 KiB).
ROUNDS = 4
FILE_BYTES = 320 * 1024


@pytest.fixture(scope="module")
def s3() -> Iterator[LocalS3]:
    s3 = LocalS3(free_port())
    yield s3
    s3.stop()


def resident_mib(pid: int) -> float:
    """The resident memory of gunicorn's master and its workers together (shared pages counted in each: an overestimate)."""
    total = 0
    for p in [pid, *(int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except FileNotFoundError:
            continue  # a worker that just exited
        total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
    return total / 1024


class PeakMemory:
    """Samples the server's resident memory every 50 ms while it runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, resident_mib(self.pid))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def health_latency(port: int) -> float:
    """Seconds /healthz took to answer 200, or infinity when it did not within 5 s (the ALB's default health check timeout)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return time.monotonic() - started if response.status == 200 else float("inf")
    except OSError:
        return float("inf")


def file_of(i: int) -> bytes:
    """Upload i's file, different for every upload."""
    return hashlib.sha256(str(i).encode()).digest() * (FILE_BYTES // 32)


class SlowUpload:
    """An upload sending its body a piece at a time, a PUT for even `i` and a form for odd;
    `answer` is what the server said."""

    def __init__(self, port: int, i: int) -> None:
        self.key = f"slow/{i:04d}.bin"
        self.file = file_of(i)
        if i % 2:
            boundary = f"b{i:032d}"
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n{self.key}\r\n'
            head += f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\n\r\n'
            body = head.encode() + self.file + f"\r\n--{boundary}--\r\n".encode()
            request = f"POST /files HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
        else:
            body = self.file
            request = f"PUT /files/{self.key} HTTP/1.1\r\n"
        request += f"Host: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\nContent-Length: {len(body)}\r\n\r\n"
        size = len(body) // (ROUNDS + 1)
        self.pieces = [body[n * size : (n + 1) * size] for n in range(ROUNDS)] + [body[ROUNDS * size :]]
        self.answer: tuple[int, dict[str, str], bytes] | None = None
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sock.sendall(request.encode())

    def send(self, piece: int) -> None:
        if self.answer is None:
            try:
                self.sock.sendall(self.pieces[piece])
            except OSError:  # refused and closed already: its answer is waiting
                self.read_answer()

    def read_answer(self) -> None:
        data = b""
        try:
            while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < content_length(data):
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1]) if lines[0] else 0
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        self.answer = (status, headers, body)
        self.sock.close()


def content_length(data: bytes) -> int:
    for line in data.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


def test_1000_slow_uploads_at_the_default_task_size_stay_within_its_memory_and_health_answers(s3):
    port = free_port()
    env = server_env(
        port, s3.url, TASK_CPU=str(TASK_CPU), TASK_MEMORY_MIB=str(TASK_MEMORY_MIB), API_KEY_SHA256=KEY_LINE, LOG_LEVEL="WARNING"
    )
    with running_server(env, port) as server, PeakMemory(server.pid) as memory:
        uploads = [SlowUpload(port, i) for i in range(UPLOADS)]
        latencies = []
        try:
            for piece in range(ROUNDS):
                for upload in uploads:
                    upload.send(piece)
                latencies += [health_latency(port) for _ in range(3)]
            for upload in uploads:
                upload.send(ROUNDS)
            for upload in uploads:
                if upload.answer is None:
                    upload.read_answer()
        finally:
            for upload in uploads:
                upload.sock.close()
        latencies.append(health_latency(port))

    assert memory.peak < TASK_MEMORY_MIB, memory.peak
    stored = {o["Key"]: o["ETag"].strip('"') for o in list_all(s3, "slow/")}
    statuses = [u.answer[0] for u in uploads]
    # Every upload was stored whole (its ETag is its MD5), or refused with 503 and Retry-After and not stored.
    for upload in uploads:
        status, headers, body = upload.answer
        if status == 201:
            assert stored.get(upload.key) == hashlib.md5(upload.file).hexdigest(), upload.key  # noqa: S324 (S3's ETag)
        else:
            assert (status, headers.get("retry-after")) == (503, str(RETRY_AFTER_SECONDS)), upload.answer
            assert "limit" in json.loads(body)["error"]
            assert upload.key not in stored
    # A worker admits its budget's connections whatever the others do: at least that many were stored.
    assert statuses.count(201) >= budget_for(TASK_CPU, TASK_MEMORY_MIB).connections, sorted(set(statuses))
    # The ALB's health check waits 5 s by default: every probe was answered within that, and the
    # typical one well under a second (docs/measurements.md has the figures of a quiet run).
    assert max(latencies) < 5, latencies
    assert statistics.median(latencies) < 1, latencies


def list_all(s3: LocalS3, prefix: str) -> list[dict]:
    pages = s3.client.get_paginator("list_objects_v2").paginate(Bucket=LOCAL_BUCKET, Prefix=prefix)
    return [o for page in pages for o in page.get("Contents", [])]


def test_past_its_connections_a_worker_answers_503_and_health_from_its_reserve(s3):
    port = free_port()
    connections = 4
    env = server_env(port, s3.url, WORKER_CONNECTIONS=str(connections), API_KEY_SHA256=KEY_LINE, LOG_LEVEL="WARNING")
    with running_server(env, port):
        uploads = [SlowUpload(port, 5000 + i) for i in range(30)]
        try:
            uploads[0].send(0)
            time.sleep(0.5)  # the refused ones have had their answer
            assert all(health_latency(port) < 5 for _ in range(3))
            for piece in range(ROUNDS + 1):
                for upload in uploads:
                    upload.send(piece)
            for upload in uploads:
                if upload.answer is None:
                    upload.read_answer()
        finally:
            for upload in uploads:
                upload.sock.close()
    statuses = [u.answer[0] for u in uploads]
    assert set(statuses) == {201, 503}, [(u.key, u.answer) for u in uploads if u.answer[0] not in (201, 503)][:3]
    assert statuses.count(201) <= 2 * connections  # two workers (the default task)
    stored = {o["Key"] for o in list_all(s3, "slow/5")}
    assert stored == {u.key for u in uploads if u.answer[0] == 201}


def test_a_reserve_connection_that_sends_nothing_is_closed_at_once(s3):
    port = free_port()
    env = server_env(port, s3.url, WORKER_CONNECTIONS="1", API_KEY_SHA256=KEY_LINE, LOG_LEVEL="WARNING")
    with running_server(env, port):
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(6)]
        # Two of them hold the workers' budget (keep-alive, 75 s); the others are in the reserve.
        closed: set[socket.socket] = set()
        deadline = time.monotonic() + RESERVE_HEAD_SECONDS + 10  # a margin for a loaded machine
        try:
            while len(closed) < 4 and time.monotonic() < deadline:
                readable, _, _ = select.select([s for s in idle if s not in closed], [], [], 0.5)
                closed |= {sock for sock in readable if sock.recv(1) == b""}
        finally:
            for sock in idle:
                sock.close()
    assert len(closed) >= 4
