"""How keys are formed: every character kept, one Unicode form, and names that say nothing refused."""

from __future__ import annotations

import io
import unicodedata

import pytest
from conftest import BUCKET

from errors import ApiError
from names import content_disposition, key_from_filename, validate_key

# "cafe" in full-width letters, which NFKC (not NFC) would fold into "cafe".
FULLWIDTH_CAFE = "\uff43\uff41\uff46\uff45"
DISTINCT_NAMES = ["отчет.pdf", "счет.pdf", "文件.pdf", "café.txt", f"{FULLWIDTH_CAFE}.txt", "cafe.txt", "रिपोर्ट.txt", "report (1).pdf"]


def stored(s3) -> dict[str, bytes]:
    return {
        o["Key"]: s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    }


def form_upload(client, filename: str, data: bytes, **fields: str):
    return client.post("/files", data={"file": (io.BytesIO(data), filename), **fields}, content_type="multipart/form-data")


def test_files_named_in_any_script_keep_their_names_and_none_replaces_another(client, s3):
    for i, name in enumerate(DISTINCT_NAMES):
        response = form_upload(client, name, f"file {i}".encode())
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["key"] == name
    assert stored(s3) == {name: f"file {i}".encode() for i, name in enumerate(DISTINCT_NAMES)}
    for i, name in enumerate(DISTINCT_NAMES):
        assert client.get(f"/files/{name}").data == f"file {i}".encode()


def test_a_name_in_decomposed_form_is_the_same_key_as_composed(client, s3):
    decomposed = unicodedata.normalize("NFD", "café.txt")
    assert decomposed != "café.txt"
    assert form_upload(client, decomposed, b"x").get_json()["key"] == "café.txt"
    assert client.put(f"/files/{decomposed}", data=b"y").get_json()["key"] == "café.txt"
    assert stored(s3) == {"café.txt": b"y"}
    assert client.get(f"/files/{decomposed}").data == b"y"


@pytest.mark.parametrize("filename", [" ", "x ", " x", "...", ". .", "", "dir/", "dir/sub/"])
def test_a_file_name_that_reduces_to_nothing_or_to_dots_and_spaces_is_a_400(client, s3, filename):
    response = form_upload(client, filename, b"x")
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert stored(s3) == {}


@pytest.mark.parametrize("key", ["%20", "x%20", "...", "a/.../b", "a/%20/b", "a/%20b"])
def test_keys_of_only_dots_and_spaces_or_with_spaces_at_an_end_are_a_400(client, s3, key):
    response = client.put(f"/files/{key}", data=b"x")
    assert response.status_code == 400
    assert "dots and spaces" in response.get_json()["error"] or "space" in response.get_json()["error"]
    assert stored(s3) == {}


def test_a_client_path_in_the_file_name_is_dropped_not_folded_into_the_name(client, s3):
    assert form_upload(client, "../../etc/passwd", b"b").get_json()["key"] == "passwd"
    assert form_upload(client, "docs/отчет.pdf", b"a").get_json()["key"] == "отчет.pdf"


@pytest.mark.parametrize(
    "name",
    [
        "tab\there",
        "bell\x07",
        "zero\u200bwidth",  # invisible (format character)
        "evil\u202etxt.exe",  # right-to-left override
        "semi;colon",
        'quote"d',
        "back\\slash",
        "\ufffd.txt",  # what undecodable bytes in a URL become
    ],
)
def test_controls_invisible_characters_and_other_punctuation_are_refused_naming_the_character(name):
    with pytest.raises(ApiError) as err:
        validate_key(name)
    assert err.value.status == 400
    assert "U+" in err.value.message


def test_the_length_limit_counts_utf8_bytes_after_normalising():
    assert validate_key("я" * 256) == "я" * 256  # 512 bytes
    with pytest.raises(ApiError, match="longer than 512 bytes"):
        validate_key("я" * 257)


def test_key_from_filename_keeps_every_character():
    assert key_from_filename("Résumé (final).pdf") == "Résumé (final).pdf"
    assert key_from_filename(f"dir/sub/{FULLWIDTH_CAFE}.txt") == f"{FULLWIDTH_CAFE}.txt"
    assert key_from_filename("C:\\Users\\me\\отчет.pdf") == "отчет.pdf"


def test_downloads_name_the_file_in_ascii_and_in_utf8():
    assert content_disposition("reports/q4.pdf") == {"filename": "q4.pdf"}
    assert content_disposition("docs/café.txt") == {"filename": "cafe.txt", "filename*": "UTF-8''caf%C3%A9.txt"}
    assert content_disposition("文件.pdf") == {"filename": ".pdf", "filename*": "UTF-8''%E6%96%87%E4%BB%B6.pdf"}


def test_a_download_carries_its_unicode_name(client, s3):
    s3.put_object(Bucket=BUCKET, Key="отчет.pdf", Body=b"x")
    header = client.get("/files/отчет.pdf").headers["Content-Disposition"]
    assert header.startswith("attachment; ")
    assert "filename*=UTF-8''%D0%BE%D1%82%D1%87%D0%B5%D1%82.pdf" in header
