"""onboarding invites, store contact, evidence files, printed-at on shelf tags

Revision ID: 0002_i13_onboarding
Revises: 0002_i10_honest_data
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0002_i13_onboarding'
down_revision: str | None = '0002_i10_honest_data'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_invite_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['account.id'], name=op.f('fk_invite_created_by_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_invite_token_sha256'))
    )
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invite_account_id'), ['account_id'], unique=False)

    op.create_table('evidence_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certification_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certification_id'], ['certification.id'], name=op.f('fk_evidence_file_certification_id_certification'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['account.id'], name=op.f('fk_evidence_file_uploaded_by_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_file'))
    )
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_file_certification_id'), ['certification_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_file_sha256'), ['sha256'], unique=False)

    with op.batch_alter_table('shelf_tag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('printed_at', sa.DateTime(timezone=True), nullable=True))

    # A store keeps its contact and a description of itself, as a producer does.
    with op.batch_alter_table('store', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('description_vi', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True))
        batch_op.add_column(sa.Column('description_en', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('store', schema=None) as batch_op:
        for column in ('description_en', 'description_vi', 'email', 'phone'):
            batch_op.drop_column(column)
    with op.batch_alter_table('shelf_tag', schema=None) as batch_op:
        batch_op.drop_column('printed_at')
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_file_sha256'))
        batch_op.drop_index(batch_op.f('ix_evidence_file_certification_id'))
    op.drop_table('evidence_file')
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invite_account_id'))
    op.drop_table('invite')
