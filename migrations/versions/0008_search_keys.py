"""products, suppliers and customers get a search key: code and name folded (no case, no accents)

A search for "equerre" missed "Équerre" on both databases (and "équerre" missed "ÉQUERRE" on SQLite, whose lower()
knows ASCII only). Each searched row now stores its code and name lower-cased without accents, and a search folds
what was typed the same way: one plain LIKE on one column, alike on SQLite and PostgreSQL (no unaccent extension).
Existing rows are keyed here, with the folding as it is today (``server/domain/search.py``) copied below: a
migration must not change when the application's code does.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 18:00:00
"""
import unicodedata

from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TABLES = {'products': 'sku', 'suppliers': 'code', 'customers': 'code'}
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def _key(code, name):
    text = f"{code} {name or ''}".strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold()).casefold().translate(_LIGATURES)
    return "".join(c for c in decomposed if not unicodedata.combining(c))[:400]


def upgrade():
    conn = op.get_bind()
    for table, code in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_key', sa.String(length=400), nullable=True))
        t = sa.table(table, sa.column('id', sa.Integer), sa.column(code, sa.String), sa.column('name', sa.String),
                     sa.column('search_key', sa.String))
        rows = conn.execute(sa.select(t.c.id, t.c[code], t.c.name)).all()
        update = t.update().where(t.c.id == sa.bindparam('row_id')).values(search_key=sa.bindparam('key'))
        for start in range(0, len(rows), 10_000):
            conn.execute(update, [{'row_id': r[0], 'key': _key(r[1], r[2])} for r in rows[start:start + 10_000]])
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('search_key', existing_type=sa.String(length=400), nullable=False)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('search_key')
