"""Run the app exactly as the container does, on loopback, with S3 served by moto on loopback.

    python local.py            # app on http://127.0.0.1:8000, S3 (moto) on http://127.0.0.1:5000

The end-to-end test and the benchmark use the same helpers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

APP_DIR = Path(__file__).resolve().parent
LOCAL_BUCKET = "flask-fargate-local"
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_REGION": "us-east-1"}


def dockerfile_cmd() -> list[str]:
    """The Dockerfile's CMD (exec form), so local runs and tests start exactly what the container starts."""
    text = (APP_DIR / "Dockerfile").read_text()
    match = re.search(r"^CMD\s+(\[.*\])\s*$", text, re.MULTILINE)
    if match is None:
        raise RuntimeError("the Dockerfile has no exec-form CMD")
    cmd = json.loads(match.group(1))
    # The command's programs come from this Python's environment (the container's PATH has them).
    cmd[0] = shutil.which(cmd[0], path=str(Path(sys.executable).parent)) or cmd[0]
    return cmd


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalS3:
    """moto's S3 server in its own process on 127.0.0.1:`port`, with `bucket` created."""

    def __init__(self, port: int, bucket: str = LOCAL_BUCKET) -> None:
        import boto3

        self.url = f"http://127.0.0.1:{port}"
        program = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or "moto_server"
        self.process = subprocess.Popen([program, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.client = boto3.client("s3", endpoint_url=self.url, **_boto_credentials())
        deadline = time.monotonic() + 20
        while True:
            try:
                self.client.create_bucket(Bucket=bucket)
                return
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _boto_credentials() -> dict[str, str]:
    return {
        "aws_access_key_id": FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "region_name": FAKE_CREDENTIALS["AWS_REGION"],
    }


def local_key() -> tuple[str, str]:
    """A fresh read-write API key for one local run, and its API_KEY_SHA256 entry."""
    from keys import WRITE, entry, new_key

    key = new_key()
    return key, entry("local", key, WRITE)


def server_env(port: int, s3_url: str, bucket: str = LOCAL_BUCKET, **extra: str) -> dict[str, str]:
    """The container's environment, for loopback: the task definition sets the same variables on ECS
    (API_KEY_SHA256 from a secret; pass it in `extra`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(FAKE_CREDENTIALS)
    env.update(
        PORT=str(port),
        BIND_HOST="127.0.0.1",
        BUCKET_NAME=bucket,
        AWS_ENDPOINT_URL=s3_url,
        APP_STACK="local",
        APP_VERSION="local",
        HEALTH_PATH="/healthz",
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


@contextmanager
def running_server(env: dict[str, str], port: int, **popen: Any) -> Iterator[subprocess.Popen]:
    """The Dockerfile's command with `env`, healthy on `port`; stopped (SIGTERM, then kill) on exit."""
    proc = subprocess.Popen(dockerfile_cmd(), cwd=APP_DIR, env=env, **popen)
    try:
        wait_until_healthy(port)
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_until_healthy(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    s3_port = int(os.environ.get("S3_PORT", "5000"))
    s3 = LocalS3(s3_port)
    key, line = local_key()
    print(f"S3 (moto) on {s3.url}, bucket {LOCAL_BUCKET}", flush=True)
    print(f"API key for this run (API_KEY_SHA256={line}):", flush=True)
    print(f"  export KEY={key}", flush=True)
    print(f"app on http://127.0.0.1:{port}: try", flush=True)
    print(f'  curl -H "Authorization: Bearer $KEY" -T README.md http://127.0.0.1:{port}/files/readme.md', flush=True)
    server = subprocess.Popen(dockerfile_cmd(), cwd=APP_DIR, env=server_env(port, s3.url, API_KEY_SHA256=line))
    # Ctrl-C or a SIGTERM stops the server the way ECS does: SIGTERM, then it drains and exits.
    signal.signal(signal.SIGTERM, lambda *_: server.send_signal(signal.SIGTERM))
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGTERM)
        return server.wait()
    finally:
        s3.stop()


if __name__ == "__main__":
    sys.exit(main())
