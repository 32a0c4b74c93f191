"""Requests per second and latency of the container's server command against the walkthrough's
`python app.py` (Flask's development server), on this machine, on the same route, with wrk.

    python bench/benchmark.py [--duration 10] [--connections 32] [--route /]

Needs wrk (Debian: apt-get install wrk). Both servers run on 127.0.0.1 only; each is measured
after a short warm-up, one at a time. Exits 1 if either server answered with any error.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from local import APP_DIR, dockerfile_cmd, free_port, server_env, wait_until_healthy


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


def measure(name: str, cmd: list[str], env: dict[str, str], port: int, args: argparse.Namespace) -> Result:
    server = subprocess.Popen(cmd, cwd=APP_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_healthy(port)
        url = f"http://127.0.0.1:{port}{args.route}"
        wrk = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--latency"]
        subprocess.run([*wrk, "-d2s", url], check=True, capture_output=True)  # warm-up
        run = subprocess.run([*wrk, f"-d{args.duration}s", url], check=True, capture_output=True, text=True)
        return parse_wrk(name, run.stdout)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per server (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--route", default="/", help="route to load (default /)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    results = []
    port = free_port()
    # The container's command as the task runs it (JSON access log included), sized for this machine's CPUs.
    env = server_env(port, "http://127.0.0.1:9")
    env.pop("TASK_CPU", None)
    results.append(measure("gunicorn (container CMD)", dockerfile_cmd(), env, port, args))
    port = free_port()
    results.append(measure("python app.py (walkthrough)", [sys.executable, "app.py"], server_env(port, "http://127.0.0.1:9"), port, args))

    cpus = len(os.sched_getaffinity(0))
    print(f"machine: {platform.machine()}, {cpus} CPUs, {platform.python_implementation()} {platform.python_version()}; route {args.route}")
    print(f"load: wrk, {args.threads} threads, {args.connections} connections, {args.duration} s per server after a 2 s warm-up")
    print(f"{'server':<30} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7}")
    for r in results:
        print(f"{r.name:<30} {r.rps:>10.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.requests:>9} {r.errors:>7}")
    ratio = results[0].rps / results[1].rps
    print(f"throughput ratio (gunicorn / python app.py): {ratio:.2f}x")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
