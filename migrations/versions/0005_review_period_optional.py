"""a supplier's review period is optional: none means its products are reviewed daily

Until now every supplier held a review period (7 days unless told otherwise) that nothing used: every
product was planned on continuous review, (s, Q). The plan now uses it — a supplier with a review period
is ordered from every R days, its products up to an order-up-to level S — so the stored 7s, the default
nobody chose, are cleared: their products are planned as before. A period a buyer did choose (any other
value) is kept and now takes effect.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 03:10:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.alter_column('review_period_days', existing_type=sa.Integer(), nullable=True)
    op.execute("UPDATE suppliers SET review_period_days = NULL WHERE review_period_days = 7")


def downgrade():
    op.execute("UPDATE suppliers SET review_period_days = 7 WHERE review_period_days IS NULL")
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.alter_column('review_period_days', existing_type=sa.Integer(), nullable=False)
