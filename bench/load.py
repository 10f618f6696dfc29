"""Load benchmark: Tendu under gunicorn, 100k products and 5M movements, N clients posting scans and look-ups.

    .venv/bin/python bench/load.py                       # SQLite, 16 clients, 20 s per phase
    .venv/bin/python bench/load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/tendu_bench

What it does, in one run:

1. **Seed** (once, then cached). SQLite: a database file under ``--cache-dir`` keyed by the migrations and the
   seed parameters; each run works on a fresh copy of it. PostgreSQL: the database named by the URL is
   seeded when it does not hold this seed yet (its tables are dropped first), and reused as it is
   otherwise. The schema comes from the Alembic migrations; master data goes in with SQLAlchemy Core, the
   movements and stock levels with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL). 100,000 products with
   an EAN-13 barcode each, 5,000,000 movements (opening stock, then rounds of receipt → put-away → pick →
   shipment, interleaved in time across products), stock levels summed from them, and open purchase and
   sales orders for the clients to work on. ``flask --app wsgi ledger check`` is clean on the result
   (``--check`` runs it).
2. **Serve**: ``gunicorn -c gunicorn.conf.py wsgi:app`` on a free loopback port (``--workers``,
   ``--threads``, ``--worker-class`` override the config file), access log to a file.
3. **Drive** ``--clients`` concurrent keep-alive connections (one asyncio loop, plain HTTP/1.1 over
   ``asyncio`` streams: no dependency) through three timed phases on the same server:
   ``scan`` (POST /api/v1/scans: receive against open purchase orders and pick against open sales
   orders, alternately, with the products' real barcodes), ``lookup`` (GET /api/v1/lookup?code=<EAN-13>
   of a random product) and ``healthz`` (GET /healthz, the reference). Each phase has a warm-up that is
   not counted. It prints requests/s, p50/p95/p99 latency, errors (transport failures and any status
   other than the expected one), the ratio to /healthz, the server's CPU time per answer (gunicorn's master
   and workers, from /proc) and the load average of the machine.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED_VERSION = 3          # bump when the seeding below changes what it writes
PASSWORD = "bench-operator-pw"
BINS = 2000
SUPPLIERS = 100
CUSTOMERS = 200
LINES_PER_ORDER = 5
LINE_QTY = 20             # units per open order line (one unit per scan)
ROUNDS_PER_CYCLE = 4      # receipt, put-away, pick, shipment


# --------------------------------------------------------------------------------------------- seeding

def ean13(n: int) -> str:
    """A valid EAN-13 in a private GS1 prefix range (20-29 is for in-store use: never collides)."""
    body = f"2{n:011d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def gtin14(code13: str) -> str:
    return "0" + code13


def schema_key(args) -> str:
    h = hashlib.sha256()
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(f"{SEED_VERSION}:{args.products}:{args.movements}:{args.open_orders}".encode())
    return h.hexdigest()[:12]


def make_app(url: str):
    from server import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {},
                       "TENDU_INSTANCE_PATH": str(Path("/tmp") / "tendu-bench-instance")})


def _dt(value: datetime, dialect: str) -> str:
    # What SQLAlchemy writes for a UTC DateTime on SQLite; a timestamptz literal on PostgreSQL.
    if dialect == "sqlite":
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.strftime("%Y-%m-%d %H:%M:%S.%f+00")


def seed(url: str, args, key: str) -> None:
    """Fill an empty database (schema from the migrations) with the benchmark's data."""
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select, text

    from server.domain.search import search_key
    from server.extensions import db
    from server.models import (Barcode, Customer, Location, Movement, MovementKind, Product, PurchaseOrder,
                               PurchaseOrderEvent, PurchaseOrderLine, SalesOrder, SalesOrderEvent, SalesOrderLine,
                               StockLevel, Supplier)
    from server.services import auth

    rnd = random.Random(20240611)
    app = make_app(url)
    t0 = time.monotonic()
    with app.app_context():
        dialect = db.engine.dialect.name
        if dialect == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        s = db.session
        now = datetime.now(timezone.utc).replace(microsecond=0)
        start = now - timedelta(days=730)
        auth.create_user("bench", "operator", PASSWORD)
        s.execute(insert(Location), [{"code": "DOCK-1", "name": "Dock", "kind": "dock", "walk_order": 0},
                                     {"code": "DISPATCH-1", "name": "Dispatch", "kind": "dispatch", "walk_order": 0}]
                  + [{"code": f"B{i:05d}", "name": f"Bin {i}", "kind": "bin", "walk_order": i}
                     for i in range(1, BINS + 1)])
        # (bulk inserts bypass the ORM's events: they pass the search key themselves)
        s.execute(insert(Supplier), [{"code": f"SUP{i:03d}", "name": f"Supplier {i}",
                                      "search_key": search_key(f"SUP{i:03d}", f"Supplier {i}")}
                                     for i in range(1, SUPPLIERS + 1)])
        s.execute(insert(Customer), [{"code": f"CUS{i:03d}", "name": f"Customer {i}",
                                      "search_key": search_key(f"CUS{i:03d}", f"Customer {i}")}
                                     for i in range(1, CUSTOMERS + 1)])
        s.commit()
        loc = dict(s.execute(select(Location.code, Location.id)).all())
        dock, dispatch = loc["DOCK-1"], loc["DISPATCH-1"]
        bin_ids = [loc[f"B{i:05d}"] for i in range(1, BINS + 1)]
        sup_ids = list(s.scalars(select(Supplier.id).order_by(Supplier.id)))
        cus_ids = list(s.scalars(select(Customer.id).order_by(Customer.id)))
        n = args.products
        for lo in range(0, n, 20_000):
            rows = range(lo, min(n, lo + 20_000))
            s.execute(insert(Product), [{"sku": f"P{i + 1:06d}", "name": f"Product {i + 1}",
                                         "search_key": search_key(f"P{i + 1:06d}", f"Product {i + 1}"),
                                         "unit_cost": (i % 500) / 10 + 1, "supplier_id": sup_ids[i % SUPPLIERS],
                                         "created_at": start, "updated_at": start} for i in rows])
        s.commit()
        pid = dict(s.execute(select(Product.sku, Product.id)).all())
        product_ids = [pid[f"P{i + 1:06d}"] for i in range(n)]
        for lo in range(0, n, 20_000):
            s.execute(insert(Barcode), [{"code": gtin14(ean13(i + 1)), "product_id": product_ids[i], "pack_qty": 1,
                                         "created_at": start} for i in range(lo, min(n, lo + 20_000))])
        s.commit()
        print(f"seed: master data in {time.monotonic() - t0:.0f}s", flush=True)

        # Movements: round 0 opens stock in the product's bin; then cycles receipt → put-away → pick → shipment.
        # Rounds are interleaved in time across products, as a real ledger is (one product's rows spread out).
        rounds = max(1, args.movements // n)
        extra = args.movements - rounds * n  # the first ``extra`` products get one more round
        stock = [0] * n                      # thousandths, in the product's bin
        home = [bin_ids[i % BINS] for i in range(n)]
        step = (now - timedelta(days=1) - start) / (rounds + 1)
        cols = ("id", "client_event_id", "kind", "product_id", "qty", "from_location_id", "to_location_id", "lot",
                "expiry", "unit_cost", "reason", "reverses_id", "po_line_id", "so_line_id", "occurred_at",
                "recorded_at", "user_id", "device")
        raw = db.engine.raw_connection()
        cur = raw.cursor()
        dropped = []
        if dialect == "sqlite":
            cur.execute("PRAGMA synchronous=OFF")
            # Tendu's connections leave checkpoints to the app (wal_autocheckpoint=0): without this the WAL of
            # a bulk load grows to tens of gigabytes.
            cur.execute("PRAGMA wal_autocheckpoint=10000")
            dropped = [sql for (sql,) in cur.execute(
                "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='movements' AND sql IS NOT NULL")]
            for sql in dropped:
                cur.execute("DROP INDEX " + sql.split()[2 if sql.split()[1] == "INDEX" else 3])
            raw.commit()
        mid = 0
        pending_qty = [0] * n
        for r in range(rounds + (1 if extra else 0)):
            batch = []
            t_round = start + step * (r + 1)
            t_sql = _dt(t_round, dialect)
            count = n if r < rounds else extra
            phase = (r - 1) % ROUNDS_PER_CYCLE if r else -1
            for i in range(count):
                mid += 1
                cid = f"00000000-0000-4000-8000-{mid:012x}"
                p = product_ids[i]
                if phase == -1:        # opening stock in the bin
                    q = (200 + rnd.randrange(0, 200)) * 1000
                    stock[i] += q
                    row = (mid, cid, int(MovementKind.OPENING), p, q, None, home[i])
                elif phase == 0:       # receipt at the dock
                    q = rnd.randrange(5, 50) * 1000
                    pending_qty[i] = q
                    row = (mid, cid, int(MovementKind.RECEIPT), p, q, None, dock)
                elif phase == 1:       # put away into the bin
                    q = pending_qty[i]
                    stock[i] += q
                    row = (mid, cid, int(MovementKind.PUT_AWAY), p, q, dock, home[i])
                elif phase == 2:       # picked for an order, into dispatch
                    q = min(stock[i] - 150_000, rnd.randrange(5, 50) * 1000)
                    q = max(q, 1000)
                    stock[i] -= q
                    pending_qty[i] = q
                    row = (mid, cid, int(MovementKind.PICK), p, q, home[i], dispatch)
                else:                  # shipped out
                    q = pending_qty[i]
                    row = (mid, cid, int(MovementKind.SHIPMENT), p, q, dispatch, None)
                batch.append(row + ("", None, None, None, None, None, None, t_sql, t_sql, None, "seed"))
            _bulk(cur, dialect, "movements", cols, batch)
            raw.commit()
            if r % 5 == 0:
                print(f"seed: {mid:,} movements ({time.monotonic() - t0:.0f}s)", flush=True)
        # A trailing receipt without its put-away leaves stock at the dock, a trailing pick leaves it in
        # dispatch: the levels below are summed from what was written, whatever the last round was.
        levels: dict[tuple[int, int], int] = {}
        if dialect == "sqlite":
            for sql in dropped:
                cur.execute(sql)
            raw.commit()
        cur.execute("SELECT product_id, location_id, SUM(d) FROM ("
                    " SELECT product_id, to_location_id AS location_id, qty AS d FROM movements"
                    "  WHERE to_location_id IS NOT NULL"
                    " UNION ALL SELECT product_id, from_location_id, -qty FROM movements"
                    "  WHERE from_location_id IS NOT NULL) AS x GROUP BY product_id, location_id")
        for p, location, q in cur.fetchall():
            if q:
                levels[(p, location)] = int(q)
        raw.commit()
        rows = [(k + 1, p, location, "", None, q) for k, ((p, location), q) in enumerate(sorted(levels.items()))]
        _bulk(cur, dialect, "stock_levels", ("id", "product_id", "location_id", "lot", "expiry", "qty"), rows)
        if dialect == "postgresql":
            for table in ("movements", "stock_levels"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        raw.commit()
        raw.close()
        print(f"seed: {mid:,} movements, {len(rows):,} stock levels ({time.monotonic() - t0:.0f}s)", flush=True)

        # Open orders for the clients: distinct products, so no two clients fight over a product.
        on_hand = {p: q for (p, location), q in levels.items() if location in set(bin_ids)}
        chosen = rnd.sample(range(n), 2 * args.open_orders * LINES_PER_ORDER)
        po_products = [product_ids[i] for i in chosen[:args.open_orders * LINES_PER_ORDER]]
        so_products = [product_ids[i] for i in chosen[args.open_orders * LINES_PER_ORDER:]]
        ordered = now - timedelta(days=3)
        pos = [{"number": f"PO-B{k:06d}", "supplier_id": sup_ids[k % SUPPLIERS], "status": "ordered",
                "promised_date": (now + timedelta(days=2)).date(), "created_at": ordered}
               for k in range(args.open_orders)]
        s.execute(insert(PurchaseOrder), pos)
        po_id = dict(s.execute(select(PurchaseOrder.number, PurchaseOrder.id)
                               .where(PurchaseOrder.number.like("PO-B%"))).all())
        s.execute(insert(PurchaseOrderLine), [
            {"order_id": po_id[f"PO-B{k:06d}"], "product_id": po_products[k * LINES_PER_ORDER + j],
             "qty_ordered": LINE_QTY, "unit_cost": 2} for k in range(args.open_orders) for j in range(LINES_PER_ORDER)])
        s.execute(insert(PurchaseOrderEvent), [
            {"order_id": po_id[f"PO-B{k:06d}"], "kind": "ordered", "client_event_id": str(uuid.UUID(int=k + 1)),
             "occurred_at": ordered, "recorded_at": ordered} for k in range(args.open_orders)])
        sos = [{"number": f"SO-B{k:06d}", "customer_id": cus_ids[k % CUSTOMERS], "status": "ordered",
                "ordered_at": ordered, "created_at": ordered} for k in range(args.open_orders)]
        s.execute(insert(SalesOrder), sos)
        so_id = dict(s.execute(select(SalesOrder.number, SalesOrder.id)
                               .where(SalesOrder.number.like("SO-B%"))).all())
        lines = []
        for k in range(args.open_orders):
            for j in range(LINES_PER_ORDER):
                p = so_products[k * LINES_PER_ORDER + j]
                assert on_hand.get(p, 0) >= LINE_QTY * 1000, "seed: not enough stock for a sales order line"
                lines.append({"order_id": so_id[f"SO-B{k:06d}"], "product_id": p, "qty_ordered": LINE_QTY,
                              "unit_price": 5, "qty_reserved": LINE_QTY, "qty_short": 0})
        s.execute(insert(SalesOrderLine), lines)
        s.execute(insert(SalesOrderEvent), [
            {"order_id": so_id[f"SO-B{k:06d}"], "kind": "ordered",
             "client_event_id": str(uuid.UUID(int=(1 << 64) + k + 1)), "occurred_at": ordered,
             "recorded_at": ordered} for k in range(args.open_orders)])
        s.execute(text("CREATE TABLE IF NOT EXISTS bench_seed (key VARCHAR(64) PRIMARY KEY)"))
        s.execute(text("INSERT INTO bench_seed (key) VALUES (:k)"), {"k": key})
        s.commit()
        total = s.scalar(select(func.count()).select_from(Movement))
        levels_n = s.scalar(select(func.count()).select_from(StockLevel))
        s.commit()
        db.session.remove()
        raw = db.engine.raw_connection()   # outside any transaction
        cur = raw.cursor()
        if dialect == "postgresql":
            cur.execute("ANALYZE")         # what autovacuum would soon do
            raw.commit()
        else:
            # No ANALYZE: Tendu never runs it, so a real SQLite database has no statistics either (and these,
            # with no historical movement on an order line, would steer the planner away from those indexes).
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
        db.engine.dispose()
    print(f"seed: done, {total:,} movements, {levels_n:,} stock levels, {time.monotonic() - t0:.0f}s", flush=True)


def _bulk(cur, dialect: str, table: str, cols: tuple, rows: list) -> None:
    if dialect == "sqlite":
        cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)
        return
    with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seeded_key(url: str) -> str | None:
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT key FROM bench_seed")).scalar()
    except Exception:
        return None
    finally:
        engine.dispose()


def prepare_database(args) -> tuple[str, Path | None]:
    """The URL the server will use: a fresh copy of the cached SQLite seed, or the seeded PostgreSQL database."""
    key = schema_key(args)
    if args.database_url:
        if args.reseed or seeded_key(args.database_url) != key:
            print(f"seed: seeding {args.database_url} (key {key})", flush=True)
            seed(args.database_url, args, key)
        else:
            print(f"seed: {args.database_url} already holds seed {key}; reusing it", flush=True)
        return args.database_url, None
    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    seeded = cache / f"seed-{key}.db"
    if args.reseed or not seeded.exists():
        building = cache / f"seed-{key}.building.db"
        for suffix in ("", "-wal", "-shm", "-writers.lock"):
            Path(str(building) + suffix).unlink(missing_ok=True)
        print(f"seed: building {seeded} (cached for later runs)", flush=True)
        seed(f"sqlite:///{building}", args, key)
        building.rename(seeded)
        Path(str(building) + "-writers.lock").unlink(missing_ok=True)  # the seed's writers' queue (server/database)
    else:
        print(f"seed: using cached {seeded}", flush=True)
    work = cache / f"run-{os.getpid()}.db"
    t = time.monotonic()
    shutil.copyfile(seeded, work)
    # Written out now: otherwise the kernel flushes the copy's 1.5 GB while the phases are measured.
    fd = os.open(work, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    print(f"seed: copied to {work} in {time.monotonic() - t:.1f}s", flush=True)
    return f"sqlite:///{work}", work


def ledger_check(url: str) -> bool:
    env = {**os.environ, "TENDU_DATABASE_URL": url}
    out = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "ledger", "check"], cwd=ROOT,
                         env=env, capture_output=True, text=True)
    said = (out.stdout.strip() or out.stderr.strip()).splitlines()  # the verdict; progress lines are on stderr
    print(f"{said[-1] if said else 'ledger check: exit ' + str(out.returncode)}")
    return out.returncode == 0


