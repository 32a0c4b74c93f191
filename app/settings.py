"""The app's configuration, read only from environment variables."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from auth import KEYS_VARIABLE, ApiKey, parse_keys
from budget import budget_for
from runtime import DEFAULT_TASK_CPU, DEFAULT_TASK_MEMORY_MIB, task_budget

SECONDS = "a positive number of seconds"
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# S3 takes parts of 5 MiB or more (all but the last); smaller uploads go in one PutObject.
MIN_PART_BYTES = 5 * 1024 * 1024
DEFAULT_PART_BYTES = 8 * 1024 * 1024
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}
_WHOLE = re.compile(r"[0-9]{1,15}")
_DECIMAL = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,6})?")


@dataclass(frozen=True)
class Settings:
    """What the app needs to know; the ECS task definition sets these variables."""

    bucket: str | None
    region: str | None
    stack: str
    version: str
    health_path: str
    max_upload_bytes: int
    api_keys: tuple[ApiKey, ...] = ()
    public_read: bool = False
    # A read of up to 16 KiB of a request body must finish within body_idle_seconds, and the
    # whole body within body_timeout_seconds; else 408 and the connection is closed.
    body_idle_seconds: float = 15.0
    body_timeout_seconds: float = 300.0
    s3_connect_timeout: float = 3.0
    s3_read_timeout: float = 5.0
    s3_max_attempts: int = 2
    upload_part_bytes: int = DEFAULT_PART_BYTES
    # What this process's uploads may hold on /tmp at once (budget.py), from the task's size.
    spool_bytes: int = budget_for(DEFAULT_TASK_CPU, DEFAULT_TASK_MEMORY_MIB).spool_bytes

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        health_path = env.get("HEALTH_PATH", "/healthz")
        if not health_path.startswith("/"):
            raise ValueError(f"HEALTH_PATH is {health_path!r}; it must start with /")
        public_read = env.get("PUBLIC_READ", "").strip().lower()
        if public_read not in _TRUE | _FALSE:
            raise ValueError(f"PUBLIC_READ is {public_read!r}; it must be true or false")
        return cls(
            bucket=env.get("BUCKET_NAME") or None,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None,
            stack=env.get("APP_STACK", "local"),
            version=env.get("APP_VERSION", "dev"),
            health_path=health_path,
            max_upload_bytes=_number(env, "MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES, int, "a positive whole number of bytes"),
            api_keys=parse_keys(env.get(KEYS_VARIABLE, "")),
            public_read=public_read in _TRUE,
            body_idle_seconds=_number(env, "REQUEST_BODY_IDLE_SECONDS", cls.body_idle_seconds, float, SECONDS),
            body_timeout_seconds=_number(env, "REQUEST_BODY_TIMEOUT_SECONDS", cls.body_timeout_seconds, float, SECONDS),
            s3_connect_timeout=_number(env, "S3_CONNECT_TIMEOUT_SECONDS", cls.s3_connect_timeout, float, SECONDS),
            s3_read_timeout=_number(env, "S3_READ_TIMEOUT_SECONDS", cls.s3_read_timeout, float, SECONDS),
            s3_max_attempts=_number(env, "S3_MAX_ATTEMPTS", cls.s3_max_attempts, int, "a positive whole number"),
            upload_part_bytes=_number(
                env,
                "UPLOAD_PART_BYTES",
                DEFAULT_PART_BYTES,
                int,
                f"a whole number of bytes, at least {MIN_PART_BYTES}",
                floor=MIN_PART_BYTES,
            ),
            spool_bytes=task_budget(env).spool_bytes,
        )


def _number(env: Mapping[str, str], name: str, default: float, kind: type, what: str, floor: float = 0) -> float:
    """A positive number (plain ASCII digits, a point for seconds) from the environment, or ValueError naming the variable."""
    raw = env.get(name, str(default))
    pattern = _WHOLE if kind is int else _DECIMAL
    value = kind(raw) if pattern.fullmatch(raw) else 0
    if value <= 0 or value < floor:
        raise ValueError(f"{name} is {raw!r}; it must be {what}")
    return value
