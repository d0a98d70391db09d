"""Typed domain errors; service/errors.py is the one place that maps them to HTTP."""


class CatalogError(Exception):
    """A rule the client broke and can fix."""

    field: str | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        if field is not None:
            self.field = field


class NotFound(CatalogError):
    """The thing asked for does not exist (or is not visible to the asker)."""


class PermissionDenied(CatalogError):
    """The actor may not do this to this thing."""


class Conflict(CatalogError):
    """The change clashes with the current state (a duplicate, a wrong status)."""


class StaleVersion(Conflict):
    """An update was based on an outdated version of the row."""

    field = "version"

    def __init__(self, sent: int, current: int) -> None:
        super().__init__(f"version {sent} is out of date; the current version is {current}")
        self.sent = sent
        self.current = current


class InvalidGtin(CatalogError, ValueError):
    """A GTIN that is malformed or has a wrong check digit."""

    field = "gtin"

    def __init__(self, message: str, expected_digit: int | None = None) -> None:
        super().__init__(message)
        self.expected_digit = expected_digit


class RateLimited(CatalogError):
    """Too many requests of one kind in a short time; the client may try again after `retry_after_s` seconds."""

    def __init__(self, message: str, retry_after_s: int, field: str | None = None) -> None:
        super().__init__(message, field)
        self.retry_after_s = retry_after_s


class DatabaseBusy(CatalogError):
    """The database could not take this write in time (SQLite's one write lock); trying again shortly works."""
