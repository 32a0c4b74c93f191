"""Clients on loopback for the end-to-end tests and the benchmark: slow uploads, health probes,
and the server's resident memory while they run. Not part of the image."""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


def resident_mib(pid: int) -> float:
    """The resident memory of gunicorn's master and its workers together, in MiB (pages the
    workers share with the master are counted in each: an overestimate)."""
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


def health_latency(port: int, timeout: float = 5.0) -> float:
    """Seconds /healthz took to answer 200, or infinity when it did not within `timeout` (by default
    5 s, the load balancer's health check timeout)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as response:
            return time.monotonic() - started if response.status == 200 else float("inf")
    except OSError:
        return float("inf")


def file_of(i: int, size: int) -> bytes:
    """Upload i's file of `size` bytes (a multiple of 32), different for every i."""
    return hashlib.sha256(str(i).encode()).digest() * (size // 32)


class SlowUpload:
    """Upload i, sent a piece at a time: a PUT for even i, a form for odd; `answer` is what the server said."""

    def __init__(self, port: int, api_key: str, i: int, file_bytes: int, pieces: int) -> None:
        self.key = f"slow/{i:04d}.bin"
        self.file = file_of(i, file_bytes)
        if i % 2:
            boundary = f"b{i:032d}"
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n{self.key}\r\n'
            head += f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\n\r\n'
            body = head.encode() + self.file + f"\r\n--{boundary}--\r\n".encode()
            request = f"POST /files HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
        else:
            body = self.file
            request = f"PUT /files/{self.key} HTTP/1.1\r\n"
        request += f"Host: 127.0.0.1\r\nAuthorization: Bearer {api_key}\r\nContent-Length: {len(body)}\r\n\r\n"
        size = len(body) // pieces
        self.pieces = [body[n * size : (n + 1) * size] for n in range(pieces - 1)] + [body[(pieces - 1) * size :]]
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
            while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < _content_length(data):
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


def _content_length(data: bytes) -> int:
    for line in data.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


@dataclass
class SlowRun:
    uploads: list[SlowUpload]
    health_seconds: list[float] = field(default_factory=list)


def slow_uploads(port: int, api_key: str, ids: range, file_bytes: int, pieces: int, probe_timeout: float = 5.0) -> SlowRun:
    """Opens an upload for each of `ids`, sends every upload's pieces a round at a time with three
    health probes between rounds (and one at the end), and reads every answer."""
    run = SlowRun([SlowUpload(port, api_key, i, file_bytes, pieces) for i in ids])
    try:
        for piece in range(pieces):
            for upload in run.uploads:
                upload.send(piece)
            run.health_seconds += [health_latency(port, probe_timeout) for _ in range(3 if piece < pieces - 1 else 0)]
        for upload in run.uploads:
            if upload.answer is None:
                upload.read_answer()
    finally:
        for upload in run.uploads:
            upload.sock.close()
    run.health_seconds.append(health_latency(port, probe_timeout))
    return run


def crowd(port: int, api_key: str, count: int, uploading: bool, seconds: float = 24.0) -> list[tuple[float, float]]:
    """Opens `count` connections that send nothing, or (`uploading`) that each start a 10 MB upload
    and send 16 KiB of it every 2 s; probes /healthz every 2 s for `seconds`: (time, latency) pairs."""
    socks = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(count)]
    probes = []
    try:
        if uploading:
            for i, sock in enumerate(socks):
                head = f"PUT /files/crowd/{i} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {api_key}\r\n"
                sock.sendall(f"{head}Content-Length: 10000000\r\n\r\n".encode())
        started = time.monotonic()
        while (now := time.monotonic() - started) < seconds:
            for sock in socks if uploading else []:
                with contextlib.suppress(OSError):  # refused and closed
                    sock.send(b"x" * 16384)
            probes.append((now, health_latency(port)))
            time.sleep(max(0.0, 2 - (time.monotonic() - started) % 2))
    finally:
        for sock in socks:
            sock.close()
    return probes
