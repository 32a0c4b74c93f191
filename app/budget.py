"""What one server process may hold at once, derived from the task's memory and CPU.

The task definition passes TASK_CPU and TASK_MEMORY_MIB (runtime.py; a local run without them is
sized as the default task, 256 CPU units and 512 MiB). gunicorn runs `workers` processes, one
per vCPU; each
holds at most `connections` client connections, plus `reserve` more that only answer the health
path and 503s (worker.py), and at most `spool_bytes` of uploads waiting on /tmp (files.py).

Memory. Each process is given an equal share of the task's memory after HEADROOM and the gunicorn
master, less what a worker takes before its first client (WORKER_MIB). Each connection is counted
at its worst case, CONNECTION_BYTES: request headers at gunicorn's limits (HEADER_BYTES, counted
twice: the buffer they arrive in and the parsed copy), the request body's buffers (it is read
CHUNK_BYTES at a time, and an upload keeps nothing else in memory: its parts wait on /tmp), and
the greenlet, socket and parser. A response streams CHUNK_BYTES at a time too. Sending to S3
takes more (S3_SEND_BYTES), so only S3_SENDS uploads per process send at once. So the resident
memory of the task stays under its size whatever the number of clients: past the connections,
clients get 503 and Retry-After from the reserve, and past the reserve they wait in the kernel's
listen backlog, which costs the process nothing.

Disk. An upload waits on /tmp (the task's ephemeral storage, 20 GiB on Fargate by default) up to
one S3 part; a form's file is first written there whole by the form parser. Each upload reserves
its worst case before its body is read; half the storage is shared out between the processes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from errors import ApiError

MIB = 1024 * 1024
# The piece in which request bodies are read and downloads are sent (body.py, storage.py, files.py).
CHUNK_BYTES = 16 * 1024

# Measured on the Dockerfile's command (CPython 3.11, x86_64) on 2026-12-03: the master's resident
# memory 29-33 MiB, a worker's 60 MiB after start-up and a few S3 requests, 75-81 MiB after 450 slow
# uploads had come and gone (docs/measurements.md, "App memory").
MASTER_MIB = 36
WORKER_MIB = 80
# Left free for what is not counted per connection: garbage not yet collected, the allocator's
# fragmentation. (Connections are counted at their worst: 1,000 slow uploads measured 202 MiB in
# all where the budget counts 460 MiB.)
HEADROOM = 0.1

# gunicorn's header limits (gunicorn.conf.py): 32 fields of up to 2046 bytes, 64 KiB in all, which
# is also the most an Application Load Balancer takes ("Quotas for your Application Load
# Balancers", HTTP headers: 64K for a whole request header; 16K for one), and a request line of
# up to 4094 bytes.
HEADER_FIELDS = 32
HEADER_FIELD_BYTES = 2046
REQUEST_LINE_BYTES = 4094
HEADER_BYTES = HEADER_FIELDS * (HEADER_FIELD_BYTES + 2) + 4 + REQUEST_LINE_BYTES
# A connection at its worst: the headers twice (500 connections each sending 61 KiB of headers
# measured 140 KiB a connection), four body chunks (gunicorn's buffer, the piece returned, the
# piece written, and the form parser's buffer or a form field), and 16 KiB for the greenlet, the
# socket and the parser (an idle connection measured 8 KiB).
CONNECTION_BYTES = 2 * HEADER_BYTES + 4 * CHUNK_BYTES + 16 * 1024

# Uploads a process sends to S3 at once, and what each holds while it does: botocore reads the
# body in 1 MiB pieces to compute its checksum and to frame it (botocore/httpchecksum.py).
S3_SENDS = 4
S3_SEND_BYTES = 3 * MIB
# How long an upload whose body has arrived may wait for one of those before it is a 503.
S3_SEND_WAIT_SECONDS = 30.0

RESERVE_CONNECTIONS = 128
# How long a connection taken in the reserve may take to send its request: one that waited in the
# listen backlog has sent it already, and an ALB health check sends it at once. Short, so that a
# crowd of connections that send nothing is turned over quickly (128 every half second).
RESERVE_HEAD_SECONDS = 0.5
RETRY_AFTER_SECONDS = 5

EPHEMERAL_STORAGE_BYTES = 20 * 1024 * MIB
SPOOL_SHARE = 0.5

# The WSGI environ key worker.py sets on a request that came in on a reserve connection.
OVER_CAPACITY = "app.over_capacity"


@dataclass(frozen=True)
class Budget:
    workers: int
    connections: int
    reserve: int
    spool_bytes: int


def workers_for(cpu_units: int) -> int:
    """gunicorn workers for a task of `cpu_units` (1024 = 1 vCPU): one per vCPU, rounded up.

    A gevent worker is one event loop that keeps a CPU busy by itself; a second one on the same
    CPU only takes turns with it, and every connection of the one waiting waits too. On one core,
    two workers had a p99 of 245 ms where one had 44 ms (docs/measurements.md, "Tail latency")."""
    return max(1, -(-cpu_units // 1024))


def budget_for(cpu_units: int, memory_mib: int) -> Budget:
    """Each process's share of a task of `cpu_units` and `memory_mib`; ValueError when the memory
    cannot hold the processes and a useful number of connections."""
    workers = workers_for(cpu_units)
    per_worker = ((memory_mib * (1 - HEADROOM) - MASTER_MIB) / workers - WORKER_MIB) * MIB - S3_SENDS * S3_SEND_BYTES
    connections = int(per_worker // CONNECTION_BYTES) - RESERVE_CONNECTIONS
    if connections < RESERVE_CONNECTIONS:
        raise ValueError(
            f"TASK_MEMORY_MIB={memory_mib} is too small for {workers} workers (TASK_CPU={cpu_units}): "
            f"each needs {WORKER_MIB} MiB and room for connections"
        )
    return Budget(
        workers=workers,
        connections=connections,
        reserve=RESERVE_CONNECTIONS,
        spool_bytes=int(EPHEMERAL_STORAGE_BYTES * SPOOL_SHARE / workers),
    )


class SpoolBudget:
    """The bytes this process's uploads may hold on /tmp at once; an upload over it is a 503 with Retry-After."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.used = 0
        self._lock = threading.Lock()  # gevent runs one thread; Flask's development server, several

    @contextmanager
    def reserve(self, nbytes: int) -> Iterator[None]:
        with self._lock:
            if self.used + nbytes > self.capacity:
                raise over_capacity("uploads in flight")
            self.used += nbytes
        try:
            yield
        finally:
            with self._lock:
                self.used -= nbytes


class SendGate:
    """At most S3_SENDS uploads of this process send to S3 at once; one that waits S3_SEND_WAIT_SECONDS is a 503."""

    def __init__(self) -> None:
        self._slots = threading.BoundedSemaphore(S3_SENDS)  # gevent's own under gunicorn (monkey-patched)

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if not self._slots.acquire(timeout=S3_SEND_WAIT_SECONDS):
            raise over_capacity("transfers to file storage")
        try:
            yield
        finally:
            self._slots.release()


def over_capacity(what: str) -> ApiError:
    return ApiError(503, f"the server is at its limit of {what}: retry later", {"Retry-After": str(RETRY_AFTER_SECONDS)})
