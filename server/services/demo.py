"""A believable small car-parts distributor, a year of it, written through the services.

Deterministic for a seed. Five suppliers whose *real* lead times differ from what they declare (one
reliable, one slow, one erratic, one fast local, one distant), 200 products with smooth, erratic,
intermittent and lumpy demand, ~20 bins. A single clock-ordered queue plays every step — need detected,
ordered, confirmed, shipped, arrived, received, put away; sales ordered, picked (what the shelf lacks recorded
short), shipped — so the ledger is consistent and the lead-time events are real measurements of a simulated
world. An order for which nothing is on the shelves is cancelled when taken: the open orders at the end are
those of the last hours, and the pick list starts with one that can be picked.
"""
from __future__ import annotations

import heapq
import itertools
import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, select

from server.database import write_transaction
from server.extensions import db
from server.models import Base, Customer, Location, MovementKind, Product, Supplier, User
from server.models.base import utcnow
from server.services import auth, catalog, ledger, master, purchasing, sales
from server.services.stamp import Stamp

DOCK, DISPATCH = "DOCK", "DISPATCH"


class DemoNotEmpty(Exception):
    pass


@dataclass(frozen=True)
class SupplierProfile:
    code: str
    name: str
    declared: float          # days the supplier promises
    supplier_days: tuple     # (mean, sd) ordered → shipped, lognormal
    transport_days: tuple    # (mean, sd) shipped → arrived
    partial_share: float     # share of lines delivered incomplete at first
    review_weekday: int      # the history's weekly order day (the old rule ordered from everyone weekly)
    review_period: int | None = None   # what the buyer sets in Tendu: only EuroParts is ordered on a fixed day
    ordering_cost: float | None = 30.0  # what one order costs: Proxi's is left unset (orders cover four weeks)


SUPPLIERS = (
    SupplierProfile("FREINEX", "Freinex SA (fiable)", 5, (3.6, 0.4), (1.0, 0.2), 0.02, 0),
    SupplierProfile("LENTOR", "Lentor Industrie (lent)", 7, (9.5, 1.2), (2.0, 0.4), 0.10, 1),
    SupplierProfile("ALEA", "Aléa Pièces (irrégulier)", 6, (5.0, 4.0), (2.0, 1.2), 0.25, 2),
    SupplierProfile("PROXI", "Proxi Auto Distribution (local)", 2, (0.9, 0.3), (0.3, 0.1), 0.03, 3,
                    ordering_cost=None),
    SupplierProfile("EUROPARTS", "EuroParts GmbH", 10, (7.0, 1.5), (3.0, 0.8), 0.05, 4, 7),
)
CATEGORIES = (  # prefix, name, (cost low, high), lot tracked
    ("BRK", "Plaquettes de frein", (12, 45), False), ("DSC", "Disque de frein", (18, 70), False),
    ("FIL", "Filtre", (3, 20), False), ("SPK", "Bougie", (2, 9), False), ("WIP", "Balai d'essuie-glace", (4, 16), False),
    ("BLB", "Ampoule", (1, 8), False), ("BLT", "Courroie", (9, 40), False), ("BAT", "Batterie", (45, 140), True),
    ("OIL", "Huile moteur 5L", (18, 42), True), ("CLT", "Liquide de refroidissement", (6, 15), True),
)
MAKES = ("Clio", "208", "Golf", "Megane", "C3", "Polo", "Corsa", "Twingo", "Kangoo", "Partner")
DEMAND_CLASSES = (("smooth", 0.35), ("erratic", 0.20), ("intermittent", 0.30), ("lumpy", 0.15))
CUSTOMERS = ("Garage du Centre", "Auto Service Durand", "Carrosserie Martin", "Garage de la Gare",
             "Méca Express", "Pneus & Co", "Garage Leroy", "Atelier Moreau", "Station Total Nord",
             "Garage des Alpes", "Dépannage Petit", "Flotte Municipale")


@dataclass
class Item:
    sku: str
    supplier: SupplierProfile
    bin: str
    demand: str
    rate: float              # expected order lines per day
    size: tuple              # (low, high) units per line
    pack: int
    lot_tracked: bool
    lots: list = field(default_factory=list)   # [lot, qty] in the bin, oldest first
    on_order: int = 0

    @property
    def daily(self) -> float:
        return self.rate * sum(self.size) / 2

    def on_hand(self) -> int:
        return sum(q for _, q in self.lots)


def ean13(rng: random.Random) -> str:
    body = "376" + "".join(str(rng.randrange(10)) for _ in range(9))
    return body + check_digit(body)


