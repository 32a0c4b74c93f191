"""The error every route raises for a client mistake or a refusal: JSON with a status."""

from __future__ import annotations

from collections.abc import Mapping


class ApiError(Exception):
    """An error the client gets as JSON with this status (and these headers, e.g. WWW-Authenticate)."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
