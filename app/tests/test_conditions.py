"""Conditional writes: If-None-Match: * creates only, If-Match replaces only the version it names."""

from __future__ import annotations

import io

import pytest
from botocore.exceptions import ClientError
from conftest import BUCKET, authed, settings

import storage
from app import create_app
from conditions import write_condition
from errors import ApiError


@pytest.fixture
def seeded(s3):
    s3.put_object(Bucket=BUCKET, Key="doc.txt", Body=b"original")
    return s3.head_object(Bucket=BUCKET, Key="doc.txt")["ETag"]


def content(s3, key: str = "doc.txt") -> bytes:
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()


class Unreadable(io.BytesIO):
    """A request body that must not be read."""

    def read(self, size=-1):
        raise AssertionError("the body was read")


def test_if_none_match_star_creates_a_new_file(client, s3):
    response = client.put("/files/new.txt", data=b"first", headers={"If-None-Match": "*"})
    assert response.status_code == 201
    assert response.headers["ETag"] == response.get_json()["etag"] == s3.head_object(Bucket=BUCKET, Key="new.txt")["ETag"]


def test_if_none_match_star_on_an_existing_key_is_a_412_before_the_body_is_read(client, s3, seeded):
    response = client.put("/files/doc.txt", input_stream=Unreadable(b"other"), headers={"If-None-Match": "*"})
    assert response.status_code == 412
    assert "exists" in response.get_json()["error"]
    assert response.headers["Connection"] == "close"
    assert content(s3) == b"original"


def test_if_none_match_star_applies_to_form_uploads(client, s3, seeded):
    data = {"file": (io.BytesIO(b"other"), "doc.txt")}
    response = client.post("/files", data=data, content_type="multipart/form-data", headers={"If-None-Match": "*"})
    assert response.status_code == 412
    assert content(s3) == b"original"


def test_if_match_with_the_current_etag_replaces_that_version(client, s3, seeded):
    response = client.put("/files/doc.txt", data=b"second", headers={"If-Match": seeded})
    assert response.status_code == 201
    assert content(s3) == b"second"
    # The ETag it had is now stale: a second writer holding it is refused.
    stale = client.put("/files/doc.txt", data=b"lost update", headers={"If-Match": seeded})
    assert stale.status_code == 412
    assert "If-Match" in stale.get_json()["error"]
    assert content(s3) == b"second"


def test_if_match_on_a_missing_key_is_a_412(client, s3):
    response = client.put("/files/ghost.txt", data=b"x", headers={"If-Match": '"0123456789abcdef0123456789abcdef"'})
    assert response.status_code == 412
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


def test_a_plain_put_replaces_the_file(client, s3, seeded):
    response = client.put("/files/doc.txt", data=b"replaced")
    assert response.status_code == 201
    assert content(s3) == b"replaced"
    assert response.headers["ETag"] != seeded


class Racing:
    """S3 as seen when another client creates the key between the app's check and its write."""

    def __init__(self, real) -> None:
        self.real = real

    def head_object(self, **_):
        raise ClientError({"Error": {"Code": "404", "Message": "Not Found"}}, "HeadObject")

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_s3_checks_the_condition_as_it_writes_so_a_race_is_still_a_412(s3, seeded):
    app = create_app(settings())
    app.extensions["s3"] = Racing(s3)
    response = authed(app).put("/files/doc.txt", data=b"second writer", headers={"If-None-Match": "*"})
    assert response.status_code == 412
    assert content(s3) == b"original"


def test_a_conflicting_write_in_progress_is_a_409(s3):
    app = create_app(settings())

    class Conflict:
        def head_object(self, **_):
            raise ClientError({"Error": {"Code": "NoSuchKey"}}, "HeadObject")

        def put_object(self, **_):
            raise ClientError({"Error": {"Code": "ConditionalRequestConflict"}}, "PutObject")

    app.extensions["s3"] = Conflict()
    response = authed(app).put("/files/doc.txt", data=b"x", headers={"If-None-Match": "*"})
    assert response.status_code == 409
    assert "try again" in response.get_json()["error"]


def test_a_large_upload_sends_its_condition_with_the_completing_request():
    calls: list[tuple[str, dict]] = []

    class Recorder:
        def create_multipart_upload(self, **kwargs):
            calls.append(("create", kwargs))
            return {"UploadId": "u"}

        def upload_part(self, Body, **kwargs):
            Body.read()
            calls.append(("part", kwargs))
            return {"ETag": '"p"'}

        def complete_multipart_upload(self, **kwargs):
            calls.append(("complete", kwargs))
            return {"ETag": '"m-2"'}

    source = io.BytesIO(b"x" * (6 * 1024 * 1024))
    stored = storage.put_stream(Recorder(), BUCKET, "k", source.read, "application/octet-stream", 5 * 1024 * 1024, {"IfMatch": '"e"'})
    assert stored == storage.Stored(size=6 * 1024 * 1024, etag='"m-2"')
    assert [name for name, _ in calls] == ["create", "part", "part", "complete"]
    assert calls[-1][1]["IfMatch"] == '"e"'
    assert all("IfMatch" not in kwargs for name, kwargs in calls[:-1])


@pytest.mark.parametrize(
    "headers",
    [
        {"If-None-Match": '"abc"'},
        {"If-None-Match": "*, *"},
        {"If-Match": "abc"},
        {"If-Match": 'W/"abc"'},
        {"If-Match": '"a", "b"'},
        {"If-Match": "*"},
        {"If-Match": '"abc"', "If-None-Match": "*"},
    ],
)
def test_conditions_the_api_does_not_check_are_a_400_not_ignored(client, s3, seeded, headers):
    with pytest.raises(ApiError) as err:
        write_condition(headers)
    assert err.value.status == 400
    assert client.put("/files/doc.txt", data=b"x", headers=headers).status_code == 400
    assert content(s3) == b"original"
