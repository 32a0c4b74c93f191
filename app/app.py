"""The Flask app served on ECS: which stack and version serve it, a health route, and a files API."""

from __future__ import annotations

import logging
import os
import time

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from errors import ApiError
from files import bp as files_blueprint
from settings import Settings

access_log = logging.getLogger("app.access")
error_log = logging.getLogger("app.error")


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    # Configuration comes only from the environment, and debug mode is never on, whatever
    # FLASK_DEBUG says: the debugger would run arbitrary code for anyone who can reach it.
    app.config.update(SETTINGS=settings, MAX_CONTENT_LENGTH=settings.max_upload_bytes, DEBUG=False, PROPAGATE_EXCEPTIONS=False)
    app.debug = False
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

    app.register_blueprint(files_blueprint)

    @app.errorhandler(ApiError)
    def api_error(err: ApiError) -> tuple[Response, int, dict[str, str]]:
        return jsonify(error=err.message), err.status, err.headers

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> tuple[Response, int]:
        message = "the upload is larger than the limit" if err.code == 413 else (err.name or "error").lower()
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
