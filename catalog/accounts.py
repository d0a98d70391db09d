"""Accounts of the people who change the catalog; password hashing lives in the service."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from catalog.clock import utcnow
from catalog.columns import enum_column, utc_datetime


class Role(StrEnum):
    """What an account acts as."""

    ADMIN = "admin"  # the provincial department
    PRODUCER = "producer"
    STORE = "store"


class Account(SQLModel, table=True):
    """A login, acting for one producer, one store, or the province."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=300)
    role: Role = enum_column(Role)
    producer_id: int | None = Field(default=None, foreign_key="producer.id", index=True)
    store_id: int | None = Field(default=None, foreign_key="store.id", index=True)
    active: bool = True
    created_at: datetime = utc_datetime(default_factory=utcnow)
