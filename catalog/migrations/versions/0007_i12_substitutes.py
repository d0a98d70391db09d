"""substitute groups below categories; products point at theirs

Revision ID: 0002_i12_substitutes
Revises: 0002_i11a_token_version
Create Date: 2026-11-30 01:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002_i12_substitutes'
down_revision: str | None = '0002_i11a_token_version'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('substitute_group',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('category_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name_vi', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.ForeignKeyConstraint(['category_code'], ['category.code'], name=op.f('fk_substitute_group_category_code_category')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_substitute_group'))
    )
    with op.batch_alter_table('substitute_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_substitute_group_category_code'), ['category_code'], unique=False)
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('substitute_group', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_product_substitute_group'), ['substitute_group'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_product_substitute_group_substitute_group'), 'substitute_group', ['substitute_group'], ['code']
        )


def downgrade() -> None:
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_product_substitute_group_substitute_group'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_product_substitute_group'))
        batch_op.drop_column('substitute_group')
    with op.batch_alter_table('substitute_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_substitute_group_category_code'))
    op.drop_table('substitute_group')
