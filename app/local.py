"""Run the app exactly as the container does, on loopback, with S3 served by moto on loopback.

    python local.py                        # app on http://127.0.0.1:8000, S3 (moto) on http://127.0.0.1:5000
    PORT=8080 S3_PORT=5001 python local.py # other ports

Ctrl-C, or SIGTERM to this process, to its parent (`npm run app:local`'s shell) or to moto's or
gunicorn's main process stops all of them: gunicorn drains as on ECS, then moto stops. The children
die with this process even when it is killed outright (PR_SET_PDEATHSIG). A port in use, by anything,
moto included, stops the start with a message that names it.

The end-to-end test and the benchmark use the same helpers.
"""

from __future__ import annotations

import ctypes
import errno
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


class PortBusyError(Exception):
    """A port this run needs is taken: says which, and the variable that picks another."""

    def __init__(self, port: int, what: str, variable: str) -> None:
        super().__init__(
            f"port {port} ({what}) is already in use on 127.0.0.1: stop what listens there "
            f"(`ss -ltnp 'sport = :{port}'` shows it), or pick another port, e.g. {variable}={port + 1} npm run app:local"
        )


def ensure_free(port: int, what: str, variable: str) -> None:
    """Raises PortBusyError when `port` cannot be bound on loopback (with SO_REUSEADDR, as gunicorn and moto bind)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise PortBusyError(port, what, variable) from None
            raise


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent() -> None:
    """Asks Linux to send this process SIGTERM when its parent exits (prctl(2) PR_SET_PDEATHSIG).

    Also the preexec_fn of every child: a child of a process that is killed outright still stops."""
    parent = os.getppid()
    if ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        return  # not Linux: the signal handlers below still stop the children
    if os.getppid() != parent:  # the parent exited before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


def child_options() -> dict:
    """Popen options for this run's children: a process group of their own, so a terminal's Ctrl-C
    reaches only this process, which then stops them in order; and SIGTERM when it goes away."""
    return {"process_group": 0, "preexec_fn": die_with_parent}


class LocalS3:
    """moto's S3 server in its own process on 127.0.0.1:`port`, with `bucket` created.

    The port must be free: a server already there (an earlier moto, say) is never used instead."""

    def __init__(self, port: int, bucket: str = LOCAL_BUCKET) -> None:
        import boto3

        ensure_free(port, "S3, moto's server", "S3_PORT")
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        program = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or "moto_server"
        self.process = subprocess.Popen(
            [program, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **child_options()
        )
        self.client = boto3.client("s3", endpoint_url=self.url, **_boto_credentials())
        deadline = time.monotonic() + 20
        while True:
            try:
                self.client.create_bucket(Bucket=bucket)
                break
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise
                time.sleep(0.1)
        if self.process.poll() is not None:  # another server took the port between the check and moto's bind
            raise PortBusyError(port, "S3, moto's server", "S3_PORT")

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


class _Stop(Exception):
    """Raised by the signal handlers, so the wait below ends whichever signal came."""


def _raise_stop(signum: int, _frame: object) -> None:
    raise _Stop(signal.Signals(signum).name)


def main() -> int:
    # Ctrl-C, SIGTERM and SIGHUP (the terminal closing), and the parent exiting, all stop the run.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_stop)
    die_with_parent()
    port = int(os.environ.get("PORT", "8000"))
    s3_port = int(os.environ.get("S3_PORT", "5000"))
    server = s3 = None
    try:
        ensure_free(port, "the app", "PORT")
        s3 = LocalS3(s3_port)
        print(f"S3 (moto) on {s3.url}, bucket {LOCAL_BUCKET}", flush=True)
        key, line = local_key()
        print(f"API key for this run (API_KEY_SHA256={line}):", flush=True)
        print(f"  export KEY={key}", flush=True)
        print(f"app on http://127.0.0.1:{port}: try", flush=True)
        print(f'  curl -H "Authorization: Bearer $KEY" -T README.md http://127.0.0.1:{port}/files/readme.md', flush=True)
        print("Ctrl-C stops both", flush=True)
        server = subprocess.Popen(dockerfile_cmd(), cwd=APP_DIR, env=server_env(port, s3.url, API_KEY_SHA256=line), **child_options())
        while server.poll() is None and s3.process.poll() is None:
            time.sleep(0.2)
        stopped = "gunicorn" if server.poll() is not None else "moto's S3 server"
        print(f"{stopped} exited: stopping the local run", file=sys.stderr, flush=True)
        return 1
    except PortBusyError as err:
        print(err, file=sys.stderr, flush=True)
        return 2
    except _Stop as stop:
        print(f"{stop}: stopping the app (it drains as on ECS), then S3", file=sys.stderr, flush=True)
        return 0
    finally:
        # Signals from here on must not cut the shutdown short.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)  # as ECS stops a task: gunicorn finishes in-flight requests
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if s3 is not None and s3.process.poll() is None:
            s3.stop()


if __name__ == "__main__":
    sys.exit(main())
