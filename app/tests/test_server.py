"""End to end: the Dockerfile's server command on loopback, with S3 from moto's server."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from local import APP_DIR, LOCAL_BUCKET, LocalS3, dockerfile_cmd, free_port, local_key, server_env, wait_until_healthy

IN_FLIGHT = 8
CHUNKS = 10
CHUNK = b"x" * 1000


@pytest.fixture
def s3():
    s3 = LocalS3(free_port())
    yield s3
    s3.stop()


KEY, KEY_LINE = local_key()
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def server(s3, tmp_path: Path):
    port = free_port()
    env = server_env(port, s3.url, TASK_CPU="512", HOME=str(tmp_path / "home"), API_KEY_SHA256=KEY_LINE)
    (tmp_path / "home").mkdir()
    proc = subprocess.Popen(dockerfile_cmd(), cwd=APP_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until_healthy(port)
    except OSError:
        proc.kill()
        raise AssertionError(proc.communicate()[1].decode()) from None
    yield proc, port, tmp_path / "home"
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def slow_upload(port: int, key: str, results: dict) -> None:
    """A PUT whose body takes about a second to arrive, so it is in flight when SIGTERM comes."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.putrequest("PUT", f"/files/{key}")
        conn.putheader("Content-Length", str(CHUNKS * len(CHUNK)))
        conn.putheader("Content-Type", "application/octet-stream")
        conn.putheader("Authorization", AUTH["Authorization"])
        conn.endheaders()
        for _ in range(CHUNKS):
            conn.send(CHUNK)
            time.sleep(0.1)
        response = conn.getresponse()
        results[key] = (response.status, response.read())
    except Exception as err:  # recorded, and the test fails on it
        results[key] = (None, repr(err).encode())


def test_the_container_command_serves_the_app_and_the_files_api(server):
    _, port, _ = server
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
        assert json.load(response) == {"app": "flask-fargate", "stack": "local", "version": "local"}
    request = urllib.request.Request(f"http://127.0.0.1:{port}/files/hello.txt", data=b"hi", method="PUT", headers=AUTH)
    with urllib.request.urlopen(request) as response:
        assert response.status == 201
    with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/files/hello.txt", headers=AUTH)) as response:
        assert response.read() == b"hi"


def test_sigterm_finishes_in_flight_requests_and_exits_0(server, s3):
    proc, port, home = server
    results: dict = {}
    threads = [threading.Thread(target=slow_upload, args=(port, f"slow-{i}.bin", results)) for i in range(IN_FLIGHT)]
    for t in threads:
        t.start()
    time.sleep(0.4)
    proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(timeout=30)

    assert proc.wait(timeout=30) == 0
    assert sorted(results) == sorted(f"slow-{i}.bin" for i in range(IN_FLIGHT))
    failed = {key: r for key, r in results.items() if r[0] != 201}
    assert failed == {}
    stored = {o["Key"]: o["Size"] for o in s3.client.list_objects_v2(Bucket=LOCAL_BUCKET).get("Contents", [])}
    assert stored == {f"slow-{i}.bin": CHUNKS * len(CHUNK) for i in range(IN_FLIGHT)}

    # Once stopped, it accepts nothing more.
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
    # It wrote nothing under $HOME (the container's root filesystem is read-only).
    assert list(home.iterdir()) == []

    # Every line it logged is one JSON object.
    out, err = proc.communicate()
    lines = [line for line in (out + err).decode().splitlines() if line.strip()]
    assert lines, "the server logged nothing"
    for line in lines:
        json.loads(line)
    assert any(json.loads(line).get("path") == "/files/slow-0.bin" for line in lines)
