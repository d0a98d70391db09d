"""catalog_generation (the number every committed catalog change moves on, so cached pages know they are stale) and
worker_lease (which app process drains the outbox)

Revision ID: 0009_catalog_generation
Revises: 0008_proposed_gs1_prefixes
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_catalog_generation"
down_revision: str | None = "0008_proposed_gs1_prefixes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_generation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.execute("INSERT INTO catalog_generation (id, value) VALUES (1, 0)")
    op.create_table(
        "worker_lease",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("holder", sa.String(length=80), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("worker_lease")
    op.drop_table("catalog_generation")
