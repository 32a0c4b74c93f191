"""gunicorn settings for the container (the Dockerfile's CMD) and for running it locally."""

import os

from runtime import logging_config, task_cpu_units, workers_for

bind = f"{os.environ.get('BIND_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# gevent: one greenlet per connection, so slow clients cost a greenlet each, not one of a few
# threads; worker.py's subclass also closes connections whose body the app refused (body.py).
worker_class = "worker.Worker"
workers = workers_for(task_cpu_units())
# Connections each worker holds at once; past this, new ones wait in the listen backlog.
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "1000"))
# Heartbeat files live on the writable /tmp volume: the root filesystem is read-only.
worker_tmp_dir = "/tmp"
# No control socket: it would be written under $HOME, which the container does not have.
control_socket_disable = True
# Longer than the load balancer's idle timeout, so the ALB closes idle connections first (no 502s).
# It also bounds how long a request's headers may take: gevent reads them under this timeout.
keepalive = int(os.environ.get("KEEPALIVE_SECONDS", "75"))
# A worker whose event loop is blocked this long is restarted.
timeout = 30
# Shorter than the task's stopTimeout (30 s): on SIGTERM, in-flight requests finish before SIGKILL.
graceful_timeout = 25
# Only the load balancer reaches the tasks (security groups), so its X-Forwarded-* headers are trusted.
forwarded_allow_ips = "*"
accesslog = None
errorlog = "-"
logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))
