"""The page, the health route, errors and logs."""

from __future__ import annotations

import json
import logging

import pytest
from conftest import settings

from app import create_app
from settings import Settings


def test_index_says_which_stack_and_version_serve(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.get_json() == {"app": "flask-fargate", "stack": "test", "version": "build-1"}


def test_health_answers_without_touching_s3(monkeypatch):
    app = create_app(settings())

    class Exploding:
        def __getattr__(self, name):
            raise AssertionError(f"health called S3 ({name})")

    app.extensions["s3"] = Exploding()
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_health_path_comes_from_the_environment():
    client = create_app(settings(health_path="/ready")).test_client()
    assert client.get("/ready").status_code == 200
    assert client.get("/healthz").status_code == 404


def test_unknown_routes_and_methods_answer_json(client):
    assert client.get("/nope").get_json() == {"error": "not found"}
    response = client.post("/")
    assert response.status_code == 405
    assert response.get_json() == {"error": "method not allowed"}


def test_debug_is_off_even_when_flask_debug_is_set(monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app(settings())
    assert app.debug is False

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.get_json() == {"error": "internal server error"}
    assert b"secret detail" not in response.data
    assert b"Traceback" not in response.data


def test_settings_come_from_the_environment():
    env = {
        "BUCKET_NAME": "b",
        "AWS_REGION": "eu-west-1",
        "APP_STACK": "prod",
        "APP_VERSION": "v",
        "HEALTH_PATH": "/h",
        "MAX_UPLOAD_BYTES": "5",
    }
    assert Settings.from_env(env) == Settings(
        bucket="b", region="eu-west-1", stack="prod", version="v", health_path="/h", max_upload_bytes=5
    )
    assert Settings.from_env({}).bucket is None


@pytest.mark.parametrize("value", ["0", "-1", "ten"])
def test_a_bad_upload_limit_stops_the_app_with_its_name(value):
    with pytest.raises(ValueError, match="MAX_UPLOAD_BYTES"):
        Settings.from_env({"MAX_UPLOAD_BYTES": value})


def test_each_request_logs_one_structured_access_record(client, caplog):
    caplog.set_level(logging.INFO, logger="app.access")
    # The client wrote the first entry; the ALB appended the last, the address it saw.
    client.get("/", headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.7", "X-Amzn-Trace-Id": "Root=1-abc"})
    [record] = [r for r in caplog.records if r.name == "app.access"]
    assert (record.method, record.path, record.status, record.client, record.trace_id) == ("GET", "/", 200, "198.51.100.7", "Root=1-abc")
    assert record.duration_ms >= 0


def test_without_x_forwarded_for_the_client_is_the_peer(client, caplog):
    caplog.set_level(logging.INFO, logger="app.access")
    client.get("/", environ_base={"REMOTE_ADDR": "192.0.2.4"})
    [record] = [r for r in caplog.records if r.name == "app.access"]
    assert record.client == "192.0.2.4"


def test_logs_are_one_json_object_per_line(capsys):
    import logging.config

    from runtime import logging_config

    logging.config.dictConfig(logging_config("INFO"))
    try:
        logging.getLogger("app.access").info("request", extra={"status": 200, "path": "/"})
        line = capsys.readouterr().out.strip()
        assert "\n" not in line
        event = json.loads(line)
        assert (event["message"], event["status"], event["path"], event["level"], event["logger"]) == (
            "request",
            200,
            "/",
            "INFO",
            "app.access",
        )
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False, "root": {"handlers": []}})
