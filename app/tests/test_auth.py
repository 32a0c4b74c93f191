"""API keys: anonymous clients may do nothing with the files unless public read is on."""

from __future__ import annotations

import hmac
import io
import logging

import pytest
from conftest import BUCKET, KEY_LINES, READ_KEY, WRITE_KEY, authed, settings

import auth
import keys
from app import create_app
from auth import digest_of, parse_keys
from settings import Settings

WRITES = ["upload", "overwrite", "form upload", "delete"]


def write(client, which: str, **kwargs):
    if which == "form upload":
        return client.post("/files", data={"file": (io.BytesIO(b"x"), "a.txt")}, content_type="multipart/form-data", **kwargs)
    if which == "delete":
        return client.delete("/files/seed.txt", **kwargs)
    return client.put("/files/a.txt" if which == "upload" else "/files/seed.txt", data=b"overwritten", **kwargs)


@pytest.fixture
def seeded(s3):
    s3.put_object(Bucket=BUCKET, Key="seed.txt", Body=b"original")
    return s3


def objects(s3) -> dict[str, bytes]:
    return {
        o["Key"]: s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    }


@pytest.mark.parametrize("which", WRITES)
def test_anonymous_uploads_overwrites_and_deletes_are_a_401_and_change_nothing(anonymous, seeded, which):
    response = write(anonymous, which)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "API key" in response.get_json()["error"]
    assert objects(seeded) == {"seed.txt": b"original"}


@pytest.mark.parametrize("path", ["/files", "/files/seed.txt"])
def test_anonymous_reads_are_a_401_by_default(anonymous, seeded, path):
    response = anonymous.get(path)
    assert response.status_code == 401
    assert b"original" not in response.data


def test_the_index_and_health_stay_open(anonymous):
    assert anonymous.get("/").status_code == 200
    assert anonymous.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    "header", [{"Authorization": f"Bearer {WRITE_KEY}"}, {"X-Api-Key": WRITE_KEY}, {"Authorization": f"bearer  {WRITE_KEY} "}]
)
def test_a_valid_key_in_either_header_may_read_and_write(anonymous, seeded, header):
    assert anonymous.put("/files/b.txt", data=b"new", headers=header).status_code == 201
    assert anonymous.get("/files/b.txt", headers=header).data == b"new"
    assert anonymous.delete("/files/seed.txt", headers=header).status_code == 204


@pytest.mark.parametrize(
    "header",
    [
        {"Authorization": "Bearer ffk_not-a-key-0123456789abcdef"},
        {"Authorization": f"Bearer {WRITE_KEY}x"},
        {"X-Api-Key": f"{WRITE_KEY[:8]} {WRITE_KEY[8:]}"},
        {"X-Api-Key": f"{WRITE_KEY[:-1]} "},
        {"Authorization": f"Basic {WRITE_KEY}"},
        {"Authorization": "Bearer"},
        {"X-Api-Key": "short"},
        {"X-Api-Key": digest_of(WRITE_KEY).hex()},  # the hash is not the key
    ],
)
def test_wrong_or_malformed_keys_are_a_401(anonymous, seeded, header):
    response = anonymous.put("/files/seed.txt", data=b"overwritten", headers=header)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.is_json
    assert objects(seeded) == {"seed.txt": b"original"}


def test_only_the_exact_key_matches():
    configured = parse_keys(KEY_LINES)
    assert auth.find_key(configured, WRITE_KEY).label == "writer"
    for near in (WRITE_KEY + "\n", WRITE_KEY.upper(), WRITE_KEY[:-1], "\u00e9" + WRITE_KEY[1:]):
        assert auth.find_key(configured, near) is None


def test_a_read_only_key_reads_and_gets_403_for_writes(seeded):
    reader = authed(create_app(settings()), READ_KEY)
    assert reader.get("/files/seed.txt").data == b"original"
    assert reader.get("/files").status_code == 200
    for which in WRITES:
        response = write(reader, which)
        assert response.status_code == 403
        assert response.get_json() == {"error": "the key 'reader' may only read"}
    assert objects(seeded) == {"seed.txt": b"original"}


