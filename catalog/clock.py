"""Timestamps stored by the catalog: always timezone-aware UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current instant in UTC; the one default for created/updated columns."""
    return datetime.now(UTC)
