"""returns, refunds, after-sales cases

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 01:45:00

The after-sales room's tables (db/models_aftersales.py): the register of cases, return parcels
and the units received in them, the platform's refunds and finance's refund instructions,
reships linked to their original, courier claims and intercepts, and the tracking updates of
shipped parcels. New tables only: nothing of the floor's tables changes, on either store.
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('aftersales_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('order_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('buyer', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('claim', sa.Text(), nullable=False),
    sa.Column('solution', sa.Text(), nullable=False),
    sa.Column('verdict', sa.Text(), nullable=False),
    sa.Column('tracking_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('opened_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('handler', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('responsible', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('responsible_step', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('confirmed_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('solved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_aftersales_case_order_id'), 'aftersales_case', ['order_id'], unique=False)
    op.create_index(op.f('ix_aftersales_case_state'), 'aftersales_case', ['state'], unique=False)
    op.create_table('tracking_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tracking_no', 'at', 'status', name='uq_tracking_status')
    )
    op.create_index('ix_tracking_status_no_at', 'tracking_status', ['tracking_no', 'at'], unique=False)
    op.create_table('refund',
    sa.Column('refund_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('order_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('return_tracking', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('acted', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('refund_no')
    )
    op.create_index(op.f('ix_refund_order_no'), 'refund', ['order_no'], unique=False)
    op.create_table('courier_intercept',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('tracking_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('refund_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('requested_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('settled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_courier_intercept_order_id'), 'courier_intercept', ['order_id'], unique=False)
    op.create_table('courier_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('courier', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('tracking_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('photos', sa.Text(), nullable=False),
    sa.Column('claimed', sa.Float(), nullable=False),
    sa.Column('paid', sa.Float(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('filed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('settled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_case.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_courier_claim_case_id'), 'courier_claim', ['case_id'], unique=False)
    op.create_table('reship',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('original_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_case.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['original_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('order_id')
    )
    op.create_index(op.f('ix_reship_original_id'), 'reship', ['original_id'], unique=False)
    op.create_table('return_parcel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('refund_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('tracking_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('declared', sa.Text(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('registered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('received_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_case.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_return_parcel_order_id'), 'return_parcel', ['order_id'], unique=False)
    op.create_index(op.f('ix_return_parcel_state'), 'return_parcel', ['state'], unique=False)
    op.create_index(op.f('ix_return_parcel_tracking_no'), 'return_parcel', ['tracking_no'], unique=False)
    op.create_table('refund_instruction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('order_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('refund_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('exported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['return_id'], ['return_parcel.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_refund_instruction_return_id'), 'refund_instruction', ['return_id'],
                    unique=False)
    op.create_table('return_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('sku', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('grade', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('operator', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['return_parcel.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_return_item_return_id'), 'return_item', ['return_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_return_item_return_id'), table_name='return_item')
    op.drop_table('return_item')
    op.drop_index(op.f('ix_refund_instruction_return_id'), table_name='refund_instruction')
    op.drop_table('refund_instruction')
    op.drop_index(op.f('ix_return_parcel_tracking_no'), table_name='return_parcel')
    op.drop_index(op.f('ix_return_parcel_state'), table_name='return_parcel')
    op.drop_index(op.f('ix_return_parcel_order_id'), table_name='return_parcel')
    op.drop_table('return_parcel')
    op.drop_index(op.f('ix_reship_original_id'), table_name='reship')
    op.drop_table('reship')
    op.drop_index(op.f('ix_courier_claim_case_id'), table_name='courier_claim')
    op.drop_table('courier_claim')
    op.drop_index(op.f('ix_courier_intercept_order_id'), table_name='courier_intercept')
    op.drop_table('courier_intercept')
    op.drop_index(op.f('ix_refund_order_no'), table_name='refund')
    op.drop_table('refund')
    op.drop_index('ix_tracking_status_no_at', table_name='tracking_status')
    op.drop_table('tracking_status')
    op.drop_index(op.f('ix_aftersales_case_state'), table_name='aftersales_case')
    op.drop_index(op.f('ix_aftersales_case_order_id'), table_name='aftersales_case')
    op.drop_table('aftersales_case')
