"""Issues an API key for the files API: prints the key once, and the line to add to API_KEY_SHA256.

    python keys.py new ci                 # a read-write key labelled "ci"
    python keys.py new dashboard --read   # a read-only key
    python keys.py hash ci < key.txt      # the line for a key you already hold (read from stdin)

The key is shown only here: store it where its client keeps secrets. Only the line (label and
SHA-256) goes into the secret the task reads; nothing on the server can recover the key from it.
"""

from __future__ import annotations

import argparse
import secrets
import sys

from auth import READ, WRITE, ApiKey, digest_of, parse_keys, well_formed

PREFIX = "ffk_"


def new_key() -> str:
    """256 random bits, URL-safe, with a prefix that secret scanners and people can recognise."""
    return PREFIX + secrets.token_urlsafe(32)


def entry(label: str, key: str, access: str) -> str:
    if not well_formed(key):
        raise ValueError("a key is 16 to 256 visible ASCII characters without spaces")
    line = ApiKey(label=label, digest=digest_of(key), access=access).line()
    parse_keys(line)  # the same check the app makes at start-up
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("new", "hash"):
        command = commands.add_parser(name)
        command.add_argument("label", help="names the key in the access log: letters, digits, . _ -")
        command.add_argument("--read", action="store_true", help="a key that may list and download, not upload or delete")
    args = parser.parse_args(argv)
    access = READ if args.read else WRITE
    try:
        if args.command == "new":
            key = new_key()
            line = entry(args.label, key, access)
            print(f"key (shown once; give it to the client): {key}")
            print(f"line for API_KEY_SHA256:                 {line}")
        else:
            print(entry(args.label, sys.stdin.readline().strip(), access))
    except (ValueError, UnicodeEncodeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
