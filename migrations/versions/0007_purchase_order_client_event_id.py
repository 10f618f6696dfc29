"""a purchase order made by hand can carry the id its page made for it

A retry after a lost answer (the desk's Wi-Fi) made a second draft, which could then be sent to the supplier: with
the id the page made, a replay returns the first order. Orders made before, and by the suggestions, have none.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 16:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_event_id', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint('uq_purchase_orders_client_event_id', ['client_event_id'])


def downgrade():
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.drop_constraint('uq_purchase_orders_client_event_id', type_='unique')
        batch_op.drop_column('client_event_id')
