"""Errors: the ones the emulator answers with over HTTP, and the ones a test script sees."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An answer `{"ok": false, ...}` with Telegram's status code and description."""

    def __init__(
        self, code: int, description: str, *, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def forbidden(description: str) -> ApiError:
    return ApiError(403, f"Forbidden: {description}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        parameters={"retry_after": retry_after},
    )


class EmulatorError(Exception):
    """A scripted user tried something a Telegram client would not let them do."""


class WaitTimeout(AssertionError):
    """Nothing matching arrived in time; the message carries the chat's transcript."""
