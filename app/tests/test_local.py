"""`npm run app:local` (local.py): every way of stopping it leaves no process behind, and a busy
port stops the start with a message naming it. Loopback only; every wait is bounded."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from local import APP_DIR, LocalS3, _boto_credentials, free_port, wait_until_healthy
from runtime import task_budget

STOP_TIMEOUT = 40  # gunicorn drains for at most 25 s, then moto stops


class LocalRun:
    """local.py under `sh -c`, as `npm run app:local` runs it (npm forwards SIGTERM to that shell)."""

    def __init__(self, tmp_path: Path, port: int, s3_port: int) -> None:
        self.port, self.s3_port = port, s3_port
        self.seen: set[int] = set()  # every pid of the run, for the cleanup after a failed test
        self.out = tmp_path / "local.out"
        env = {**os.environ, "PORT": str(port), "S3_PORT": str(s3_port), "TASK_CPU": "256"}
        with self.out.open("wb") as out:
            # "; exit" keeps the shell from exec-ing Python, so it stays the parent, as npm's shell does.
            self.shell = subprocess.Popen(
                ["sh", "-c", '"$0" local.py; exit $?', sys.executable],
                cwd=APP_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, like a terminal's foreground job
            )

    def output(self) -> str:
        return self.out.read_text()

    def wait_until_serving(self) -> dict[str, int]:
        """The pids of the shell, local.py, moto, gunicorn's master and its workers (a local run is
        sized as the default task), once all run."""
        wait_until_healthy(self.port, timeout=60)
        deadline = time.monotonic() + 30
        while True:
            tree = process_tree(self.shell.pid)
            local = only(children(tree, self.shell.pid))
            by_role = {"shell": self.shell.pid, "local.py": local}
            for pid in children(tree, local):
                by_role["moto" if "moto_server" in cmdline(pid) else "gunicorn"] = pid
            workers = children(tree, by_role.get("gunicorn", -1))
            self.seen |= {*by_role.values(), *workers}
            if {"moto", "gunicorn"} <= by_role.keys() and len(workers) == task_budget({}).workers:
                return by_role | {f"worker {i}": pid for i, pid in enumerate(workers)}
            assert time.monotonic() < deadline, f"not all processes started: {by_role}, workers {workers}\n{self.output()}"
            time.sleep(0.2)

    def stop_everything(self) -> None:
        """Cleanup after a failed test: kill whatever of the run is left, orphans included."""
        for pid in self.seen | process_tree(self.shell.pid).keys():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.shell.wait(timeout=10)


def stat_fields(pid: int) -> list[str] | None:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def alive(pid: int) -> bool:
    fields = stat_fields(pid)
    return fields is not None and fields[0] != "Z"  # a zombie has exited already


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def process_tree(root: int) -> dict[int, int]:
    """pid -> parent pid, for `root` and all its live descendants."""
    parents = {}
    for entry in Path("/proc").iterdir():
        fields = stat_fields(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None and fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    tree, queue = {root: parents.get(root, 0)}, [root]
    while queue:
        parent = queue.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree[pid] = ppid
                queue.append(pid)
    return tree


def children(tree: dict[int, int], parent: int) -> list[int]:
    return sorted(pid for pid, ppid in tree.items() if ppid == parent)


def only(pids: list[int]) -> int:
    assert len(pids) == 1, pids
    return pids[0]


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def run(tmp_path: Path) -> Iterator[LocalRun]:
    local_run = LocalRun(tmp_path, free_port(), free_port())
    yield local_run
    local_run.stop_everything()


def stop_by(how: str, pids: dict[str, int], run: LocalRun) -> None:
    if how == "Ctrl-C in the terminal":
        os.killpg(run.shell.pid, signal.SIGINT)  # the terminal signals its foreground process group
    elif how.startswith("SIGKILL"):
        os.kill(pids["local.py"], signal.SIGKILL)
    else:
        os.kill(pids[how.removeprefix("SIGTERM to ")], signal.SIGTERM)


@pytest.mark.parametrize(
    ("how", "exit_code"),
    [
        ("Ctrl-C in the terminal", None),  # the shell dies of the SIGINT too
        ("SIGTERM to shell", None),  # what `kill <npm's pid>` does: npm passes SIGTERM to its script's shell
        ("SIGTERM to local.py", 0),
        ("SIGTERM to moto", 1),
        ("SIGTERM to gunicorn", 1),
        ("SIGKILL to local.py", None),  # the children die with it
    ],
)
def test_a_local_run_stops_entirely_however_it_is_stopped(run: LocalRun, how: str, exit_code: int | None):
    pids = run.wait_until_serving()
    stop_by(how, pids, run)
    deadline = time.monotonic() + STOP_TIMEOUT
    while any(alive(pid) for pid in pids.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = {role: pid for role, pid in pids.items() if alive(pid)}
    assert left == {}, f"still running after {how}: {left}\n{run.output()}"
    assert not port_in_use(run.port)
    assert not port_in_use(run.s3_port)
    if exit_code is not None:
        assert run.shell.wait(timeout=5) == exit_code, run.output()
    if how == "Ctrl-C in the terminal":
        assert "SIGINT: stopping the app (it drains as on ECS), then S3" in run.output()
    if exit_code == 1:
        assert "exited: stopping the local run" in run.output()


def test_a_busy_app_port_is_named_with_how_to_pick_another(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        s3_port = free_port()
        run = LocalRun(tmp_path, port, s3_port)
        assert run.shell.wait(timeout=30) == 2
    assert f"port {port} (the app) is already in use on 127.0.0.1" in run.output()
    assert f"PORT={port + 1} npm run app:local" in run.output()
    assert "Traceback" not in run.output()
    assert not port_in_use(s3_port), "no moto is left behind"


def test_a_moto_already_on_the_s3_port_is_not_used(tmp_path: Path):
    other = LocalS3(free_port(), bucket="someone-elses")
    try:
        run = LocalRun(tmp_path, free_port(), other.port)
        assert run.shell.wait(timeout=30) == 2
        assert f"port {run.s3_port} (S3, moto's server) is already in use" in run.output()
        assert f"S3_PORT={run.s3_port + 1} npm run app:local" in run.output()
        assert "Traceback" not in run.output()
        buckets = boto3.client("s3", endpoint_url=other.url, **_boto_credentials()).list_buckets()["Buckets"]
        assert [b["Name"] for b in buckets] == ["someone-elses"], "local.py created its bucket in the other moto"
        assert not port_in_use(run.port)
    finally:
        other.stop()
