"""Imports every table module so SQLModel.metadata is complete (for Alembic and tests)."""

from sqlmodel import SQLModel

from catalog import (  # noqa: F401  (imported for their tables)
    accounts,
    analytics,
    audit,
    categories,
    certifications,
    evidence,
    generation,
    invites,
    labels,
    outbox,
    packaging,
    plans,
    producers,
    products,
    reports,
    scans,
    stores,
    substitutes,
    sync_state,
    tags,
    worker_leases,
)

metadata = SQLModel.metadata
