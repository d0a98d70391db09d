"""Column types shared by several tables."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Enum
from sqlalchemy.types import TypeDecorator
from sqlmodel import Column, Field

# Ids are bounded where they enter: PostgreSQL's INTEGER stops at 2³¹−1 and SQLite's at 2⁶³−1, and a larger number
# sent to either is a driver error, not "not found".
MAX_ID = 2**31 - 1


def id_field(**kwargs: Any) -> Any:
    """An id as input names it: 1 … MAX_ID (a table's foreign key takes the same bounds through its base)."""
    return Field(ge=1, le=MAX_ID, **kwargs)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    PostgreSQL's timestamptz does this itself; SQLite stores no offset, so its values are written as UTC and given
    the UTC zone when read (otherwise the API would publish datetimes without a timezone).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Aware values are converted to UTC; naive ones are taken to be UTC already."""
        return value.astimezone(UTC) if value is not None and value.tzinfo is not None else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Naive values (SQLite) are UTC."""
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def utc_datetime(nullable: bool = False, index: bool = False, **kwargs: Any) -> Any:
    """A timezone-aware timestamp column (UTC on SQLite, timestamptz on PostgreSQL)."""
    return Field(sa_column=Column(UtcDateTime(), nullable=nullable, index=index), **kwargs)


def json_column(**kwargs: Any) -> Any:
    """A JSON column: lists of aliases, audit snapshots."""
    return Field(sa_column=Column(JSON, nullable=True), **kwargs)


def enum_column(enum: type[StrEnum], *, index: bool = False, nullable: bool = False, **kwargs: Any) -> Any:
    """An enum stored as its plain value in a VARCHAR, so adding a member needs no type migration."""
    sa_enum = Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=40,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
    return Field(sa_column=Column(sa_enum, nullable=nullable, index=index), **kwargs)


# Litestar's OpenAPI generator drops a falsy bound (`ge=0`); a field with one repeats it for the schema with this.
MINIMUM_ZERO = {"json_schema_extra": {"minimum": 0}}