def test_public_read_opens_reads_only(seeded):
    anonymous = create_app(settings(public_read=True)).test_client()
    assert anonymous.get("/files/seed.txt").data == b"original"
    assert anonymous.get("/files").status_code == 200
    assert anonymous.put("/files/seed.txt", data=b"overwritten").status_code == 401
    # A key that is sent is checked, even where none is needed.
    assert anonymous.get("/files", headers={"X-Api-Key": "ffk_wrong-0123456789abcdef"}).status_code == 401
    assert objects(seeded) == {"seed.txt": b"original"}


def test_without_keys_the_files_api_is_closed_not_open(seeded):
    client = create_app(settings(api_keys=())).test_client()
    for response in [*(write(client, which) for which in WRITES), client.get("/files"), client.get("/files/seed.txt")]:
        assert response.status_code == 503
        assert "API_KEY_SHA256" in response.get_json()["error"]
    public = create_app(settings(api_keys=(), public_read=True)).test_client()
    assert public.get("/files/seed.txt").status_code == 200
    assert public.delete("/files/seed.txt").status_code == 503
    assert objects(seeded) == {"seed.txt": b"original"}


def test_key_lines_take_labels_access_and_any_separator():
    a, b, c = (digest_of(f"ffk_key-{n}-0123456789abcdef").hex() for n in range(3))
    parsed = parse_keys(f" ci:{a},\n dash:{b.upper()}:read\n\n{c}:write ")
    assert [(k.label, k.access) for k in parsed] == [("ci", "write"), ("dash", "read"), (f"sha256-{c[:8]}", "write")]
    assert parse_keys("") == parse_keys(" \n ") == ()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ci:abc", "entry 1 is not"),
        (f"ci:{'a' * 64}\nbad label:{'b' * 64}", "entry 2 is not"),
        (f"ci:{'a' * 64}:admin", "entry 1 is not"),
        (f"ci:{'a' * 64},ci:{'b' * 64}", "repeats the label 'ci'"),
        (f"x:{'a' * 64},y:{'A' * 64}", "repeats a hash"),
    ],
)
def test_bad_key_lines_stop_the_app_naming_the_entry_not_its_text(raw, message):
    with pytest.raises(ValueError, match=message) as err:
        Settings.from_env({"API_KEY_SHA256": raw})
    assert "API_KEY_SHA256" in str(err.value)
    assert "a" * 64 not in str(err.value)


def test_settings_read_keys_and_public_read_from_the_environment():
    parsed = Settings.from_env({"API_KEY_SHA256": KEY_LINES, "PUBLIC_READ": "true"})
    assert [k.label for k in parsed.api_keys] == ["writer", "reader"]
    assert parsed.public_read is True
    assert Settings.from_env({}).public_read is False
    assert Settings.from_env({}).api_keys == ()
    with pytest.raises(ValueError, match="PUBLIC_READ"):
        Settings.from_env({"PUBLIC_READ": "maybe"})


def test_the_key_is_compared_against_every_entry_in_constant_time(monkeypatch):
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    configured = parse_keys(KEY_LINES)
    assert auth.find_key(configured, WRITE_KEY).label == "writer"  # the first entry matches...
    assert len(calls) == len(configured)  # ...and the others are still compared


def test_the_access_log_names_the_key_by_label_never_the_key(client, caplog):
    caplog.set_level(logging.INFO, logger="app.access")
    client.get("/files")
    [record] = [r for r in caplog.records if r.name == "app.access"]
    assert record.api_key == "writer"
    assert WRITE_KEY not in caplog.text


def test_keys_script_prints_a_new_key_once_and_the_line_that_accepts_it(capsys, s3):
    assert keys.main(["new", "laptop", "--read"]) == 0
    out = capsys.readouterr().out
    key = out.split("give it to the client): ")[1].split()[0]
    line = out.split("API_KEY_SHA256:")[1].strip()
    assert key.startswith("ffk_") and len(key) > 40
    assert line.startswith("laptop:") and line.endswith(":read") and key not in line
    client = authed(create_app(settings(api_keys=parse_keys(line))), key)
    assert client.get("/files").status_code == 200
    assert client.put("/files/a.txt", data=b"x").status_code == 403


def test_keys_script_hashes_a_key_it_is_given(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(WRITE_KEY + "\n"))
    assert keys.main(["hash", "writer"]) == 0
    assert capsys.readouterr().out.strip() == f"writer:{digest_of(WRITE_KEY).hex()}"
    monkeypatch.setattr("sys.stdin", io.StringIO("too short\n"))
    assert keys.main(["hash", "writer"]) == 2
