"""The app's configuration, read only from environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """What the app needs to know; the ECS task definition sets these variables."""

    bucket: str | None
    region: str | None
    stack: str
    version: str
    health_path: str
    max_upload_bytes: int

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        raw_limit = env.get("MAX_UPLOAD_BYTES", str(DEFAULT_MAX_UPLOAD_BYTES))
        try:
            max_upload_bytes = int(raw_limit)
        except ValueError:
            max_upload_bytes = 0
        if max_upload_bytes <= 0:
            raise ValueError(f"MAX_UPLOAD_BYTES is {raw_limit!r}; it must be a positive whole number of bytes")
        health_path = env.get("HEALTH_PATH", "/healthz")
        if not health_path.startswith("/"):
            raise ValueError(f"HEALTH_PATH is {health_path!r}; it must start with /")
        return cls(
            bucket=env.get("BUCKET_NAME") or None,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None,
            stack=env.get("APP_STACK", "local"),
            version=env.get("APP_VERSION", "dev"),
            health_path=health_path,
            max_upload_bytes=max_upload_bytes,
        )
