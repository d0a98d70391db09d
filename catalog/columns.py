"""Column types shared by several tables."""

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, Enum
from sqlmodel import Column, Field


def utc_datetime(nullable: bool = False, index: bool = False, **kwargs: Any) -> Any:
    """A timezone-aware timestamp column (SQLite keeps the offset as text, PostgreSQL uses timestamptz)."""
    return Field(sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index), **kwargs)


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
