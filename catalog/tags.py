"""Shelf tags: short random codes printed as QR codes on shelves."""

import random
from datetime import datetime

from sqlmodel import Field, SQLModel

from catalog.clock import utcnow
from catalog.columns import utc_datetime

# Crockford base32: no I, L, O or U, so a code read aloud or typed from a blurred label is unambiguous.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8


class ShelfTag(SQLModel, table=True):
    """A printed tag for a product, optionally in one store's context."""

    __tablename__ = "shelf_tag"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=CODE_LENGTH, unique=True)
    product_id: int = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    store_id: int | None = Field(default=None, foreign_key="store.id", index=True, ondelete="CASCADE")
    created_at: datetime = utc_datetime(default_factory=utcnow)


def new_code(rng: random.Random) -> str:
    """Eight Crockford base32 characters: short to print, no I/L/O/U to misread."""
    return "".join(rng.choice(CROCKFORD) for _ in range(CODE_LENGTH))


def public_path(code: str) -> str:
    """The path a printed tag points at; the host comes from the service's settings."""
    return f"/t/{code}"


def normalise_code(value: str) -> str | None:
    """Upper-case a scanned or typed code and map Crockford's look-alikes; None if it cannot be a code."""
    code = value.strip().upper().translate(str.maketrans({"I": "1", "L": "1", "O": "0"}))
    if len(code) != CODE_LENGTH or any(ch not in CROCKFORD for ch in code):
        return None
    return code
