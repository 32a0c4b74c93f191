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
import time
from collections.abc import Iterator

import pytest

from budget import RESERVE_HEAD_SECONDS, RETRY_AFTER_SECONDS, budget_for
from clients import PeakMemory, slow_uploads
from local import LOCAL_BUCKET, LocalS3, free_port, local_key, running_server, server_env

KEY, KEY_LINE = local_key()
TASK_CPU, TASK_MEMORY_MIB = 256, 512  # the default task (Pulumi.yaml)
UPLOADS = 1000
# Each upload sends its body in PIECES pieces a round apart (with health probes between rounds):
# 320 KiB files, half of them PUT and half in forms (which werkzeug kept in memory whole below 500 KiB).
PIECES = 5
FILE_BYTES = 320 * 1024


@pytest.fixture(scope="module")
def s3() -> Iterator[LocalS3]:
    s3 = LocalS3(free_port())
    yield s3
    s3.stop()


def test_1000_slow_uploads_at_the_default_task_size_stay_within_its_memory_and_health_answers(s3):
    port = free_port()
    env = server_env(
        port, s3.url, TASK_CPU=str(TASK_CPU), TASK_MEMORY_MIB=str(TASK_MEMORY_MIB), API_KEY_SHA256=KEY_LINE, LOG_LEVEL="WARNING"
    )
    with running_server(env, port) as server, PeakMemory(server.pid) as memory:
        run = slow_uploads(port, KEY, range(UPLOADS), FILE_BYTES, PIECES, probe_timeout=30)
    uploads, latencies = run.uploads, run.health_seconds

    assert memory.peak < TASK_MEMORY_MIB, memory.peak
    stored = {o["Key"]: o["ETag"].strip('"') for o in list_all(s3, "slow/")}
    # Every upload was stored whole (its ETag is its MD5), or refused with 503 and Retry-After and not stored.
    for upload in uploads:
        status, headers, body = upload.answer
        if status == 201:
            assert stored.get(upload.key) == hashlib.md5(upload.file).hexdigest(), upload.key  # noqa: S324 (S3's ETag)
        else:
            assert (status, headers.get("retry-after")) == (503, str(RETRY_AFTER_SECONDS)), upload.answer
            assert "limit" in json.loads(body)["error"]
            assert upload.key not in stored
    # A worker admits its budget's connections whatever any other does (all 1,000 at the default
    # task's size, whose one worker has room for 1,449): none was refused for connections or memory.
    # The one refusal that depends on the machine's speed is the wait for a transfer to S3 (4 at a
    # time, each upload waits at most S3_SEND_WAIT_SECONDS): on a machine loaded to 10, moto stored
    # only 678 of the 1,000 in time (2026-12-03), and the others were refused as designed.
    reasons = {json.loads(u.answer[2])["error"] for u in uploads if u.answer[0] != 201}
    assert reasons <= {"the server is at its limit of transfers to file storage: retry later"}, reasons
    assert budget_for(TASK_CPU, TASK_MEMORY_MIB).connections >= UPLOADS  # the premise: the budget admits every upload
    # Health was answered throughout. How fast is the benchmark's to measure (docs/measurements.md:
    # most probes take milliseconds; the one right after the 1,000 connections open waits for them
    # to be accepted, 1-2 s on a loaded 2-core machine). The test holds only that every probe was
    # answered, within a timeout no loaded machine reaches, and the typical one within a second.
    assert all(seconds < 30 for seconds in latencies), latencies
    assert statistics.median(latencies) < 1, latencies


def list_all(s3: LocalS3, prefix: str) -> list[dict]:
    pages = s3.client.get_paginator("list_objects_v2").paginate(Bucket=LOCAL_BUCKET, Prefix=prefix)
    return [o for page in pages for o in page.get("Contents", [])]


def test_past_its_connections_a_worker_answers_503_and_health_from_its_reserve(s3):
    port = free_port()
    connections = 4
    env = server_env(port, s3.url, WORKER_CONNECTIONS=str(connections), API_KEY_SHA256=KEY_LINE, LOG_LEVEL="WARNING")
    with running_server(env, port):
        # Health probes go between the rounds, while the slow uploads hold every budgeted connection.
        run = slow_uploads(port, KEY, range(5000, 5030), FILE_BYTES, PIECES)
    uploads = run.uploads
    assert max(run.health_seconds) < 5, run.health_seconds
    statuses = [u.answer[0] for u in uploads]
    assert set(statuses) == {201, 503}, [(u.key, u.answer) for u in uploads if u.answer[0] not in (201, 503)][:3]
    assert statuses.count(201) <= budget_for(256, 512).workers * connections
    stored = {o["Key"] for o in list_all(s3, "slow/5")}
    assert stored == {u.key for u in uploads if u.answer[0] == 201}


def test_a_reserve_connection_that_sends_nothing_is_closed_at_once(s3):
    port = free_port()
    env = server_env(port, s3.url, WORKER_CONNECTIONS="1", API_KEY_SHA256=KEY_LINE, LOG_LEVEL="WARNING")
    with running_server(env, port):
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(6)]
        # One a worker holds in its budget (keep-alive, 75 s); the others are in its reserve.
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
