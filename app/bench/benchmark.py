"""Requests per second and latency (p50, p99) of the container's server command, on this machine, with wrk:

1. against the walkthrough's `python app.py` (Flask's development server), on the same route;
2. on a download (GET /files/<key>, S3 from moto's server) without authentication (PUBLIC_READ)
   and with an API key, same server, one after the other;
3. 1,000 slow uploads (320 KiB each, in 5 pieces a round apart, half PUT and half forms) against
   the default task: how many were stored, the /healthz latency meanwhile, the peak resident memory;
4. the default task past its connections: 2,100 connections that send nothing, then 2,100 uploads
   sending 16 KiB every 2 s; /healthz every 2 s for 24 s, and the peak resident memory.

    python bench/benchmark.py [--duration 10] [--connections 32] [--route /] [--slow 1000] [--crowd 2100] [--shared]

The container command runs as the default task does (TASK_CPU=256, TASK_MEMORY_MIB=512: one worker).
On a machine of 2 CPUs or more, each server under test runs on the first CPU and everything else
(wrk, moto, this script) on the others, as on ECS, where the load balancer is not on the task's
CPU: with the load generator on the same cores, the tail latency measures the contention for them
(docs/measurements.md). --shared runs all on all CPUs instead.

Needs wrk (Debian: apt-get install wrk). Everything runs on 127.0.0.1 only, bounded in time; each
server is measured after a short warm-up, one at a time. Exits 1 if any answer was an error or a
health probe took 1 s or more.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import timeit
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auth import READ, parse_keys
from clients import PeakMemory, crowd, slow_uploads
from local import APP_DIR, LOCAL_BUCKET, LocalS3, dockerfile_cmd, free_port, local_key, running_server, server_env, wait_until_healthy

# The default task's size (Pulumi.yaml), as the container command gets it from the task definition.
DEFAULT_TASK = {"TASK_CPU": "256", "TASK_MEMORY_MIB": "512"}


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(name: str, output: str) -> Result:
    """Reads wrk --latency output."""
    latency = {p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)}
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    return Result(
        name=name,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=latency["50"],
        p99_ms=latency["99"],
        requests=requests,
        errors=socket_errors + non_2xx,
    )


def load(name: str, url: str, args: argparse.Namespace, headers: tuple[str, ...] = ()) -> Result:
    wrk = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--latency", *(f"-H{h}" for h in headers)]
    subprocess.run([*wrk, "-d2s", url], check=True, capture_output=True)  # warm-up
    run = subprocess.run([*wrk, f"-d{args.duration}s", url], check=True, capture_output=True, text=True)
    return parse_wrk(name, run.stdout)


def server_options(args: argparse.Namespace) -> dict:
    """Popen options for a server under test: quiet, and on the server's CPU unless --shared."""
    options: dict = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if args.server_cpus:
        options["preexec_fn"] = lambda: os.sched_setaffinity(0, args.server_cpus)
    return options


def measure(name: str, cmd: list[str], env: dict[str, str], port: int, args: argparse.Namespace) -> Result:
    server = subprocess.Popen(cmd, cwd=APP_DIR, env=env, **server_options(args))
    try:
        wait_until_healthy(port)
        return load(name, f"http://127.0.0.1:{port}{args.route}", args)
    finally:
        server.terminate()
        server.wait(timeout=30)


def three_keys() -> tuple[str, str]:
    """A key, and API_KEY_SHA256 listing it last after two others (as during a rotation, and then some)."""
    key, line = local_key()
    others = [local_key()[1].replace("local:", f"other{i}:") for i in range(2)]
    return key, "\n".join([*others, line])


def measure_auth(args: argparse.Namespace) -> list[Result]:
    """One download route, one server: anonymously (PUBLIC_READ) and with an API key among three."""
    s3 = LocalS3(free_port())
    try:
        s3.client.put_object(Bucket=LOCAL_BUCKET, Key="bench.txt", Body=b"x" * 1024)
        key, lines = three_keys()
        port = free_port()
        env = server_env(port, s3.url, PUBLIC_READ="true", API_KEY_SHA256=lines, **DEFAULT_TASK)
        with running_server(env, port, **server_options(args)):
            url = f"http://127.0.0.1:{port}/files/bench.txt"
            return [load("download, no auth", url, args), load("download, API key", url, args, (f"Authorization: Bearer {key}",))]
    finally:
        s3.stop()


def auth_check_microseconds() -> float:
    """What auth.authorize costs per request, in process: hash the key, compare it with three entries."""
    key, lines = three_keys()
    keys = parse_keys(lines)
    headers = {"Authorization": f"Bearer {key}"}
    from auth import authorize

    runs = 20000
    return timeit.timeit(lambda: authorize(keys, False, headers, READ), number=runs) / runs * 1e6


