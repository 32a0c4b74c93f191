"""gunicorn settings for the container (see the Dockerfile's CMD)."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Heartbeat files live on the writable /tmp volume: the root filesystem is read-only.
worker_tmp_dir = "/tmp"
# Shorter than the task's stopTimeout (30 s), so in-flight requests finish before SIGKILL.
graceful_timeout = 25
accesslog = "-"
