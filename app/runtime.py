"""How the server runs: the task's size, and JSON logging to stdout."""

from __future__ import annotations

import os
from collections.abc import Mapping

from budget import Budget, budget_for

# The task definition's defaults (Pulumi.yaml: cpu 256, memory 512): a run without the variables,
# such as a local one, is sized as the default task.
DEFAULT_TASK_CPU = 256
DEFAULT_TASK_MEMORY_MIB = 512


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and 0 < int(raw) <= 1_000_000):
        raise ValueError(f"{name} is {raw!r}; it must be a positive whole number")
    return int(raw)


def task_cpu_units(env: Mapping[str, str] = os.environ) -> int:
    """The task's CPU units (1024 = 1 vCPU) from TASK_CPU, which the task definition sets."""
    return _whole(env, "TASK_CPU", DEFAULT_TASK_CPU)


def task_memory_mib(env: Mapping[str, str] = os.environ) -> int:
    """The task's memory in MiB from TASK_MEMORY_MIB, which the task definition sets."""
    return _whole(env, "TASK_MEMORY_MIB", DEFAULT_TASK_MEMORY_MIB)


def task_budget(env: Mapping[str, str] = os.environ) -> Budget:
    """This task's per-process budget (budget.py); WORKER_CONNECTIONS, when set, replaces the derived connections."""
    budget = budget_for(task_cpu_units(env), task_memory_mib(env))
    if env.get("WORKER_CONNECTIONS"):
        return Budget(budget.workers, _whole(env, "WORKER_CONNECTIONS", 0), budget.reserve, budget.spool_bytes)
    return budget


def logging_config(level: str = "INFO") -> dict:
    """logging.config.dictConfig settings: one JSON object per line on stdout, for CloudWatch Logs."""
    handler = {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {"stdout": handler},
        "root": {"level": level.upper(), "handlers": ["stdout"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
            # The app writes its own structured access log; gunicorn's is off.
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
    }