# --------------------------------------------------------------------------------------------- work plan

def plan(url: str) -> tuple[list, list, list]:
    """Open receive and pick work left in the database, and every product's barcode for look-ups."""
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as conn:
        receive = conn.execute(text("""
            SELECT po.number, b.code, l.qty_ordered - COALESCE((SELECT SUM(m.qty) FROM movements m
                    WHERE m.po_line_id = l.id AND m.kind = 10), 0)
              FROM purchase_orders po JOIN purchase_order_lines l ON l.order_id = po.id
              JOIN barcodes b ON b.product_id = l.product_id
             WHERE po.number LIKE 'PO-B%' ORDER BY po.id, l.id""")).all()
        pick = conn.execute(text("""
            SELECT so.number, b.code, loc.code, l.qty_ordered - l.qty_short - COALESCE((SELECT SUM(m.qty)
                    FROM movements m WHERE m.so_line_id = l.id AND m.kind = 30), 0)
              FROM sales_orders so JOIN sales_order_lines l ON l.order_id = so.id
              JOIN barcodes b ON b.product_id = l.product_id
              JOIN stock_levels sl ON sl.product_id = l.product_id AND sl.qty > 0
              JOIN locations loc ON loc.id = sl.location_id AND loc.kind = 'bin'
             WHERE so.number LIKE 'SO-B%' AND so.status NOT IN ('shipped', 'cancelled') ORDER BY so.id, l.id""")).all()
        codes = [c for (c,) in conn.execute(text("SELECT code FROM barcodes"))]
    engine.dispose()
    by_po: dict[str, list] = {}
    for number, code, left in receive:
        if left > 0:
            by_po.setdefault(number, []).append([code[1:], int(left) // 1000])
    by_so: dict[str, list] = {}
    for number, code, bin_code, left in pick:
        if left > 0:
            by_so.setdefault(number, []).append([code[1:], bin_code, int(left) // 1000])
    return list(by_po.items()), list(by_so.items()), [c[1:] for c in codes]


class Work:
    """Shared queues of open orders; each client works one order at a time, one unit per scan."""

    def __init__(self, pos, sos):
        self.pos, self.sos = list(pos), list(sos)

    def receive_scans(self):
        while self.pos:
            number, lines = self.pos.pop()
            while any(left > 0 for _, left in lines):
                for line in lines:
                    if line[1] > 0:
                        line[1] -= 1
                        yield {"action": "receive", "code": line[0], "context": {"order": number}}

    def pick_scans(self):
        while self.sos:
            number, lines = self.sos.pop()
            while any(line[2] > 0 for line in lines):
                for line in lines:
                    if line[2] > 0:
                        line[2] -= 1
                        yield {"action": "pick", "code": line[0], "context": {"order": number, "bin": line[1]}}


# --------------------------------------------------------------------------------------------- server

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, args, port: int, log: Path, app: str = "wsgi:app",
                 env: dict | None = None) -> subprocess.Popen:
    cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}",
           "--access-logfile", str(log.with_suffix(".access.log")), "--error-logfile", str(log)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    if args.worker_class:
        cmd += ["--worker-class", args.worker_class]
    if args.no_access_log:
        cmd += ["--access-logfile", "/dev/null"]
    cmd += args.gunicorn_arg or []
    cmd += [app]
    env = {**os.environ, "TENDU_DATABASE_URL": url, "TENDU_INSTANCE_PATH": "/tmp/tendu-bench-instance", **(env or {})}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    print(f"server: {' '.join(cmd[1:])} (pid {proc.pid})", flush=True)
                    return proc
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --------------------------------------------------------------------------------------------- client

def server_cpu(master: int) -> dict[int, float]:
    """CPU seconds used so far by gunicorn's master and each of its workers, by pid (Linux /proc; empty
    elsewhere). Per request, it tells a change of code from a change of machine, whose speed drifts within
    an hour (bench/README.md); per worker, a worker left without connections from a machine that was slow."""
    pids, used = [master], {}
    try:
        for task in Path(f"/proc/{master}/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    except OSError:
        return {}
    return used


class Conn:
    """One keep-alive HTTP/1.1 connection; reconnects when the server closes it."""

    def __init__(self, port: int):
        self.port, self.reader, self.writer = port, None, None

    async def request(self, method: str, path: str, body: bytes | None, headers: str) -> tuple[int, bytes]:
        for attempt in (0, 1):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
            if body is not None:
                head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            self.writer.write(head.encode() + b"\r\n" + (body or b""))
            try:
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionResetError("closed before answering")
            except (ConnectionError, asyncio.IncompleteReadError):
                # A keep-alive connection the server had already closed: nothing was read, so nothing was
                # processed for sure only for idempotent requests — scans carry their id, replays are safe.
                self.close()
                if attempt:
                    raise
                continue
            status = int(status_line.split()[1])
            length, close = 0, False
            while True:
                line = await self.reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and value.strip().lower() == "close":
                    close = True
            data = await self.reader.readexactly(length) if length else b""
            if close:
                self.close()
            return status, data
        raise RuntimeError("unreachable")

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def login(port: int, n: int) -> list[str]:
    tokens = []
    for i in range(n):
        conn = Conn(port)
        body = json.dumps({"username": "bench", "password": PASSWORD, "device": f"bench-{i}"}).encode()
        status, data = await conn.request("POST", "/api/v1/auth/tokens", body, "")
        conn.close()
        if status not in (200, 201):
            raise SystemExit(f"login failed: {status} {data[:200]!r}")
        tokens.append(json.loads(data)["token"])
    return tokens


def scan_body(scan: dict, device: str) -> bytes:
    return json.dumps({"client_event_id": str(uuid.uuid4()),
                       "occurred_at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                       "device": device, **scan}).encode()


async def phase(name: str, port: int, tokens: list[str], make_request, expected: set[int], duration: float,
                warmup: float, server: int) -> dict:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    statuses: dict[int, int] = {}
    begin = time.monotonic()
    measure_from, stop_at = begin + warmup, begin + warmup + duration
    counted = [0]
    answered: dict[int, int] = {}   # every answer, warm-up included: what /metrics must have counted

    async def client(i: int):
        conn = Conn(port)
        auth = f"Authorization: Bearer {tokens[i]}\r\n"
        try:
            while True:
                now = time.monotonic()
                if now >= stop_at:
                    return
                req = make_request(i)
                if req is None:
                    errors["out of work"] = errors.get("out of work", 0) + 1
                    return
                method, path, body = req
                t = time.perf_counter()
                try:
                    status, data = await conn.request(method, path, body, auth)
                except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                    status, data = None, repr(exc).encode()
                    conn.close()
                elapsed = time.perf_counter() - t
                if status is not None:
                    answered[status] = answered.get(status, 0) + 1
                if now < measure_from:
                    continue
                if status is None:
                    errors[data.decode()[:80]] = errors.get(data.decode()[:80], 0) + 1
                    continue
                statuses[status] = statuses.get(status, 0) + 1
                if status not in expected:
                    key = f"{status} {data[:120].decode(errors='replace')}"
                    errors[key] = errors.get(key, 0) + 1
                    continue
                latencies.append(elapsed)
                counted[0] += 1
        finally:
            conn.close()

    async def cpu_at_start():
        await asyncio.sleep(warmup)
        return server_cpu(server)

    load_before = os.getloadavg()[0]
    cpu_before, *_ = await asyncio.gather(cpu_at_start(), *(client(i) for i in range(len(tokens))))
    wall = time.monotonic() - measure_from
    cpu_after = server_cpu(server)  # (the last answers of the phase end just after stop_at)
    busy = {pid: (cpu_after[pid] - cpu_before.get(pid, 0.0)) / wall for pid in cpu_after if pid != server}
    cpu = sum(cpu_after.values()) - sum(cpu_before.values())
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000 if latencies else float("nan")

    return {"name": name, "ok": len(latencies), "rate": len(latencies) / wall, "p50": pct(50), "p95": pct(95),
            "p99": pct(99), "errors": sum(errors.values()), "error_kinds": errors, "statuses": statuses,
            "answered": answered, "load": (load_before, os.getloadavg()[0]),
            "cpu_ms": cpu / max(1, len(latencies) + sum(errors.values())) * 1000, "busy": sorted(busy.values())}


ROUTES = {"scan": "/api/v1/scans", "lookup": "/api/v1/lookup", "healthz": "/healthz"}


def scrape(port: int) -> dict:
    """Tendu's own counters from /metrics (open to loopback): requests by route and status, scans by outcome."""
    import urllib.request
    from prometheus_client.parser import text_string_to_metric_families
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as res:
        text = res.read().decode()
    out: dict = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "tendu_http_requests_total":
                key = ("requests", sample.labels["route"], int(sample.labels["status"]))
            elif sample.name == "tendu_scans_total":
                key = ("scans", sample.labels["action"], sample.labels["outcome"])
            else:
                continue
            out[key] = out.get(key, 0) + sample.value
    return out


def metrics_check(name: str, before: dict, after: dict, answered: dict) -> str:
    """Compare what /metrics counted during a phase with the answers the clients received."""
    delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    route = ROUTES[name]
    counted = {status: int(v) for (kind, r, status), v in delta.items() if kind == "requests" and r == route and v}
    line = f"{name}: /metrics counted {sum(counted.values())} requests {counted}, clients got {sum(answered.values())}"
    if name == "scan":
        scans = int(sum(v for k, v in delta.items() if k[0] == "scans"))
        line += f"; scans counted {scans}"
    same = counted == answered
    return line + (" — match" if same else " — MISMATCH")


async def drive(port: int, server: int, args, pos, sos, codes) -> list[dict]:
    tokens = await login(port, args.clients)
    work = Work(pos, sos)
    rnd = random.Random(7)
    results = []
    phases = args.phases.split(",")
    if "scan" in phases:
        gens = [(work.receive_scans(), work.pick_scans()) for _ in range(args.clients)]
        turn = [0] * args.clients

        def scan_request(i):
            turn[i] += 1
            order = (gens[i][turn[i] % 2], gens[i][(turn[i] + 1) % 2])
            for gen in order:
                scan = next(gen, None)
                if scan is not None:
                    return "POST", "/api/v1/scans", scan_body(scan, f"bench-{i}")
            return None
        results.append(await measured(port, "scan", phase("scan", port, tokens, scan_request, {201}, args.duration,
                                                          args.warmup, server)))
    if "lookup" in phases:
        def lookup_request(i):
            return "GET", "/api/v1/lookup?code=" + urllib.parse.quote(rnd.choice(codes)), None
        results.append(await measured(port, "lookup", phase("lookup", port, tokens, lookup_request, {200},
                                                            args.duration, args.warmup, server)))
    if "healthz" in phases:
        results.append(await measured(port, "healthz", phase("healthz", port, tokens,
                                                             lambda i: ("GET", "/healthz", None), {200},
                                                             args.duration, args.warmup, server)))
    return results


async def measured(port: int, name: str, run) -> dict:
    """A phase between two scrapes of /metrics, so the server's own counters can be checked against it."""
    before = await asyncio.to_thread(scrape, port)
    result = await run
    await asyncio.sleep(0.2)  # the last answers' counters are written just after the response is sent
    result["metrics"] = metrics_check(name, before, await asyncio.to_thread(scrape, port), result["answered"])
    return result


# --------------------------------------------------------------------------------------------- yardstick

BARE_ROWS = 100_000
# Tendu's phase → the bare app's phase it is compared with, its statement, and the rate issue 8 measured for
# it on its machine, "for scale".
YARDSTICK = {"scan": ("bare-ins", "INSERT", 940), "lookup": ("bare-sel", "SELECT", 1180)}


def bare_database(cache_dir: str) -> Path:
    """A fresh SQLite file for bench/bare_app.py: BARE_ROWS rows with an indexed code to select."""
    import sqlite3
    path = Path(cache_dir) / f"bare-{os.getpid()}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE hit (id INTEGER PRIMARY KEY, code VARCHAR(32) NOT NULL)")
        conn.execute("CREATE INDEX ix_hit_code ON hit (code)")
        conn.executemany("INSERT INTO hit (code) VALUES (?)", ((f"C{i:07d}",) for i in range(BARE_ROWS)))
    conn.close()
    return path


def bare(args) -> list[dict]:
    """The issue's yardstick on this machine now: bench/bare_app.py, gunicorn.conf.py's settings, the same clients."""
    path = bare_database(args.cache_dir)
    port = free_port()
    # gunicorn's own gthread unless told otherwise, as in session 6: the yardstick measures the machine, so it
    # keeps its server while Tendu's (gunicorn.conf.py's worker class) changes.
    served = argparse.Namespace(**{**vars(args), "worker_class": args.worker_class or "gthread"})
    server = start_server("", served, port, Path(args.cache_dir) / f"bare-{os.getpid()}.log", app="bench.bare_app:app",
                          env={"BARE_DATABASE_URL": f"sqlite:///{path}"})
    rnd = random.Random(11)

    def insert(_i):
        return "POST", "/insert", json.dumps({"code": uuid.uuid4().hex[:20]}).encode()

    def select(_i):
        return "GET", f"/select?code=C{rnd.randrange(BARE_ROWS):07d}", None

    async def run():
        tokens = ["-"] * args.clients  # (sent, and ignored)
        return [await phase(name, port, tokens, make, {status}, args.duration, args.warmup, server.pid)
                for name, make, status in (("bare-ins", insert, 201), ("bare-sel", select, 200))]
    try:
        return asyncio.run(run())
    finally:
        stop_server(server)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def report(results: list[dict], args, dialect: str) -> None:
    ref = next((r["rate"] for r in results if r["name"] == "healthz"), None)
    print()
    print(f"{dialect}, {args.workers or 'conf'} workers × {args.threads or 'conf'} threads"
          f"{', ' + args.worker_class if args.worker_class else ''}, {args.clients} clients, "
          f"{args.duration:.0f} s per phase after {args.warmup:.0f} s warm-up, {os.cpu_count()} CPUs")
    # The server runs the venv's interpreter, as this script does; its build moves every figure (docs/deploy.md).
    print(f"Python {platform.python_version()} ({Path(sys.executable).resolve()})")
    print(f"{'phase':8} {'ok':>7} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'p99/p50':>7} "
          f"{'errors':>6} {'/healthz':>8} {'cpu ms':>6} {'workers busy':>12}  load avg")
    for r in results:
        ratio = f"{r['rate'] / ref:.2f}" if ref else "-"
        print(f"{r['name']:8} {r['ok']:7d} {r['rate']:8.0f} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} "
              f"{r['p99'] / r['p50']:7.2f} {r['errors']:6d} {ratio:>8} {r['cpu_ms']:6.2f} "
              f"{' '.join(f'{b:.2f}' for b in r['busy']):>12}  "
              f"{r['load'][0]:.2f} → {r['load'][1]:.2f}")
    for r in results:
        if "metrics" in r:
            print("  metrics " + r["metrics"])
    for r in results:
        for kind, n in sorted(r["error_kinds"].items(), key=lambda kv: -kv[1])[:5]:
            print(f"  {r['name']} error ×{n}: {kind}")
    targets = {"scan": 500, "lookup": 800}
    verdicts = []
    for r in results:
        if r["name"] in targets:
            met = r["rate"] >= targets[r["name"]] and r["errors"] == 0 and r["p99"] <= 2.5 * r["p50"]
            verdicts.append(f"{r['name']} {'met' if met else 'NOT met'} (≥ {targets[r['name']]}/s, 0 errors, "
                            f"p99 ≤ 2.5 × p50)")
    if verdicts:
        print("targets: " + "; ".join(verdicts))
    rates = {r["name"]: r["rate"] for r in results}
    for ours, (bare_name, statement, reference) in YARDSTICK.items():
        if ours in rates and bare_name in rates:
            print(f"yardstick: {ours} = {rates[ours] / rates[bare_name]:.2f} × the bare app's one {statement} "
                  f"per request on SQLite ({rates[bare_name]:.0f}/s now, {rates[bare_name] / reference:.2f} × "
                  f"issue 8's {reference}/s)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database-url", help="PostgreSQL URL (seeded unless it holds this seed already); "
                    "SQLite under --cache-dir when omitted")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--duration", type=float, default=20.0, help="seconds measured per phase")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds per phase before measuring")
    ap.add_argument("--phases", default="scan,lookup,healthz")
    ap.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py)")
    ap.add_argument("--threads", type=int, help="gunicorn threads per worker (default: gunicorn.conf.py)")
    ap.add_argument("--worker-class", help="gunicorn worker class (default: gunicorn.conf.py)")
    ap.add_argument("--no-access-log", action="store_true")
    ap.add_argument("--gunicorn-arg", action="append", help="extra gunicorn argument (repeatable)")
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--movements", type=int, default=5_000_000)
    ap.add_argument("--open-orders", type=int, default=2_000, help="open purchase and sales orders each")
    ap.add_argument("--cache-dir", default="/tmp/tendu-bench")
    ap.add_argument("--reseed", action="store_true")
    ap.add_argument("--seed-only", action="store_true")
    ap.add_argument("--check", action="store_true", help="run 'flask ledger check' before and after")
    ap.add_argument("--bare", action="store_true", help="then measure the issue's yardstick, a bare Flask + "
                    "SQLAlchemy app (bench/bare_app.py: one INSERT, one indexed SELECT per request), the same way")
    ap.add_argument("--keep", action="store_true", help="keep the SQLite working copy")
    args = ap.parse_args(argv)

    url, work_file = prepare_database(args)
    ok = True
    try:
        if args.check:
            ok &= ledger_check(url)
        if args.seed_only:
            return 0 if ok else 1
        pos, sos, codes = plan(url)
        print(f"work: {sum(left for _, ls in pos for _, left in ls):,} units to receive on {len(pos)} POs, "
              f"{sum(ln[2] for _, ls in sos for ln in ls):,} to pick on {len(sos)} SOs, {len(codes):,} barcodes")
        port = free_port()
        log = Path(args.cache_dir) / f"gunicorn-{os.getpid()}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        server = start_server(url, args, port, log)
        try:
            results = asyncio.run(drive(port, server.pid, args, pos, sos, codes))
        finally:
            stop_server(server)
        if args.bare:
            results += bare(args)
        report(results, args, "PostgreSQL" if url.startswith("postgresql") else "SQLite")
        if args.check:
            ok &= ledger_check(url)
        ok &= all(r["errors"] == 0 for r in results)
    finally:
        if work_file is not None and not args.keep:
            for suffix in ("", "-wal", "-shm", "-writers.lock"):
                Path(str(work_file) + suffix).unlink(missing_ok=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
