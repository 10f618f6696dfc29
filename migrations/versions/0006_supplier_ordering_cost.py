"""a supplier's cost of one order, for the economic order quantity

Until now the plan ordered four weeks of forecast demand for every product: nothing said what an order costs,
so there was nothing to weigh against holding stock. A supplier may now carry that cost; its products are
then ordered by the EOQ. Existing suppliers have none (null) and are planned as before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 09:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ordering_cost', sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_column('ordering_cost')
