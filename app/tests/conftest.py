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
from auth import digest_of, parse_keys  # noqa: E402
from settings import Settings  # noqa: E402

BUCKET = "files-test"
# Keys for tests only: the app is configured with their hashes, as on ECS.
WRITE_KEY = "ffk_test-writer-0123456789abcdef"
READ_KEY = "ffk_test-reader-0123456789abcdef"
KEY_LINES = f"writer:{digest_of(WRITE_KEY).hex()}\nreader:{digest_of(READ_KEY).hex()}:read"


def settings(**overrides: object) -> Settings:
    values: dict = dict(bucket=BUCKET, region="us-east-1", stack="test", version="build-1", health_path="/healthz", max_upload_bytes=1024)
    values.update(api_keys=parse_keys(KEY_LINES))
    values.update(overrides)
    return Settings(**values)


def authed(app, key: str = WRITE_KEY):
    """A test client that sends `key` as a bearer token with every request."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


@pytest.fixture
def s3() -> Iterator[object]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture
def client(s3: object):
    """A client holding the read-write key."""
    return authed(create_app(settings()))


@pytest.fixture
def anonymous(s3: object):
    """A client without a key."""
    return create_app(settings()).test_client()
