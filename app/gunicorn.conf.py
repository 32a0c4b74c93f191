"""gunicorn settings for the container (the Dockerfile's CMD) and for running it locally."""

import os

from budget import HEADER_FIELD_BYTES, HEADER_FIELDS, REQUEST_LINE_BYTES
from runtime import logging_config, task_budget

bind = f"{os.environ.get('BIND_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# gevent: one greenlet per connection, so slow clients cost a greenlet each, not one of a few
# threads; worker.py's subclass also closes connections whose body the app refused (body.py).
worker_class = "worker.Worker"
# The task's size (TASK_CPU, TASK_MEMORY_MIB) sets the workers and what each may hold (budget.py).
budget = task_budget()
workers = budget.workers
# Connections each worker holds at once: its budget, and a reserve that answers only the health
# path and 503s (worker.py); past both, new ones wait in the listen backlog.
worker_connections = budget.connections + budget.reserve
# Request headers are bounded, so a connection's memory is (budget.py counts them at these limits).
limit_request_fields = HEADER_FIELDS
limit_request_field_size = HEADER_FIELD_BYTES
limit_request_line = REQUEST_LINE_BYTES
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
