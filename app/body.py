"""Request bodies read under limits: the bytes that actually arrive are counted, and slow bodies time out.

Every route reads `environ["wsgi.input"]`, which this middleware replaces with a BodyReader:

- more than `limit` bytes (FORM_OVERHEAD_BYTES more for a multipart form), whatever the transfer
  encoding (Content-Length or chunked), is a 413;
  a declared Content-Length over the limit is a 413 before anything is read;
- a read (of up to 16 KiB, CHUNK_BYTES) that takes longer than `idle_seconds`, or a body still arriving after
  `total_seconds`, is a 408 (under gevent, which the server runs; see worker.py);
- a body the server cannot decode (a bad chunk size) or that ends early is a 400.

After any of these, and whenever a response goes out before the body was read to its end (a 401
does), the response carries `Connection: close`, so an unread or broken body is never parsed as
the next request and a slow client does not keep its connection.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import gevent
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge, RequestTimeout

from budget import CHUNK_BYTES

# The WSGI environ key of a callable that sends "100 Continue" to a client that waits for it before
# sending its body (Expect: 100-continue); worker.py sets it, and the body's first read calls it.
SEND_CONTINUE = "app.send_continue"


class BodyTooLarge(RequestEntityTooLarge):
    description = "the upload is larger than the limit"


class BodyTimeout(RequestTimeout):
    description = "the request body did not arrive in time"


class BodyUnreadable(BadRequest):
    description = "the request body could not be read: malformed chunked encoding, or it ended early"


BODY_ERRORS = (BodyTooLarge, BodyTimeout, BodyUnreadable)
# A multipart form (POST) wraps the file in boundaries and part headers and may carry the key
# field: its body may be this much longer than the limit, which the file itself is held to (files.py).
FORM_OVERHEAD_BYTES = 64 * 1024


class BodyReader:
    """A WSGI input stream that enforces the limits above. Only `read` is offered: werkzeug needs no more."""

    def __init__(
        self,
        stream: Any,
        content_length: int | None,
        declared: bool,
        limit: int,
        idle_seconds: float,
        total_seconds: float,
        send_continue: Callable[[], None] | None = None,
    ) -> None:
        self._stream = stream
        self._content_length = content_length
        self.declared = declared
        self._limit = limit
        self._idle = idle_seconds
        self._total = total_seconds
        self._deadline: float | None = None
        self._send_continue = send_continue
        self.received = 0
        self.finished = not declared
        self.failed = False

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK_BYTES), b""))
        if self.finished or size == 0:
            return b""
        # At most a chunk at a time, whatever the caller asks: the memory a body costs is budgeted (budget.py).
        size = min(size, CHUNK_BYTES)
        if self._content_length is not None:
            if self._content_length > self._limit:
                self._fail(BodyTooLarge())
            size = min(size, self._content_length - self.received)
        else:
            # Chunked: one byte past the limit is enough to know it is over.
            size = min(size, self._limit + 1 - self.received)
        data = self._timed_read(size)
        self.received += len(data)
        if self.received > self._limit:
            self._fail(BodyTooLarge())
        if not data and self._content_length is not None and self.received < self._content_length:
            self._fail(BodyUnreadable())
        if not data or self.received == self._content_length:
            self.finished = True
        return data

    def _timed_read(self, size: int) -> bytes:
        if self._send_continue is not None:
            self._send_continue()
            self._send_continue = None
        now = time.monotonic()
        if self._deadline is None:
            self._deadline = now + self._total
        timeout = min(self._idle, self._deadline - now)
        if timeout <= 0:
            self._fail(BodyTimeout())
        # gevent.Timeout interrupts a read blocked on a gevent socket; where sockets block the
        # whole thread (Flask's development server) it cannot fire, and the read takes what it takes.
        timer = gevent.Timeout(timeout)
        timer.start()
        try:
            return self._stream.read(size)
        except gevent.Timeout as err:
            if err is not timer:
                raise
            self._fail(BodyTimeout())
        except HTTPException:
            raise
        except Exception as err:  # the server's decoding errors (gunicorn's InvalidChunkSize), resets
            self._fail(BodyUnreadable(), cause=err)
        finally:
            timer.close()
        raise AssertionError("unreachable")

    def _fail(self, error: HTTPException, cause: BaseException | None = None) -> None:
        self.failed = True
        self.finished = True
        raise error from cause


class BodyLimits:
    """WSGI middleware: wraps the request body in a BodyReader, and closes connections whose body was not read through."""

    def __init__(self, app: Callable[..., Iterable[bytes]], limit: int, idle_seconds: float, total_seconds: float) -> None:
        self.app = app
        self.limit = limit
        self.idle_seconds = idle_seconds
        self.total_seconds = total_seconds

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raw_length = environ.get("CONTENT_LENGTH", "")
        content_length = int(raw_length) if raw_length.isascii() and raw_length.isdigit() else None
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        declared = chunked or bool(content_length)
        form = environ.get("REQUEST_METHOD") == "POST" and environ.get("CONTENT_TYPE", "").lower().startswith("multipart/form-data")
        limit = self.limit + FORM_OVERHEAD_BYTES if form else self.limit
        reader = BodyReader(
            environ["wsgi.input"],
            None if chunked else content_length,
            declared,
            limit,
            self.idle_seconds,
            self.total_seconds,
            environ.get(SEND_CONTINUE),
        )
        environ["wsgi.input"] = reader
        if chunked:
            # The server ends the stream at the last chunk; werkzeug may read it to its end.
            environ["wsgi.input_terminated"] = True

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if reader.declared and (reader.failed or not reader.finished):
                headers = [(k, v) for k, v in headers if k.lower() != "connection"] + [("Connection", "close")]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)
