"""gunicorn's gevent worker, with one change: it honours an application's `Connection: close`.

gevent serves each connection in a greenlet, so a worker holds hundreds of slow connections
(up to `worker_connections`) and still answers /healthz: a client that sends its body a byte at a
time costs a greenlet, not one of a few threads. gunicorn drops hop-by-hop headers the
application sets, `Connection` included, and would keep such a connection open and read the rest
of a body the app refused (a 401, a 413, a 408: see body.py). This worker closes it instead, after
a short lingering close, so the client reads the answer rather than a reset.
"""

from __future__ import annotations

import socket
from typing import Any

import gevent
from gunicorn.workers.ggevent import GeventWorker

# After answering, how long and how much of a refused body is read and dropped before closing:
# closing with unread bytes would send a reset, which can destroy the answer before the client reads it.
LINGER_SECONDS = 2.0
LINGER_BYTES = 1024 * 1024


def wants_close(headers: list[tuple[str, str]]) -> bool:
    return any(name.lower() == "connection" and value.strip().lower() == "close" for name, value in headers)


def linger(sock: socket.socket) -> None:
    drained = 0
    try:
        sock.shutdown(socket.SHUT_WR)
        with gevent.Timeout(LINGER_SECONDS, False):
            while drained < LINGER_BYTES and (data := sock.recv(64 * 1024)):
                drained += len(data)
    except OSError:
        pass


class Worker(GeventWorker):
    def load_wsgi(self) -> None:
        super().load_wsgi()
        app = self.wsgi

        def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
            def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                # gunicorn passes its Response's bound start_response; force_close ends the connection after this response.
                response = getattr(start_response, "__self__", None)
                if wants_close(headers) and hasattr(response, "force_close"):
                    response.force_close()
                    response.req.closed_by_app = True
                return start_response(status, headers, exc_info)

            return app(environ, start)

        self.wsgi = wsgi

    def handle_request(self, listener_name: Any, req: Any, sock: Any, addr: Any) -> Any:
        try:
            return super().handle_request(listener_name, req, sock, addr)
        except StopIteration:
            if getattr(req, "closed_by_app", False):
                linger(sock)
            raise
