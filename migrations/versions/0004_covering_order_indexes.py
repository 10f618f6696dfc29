"""covering indexes for what a scan reads of its order

A receive or pick reads what each line of its order has had so far (a sum of movements) and the order's
event summary. With single-column indexes each of those rows was a visit to the table, so a scan cost more
the more scans its order had had; these indexes hold every column those reads need. Each replaces the
single-column index it starts with.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 12:55:00
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# (table, old single-column index, its column, new index, its columns)
CHANGES = (
    ("movements", "ix_movements_po_line_id", "po_line_id", "ix_movements_po_line_id_kind_qty",
     ["po_line_id", "kind", "qty"]),
    ("movements", "ix_movements_so_line_id", "so_line_id", "ix_movements_so_line_id_kind_qty",
     ["so_line_id", "kind", "qty"]),
    ("purchase_order_events", "ix_purchase_order_events_order_id", "order_id", "ix_purchase_order_events_summary",
     ["order_id", "kind", "line_id", "occurred_at"]),
    ("sales_order_events", "ix_sales_order_events_order_id", "order_id", "ix_sales_order_events_summary",
     ["order_id", "kind", "line_id", "occurred_at"]),
)


def upgrade():
    for table, old, _, new, columns in CHANGES:
        op.create_index(new, table, columns)
        op.drop_index(old, table_name=table)


def downgrade():
    for table, old, column, new, _ in CHANGES:
        op.create_index(old, table, [column])
        op.drop_index(new, table_name=table)
