"""account.token_version: revoke every token of an account at once (logout, password change, deactivation)

Revision ID: 0002_i11a_token_version
Revises: 0002_i13_onboarding
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_i11a_token_version"
down_revision: str | None = "0002_i13_onboarding"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("token_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("token_version")
