"""gunicorn's gevent worker, with these changes:

- it honours an application's `Connection: close`;
- it sends `100 Continue` only when the app first reads the body, so a request the app refuses
  (401, 403, 412, 503) is refused before the client sends its body: gunicorn sends it as soon as
  it has parsed the headers;
- the errors gunicorn answers itself (a malformed request, 414, 431, 501) are JSON like the app's,
  not HTML;
- of its `worker_connections`, the last RESERVE_CONNECTIONS are a reserve (budget.py): a
  connection taken while the others are all in use must send its request within
  RESERVE_HEAD_SECONDS, gets one answer and is closed, and the app serves it only the health path
  (anything else is a 503 with Retry-After). So past its budget a worker still answers health
  checks, and refuses at once rather than leaving clients in the listen backlog;
- it yields after each request, so a keep-alive connection whose next request is already there
  waits its turn behind the others.

gevent serves each connection in a greenlet, so a worker holds hundreds of slow connections
(up to `worker_connections`) and still answers /healthz: a client that sends its body a byte at a
time costs a greenlet, not one of a few threads. gunicorn drops hop-by-hop headers the
application sets, `Connection` included, and would keep such a connection open and read the rest
of a body the app refused (a 401, a 413, a 408: see body.py). This worker closes it instead, after
a short lingering close, so the client reads the answer rather than a reset.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import gevent
from gunicorn import util
from gunicorn.workers.ggevent import GeventWorker

from body import SEND_CONTINUE
from budget import OVER_CAPACITY, RESERVE_CONNECTIONS, RESERVE_HEAD_SECONDS

# After answering, how long and how much of a refused body is read and dropped before closing:
# closing with unread bytes would send a reset, which can destroy the answer before the client reads it.
LINGER_SECONDS = 2.0
LINGER_BYTES = 1024 * 1024


def send_continue(response: Any) -> None:
    """Sends the interim 100 Continue the client waits for before its body, once."""
    if response.req.continue_pending and not response.headers_sent:
        response.req.continue_pending = False
        util.write(response.sock, b"HTTP/1.1 100 Continue\r\n\r\n")


def wants_close(headers: list[tuple[str, str]]) -> bool:
    return any(name.lower() == "connection" and value.strip().lower() == "close" for name, value in headers)


def linger(sock: socket.socket, seconds: float = LINGER_SECONDS) -> None:
    drained = 0
    try:
        sock.shutdown(socket.SHUT_WR)
        with gevent.Timeout(seconds, False):
            while drained < LINGER_BYTES and (data := sock.recv(64 * 1024)):
                drained += len(data)
    except OSError:
        pass


# What gunicorn's own error answers say (its HTML page says the same in its title).
SERVER_ERRORS = {
    400: "the request is malformed",
    403: "forbidden",
    414: "the request line (method and URL) is too long",
    417: "the Expect header asks for what this server does not do",
    431: "the request headers are too many or too large",
    500: "internal server error",
    501: "the transfer coding is not supported",
}


def json_error(status: int, reason: str, detail: str) -> bytes:
    """The whole HTTP answer for an error gunicorn raises itself, in the API's format: {"error": ...}."""
    message = SERVER_ERRORS.get(status, reason.lower())
    if detail:
        message = f"{message}: {detail[:200]}"
    body = json.dumps({"error": message}).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"X-Content-Type-Options: nosniff\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def write_json_error(sock: socket.socket, status: int, reason: str, detail: str) -> None:
    util.write_nonblock(sock, json_error(status, reason, detail))


class Worker(GeventWorker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # gunicorn.conf.py sets worker_connections to the budget's connections plus the reserve.
        self.budgeted = self.worker_connections - RESERVE_CONNECTIONS
        self.in_budget = 0
        self.in_reserve: set[Any] = set()  # the greenlets serving reserve connections

    def handle(self, listener: Any, client: Any, addr: Any) -> None:
        current = gevent.getcurrent()
        reserve = self.in_budget >= self.budgeted
        if reserve:
            self.in_reserve.add(current)
        else:
            self.in_budget += 1
        try:
            super().handle(listener, client, addr)
        finally:
            if reserve:
                self.in_reserve.discard(current)
            else:
                self.in_budget -= 1

    def timeout_ctx(self) -> gevent.Timeout:
        # How long the next request's head may take: the keep-alive, or at once on a reserve connection.
        reserve = gevent.getcurrent() in self.in_reserve
        return gevent.Timeout(RESERVE_HEAD_SECONDS if reserve else self.cfg.keepalive, False)

    def init_process(self) -> None:
        # gunicorn's Worker.handle_error writes its answer with util.write_error (an HTML page); the
        # one hook there is, in this worker process only.
        util.write_error = write_json_error
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        app = self.wsgi

        def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
            # gunicorn passes its Response's bound start_response.
            response = getattr(start_response, "__self__", None)
            if getattr(getattr(response, "req", None), "continue_pending", False):
                environ[SEND_CONTINUE] = lambda: send_continue(response)
            if gevent.getcurrent() in self.in_reserve and response is not None:
                environ[OVER_CAPACITY] = True
                response.force_close()

            def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                # force_close ends the connection after this response.
                if wants_close(headers) and hasattr(response, "force_close"):
                    response.force_close()
                    response.req.closed_by_app = True
                return start_response(status, headers, exc_info)

            return app(environ, start)

        self.wsgi = wsgi

    def handle_request(self, listener_name: Any, req: Any, sock: Any, addr: Any) -> Any:
        # gunicorn would send "100 Continue" before the app runs (gunicorn.http.wsgi.create): the
        # app sends it instead, on the body's first read (body.py), once it has let the request in.
        req.continue_pending = req._expected_100_continue
        req._expected_100_continue = False
        try:
            kept = super().handle_request(listener_name, req, sock, addr)
        except StopIteration:
            if getattr(req, "closed_by_app", False):
                # A reserve connection lingers only as long as it had to send its request: it has
                # its answer by then, and the reserve must turn over quickly.
                linger(sock, RESERVE_HEAD_SECONDS if gevent.getcurrent() in self.in_reserve else LINGER_SECONDS)
            raise
        # The next request on this connection waits its turn behind the worker's other connections.
        # A client that answers at once (the load balancer, on another machine) would otherwise be
        # served again and again without this greenlet ever yielding: its next request is already
        # there when the socket is read, and the others wait (a p99 of 340 ms instead of 44 ms:
        # docs/measurements.md, "Tail latency").
        gevent.sleep(0)
        return kept
