"""Listings page: every file once, in key order, however many pages it takes."""

from __future__ import annotations

import pytest
from conftest import BUCKET
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends

from errors import ApiError
from paging import decode_cursor, encode_cursor


def walk(client, **params) -> tuple[list[str], int]:
    """Every key of a listing, following `next`; and how many pages it took."""
    keys: list[str] = []
    pages = 0
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get("/files", query_string=query)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        keys += [f["key"] for f in body["files"]]
        pages += 1
        assert body["truncated"] is (body["next"] is not None)
        cursor = body["next"]
        if cursor is None:
            return keys, pages


def test_1500_files_are_walked_in_two_pages_of_1000_each_file_once(client, s3):
    names = [f"f{i:04d}.txt" for i in range(1500)]
    # Straight into moto's model: 1,500 PutObject calls through boto3 take some 20 s here.
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    for name in names:
        backend.put_object(BUCKET, name, b"x")
    first = client.get("/files?limit=1000").get_json()
    assert len(first["files"]) == 1000
    assert first["truncated"] is True
    keys, pages = walk(client, limit=1000)
    assert (keys, pages) == (names, 2)


def test_pages_follow_s3s_order_of_utf8_bytes_under_a_prefix(client, s3):
    names = ["docs/a.txt", "docs/b c.txt", "docs/z.txt", "docs/é.txt", "docs/отчет.pdf", "docs/文件.pdf"]
    for name in [*names, "other/x.txt", "docs0.txt"]:
        s3.put_object(Bucket=BUCKET, Key=name, Body=b"x")
    keys, pages = walk(client, prefix="docs/", limit=2)
    assert keys == sorted(names, key=str.encode)
    assert pages == 3


def test_a_file_added_behind_the_cursor_does_not_shift_the_pages(client, s3):
    for name in ("b", "c", "d"):
        s3.put_object(Bucket=BUCKET, Key=name, Body=b"x")
    first = client.get("/files?limit=2").get_json()
    assert [f["key"] for f in first["files"]] == ["b", "c"]
    s3.put_object(Bucket=BUCKET, Key="a", Body=b"x")
    second = client.get("/files", query_string={"limit": 2, "cursor": first["next"]}).get_json()
    assert [f["key"] for f in second["files"]] == ["d"]
    assert second["next"] is None


@pytest.mark.parametrize("cursor", ["", "not base64!", "e30", encode_cursor("", "x")[:-3], "é"])
def test_a_cursor_the_api_did_not_make_is_a_400(client, s3, cursor):
    response = client.get("/files", query_string={"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.get_json()["error"]


def test_a_cursor_used_with_another_prefix_is_a_400():
    cursor = encode_cursor("docs/", "docs/a.txt")
    assert decode_cursor(cursor, "docs/") == "docs/a.txt"
    with pytest.raises(ApiError, match="another prefix"):
        decode_cursor(cursor, "")


@pytest.mark.parametrize("name", ["page", "marker", "start_after", "continuation_token"])
def test_parameters_a_listing_does_not_take_are_a_400_not_ignored(client, s3, name):
    response = client.get("/files", query_string={name: "x"})
    assert response.status_code == 400
    assert "cursor" in response.get_json()["error"]


def test_a_prefix_longer_than_any_key_is_a_400(client, s3):
    assert client.get("/files", query_string={"prefix": "x" * 513}).status_code == 400