def check_digit(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


class Demo:
    def __init__(self, seed: int, days: int, echo, now: datetime, on_progress=None):
        self.rng = random.Random(seed)
        self.seed = seed
        self.echo = echo
        self.on_progress = on_progress  # (simulated days done, days in all); replaces the monthly lines
        self.now = now
        self.start = datetime.combine((self.now - timedelta(days=days)).date(), time(0), timezone.utc)
        self.queue: list = []
        self.counter = itertools.count()
        self.items: list[Item] = []
        self.counts = {"purchase orders": 0, "sales orders": 0, "stock-outs": 0}

    # --- helpers -------------------------------------------------------------------------------
    def stamp(self, when: datetime) -> Stamp:
        return Stamp(str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), when, device="demo")

    def at(self, when: datetime, action, *args) -> None:
        heapq.heappush(self.queue, (when, next(self.counter), action, args))

    def lognormal_days(self, mean: float, sd: float) -> float:
        sigma2 = math.log(1 + (sd / mean) ** 2)
        return self.rng.lognormvariate(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))

    def hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high))

    # --- master data ---------------------------------------------------------------------------
    def users(self) -> list[str]:
        lines = []
        for role in ("admin", "supervisor", "operator"):
            password = f"{role}-{self.rng.getrandbits(40):010x}"
            auth.create_user(role, role, password)
            lines.append(f"  {role:<10} password: {password}")
        return lines

    def places(self) -> list[str]:
        master.create(Location, {"code": DOCK, "name": "Quai de réception", "kind": "dock", "walk_order": 0})
        master.create(Location, {"code": DISPATCH, "name": "Zone d'expédition", "kind": "dispatch",
                                 "walk_order": 9999})
        bins = []
        for zone_index, zone in enumerate("ABCD"):
            master.create(Location, {"code": f"ZONE-{zone}", "name": f"Allée {zone}", "kind": "zone",
                                     "walk_order": zone_index * 100})
            for n in range(1, 6):
                code = f"{zone}-{n:02d}"
                master.create(Location, {"code": code, "name": f"Allée {zone}, travée {n}", "kind": "bin",
                                         "parent_id": None, "walk_order": zone_index * 100 + n})
                bins.append(code)
        return bins

    def partners(self) -> None:
        for p in SUPPLIERS:
            master.create(Supplier, {"code": p.code, "name": p.name, "declared_lead_time_days": p.declared,
                                     "review_period_days": p.review_period, "ordering_cost": p.ordering_cost,
                                     "email": f"commandes@{p.code.lower()}.example"})
        for i, name in enumerate(CUSTOMERS, 1):
            master.create(Customer, {"code": f"C{i:03d}", "name": name})

    def products(self, bins: list[str], count: int = 200) -> None:
        used = set()
        for i in range(count):
            prefix, label, (low, high), lots = CATEGORIES[i % len(CATEGORIES)]
            supplier = SUPPLIERS[self.rng.randrange(len(SUPPLIERS))]
            demand = self.rng.choices([c for c, _ in DEMAND_CLASSES], [w for _, w in DEMAND_CLASSES])[0]
            rate, size = {"smooth": (self.rng.uniform(0.15, 0.45), (1, 6)),
                          "erratic": (self.rng.uniform(0.08, 0.2), (1, 20)),
                          "intermittent": (self.rng.uniform(0.03, 0.09), (1, 2)),
                          "lumpy": (self.rng.uniform(0.01, 0.04), (1, 30))}[demand]
            pack = self.rng.choice((1, 1, 1, 6, 12, 24))
            code = ean13(self.rng)
            while code in used:
                code = ean13(self.rng)
            used.add(code)
            barcodes = [{"code": code}]
            if pack > 1:
                carton = "1" + code[:12]
                barcodes.append({"code": carton + check_digit(carton), "pack_qty": pack})
            sku = f"{prefix}-{i + 1:04d}"
            cost = round(self.rng.uniform(low, high), 2)
            catalog.create(Product, {"sku": sku, "name": f"{label} {self.rng.choice(MAKES)} #{i + 1}",
                                     "unit_cost": Decimal(str(cost)), "supplier": supplier.code,
                                     "pack_multiple": pack, "moq": pack, "critical": self.rng.random() < 0.05,
                                     "barcodes": barcodes})
            self.items.append(Item(sku, supplier, bins[i % len(bins)], demand, rate, size, pack, lots))

    # --- the simulated year --------------------------------------------------------------------
    def opening_stock(self) -> None:
        for item in self.items:
            qty = max(item.pack, round(item.daily * (item.supplier.declared + 14) / item.pack) * item.pack)
            lot = "OUV" if item.lot_tracked else ""
            ledger.adjust(self.stamp(self.start), sku=item.sku, location=item.bin, qty=Decimal(qty),
                          reason="Stock d'ouverture", lot=lot, kind=MovementKind.OPENING)
            item.lots.append([lot, qty])

    def plan(self) -> None:
        day = self.start
        while day < self.now:
            if day.weekday() < 5:
                self.plan_sales(day)
                for supplier in SUPPLIERS:
                    if day.weekday() == supplier.review_weekday:
                        self.at(day + timedelta(hours=7, minutes=self.rng.randrange(60)), self.review, supplier)
            day += timedelta(days=1)

    def plan_sales(self, day: datetime) -> None:
        lines = []
        for item in self.items:
            for _ in range(self.poisson(item.rate)):
                lines.append({"sku": item.sku, "qty": self.rng.randint(*item.size)})
        self.rng.shuffle(lines)
        while lines:
            size = min(len(lines), self.rng.randint(1, 4))
            order, lines = lines[:size], lines[size:]
            self.at(day + timedelta(hours=8) + self.hours(0, 9), self.sell, order)

    def poisson(self, lam: float) -> int:
        threshold, k, p = math.exp(-lam), 0, self.rng.random()
        while p > threshold:
            k += 1
            p *= self.rng.random()
        return k

    def review(self, when: datetime, supplier: SupplierProfile) -> None:
        lines = []
        for item in self.items:
            if item.supplier is not supplier:
                continue
            # The usual rule of thumb on the *declared* lead time: the slow supplier will run it dry.
            reorder_point = item.daily * (supplier.declared + 7) * 1.5 + item.size[1]
            if item.on_hand() + item.on_order <= reorder_point:
                qty = max(item.pack, math.ceil(item.daily * 28 / item.pack) * item.pack)
                lines.append((item, qty))
        if not lines:
            return
        order = purchasing.create_order(supplier=supplier.code, lines=[{"sku": i.sku, "qty": q} for i, q in lines])
        self.counts["purchase orders"] += 1
        for item, qty in lines:
            item.on_order += qty
        need = when
        ordered = need + self.hours(0.5, 30)
        shipped = ordered + timedelta(days=self.lognormal_days(*supplier.supplier_days))
        arrived = shipped + timedelta(days=self.lognormal_days(*supplier.transport_days))
        self.at(need, self.po_event, order.number, "need_detected", None)
        self.at(ordered, self.po_event, order.number, "ordered", None)
        confirmed = ordered + self.hours(2, 26)
        self.at(confirmed, self.po_event, order.number, "confirmed",
                (ordered + timedelta(days=supplier.declared)).date())
        self.at(shipped, self.po_event, order.number, "shipped", None)
        self.at(arrived, self.po_event, order.number, "arrived", None)
        received = arrived + self.hours(0.5, 4)
        for line, (item, qty) in zip(order.lines, lines):
            first = qty
            if self.rng.random() < supplier.partial_share and qty > item.pack:
                first = max(item.pack, (qty // 2) // item.pack * item.pack)
                later = received + timedelta(days=self.lognormal_days(4, 2))
                self.at(later, self.receive, order.number, line.id, item, qty - first)
            self.at(received + self.hours(0, 1), self.receive, order.number, line.id, item, first)

    def po_event(self, when, number, kind, promised) -> None:
        purchasing.record_event(self.stamp(when), number=number, kind=kind, promised_date=promised)

    def receive(self, when, number, line_id, item: Item, qty: int) -> None:
        lot = f"L{when:%y%m%d}{self.rng.randrange(100):02d}" if item.lot_tracked else ""
        expiry = (when + timedelta(days=730)).date() if item.lot_tracked else None
        purchasing.receive(self.stamp(when), number=number, line_id=line_id, qty=Decimal(qty), dock=DOCK, lot=lot,
                           expiry=expiry)
        self.at(when + self.hours(0.3, 5), self.put_away, number, line_id, item, qty, lot)

    def put_away(self, when, number, line_id, item: Item, qty: int, lot: str) -> None:
        purchasing.put_away(self.stamp(when), number=number, line_id=line_id, qty=Decimal(qty), from_location=DOCK,
                            to_location=item.bin, lot=lot)
        item.on_order -= qty
        item.lots.append([lot, qty])

    def sell(self, when, lines: list[dict]) -> None:
        customer = f"C{self.rng.randrange(len(CUSTOMERS)) + 1:03d}"
        order, _ = sales.create_order(self.stamp(when), customer=customer, lines=lines)
        self.counts["sales orders"] += 1
        if not any(line.qty_reserved for line in order.lines):
            # None of it is on the shelves (or all of it is promised to other orders): told so when ordering, the
            # customer buys elsewhere. Left open, the order would wait at the head of the pick list for goods
            # nobody set aside for it.
            self.counts["stock-outs"] += len(order.lines)
            sales.cancel(self.stamp(min(when + timedelta(minutes=5), self.now)), number=order.number,
                         reason="Rupture : rien en stock, le client s'est fourni ailleurs")
            return
        by_sku = {i.sku: i for i in self.items}
        picked_at = when + self.hours(0.2, 3)
        if picked_at >= self.now:  # ordered in the last hours: not picked yet (a device cannot scan the future)
            return
        for line, wanted in zip(order.lines, lines):
            item = by_sku[wanted["sku"]]
            # What the shelf holds may be promised to an order of the last hours, not picked yet: like the
            # picker's device, take at most this line's reservation and the stock nobody has reserved.
            allowed = line.qty_reserved + max(Decimal(0), sales.available(db.session, line.product_id))
            remaining = min(wanted["qty"], int(allowed))
            taken = 0
            while remaining and item.lots:  # oldest lot first
                lot, have = item.lots[0]
                take = min(have, remaining)
                sales.pick(self.stamp(picked_at), number=order.number, line_id=line.id, qty=Decimal(take),
                           from_location=item.bin, dispatch=DISPATCH, lot=lot)
                taken += take
                remaining -= take
                item.lots[0][1] -= take
                if item.lots[0][1] == 0:
                    item.lots.pop(0)
            if taken < wanted["qty"]:  # the shelf is short: the picker records the rest short, as on the device
                self.counts["stock-outs"] += 1
                sales.short(self.stamp(picked_at), number=order.number, line_id=line.id,
                            qty=Decimal(wanted["qty"] - taken), reason="rupture")
        shipped_at = picked_at + self.hours(0.5, 6)
        if shipped_at < self.now:
            sales.ship(self.stamp(shipped_at), number=order.number, dispatch=DISPATCH)

    def orders_to_pick(self, count: int = 3) -> None:
        """A few orders taken in the last hour and not picked yet: the pick and ship screens have work to show."""
        stocked = [item for item in self.items if item.on_hand() >= 4]
        for n in range(count):
            lines = [{"sku": item.sku, "qty": self.rng.randint(1, item.on_hand() // 4)}
                     for item in self.rng.sample(stocked, min(3, len(stocked)))]
            customer = f"C{self.rng.randrange(len(CUSTOMERS)) + 1:03d}"
            sales.create_order(self.stamp(self.now - timedelta(minutes=50 - 10 * n)), customer=customer, lines=lines)
            self.counts["sales orders"] += 1

    def run(self) -> None:
        month = None
        total = (self.now - self.start).days + 1
        while self.queue and self.queue[0][0] <= self.now:
            when, _, action, args = heapq.heappop(self.queue)
            if self.on_progress:
                self.on_progress((when - self.start).days, total)
            elif when.month != month:
                month = when.month
                self.echo(f"demo: {when:%Y-%m} ({self.counts['sales orders']} sales orders so far)")
            action(when, *args)
        if self.on_progress:
            self.on_progress(total, total)


def generate(seed: int = 7, days: int = 365, products: int = 200, echo=print, now: datetime | None = None,
             on_progress=None) -> list[str]:
    """The demo up to ``now`` (default: the start of this hour, so runs within the hour are identical).

    ``on_progress(days done, days)`` is called as the simulated days pass; without it, a line a month."""
    if db.session.scalar(select(func.count(Product.id))) or db.session.scalar(select(func.count(User.id))):
        raise DemoNotEmpty("The database is not empty: the demo fills a new database only.")
    demo = Demo(seed, days, echo, now or utcnow().replace(minute=0, second=0, microsecond=0), on_progress)
    empty = [table for table in Base.metadata.sorted_tables
             if db.session.execute(select(table).limit(1)).first() is None]
    try:
        logins = demo.users()
        bins = demo.places()
        demo.partners()
        demo.products(bins, products)
        echo(f"demo: {products} products, {len(bins)} bins, {len(SUPPLIERS)} suppliers; playing {days} days…")
        demo.opening_stock()
        demo.plan()
        demo.run()
        demo.orders_to_pick()
    except KeyboardInterrupt:
        # Each step was its own transaction: a half-played demo would stay. Empty again what was empty.
        db.session.rollback()
        with write_transaction() as s:
            for table in reversed(empty):
                s.execute(table.delete())
        db.session.expunge_all()  # the deleted rows' objects must go too: SQLite gives their ids out again
        raise
    return [f"demo: {', '.join(f'{v} {k}' for k, v in demo.counts.items())}", "demo users:", *logins]
