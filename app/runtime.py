"""How the server runs: JSON logging to stdout and worker sizing from the task's CPU."""

from __future__ import annotations

import math
import os


def workers_for(cpu_units: int) -> int:
    """gunicorn workers for a task of `cpu_units` (1024 = 1 vCPU): 2 per vCPU plus 1, at least 2."""
    return max(2, math.ceil(2 * cpu_units / 1024) + 1)


def task_cpu_units(env: dict[str, str] | os._Environ[str] = os.environ) -> int:
    """The task's CPU units from TASK_CPU (set by the task definition), else the CPUs this process may use."""
    raw = env.get("TASK_CPU", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return len(os.sched_getaffinity(0)) * 1024


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
