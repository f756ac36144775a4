"""Errors that reach a person: each carries a message fit to show as it is."""

from __future__ import annotations


class KefuError(Exception):
    """A failure with a message for a person (CLI, form, API envelope)."""

    code = "error"

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(KefuError):
    code = "not_found"


class InvalidInput(KefuError):
    code = "invalid"


class Forbidden(KefuError):
    code = "forbidden"
