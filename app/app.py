"""The Flask app served on ECS: which stack and version serve it, a health route, and a files API."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from typing import IO

from flask import Flask, Request, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from body import BODY_ERRORS, BodyLimits
from budget import CHUNK_BYTES, OVER_CAPACITY, SendGate, SpoolBudget, over_capacity
from errors import ApiError
from files import bp as files_blueprint
from files import s3_client
from settings import Settings

access_log = logging.getLogger("app.access")
error_log = logging.getLogger("app.error")


class UploadRequest(Request):
    """A request whose form files go to a temporary file on /tmp whatever their size: werkzeug keeps
    those under 500 KiB in memory, which would multiply by the uploads in flight."""

    def _get_file_stream(
        self, total_content_length: int | None, content_type: str | None, filename: str | None = None, content_length: int | None = None
    ) -> IO[bytes]:
        return tempfile.TemporaryFile("rb+")


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.request_class = UploadRequest
    # Configuration comes only from the environment, and debug mode is never on, whatever
    # FLASK_DEBUG says: the debugger would run arbitrary code for anyone who can reach it.
    # The upload limit is body.py's, which counts the bytes that arrive: werkzeug's MAX_CONTENT_LENGTH
    # cut chunked bodies at the limit and let the request succeed.
    # A form's fields other than the file (the key) are held in memory, each up to MAX_FORM_MEMORY_SIZE.
    # werkzeug holds its parser's buffer to it too, which takes one read (CHUNK_BYTES) and the
    # start of a boundary (up to 74 bytes, RFC 2046 section 5.1.1).
    app.config.update(SETTINGS=settings, MAX_CONTENT_LENGTH=None, DEBUG=False, PROPAGATE_EXCEPTIONS=False)
    app.config.update(MAX_FORM_MEMORY_SIZE=CHUNK_BYTES + 1024, MAX_FORM_PARTS=16)
    app.debug = False
    app.wsgi_app = BodyLimits(app.wsgi_app, settings.max_upload_bytes, settings.body_idle_seconds, settings.body_timeout_seconds)
    # No redirects built from the request: werkzeug would answer /files//x or /files/%2Fetc with a 308
    # whose Location comes from the client's Host header. Such paths reach the key check instead.
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False

    @app.get("/")
    def index() -> Response:
        return jsonify(app="flask-fargate", stack=settings.stack, version=settings.version)

    @app.get(settings.health_path)
    def health() -> Response:
        # Touches nothing outside the process: a slow S3 must not take the tasks out of service.
        return jsonify(status="ok")

    @app.before_request
    def refuse_over_capacity() -> None:
        # A request on one of the connections a worker keeps in reserve (worker.py): only the health path is served.
        if request.environ.get(OVER_CAPACITY) and request.path != settings.health_path:
            raise over_capacity("connections")

    app.register_blueprint(files_blueprint)
    app.extensions["spool"] = SpoolBudget(settings.spool_bytes)
    app.extensions["s3_sends"] = SendGate()
    if settings.bucket is not None:
        # Made now, not on the first request: building a client takes CPU for a moment, and under
        # gevent that moment would stall every connection of the worker, accepting new ones included.
        with app.app_context():
            s3_client()

    @app.errorhandler(ApiError)
    def api_error(err: ApiError) -> tuple[Response, int, dict[str, str]]:
        return jsonify(error=err.message), err.status, err.headers

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> tuple[Response, int]:
        message = err.description if isinstance(err, BODY_ERRORS) else (err.name or "error").lower()
        if err.code == 413:
            message = "the upload is larger than the limit"
        return jsonify(error=message), err.code or 500

    @app.errorhandler(Exception)
    def unexpected(err: Exception) -> tuple[Response, int]:
        error_log.exception("unhandled error", extra={"path": request.path})
        return jsonify(error="internal server error"), 500

    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def log_access(response: Response) -> Response:
        access_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2),
                "bytes": response.content_length,
                "client": client_address(),
                "user_agent": request.user_agent.string,
                "trace_id": request.headers.get("X-Amzn-Trace-Id"),
                # The label of the API key used (never the key), when one was.
                "api_key": g.get("api_key"),
            },
        )
        return response

    return app


def client_address() -> str:
    """The client as the load balancer saw it: the last X-Forwarded-For entry, the one the ALB appended.

    Earlier entries are whatever the client sent in its own X-Forwarded-For, so they are not trusted.
    """
    forwarded = request.headers.get("X-Forwarded-For", "")
    return forwarded.rsplit(",", 1)[-1].strip() or request.remote_addr or ""


app = create_app()

if __name__ == "__main__":
    # The walkthrough's `python app.py`: Flask's development server. The container never runs
    # this (its CMD is gunicorn); it is here as the benchmark's baseline.
    app.run(host=os.environ.get("BIND_HOST", "0.0.0.0"), port=int(os.environ.get("PORT", "8000")))
