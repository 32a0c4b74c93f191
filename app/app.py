"""The Flask app served on ECS: a page saying which stack and version serve it, and a health route."""

import os

from flask import Flask, jsonify


def create_app() -> Flask:
    app = Flask(__name__)
    health_path = os.environ.get("HEALTH_PATH", "/healthz")

    @app.get("/")
    def index():
        return jsonify(
            app="flask-fargate",
            stack=os.environ.get("APP_STACK", "local"),
            version=os.environ.get("APP_VERSION", "dev"),
        )

    @app.get(health_path)
    def health():
        return jsonify(status="ok")

    return app


app = create_app()
