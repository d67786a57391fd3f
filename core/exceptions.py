"""Errors raised by services. They know nothing of HTTP: the admin shows them as form
errors and the API renders them as incident.io's 422 body (``core/api/errors.py``)."""


class DomainError(Exception):
    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def as_error(self) -> dict:
        error = {"code": self.code, "message": self.message}
        if self.field:
            error["source"] = {"field": self.field}
        return error


class NotFound(DomainError):
    """A referenced object does not exist (or is not visible to the caller)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__("not_found", message, field=field)


class Conflict(DomainError):
    """The change would break a rule of the data (in use, duplicate name, ...)."""
