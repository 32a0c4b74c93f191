"""Downloads a browser cannot be made to run, and HEAD without fetching the file."""

from __future__ import annotations

import pytest
from conftest import BUCKET, authed, settings

from app import create_app
from errors import ApiError
from media import OCTET_STREAM, served_type, stored_type


class Recording:
    """The S3 client, noting which operations the app called."""

    def __init__(self, real) -> None:
        self.real = real
        self.called: list[str] = []

    def __getattr__(self, name):
        self.called.append(name)
        return getattr(self.real, name)


def test_head_asks_s3_for_the_headers_only(s3):
    s3.put_object(Bucket=BUCKET, Key="big.bin", Body=b"x" * 5000, ContentType="image/png")
    app = create_app(settings())
    recording = Recording(s3)
    app.extensions["s3"] = recording
    response = authed(app).head("/files/big.bin", headers={"Range": "bytes=0-9"})
    assert recording.called == ["head_object"]
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["Content-Length"] == "5000"
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["ETag"] == s3.head_object(Bucket=BUCKET, Key="big.bin")["ETag"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert authed(app).head("/files/missing.bin").status_code == 404


@pytest.mark.parametrize(
    ("sent", "served"),
    [
        ("text/html", OCTET_STREAM),
        ("image/svg+xml", OCTET_STREAM),
        ("application/xhtml+xml", OCTET_STREAM),
        ("text/javascript", OCTET_STREAM),
        ("application/xml", OCTET_STREAM),
        ("image/png", "image/png"),
        ("text/plain; charset=UTF-8", "text/plain; charset=utf-8"),
        ("Application/JSON", "application/json"),
    ],
)
def test_a_download_is_served_as_a_passive_type_with_nosniff(client, s3, sent, served):
    assert client.put("/files/f", data=b"<script>alert(1)</script>", content_type=sent).status_code == 201
    response = client.get("/files/f")
    assert response.headers["Content-Type"] == served
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_a_type_stored_by_someone_else_is_checked_too(client, s3):
    s3.put_object(Bucket=BUCKET, Key="page.html", Body=b"<html>", ContentType="text/html; charset=utf-8")
    assert client.get("/files/page.html").headers["Content-Type"] == OCTET_STREAM
    s3.put_object(Bucket=BUCKET, Key="notes.txt", Body=b"hi", ContentType='text/plain; charset="latin-1"; x=<y>')
    assert client.get("/files/notes.txt").headers["Content-Type"] == "text/plain; charset=latin-1"


@pytest.mark.parametrize("content_type", ["a" * 7000 + "/b", "text/" + "x" * 200, "text", "text/html/x", "тип/подтип"])
def test_a_content_type_that_is_not_a_media_type_is_a_400_and_nothing_is_stored(client, s3, content_type):
    response = client.put("/files/f", data=b"x", headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert "media type" in response.get_json()["error"]
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


def test_only_the_type_and_a_charset_are_stored():
    assert stored_type("text/plain", {"charset": "UTF-8", "name": "x"}) == "text/plain; charset=utf-8"
    assert stored_type("text/plain", {"charset": "<bad>"}) == "text/plain"
    assert stored_type("", {}) == stored_type("application/x-www-form-urlencoded", {}) == OCTET_STREAM
    with pytest.raises(ApiError):
        stored_type("nonsense", {})
    assert served_type(None) == OCTET_STREAM
