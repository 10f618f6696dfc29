"""Seed data for the browser tests, written through Tendu's services; prints what the tests need as JSON.

Run with the e2e server's environment (``TENDU_DATABASE_URL``): ``python tests/e2e/seed.py``. One purchase
order per test that receives goods, and one sales order per test that picks, ships or cancels, so the tests do
not depend on each other's order.
"""
from __future__ import annotations

import json
import sys
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from server import create_app  # noqa: E402
from server.models import Customer, Location, Product, Supplier  # noqa: E402
from server.services import auth, catalog, ledger, master, purchasing, sales  # noqa: E402
from server.services.stamp import Stamp  # noqa: E402

USERNAME, PASSWORD = "e2e-operator", "e2e-operator-password"
SECOND = ("e2e-second", "e2e-second-password")  # another operator sharing a handheld
SUPERVISOR = ("e2e-boss", "e2e-boss-password")  # decides the scans held for a supervisor
SUPPLIER = "E2E-SUP"
CUSTOMER = "E2E-CUS"
LOCATIONS = (("DOCK", "dock", 0), ("DISPATCH", "dispatch", 9999), ("A-01", "bin", 1), ("A-02", "bin", 2),
             ("B-01", "bin", 3))


def gtin(body: str) -> str:
    """``body`` completed with its GS1 check digit (mod 10, weights 3 and 1 from the right)."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


# sku → (name, unit GTIN, carton pack or None). GTINs in the 20–29 "restricted circulation" range.
PRODUCTS = {
    "E2E-A": ("Plaquettes E2E A", gtin("200000000001"), None),
    "E2E-B": ("Filtre E2E B", gtin("200000000002"), 6),
    "E2E-C": ("Bougie E2E C", gtin("200000000003"), None),
    "E2E-D": ("Ampoule E2E D", gtin("200000000004"), None),
    "E2E-L": ("Huile E2E lot", gtin("200000000005"), None),
    "E2E-CAM": ("Courroie E2E camera", gtin("200000000006"), None),
    "E2E-DM": ("Batterie E2E datamatrix", gtin("200000000007"), None),
    "E2E-LOTS": ("Liquide E2E par lot", gtin("200000000008"), None),
    "E2E-SO": ("Essuie-glace E2E vendu", gtin("200000000009"), None),
    "E2E-Q": ("Balai E2E quantité", gtin("200000000010"), 12),   # received many at once (quantity field)
    "E2E-QP": ("Vis E2E rangée", gtin("200000000011"), 12),      # waits at the dock to be put away by the dozen
}
# kept by lot in a bin (lot → qty, expiry): counted lot by lot
LOTTED_STOCK = ("E2E-LOTS", "A-02", {"LOT-A": (4, date(2028, 12, 31)), "LOT-B": (6, date(2029, 1, 31))})
SOLD_STOCK = ("E2E-SO", "B-01", 20)  # what the sales orders are picked from
DOCK_STOCK = ("E2E-QP", "DOCK", 100)  # what put-away takes off the dock
ORDERS = {  # purpose → lines (sku, qty)
    "wedge": (("E2E-A", 3), ("E2E-B", 12)),
    "offline": (("E2E-C", 100),),
    "unavailable": (("E2E-D", 100),),
    "offline-feedback": (("E2E-C", 10),),
    "separator": (("E2E-L", 50),),
    "camera": (("E2E-CAM", 10), ("E2E-DM", 10)),
    "shared-device": (("E2E-C", 10),),
    "held": (("E2E-A", 5),),
    "chosen": (("E2E-C", 7),),
    "closed": (("E2E-C", 4),),   # closed by the seed: its label is refused
    "decided-later": (("E2E-A", 5),),
    "qty": (("E2E-Q", 20),),
    "qty-carton": (("E2E-Q", 40),),
    "qty-offline": (("E2E-Q", 10),),
}
SALES_ORDERS = {  # purpose → (qty of E2E-SO, picked in the seed)
    "pick": (2, 0), "ship": (1, 1), "cancel": (1, 0), "cancel-picked": (1, 1), "pick-again": (3, 0),
    "pick-qty": (5, 0),
}


def seed() -> dict:
    auth.create_user(USERNAME, "operator", PASSWORD)
    auth.create_user(SECOND[0], "operator", SECOND[1])
    auth.create_user(SUPERVISOR[0], "supervisor", SUPERVISOR[1])
    for code, kind, walk in LOCATIONS:
        master.create(Location, {"code": code, "name": code, "kind": kind, "walk_order": walk})
    master.create(Supplier, {"code": SUPPLIER, "name": "E2E supplier", "declared_lead_time_days": 3,
                             "review_period_days": 7})
    for sku, (name, unit_gtin, pack) in PRODUCTS.items():
        barcodes = [{"code": unit_gtin}]
        if pack:
            barcodes.append({"code": carton_gtin(unit_gtin), "pack_qty": pack})
        catalog.create(Product, {"sku": sku, "name": name, "unit_cost": Decimal("5.00"), "supplier": SUPPLIER,
                                 "barcodes": barcodes})
    sku, bin_code, lots = LOTTED_STOCK
    for lot, (qty, expiry) in lots.items():
        ledger.adjust(stamp(), sku=sku, location=bin_code,
                      qty=Decimal(qty), reason="E2E: stock kept by lot", lot=lot, expiry=expiry)
    orders = {}
    for purpose, lines in ORDERS.items():
        order = purchasing.create_order(supplier=SUPPLIER, lines=[{"sku": sku, "qty": qty} for sku, qty in lines])
        purchasing.record_event(stamp(), number=order.number, kind="ordered")
        if purpose == "closed":
            purchasing.close(stamp(), number=order.number, reason="E2E: the supplier stopped the part")
        orders[purpose] = order.number
    sku, place, qty = DOCK_STOCK
    ledger.adjust(stamp(), sku=sku, location=place, qty=Decimal(qty), reason="E2E: delivered, to put away")
    sku, bin_code, qty = SOLD_STOCK
    ledger.adjust(stamp(), sku=sku, location=bin_code, qty=Decimal(qty), reason="E2E: stock to sell")
    master.create(Customer, {"code": CUSTOMER, "name": "E2E garage"})
    sales_orders = {}
    for purpose, (qty, picked) in SALES_ORDERS.items():
        order, _ = sales.create_order(stamp(), customer=CUSTOMER, lines=[{"sku": sku, "qty": qty}])
        if picked:
            sales.pick(stamp(), number=order.number, line_id=order.lines[0].id, qty=Decimal(picked),
                       from_location=bin_code, dispatch="DISPATCH")
        sales_orders[purpose] = order.number
    return {"username": USERNAME, "password": PASSWORD, "second": list(SECOND),
            "supervisor": list(SUPERVISOR), "orders": orders, "sales_orders": sales_orders,
            "products": {sku: {"name": name, "gtin": code, "carton": carton_gtin(code) if pack else None, "pack": pack}
                         for sku, (name, code, pack) in PRODUCTS.items()}}


def stamp() -> Stamp:
    """A new event id at the present time, as a device stamps each write."""
    return Stamp(str(uuid.uuid4()), datetime.now(timezone.utc))


def carton_gtin(unit_gtin: str) -> str:
    """The GTIN-14 of a carton of the unit: indicator digit 1, the unit's first 12 digits, a new check digit."""
    return gtin("1" + unit_gtin[:12])


if __name__ == "__main__":
    with create_app().app_context():
        print(json.dumps(seed()))
