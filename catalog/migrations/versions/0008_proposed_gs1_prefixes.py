"""producer.gs1_prefixes_proposed: GS1 company prefixes a producer states, waiting for the province to confirm

Revision ID: 0008_proposed_gs1_prefixes
Revises: 0002_i12_substitutes
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_proposed_gs1_prefixes"
down_revision: str | None = "0002_i12_substitutes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # recreate="never": a plain ADD COLUMN; rebuilding `producer` would only copy rows for nothing.
    with op.batch_alter_table("producer", recreate="never") as batch:
        batch.add_column(sa.Column("gs1_prefixes_proposed", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("producer", recreate="never") as batch:
        batch.drop_column("gs1_prefixes_proposed")
