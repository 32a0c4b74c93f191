"""gunicorn settings for the container (the Dockerfile's CMD) and for running it locally."""

import os

from runtime import THREADS_PER_WORKER, logging_config, task_cpu_units, workers_for

bind = f"{os.environ.get('BIND_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = workers_for(task_cpu_units())
threads = THREADS_PER_WORKER
# Heartbeat files live on the writable /tmp volume: the root filesystem is read-only.
worker_tmp_dir = "/tmp"
# No control socket: it would be written under $HOME, which the container does not have.
control_socket_disable = True
# Longer than the load balancer's idle timeout, so the ALB closes idle connections first (no 502s).
keepalive = int(os.environ.get("KEEPALIVE_SECONDS", "75"))
# A worker silent this long is restarted.
timeout = 30
# Shorter than the task's stopTimeout (30 s): on SIGTERM, in-flight requests finish before SIGKILL.
graceful_timeout = 25
# Only the load balancer reaches the tasks (security groups), so its X-Forwarded-* headers are trusted.
forwarded_allow_ips = "*"
accesslog = None
errorlog = "-"
logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))
