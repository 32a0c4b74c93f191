"""Fixtures: the app with S3 emulated by moto, and its bucket."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

APP_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(APP_DIR))

# No real AWS call can happen from a test: fake credentials, and moto intercepts every request.
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_SESSION_TOKEN="testing", AWS_DEFAULT_REGION="us-east-1")

from app import create_app  # noqa: E402
from settings import Settings  # noqa: E402

BUCKET = "files-test"


def settings(**overrides: object) -> Settings:
    values: dict = dict(bucket=BUCKET, region="us-east-1", stack="test", version="build-1", health_path="/healthz", max_upload_bytes=1024)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def s3() -> Iterator[object]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture
def client(s3: object):
    app = create_app(settings())
    return app.test_client()