@contextmanager
def default_task(args: argparse.Namespace) -> Iterator[tuple[int, str, PeakMemory]]:
    """The container command as the default task runs it, with S3 from moto: its port, an API key, and its peak memory so far."""
    s3 = LocalS3(free_port())
    try:
        port = free_port()
        key, line = local_key()
        env = server_env(port, s3.url, API_KEY_SHA256=line, LOG_LEVEL="WARNING", **DEFAULT_TASK)
        with running_server(env, port, **server_options(args)) as server, PeakMemory(server.pid) as memory:
            yield port, key, memory
    finally:
        s3.stop()


def under_slow_uploads(args: argparse.Namespace) -> tuple[dict[str, int], list[float], float]:
    """The default task under `args.slow` slow uploads: answers by status (and error), /healthz latencies, peak resident MiB."""
    with default_task(args) as (port, key, memory):
        run = slow_uploads(port, key, range(args.slow), 320 * 1024, 5)
    answers = Counter(f"{u.answer[0]} {json.loads(u.answer[2]).get('error', '')}".strip() for u in run.uploads)
    return dict(sorted(answers.items())), run.health_seconds, memory.peak


def past_the_budget(args: argparse.Namespace, uploading: bool) -> tuple[list[tuple[float, float]], float]:
    """/healthz of the default task while `args.crowd` connections hold it (idle, or uploading slowly), and its peak resident MiB."""
    with default_task(args) as (port, key, memory):
        probes = crowd(port, key, args.crowd, uploading)
    return probes, memory.peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per server (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--route", default="/", help="route to load (default /)")
    parser.add_argument("--slow", type=int, default=1000, help="slow uploads at once (default 1000)")
    parser.add_argument("--crowd", type=int, default=2100, help="connections past the budget (default 2100)")
    parser.add_argument("--shared", action="store_true", help="servers and load generator on all CPUs (default: apart)")
    args = parser.parse_args()
    cpus = sorted(os.sched_getaffinity(0))
    args.server_cpus = set()
    if len(cpus) >= 2 and not args.shared:
        args.server_cpus = {cpus[0]}
        os.sched_setaffinity(0, cpus[1:])  # wrk and moto, started from here, run on the others
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    results = []
    port = free_port()
    # The container's command as the default task runs it (JSON access log included).
    env = server_env(port, "http://127.0.0.1:9", **DEFAULT_TASK)
    results.append(measure("gunicorn (container CMD)", dockerfile_cmd(), env, port, args))
    port = free_port()
    results.append(measure("python app.py (walkthrough)", [sys.executable, "app.py"], server_env(port, "http://127.0.0.1:9"), port, args))

    auth_results = measure_auth(args)
    answers, slow, peak_mib = under_slow_uploads(args)
    crowds = {what: past_the_budget(args, uploading) for what, uploading in (("idle", False), ("uploading", True))}

    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"machine: {platform.machine()}, {len(cpus)} CPUs, {python}; route {args.route}")
    print(f"load: wrk, {args.threads} threads, {args.connections} connections, {args.duration} s per server after a 2 s warm-up")
    placement = f"servers on CPU {cpus[0]}, wrk and moto on the others" if args.server_cpus else "servers, wrk and moto on all CPUs"
    print(f"placement: {placement}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'server':<30} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7}")
    for r in results:
        print(f"{r.name:<30} {r.rps:>10.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.requests:>9} {r.errors:>7}")
    print(f"throughput ratio (gunicorn / python app.py): {results[0].rps / results[1].rps:.2f}x")
    print(f"p99 ratio (gunicorn / python app.py): {results[0].p99_ms / results[1].p99_ms:.2f}x")
    print("gunicorn (container CMD), GET /files/bench.txt (1 KiB, S3 from moto's server):")
    for r in auth_results:
        print(f"{r.name:<30} {r.rps:>10.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.requests:>9} {r.errors:>7}")
    print(f"throughput ratio (API key / no auth): {auth_results[1].rps / auth_results[0].rps:.2f}x")
    print(f"auth check in process (SHA-256 of the key, compared with 3 entries): {auth_check_microseconds():.1f} us per request")
    finite = sorted(t for t in slow if t != float("inf")) or [float("inf")]
    print(
        f"default task (256 CPU, 512 MiB: 1 worker), {args.slow} slow uploads of 320 KiB (5 pieces a round apart): "
        f"answers {answers}, peak resident memory {peak_mib:.0f} MiB; /healthz {len(finite)}/{len(slow)} probes answered, "
        f"p50 {statistics.median(finite) * 1000:.1f} ms, max {max(slow) * 1000:.1f} ms"
    )
    for what, (probes, peak) in crowds.items():
        seconds = " ".join(f"{latency:.2f}" for _, latency in probes)
        print(f"default task, {args.crowd} connections {what}: /healthz every 2 s for 24 s took {seconds} s; peak {peak:.0f} MiB")
    failed = any(r.errors for r in results + auth_results) or max(slow) >= 1.0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
