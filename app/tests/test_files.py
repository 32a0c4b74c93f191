"""The files API against S3 emulated by moto."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from conftest import BUCKET, authed, settings

from app import create_app


def test_multipart_upload_list_download_delete_round_trip(client, s3):
    response = client.post("/files", data={"file": (io.BytesIO(b"hello"), "greeting.txt")}, content_type="multipart/form-data")
    assert response.status_code == 201
    etag = s3.head_object(Bucket=BUCKET, Key="greeting.txt")["ETag"]
    assert response.get_json() == {"key": "greeting.txt", "size": 5, "etag": etag}
    assert response.headers["ETag"] == etag
    assert s3.get_object(Bucket=BUCKET, Key="greeting.txt")["Body"].read() == b"hello"

    listing = client.get("/files").get_json()
    assert [f["key"] for f in listing["files"]] == ["greeting.txt"]
    assert (listing["files"][0]["size"], listing["files"][0]["etag"]) == (5, etag)
    assert listing["truncated"] is False

    download = client.get("/files/greeting.txt")
    assert download.status_code == 200
    assert download.data == b"hello"
    assert download.headers["Content-Type"].startswith("text/plain")
    assert download.headers["Content-Length"] == "5"
    assert download.headers["ETag"] == etag

    assert client.delete("/files/greeting.txt").status_code == 204
    assert client.get("/files").get_json()["files"] == []
    assert client.get("/files/greeting.txt").status_code == 404


def test_raw_upload_to_a_nested_key_with_its_content_type(client, s3):
    response = client.put("/files/reports/2026/q4.json", data=b'{"ok": true}', content_type="application/json")
    assert response.status_code == 201
    obj = s3.get_object(Bucket=BUCKET, Key="reports/2026/q4.json")
    assert obj["ContentType"] == "application/json"
    assert client.get("/files/reports/2026/q4.json").get_json() == {"ok": True}
    assert [f["key"] for f in client.get("/files?prefix=reports/").get_json()["files"]] == ["reports/2026/q4.json"]


def test_a_raw_body_labelled_as_a_form_is_stored_as_bytes(client, s3):
    assert client.put("/files/data.bin", data=b"a=1", content_type="application/x-www-form-urlencoded").status_code == 201
    obj = s3.get_object(Bucket=BUCKET, Key="data.bin")
    assert (obj["ContentType"], obj["Body"].read()) == ("application/octet-stream", b"a=1")


def test_multipart_upload_may_name_its_key(client, s3):
    response = client.post("/files", data={"file": (io.BytesIO(b"x"), "a.txt"), "key": "docs/b.txt"}, content_type="multipart/form-data")
    assert response.get_json()["key"] == "docs/b.txt"


def test_missing_file_field_is_a_400(client):
    response = client.post("/files", data={"other": "x"}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "field named 'file'" in response.get_json()["error"]


def test_empty_raw_body_is_a_400(client):
    response = client.put("/files/empty.txt", data=b"")
    assert response.status_code == 400
    assert response.get_json() == {"error": "the request body is empty"}


def test_oversize_bodies_are_a_413_within_the_configured_limit(client, s3):
    assert client.put("/files/big.bin", data=b"x" * 1025).status_code == 413
    response = client.post("/files", data={"file": (io.BytesIO(b"x" * 2048), "big.bin")}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert response.get_json() == {"error": "the upload is larger than the limit"}
    assert client.put("/files/ok.bin", data=b"x" * 1024).status_code == 201
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET, Prefix="big")


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("../etc/passwd", "'..' parts"),
        ("a/../../b", "'..' parts"),
        ("a/%2E%2E/b", "'..' parts"),
        ("./a", "'..' parts"),
        ("a//b", "'..' parts"),
        ("a/", "'..' parts"),
        ("name\\with\\backslash", "only letters"),
        ("tab%09here", "only letters"),
        ("rtl%E2%80%AEoverride", "only letters"),
        ("x" * 513, "longer than 512 bytes"),
    ],
)
def test_bad_key_names_are_a_400(client, s3, key, reason):
    response = client.put(f"/files/{key}", data=b"x")
    assert response.status_code == 400
    assert reason in response.get_json()["error"]
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


def test_dot_dot_in_a_multipart_key_is_refused(client, s3):
    response = client.post("/files", data={"file": (io.BytesIO(b"x"), "a.txt"), "key": "../a.txt"}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


def test_bad_list_limit_is_a_400(client):
    assert client.get("/files?limit=0").status_code == 400
    assert client.get("/files?limit=abc").status_code == 400


def test_deleting_a_missing_file_is_a_404(client):
    response = client.delete("/files/ghost.txt")
    assert response.status_code == 404
    assert response.get_json() == {"error": "no such file"}


def test_s3_refusing_is_a_502_json_without_details(s3):
    client = authed(create_app(settings(bucket="no-such-bucket")))
    response = client.get("/files")
    assert response.status_code == 502
    assert response.get_json() == {"error": "file storage refused the request"}
    assert b"NoSuchBucket" not in response.data


def test_s3_unreachable_is_a_503_json(client, s3, monkeypatch):
    app = create_app(settings())

    class Unreachable:
        def put_object(self, **_):
            raise EndpointConnectionError(endpoint_url="https://s3.us-east-1.amazonaws.com")

    app.extensions["s3"] = Unreachable()
    response = authed(app).put("/files/a.txt", data=b"x")
    assert response.status_code == 503
    assert response.get_json() == {"error": "file storage is unavailable"}


def test_access_denied_is_a_502(s3):
    app = create_app(settings())

    class Denied:
        def list_objects_v2(self, **_):
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, "ListObjectsV2")

    app.extensions["s3"] = Denied()
    response = authed(app).get("/files")
    assert response.status_code == 502
    assert b"denied" not in response.data


def test_no_bucket_configured_is_a_503(s3):
    response = authed(create_app(settings(bucket=None))).get("/files")
    assert response.status_code == 503
    assert "BUCKET_NAME" in response.get_json()["error"]


@pytest.mark.parametrize("key", ["a.txt\n", "..\n", "a\r", "a.txt\n\n", "../\n"])
def test_a_key_ending_in_a_line_break_is_a_400(client, s3, key):
    response = client.post("/files", data={"file": (io.BytesIO(b"x"), "a.txt"), "key": key}, content_type="multipart/form-data")
    assert response.status_code == 400
    # In a path the router already refuses it (its converter stops at a line break), or the key check does.
    assert client.put(f"/files/{quote(key)}", data=b"x").status_code in (400, 404)
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


@pytest.mark.parametrize("path", ["/files//x", "/files/%2Fetc", "/files/a//b"])
def test_paths_with_empty_parts_are_refused_not_redirected(client, path):
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code in (400, 404)
    assert "Location" not in response.headers
    assert response.is_json


@pytest.mark.parametrize("limit", [" 5 ", "1_0", "\\u0665", "\\uff15", "+5", "5.0", "10000"])
def test_list_limit_is_plain_ascii_digits(client, limit):
    response = client.get("/files", query_string={"limit": limit.encode().decode("unicode_escape")})
    assert response.status_code == 400


@pytest.fixture
def ten_bytes(client, s3):
    s3.put_object(Bucket=BUCKET, Key="digits.txt", Body=b"0123456789", ContentType="text/plain")
    return client


@pytest.mark.parametrize(
    ("header", "body", "content_range"),
    [
        ("bytes=0-3", b"0123", "bytes 0-3/10"),
        ("bytes=7-", b"789", "bytes 7-9/10"),
        ("bytes=-2", b"89", "bytes 8-9/10"),
        ("bytes=8-100", b"89", "bytes 8-9/10"),
    ],
)
def test_a_byte_range_is_a_206_with_its_content_range(ten_bytes, header, body, content_range):
    response = ten_bytes.get("/files/digits.txt", headers={"Range": header})
    assert response.status_code == 206
    assert response.data == body
    assert response.headers["Content-Range"] == content_range
    assert response.headers["Content-Length"] == str(len(body))


def test_a_range_past_the_end_is_a_416_naming_the_size(ten_bytes):
    response = ten_bytes.get("/files/digits.txt", headers={"Range": "bytes=10-20"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == "bytes */10"
    assert response.is_json


@pytest.mark.parametrize(
    "headers",
    [{}, {"Range": "bytes=0-1,4-5"}, {"Range": "items=0-1"}, {"Range": "bytes=x-y"}, {"Range": "bytes=0-1", "If-Range": '"etag"'}],
)
def test_without_a_single_byte_range_the_whole_file_is_a_200(ten_bytes, headers):
    response = ten_bytes.get("/files/digits.txt", headers=headers)
    assert response.status_code == 200
    assert response.data == b"0123456789"
    assert response.headers["Accept-Ranges"] == "bytes"
